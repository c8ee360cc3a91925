package io.jenkins.plugins.bbdc.core.event;

import java.time.Instant;

/**
 * One structured progress event. Jenkins prints a concise line per event and the CLI draws a live display or JSON.
 *
 * @param operation  backup, restore, verify, upgrade, retention
 * @param phase      e.g. prepare, lock, drain, capture, durable, unlock, node, finalize
 * @param component  component role ({@code home}, {@code mesh-home:m1}, {@code database}, {@code search}) or null
 * @param node       cluster node id or name, or null
 * @param percent    0..100 or null when unknown
 * @param elapsedMillis time spent in this phase so far, or null
 */
public record OperationEvent(Instant at, Level level, String operation, String phase, String component, String node,
                             Integer percent, Long elapsedMillis, String message) {

    public enum Level { DEBUG, INFO, WARNING, ERROR }

    public static OperationEvent info(Instant at, String operation, String phase, String message) {
        return new OperationEvent(at, Level.INFO, operation, phase, null, null, null, null, message);
    }

    public OperationEvent withComponent(String c) {
        return new OperationEvent(at, level, operation, phase, c, node, percent, elapsedMillis, message);
    }

    public OperationEvent withNode(String n) {
        return new OperationEvent(at, level, operation, phase, component, n, percent, elapsedMillis, message);
    }

    public OperationEvent withPercent(Integer p) {
        return new OperationEvent(at, level, operation, phase, component, node, p, elapsedMillis, message);
    }

    public OperationEvent withElapsed(Long ms) {
        return new OperationEvent(at, level, operation, phase, component, node, percent, ms, message);
    }

    public OperationEvent withLevel(Level l) {
        return new OperationEvent(at, l, operation, phase, component, node, percent, elapsedMillis, message);
    }
}
