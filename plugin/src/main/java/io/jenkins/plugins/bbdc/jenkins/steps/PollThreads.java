package io.jenkins.plugins.bbdc.jenkins.steps;

import hudson.init.Terminator;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The threads that run the polls of running operation steps. A poll calls Bitbucket or AWS, and such a call can block
 * for its timeout and retries (10–30 s); Jenkins' shared timer has 10 threads for all of Jenkins, so the timer only
 * waits out the delay and hands the poll over to these threads.
 *
 * <p>A few named daemon threads, started when needed and gone when idle, whose context class loader is the plugin's
 * (the AWS SDK and Jackson find their parts through it). The queue is bounded: when it is full, {@link #execute}
 * refuses the poll and {@link OperationLoop} schedules it again a little later. Shut down when Jenkins terminates.
 */
public final class PollThreads implements Executor {
    private static final Logger LOGGER = Logger.getLogger(PollThreads.class.getName());

    static final int THREADS = 4;
    /** Each running step has at most a poll or two queued: room for far more operations than instances. */
    static final int QUEUE = 256;
    private static final Duration IDLE = Duration.ofMinutes(1);
    /** How long termination waits for running polls before interrupting them. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private static PollThreads shared;

    private final ThreadPoolExecutor pool;

    PollThreads(String name, int threads, int queue) {
        AtomicInteger count = new AtomicInteger();
        ClassLoader loader = PollThreads.class.getClassLoader();
        pool = new ThreadPoolExecutor(threads, threads, IDLE.toMillis(), TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queue), r -> {
                    Thread t = new Thread(r, name + " " + count.incrementAndGet());
                    t.setDaemon(true);
                    t.setContextClassLoader(loader);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
    }

    /** The plugin's poll threads, created on first use (again after a shutdown, as Jenkins' own timer is). */
    static synchronized PollThreads shared() {
        if (shared == null) {
            shared = new PollThreads("bbdc-ops poll", THREADS, QUEUE);
        }
        return shared;
    }

    /**
     * Runs {@code poll} on one of the threads.
     *
     * @throws RejectedExecutionException the queue is full or the threads were shut down
     */
    @Override
    public void execute(Runnable poll) {
        pool.execute(poll);
    }

    /** Lets running polls end (at most {@code grace}), then interrupts what is left. */
    void shutdown(Duration grace) throws InterruptedException {
        pool.shutdown();
        if (!pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            LOGGER.warning("polls still running after " + grace.toSeconds() + " s: interrupted");
            pool.shutdownNow();
        }
    }

    /**
     * Jenkins terminates: a resumed step polls again after the restart. Public, in a public class: Jenkins calls
     * terminators by reflection.
     */
    @Terminator
    public static void shutdownShared() {
        PollThreads threads;
        synchronized (PollThreads.class) {
            threads = shared;
            shared = null;
        }
        if (threads == null) {
            return;
        }
        try {
            threads.shutdown(SHUTDOWN_GRACE);
        } catch (InterruptedException e) {
            LOGGER.log(Level.FINE, "interrupted while waiting for polls to end", e);
            Thread.currentThread().interrupt();
        }
    }
}
