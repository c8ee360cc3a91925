package io.jenkins.plugins.bbdc.cli;

import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.event.OperationEvent;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Human progress on stderr: one line per event with time, operation, phase, component or node, percentage and
 * timing. On a terminal, percentage-only updates of the same phase redraw one line instead of scrolling.
 */
final class ProgressPrinter implements EventSink {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private final PrintWriter err;
    private final boolean live;
    private String lastKey;
    private boolean pendingLine;

    ProgressPrinter(PrintWriter err, boolean live) {
        this.err = err;
        this.live = live;
    }

    @Override
    public synchronized void emit(OperationEvent e) {
        if (e.level() == OperationEvent.Level.DEBUG) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(TIME.format(e.at())).append(' ').append(e.operation()).append(' ').append(e.phase());
        if (e.component() != null) {
            sb.append(" [").append(e.component()).append(']');
        }
        if (e.node() != null) {
            sb.append(" [node ").append(e.node()).append(']');
        }
        if (e.percent() != null) {
            sb.append(' ').append(e.percent()).append('%');
        }
        if (e.elapsedMillis() != null) {
            sb.append(" (").append(e.elapsedMillis()).append(" ms)");
        }
        if (e.level() == OperationEvent.Level.WARNING || e.level() == OperationEvent.Level.ERROR) {
            sb.append(' ').append(e.level());
        }
        if (e.message() != null && !e.message().isEmpty()) {
            sb.append(": ").append(e.message());
        }
        String key = e.operation() + '/' + e.phase() + '/' + e.component() + '/' + e.node();
        boolean redraw = live && pendingLine && key.equals(lastKey) && e.percent() != null && e.percent() < 100;
        if (redraw) {
            err.print("\r\u001b[2K" + sb);
        } else {
            if (pendingLine) {
                err.println();
            }
            err.print(sb);
        }
        pendingLine = live && e.percent() != null && e.percent() < 100;
        if (!pendingLine) {
            err.println();
        }
        lastKey = key;
        err.flush();
    }
}
