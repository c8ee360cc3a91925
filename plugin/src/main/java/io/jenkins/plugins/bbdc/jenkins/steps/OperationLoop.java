package io.jenkins.plugins.bbdc.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How a running operation step is driven, without Jenkins types so that it is unit tested: take the instance lock,
 * poll the {@link OperationMachine} from a timer, carry a stop through to a safe ending, release the lock and report
 * once. {@link OperationExecution} is the thin Jenkins side (its {@link Host}).
 *
 * <p>No poll ever waits for another: a poll asked for while one runs is run right after it by the same thread, so a
 * {@link #stop} (called by Jenkins on its own thread when a build is aborted) returns at once and no timer thread is
 * blocked. Polls are short (a few HTTP calls); long work (a backup, a node command) runs on its own thread and is
 * only checked on by the polls.
 *
 * <p>Persisted with the step (program.dat): plain values only, never a credential.
 */
final class OperationLoop implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(OperationLoop.class.getName());

    /** What the loop needs from Jenkins (the step execution and its context). Never persisted. */
    interface Host {
        ScheduledExecutorService timer();

        /** Builds the machine for one poll from the persisted arguments and the current context. */
        OperationMachine machine() throws IOException, InterruptedException;

        /** The build's name as users see it, for "instance busy" messages. */
        String buildName() throws IOException, InterruptedException;

        void log(String line);

        /** Asks Jenkins to persist the step (program.dat) now that the persisted state changed. */
        void saveState();

        /** Records the result (the build page); called once, before {@link #complete}. */
        void finished(@CheckForNull Map<String, Object> result, @CheckForNull String failure);

        /** Ends the step: {@code failure == null} is success with {@code result}. */
        void complete(@CheckForNull Map<String, Object> result, @CheckForNull String failure);
    }

    private final OperationDriver driver;
    private final String instanceId;
    private String ownerId;
    /** Set by {@link #stop} on any thread; moved into the driver by the next poll. */
    private volatile String stopReason;
    /** Why a resumed operation was ended safely instead of continued (prefixed to its failure). */
    private String resumeConflict;

    private transient volatile Host host;
    private transient volatile Polling polling;

    /** Not persisted: which poll is running and what is scheduled. */
    private static final class Polling {
        final AtomicBoolean running = new AtomicBoolean();
        volatile boolean again;
        /** The pending poll, its deadline ({@link System#nanoTime()}) and identity; guarded by this. */
        ScheduledFuture<?> next;
        long nextAt;
        Object nextToken;
    }

    OperationLoop(String kind, String instanceId) {
        this.driver = new OperationDriver(kind);
        this.instanceId = instanceId;
    }

    String kind() {
        return driver.kind();
    }

    String instanceId() {
        return instanceId;
    }

    /** Unique to this run of the step (kept across restarts): the lock owner and the key of its background work. */
    String ownerId() {
        return ownerId;
    }

    /**
     * Takes the instance and schedules the first poll.
     *
     * @param runId the build's externalizable id
     * @throws AbortException another operation holds the instance: nothing was changed
     */
    void start(String runId, Host host) throws IOException, InterruptedException {
        this.host = host;
        ownerId = runId + "#" + driver.kind().replace(' ', '-') + "-" + System.nanoTime();
        InstanceLocks.global().acquire(instanceId, holder(host));
        schedule(Duration.ZERO);
    }

    /**
     * After a controller restart: takes the instance again and continues. If another operation took the instance in
     * the meantime (a build that started before this one was resumed), this one must not go on next to it — yet just
     * failing would leave Bitbucket as the restart left it (maintenance lock held, upgrade mode on). So it is ended
     * the way a stop ends it: the machine releases the maintenance lock and removes what it created, or cancels or
     * parks the upgrade, and the step fails with the conflict and the engine's instructions for continuing.
     */
    void resume(Host host) {
        this.host = host;
        if (driver.finished()) {
            return;
        }
        driver.markResumed();
        try {
            InstanceLocks.global().acquire(instanceId, holder(host));
        } catch (AbortException e) {
            resumeConflict = Messages.OperationExecution_resumeConflict(e.getMessage());
            stopReason = resumeConflict;
            host.log(resumeConflict);
        } catch (IOException | InterruptedException e) {
            // no build to name: still end safely rather than abandon what the operation holds
            resumeConflict = Messages.OperationExecution_resumeConflict(String.valueOf(e.getMessage()));
            stopReason = resumeConflict;
        }
        schedule(Duration.ZERO);
    }

    /** Asks the machine to end safely; returns at once (the step ends when the machine has ended). */
    void stop(String reason, Host host) {
        if (this.host == null) {
            this.host = host;
        }
        if (stopReason == null) {
            stopReason = reason;
        }
        host.log(Messages.OperationExecution_stopping(driver.kind(), instanceId));
        schedule(Duration.ZERO);
    }

    /** A short phrase for thread dumps and the Pipeline steps page. */
    String status() {
        String reason = stopReason;
        String s = driver.status();
        return Messages.OperationExecution_status(driver.kind(), instanceId,
                reason != null && !driver.stopRequested() ? Messages.OperationExecution_stopRequested(reason) : s);
    }

    boolean finished() {
        return driver.finished();
    }

    private InstanceLocks.Holder holder(Host host) throws IOException, InterruptedException {
        return new InstanceLocks.Holder(ownerId, driver.kind(), host.buildName());
    }

    private Polling polling() {
        Polling p = polling;
        if (p == null) {
            synchronized (this) {
                if (polling == null) {
                    polling = new Polling();
                }
                p = polling;
            }
        }
        return p;
    }

    /**
     * Schedules the next poll in {@code delay}, unless an earlier one is already pending: a poll that ends with
     * "again in an hour" must not cancel the immediate poll a stop request scheduled meanwhile (an extra poll is
     * harmless: the machine only acts on what it observes). A poll that has started is no longer pending.
     */
    private void schedule(Duration delay) {
        Polling p = polling();
        long at = System.nanoTime() + delay.toNanos();
        synchronized (p) {
            if (p.next != null && p.nextAt - at <= 0) {
                return;
            }
            ScheduledFuture<?> previous = p.next;
            Object token = new Object();
            p.nextToken = token;
            p.nextAt = at;
            p.next = host.timer().schedule(() -> {
                synchronized (p) {
                    if (p.nextToken == token) {
                        p.next = null;
                        p.nextToken = null;
                    }
                }
                poll();
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
            if (previous != null) {
                previous.cancel(false);
            }
        }
    }

    /** Runs a poll unless one is running; then that one polls again as soon as it is done. */
    void poll() {
        Polling p = polling();
        p.again = true;
        while (p.again && p.running.compareAndSet(false, true)) {
            p.again = false;
            try {
                pollOnce();
            } catch (RuntimeException | Error e) {
                LOGGER.log(Level.WARNING, "a poll of the " + driver.kind() + " of " + instanceId + " failed", e);
            } finally {
                p.running.set(false);
            }
        }
    }

    private void pollOnce() {
        if (driver.finished()) {
            return;
        }
        String reason = stopReason;
        if (reason != null) {
            driver.requestStop(reason);
        }
        OperationDriver.Outcome outcome;
        try {
            outcome = driver.poll(host.machine());
        } catch (InterruptedException e) {
            schedule(OperationDriver.FIRST_RETRY);
            return;
        } catch (IOException | RuntimeException e) {
            // the machine could not even be built (configuration removed, credentials missing): nothing to resume
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            driver.abandon(why);
            complete(null, why);
            return;
        }
        host.saveState();
        if (!outcome.finished()) {
            schedule(outcome.again());
            return;
        }
        complete(outcome.result(), outcome.failure());
    }

    private void complete(Map<String, Object> result, String failure) {
        InstanceLocks.global().release(instanceId, ownerId);
        String why = failure;
        if (resumeConflict != null) {
            why = Messages.OperationExecution_endedAfterConflict(resumeConflict,
                    failure == null ? Messages.OperationExecution_finishedAnyway() : failure);
        }
        try {
            host.finished(result, why);
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "could not record the result of the " + driver.kind(), e);
        }
        host.complete(result, why);
    }
}
