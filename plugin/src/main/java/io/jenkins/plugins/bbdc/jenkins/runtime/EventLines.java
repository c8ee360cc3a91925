package io.jenkins.plugins.bbdc.jenkins.runtime;

import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.event.OperationEvent;
import java.io.PrintStream;
import java.util.function.Consumer;

/** Prints engine events as one concise build-log line each and keeps the latest as the step's status. */
public final class EventLines {
    private EventLines() {
    }

    /** {@code [bitbucket] backup capture home: snapshot taken (100%, 412 ms)}; debug events are left out. */
    public static String format(OperationEvent e) {
        StringBuilder sb = new StringBuilder("[bitbucket] ");
        if (e.level() == OperationEvent.Level.WARNING || e.level() == OperationEvent.Level.ERROR) {
            sb.append(e.level()).append(' ');
        }
        sb.append(e.operation()).append(' ').append(e.phase());
        if (e.component() != null) {
            sb.append(' ').append(e.component());
        }
        if (e.node() != null) {
            sb.append(" [").append(e.node()).append(']');
        }
        sb.append(": ").append(e.message());
        if (e.percent() != null || e.elapsedMillis() != null) {
            sb.append(" (");
            if (e.percent() != null) {
                sb.append(e.percent()).append('%');
            }
            if (e.elapsedMillis() != null) {
                sb.append(e.percent() != null ? ", " : "").append(e.elapsedMillis()).append(" ms");
            }
            sb.append(')');
        }
        return sb.toString();
    }

    /** A sink printing to {@code log} and handing each line to {@code status}. */
    public static EventSink sink(PrintStream log, Consumer<String> status, boolean verbose) {
        return e -> {
            if (e.level() == OperationEvent.Level.DEBUG && !verbose) {
                return;
            }
            String line = format(e);
            synchronized (log) {
                log.println(line);
            }
            status.accept(e.phase() + (e.component() != null ? " " + e.component() : "")
                    + (e.node() != null ? " " + e.node() : "") + ": " + e.message());
        };
    }
}
