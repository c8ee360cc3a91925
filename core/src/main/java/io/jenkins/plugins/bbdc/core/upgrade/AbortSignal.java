package io.jenkins.plugins.bbdc.core.upgrade;

import java.util.concurrent.atomic.AtomicBoolean;

/** Lets a user ask a running upgrade to stop (the CLI's Ctrl-C, the Jenkins step's stop()). */
@FunctionalInterface
public interface AbortSignal {
    boolean requested();

    AbortSignal NEVER = () -> false;

    /** A flag that can be raised from another thread. */
    final class Flag implements AbortSignal {
        private final AtomicBoolean raised = new AtomicBoolean();

        public void raise() {
            raised.set(true);
        }

        @Override
        public boolean requested() {
            return raised.get();
        }
    }
}
