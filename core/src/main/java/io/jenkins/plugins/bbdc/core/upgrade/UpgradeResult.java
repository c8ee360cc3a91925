package io.jenkins.plugins.bbdc.core.upgrade;

import io.jenkins.plugins.bbdc.core.ops.OperationOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a finished (or stopped) upgrade reports: outcome, final version and per-node timings. */
public record UpgradeResult(boolean succeeded, UpgradePhase phase, String originalVersion, String targetVersion,
                            String finalVersion, String restorePointId, List<NodeTiming> nodes,
                            int finalizationRetries, Duration total, String failure, String report) {

    /**
     * One node: out = taking it out of the load balancer, action = the node action, wait = until ACTIVE on the
     * target and RUNNING, backIn = putting it back. Null where the step did not happen.
     */
    public record NodeTiming(String id, String name, NodeStep step, String originalVersion, String version,
                             Duration out, Duration action, Duration waitUntilReady, Duration backIn,
                             Duration total, String replacedId, String replacedName) {
        /** A node that was not replaced (the constructor as it was before node replacement existed). */
        public NodeTiming(String id, String name, NodeStep step, String originalVersion, String version,
                          Duration out, Duration action, Duration waitUntilReady, Duration backIn, Duration total) {
            this(id, name, step, originalVersion, version, out, action, waitUntilReady, backIn, total, null, null);
        }
    }

    public static UpgradeResult from(UpgradeState s) {
        List<NodeTiming> timings = new ArrayList<>();
        for (NodeRecord n : s.nodes) {
            timings.add(new NodeTiming(n.id, n.name, n.step, n.originalVersion, n.lastVersion, n.outTime(),
                    n.actionTime(), n.waitTime(), n.backInTime(), n.totalTime(), n.replacedId, n.replacedName));
        }
        Duration total = s.startedAt == null || s.finishedAt == null ? null
                : Duration.between(s.startedAt, s.finishedAt);
        return new UpgradeResult(s.phase == UpgradePhase.DONE, s.phase, s.originalVersion,
                s.options.targetVersion(), s.finalVersion, s.restorePointId, List.copyOf(timings),
                s.finalizationRetries, total, s.failure, s.report);
    }

    /** REFUSED by the preflight (nothing changed), STOPPED after an abort, FAILED (left serving), or SUCCEEDED. */
    public OperationOutcome outcome() {
        return switch (phase) {
            case DONE -> OperationOutcome.SUCCEEDED;
            case REFUSED -> OperationOutcome.REFUSED;
            case ABORTED -> OperationOutcome.STOPPED;
            default -> OperationOutcome.FAILED;
        };
    }

    /** Plain values only (strings, numbers, booleans, lists, maps): what {@code bbdc-ops upgrade --json} prints. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("succeeded", succeeded);
        m.put("phase", phase.name());
        m.put("originalVersion", originalVersion);
        m.put("targetVersion", targetVersion);
        m.put("finalVersion", finalVersion);
        m.put("restorePointId", restorePointId);
        m.put("finalizationRetries", finalizationRetries);
        m.put("totalMillis", millis(total));
        List<Map<String, Object>> list = new ArrayList<>();
        for (NodeTiming t : nodes) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("id", t.id());
            n.put("name", t.name());
            n.put("step", t.step().name());
            n.put("originalVersion", t.originalVersion());
            n.put("version", t.version());
            n.put("outMillis", millis(t.out()));
            n.put("actionMillis", millis(t.action()));
            n.put("waitMillis", millis(t.waitUntilReady()));
            n.put("backInMillis", millis(t.backIn()));
            n.put("totalMillis", millis(t.total()));
            n.put("replacedId", t.replacedId());
            n.put("replacedName", t.replacedName());
            list.add(n);
        }
        m.put("nodes", list);
        m.put("failure", failure);
        m.put("report", report);
        return m;
    }

    private static Long millis(Duration d) {
        return d == null ? null : d.toMillis();
    }
}
