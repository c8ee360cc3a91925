package io.jenkins.plugins.bbdc.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How a running operation step is driven, without Jenkins types so that it is unit tested: take the instance lock,
 * poll the {@link OperationMachine}, carry a stop through to a safe ending, release the lock and report once.
 * {@link OperationExecution} is the thin Jenkins side (its {@link Host}).
 *
 * <p>The timer only waits out the delay before a poll; the poll itself runs on the {@link Host#pollThreads() poll
 * threads}, because a poll calls Bitbucket or AWS and can block for a timeout. No poll ever waits for another: a poll
 * asked for while one runs is run right after it by the same thread, so a {@link #stop} (called by Jenkins on its own
 * thread when a build is aborted) returns at once. Long work (a backup, a node command) runs on its own thread and is
 * only checked on by the polls.
 *
 * <p>Persisted with the step (program.dat): plain values only, never a credential. The step is saved only when a
 * poll changed what is persisted — not after every poll, which for a backup waiting hours for its snapshots would
 * rewrite program.dat every second. The outcome is persisted before it is reported, so an operation that ended but
 * could not report before a controller restart reports the same outcome when it is resumed.
 */
final class OperationLoop implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(OperationLoop.class.getName());
    /** When the poll threads refused a poll (all busy, queue full): how soon it is tried again. */
    static final Duration BUSY_RETRY = Duration.ofSeconds(5);

    /** What the loop needs from Jenkins (the step execution and its context). Never persisted. */
    interface Host {
        /** Schedules the polls (only the delay: the poll is handed to {@link #pollThreads}). */
        ScheduledExecutorService timer();

        /**
         * Runs the polls, which may block on Bitbucket or AWS calls.
         *
         * @throws RejectedExecutionException (from {@code execute}) when busy or shut down: the poll is tried later
         */
        Executor pollThreads();

        /**
         * What the step execution persists besides this loop and may change during a poll (compared to decide
         * whether to save; never kept here), or null.
         */
        default Object executionState() {
            return null;
        }

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
    /** The outcome, kept from the moment it is known until the step is gone; null while running. */
    private Ending ending;

    private transient volatile Host host;
    private transient volatile Polling polling;

    /** The persisted outcome of the operation: what the step reports, and whether the build page was recorded. */
    private static final class Ending implements Serializable {
        private static final long serialVersionUID = 1L;
        final Map<String, Object> result;
        final String failure;
        boolean recorded;

        Ending(Map<String, Object> result, String failure) {
            this.result = result == null ? null : new LinkedHashMap<>(result);
            this.failure = failure;
        }
    }

    /** Not persisted: which poll is running and what is scheduled. */
    private static final class Polling {
        final AtomicBoolean running = new AtomicBoolean();
        final AtomicBoolean reported = new AtomicBoolean();
        volatile boolean again;
        /** What was persisted at the last save (see {@link #persisted}); null: not saved in this JVM yet. */
        volatile List<Object> saved;
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
     *
     * <p>An operation that had already ended (its outcome persisted, the restart came before Jenkins took the report)
     * is not run again: its first poll reports the persisted outcome.
     */
    void resume(Host host) {
        this.host = host;
        if (driver.finished()) {
            schedule(Duration.ZERO);
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
                handOver();
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
            if (previous != null) {
                previous.cancel(false);
            }
        }
    }

    /** From the timer thread to a poll thread: the timer thread must never wait for Bitbucket or AWS. */
    private void handOver() {
        try {
            host.pollThreads().execute(this::poll);
        } catch (RejectedExecutionException e) {
            // the poll threads are all busy with a full queue, or Jenkins is shutting down (then the timer refuses too,
            // and the step polls again once resumed)
            LOGGER.warning("the poll threads refused a poll of the " + driver.kind() + " of " + instanceId
                    + " (all busy, or shutting down); trying again in " + BUSY_RETRY.toSeconds() + " s");
            try {
                schedule(BUSY_RETRY);
            } catch (RejectedExecutionException shutDown) {
                LOGGER.log(Level.FINE, "the timer is shut down too", shutDown);
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
            if (ending == null) {
                // persisted by an earlier version, which did not keep the outcome: end the step rather than hang
                ending = new Ending(null, Messages.OperationExecution_endedUnreported(driver.kind(), instanceId,
                        driver.status()));
            }
            report();
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
            end(null, why);
            return;
        }
        if (!outcome.finished()) {
            saveIfChanged();
            schedule(outcome.again());
            return;
        }
        end(outcome.result(), outcome.failure());
    }

    /** Persists the outcome, then records and reports it. */
    private void end(Map<String, Object> result, String failure) {
        String why = failure;
        if (resumeConflict != null) {
            why = Messages.OperationExecution_endedAfterConflict(resumeConflict,
                    failure == null ? Messages.OperationExecution_finishedAnyway() : failure);
        }
        ending = new Ending(result, why);
        saveIfChanged();
        report();
    }

    /**
     * Records the build page (once: the flag is persisted, so a resumed step does not add it again) and reports the
     * outcome to Jenkins, once per loaded execution.
     */
    private void report() {
        if (!polling().reported.compareAndSet(false, true)) {
            return;
        }
        InstanceLocks.global().release(instanceId, ownerId);
        if (!ending.recorded) {
            try {
                host.finished(ending.result, ending.failure);
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "could not record the result of the " + driver.kind(), e);
            }
            ending.recorded = true;
            saveIfChanged();
        }
        host.complete(ending.result, ending.failure);
    }

    /** Saves the step when what it persists changed since the last save. */
    private void saveIfChanged() {
        Polling p = polling();
        List<Object> now = persisted();
        if (!now.equals(p.saved)) {
            p.saved = now;
            host.saveState();
        }
    }

    /** Every persisted value that changes while the step runs, as a cheap comparable list. */
    private List<Object> persisted() {
        return Arrays.asList(driver.persisted(), ownerId, stopReason, resumeConflict, ending != null,
                ending != null && ending.recorded, host.executionState());
    }
}
