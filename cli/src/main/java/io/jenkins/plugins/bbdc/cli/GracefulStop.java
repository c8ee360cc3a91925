package io.jenkins.plugins.bbdc.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * While open, a Ctrl-C or SIGTERM asks the running operation to stop safely and then waits (bounded) for it to end:
 * the JVM exits as soon as its shutdown hooks return, so without the wait the clean-up on the main thread (cancel,
 * unlock, park the cluster) would be cut off. A SIGKILL cannot be handled; the persisted state covers that.
 */
final class GracefulStop implements AutoCloseable {
    /** How long a stop signal waits for the clean-up before the JVM exits anyway. */
    static final Duration GRACE = Duration.ofMinutes(2);

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    GracefulStop(String name, Runnable requestStop) {
        hook = new Thread(() -> {
            requestStop.run();
            try {
                finished.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The operation ended: a running hook may let the JVM exit, and no later signal needs this hook. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already stopping: the hook is running
        }
    }
}
