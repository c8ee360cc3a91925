package io.jenkins.plugins.bbdc.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * While open, a Ctrl-C or SIGTERM asks the running operation to stop safely and then waits (bounded) until the
 * command has printed its result: the JVM exits as soon as its shutdown hooks return, so without the wait the clean-up
 * on the main thread (cancel, unlock, park the cluster, stop child processes, remove scratch copies) would be cut off.
 * After the hook returns the JVM exits with 128 + the signal's number (130 after SIGINT, 143 after SIGTERM); a stop
 * that could not leave things safe ends the process with {@link ExitCodes#NOT_SAFE} instead ({@link BbdcOps#main}).
 * A SIGKILL cannot be handled; the persisted state covers that.
 */
final class GracefulStop implements AutoCloseable {
    /** How long a stop signal waits for the clean-up before the JVM exits anyway. */
    static final Duration GRACE = Duration.ofMinutes(2);

    /** Counted down by {@link BbdcOps#main} once the result is printed: only then may a running hook return. */
    private static final CountDownLatch COMMAND_ENDED = new CountDownLatch(1);
    private static volatile boolean requested;

    private final Thread hook;

    GracefulStop(String name, Runnable requestStop) {
        hook = new Thread(() -> {
            requested = true;
            requestStop.run();
            try {
                COMMAND_ENDED.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * For commands without a stop flag of their own: the signal interrupts the calling thread, which stops the child
     * processes it waits for ({@code ProcessCommandRunner}: SIGTERM, then SIGKILL after a grace period) and cleans up.
     */
    static GracefulStop interruptingThisThread(String name) {
        Thread worker = Thread.currentThread();
        return new GracefulStop(name, worker::interrupt);
    }

    /** A stop signal arrived: the process exits with the signal's code once the command has ended. */
    static boolean requested() {
        return requested;
    }

    /** The command has ended and printed its result: a waiting hook may let the JVM exit. */
    static void commandEnded() {
        COMMAND_ENDED.countDown();
    }

    /** The operation ended: no later signal needs this hook (one already running keeps waiting for the result). */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already stopping: the hook is running
        }
    }
}
