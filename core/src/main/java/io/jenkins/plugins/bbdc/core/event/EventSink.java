package io.jenkins.plugins.bbdc.core.event;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Receives progress events. Implementations must be thread-safe: captures report from several threads at once. */
@FunctionalInterface
public interface EventSink {
    void emit(OperationEvent event);

    EventSink NONE = e -> { };

    /** Collects events in memory (tests, build pages). */
    final class Collecting implements EventSink {
        private final List<OperationEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void emit(OperationEvent event) {
            events.add(event);
        }

        public List<OperationEvent> events() {
            return List.copyOf(events);
        }
    }

    static EventSink both(EventSink a, EventSink b) {
        return e -> {
            a.emit(e);
            b.emit(e);
        };
    }
}
