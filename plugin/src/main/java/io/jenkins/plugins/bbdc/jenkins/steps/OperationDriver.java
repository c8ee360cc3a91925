package io.jenkins.plugins.bbdc.jenkins.steps;

import io.jenkins.plugins.bbdc.jenkins.Messages;
import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketException;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The persisted part of a running operation step and the rules that move it: call the machine, keep its state,
 * retry transient I/O failures with a growing delay, carry a stop request through to a safe ending, and decide when
 * the step is finished. Plain Java (no Jenkins types), so every rule is unit tested; the step execution only
 * schedules polls, saves the program state and reports the outcome.
 *
 * <p>Holds only plain values: the machine's JSON state, a status line, the stop request. Never a credential.
 */
public final class OperationDriver implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Failed polls in a row (Bitbucket or AWS unreachable, agent gone) before the operation gives up. */
    static final int MAX_TRANSIENT_FAILURES = 8;
    static final Duration FIRST_RETRY = Duration.ofSeconds(2);
    static final Duration MAX_RETRY = Duration.ofMinutes(1);

    private final String kind;
    private String state;
    private String status = Messages.OperationDriver_starting();
    private boolean stopRequested;
    private String stopReason;
    private boolean resumed;
    private boolean finished;
    private int transientFailures;
    private String lastTransientError;

    public OperationDriver(String kind) {
        this.kind = kind;
    }

    /** What {@link #poll} decided. */
    public static final class Outcome {
        private final Duration again;
        private final Map<String, Object> result;
        private final String failure;

        private Outcome(Duration again, Map<String, Object> result, String failure) {
            this.again = again;
            this.result = result;
            this.failure = failure;
        }

        /** Not finished; poll again after this delay. Null when finished. */
        public Duration again() {
            return again;
        }

        public boolean finished() {
            return again == null;
        }

        public boolean succeeded() {
            return again == null && failure == null;
        }

        /** The step's return value (also set for some failures: what was done). */
        public Map<String, Object> result() {
            return result;
        }

        public String failure() {
            return failure;
        }
    }

    /** Runs one step of the machine. Never throws: every problem becomes an outcome. */
    public Outcome poll(OperationMachine machine) throws InterruptedException {
        if (finished) {
            throw new IllegalStateException("the " + kind + " already finished");
        }
        Advance a;
        try {
            a = machine.advance(state, stopRequested, resumed);
        } catch (InterruptedException e) {
            throw e;
        } catch (IOException e) {
            if (isTransient(e)) {
                return transientFailure(e);
            }
            finished = true;
            status = Messages.OperationDriver_failedStatus(message(e));
            return new Outcome(null, null, message(e));
        } catch (Exception e) {
            finished = true;
            status = Messages.OperationDriver_failedStatus(message(e));
            return new Outcome(null, null, Messages.OperationDriver_failed(kind, message(e)));
        }
        resumed = false;
        transientFailures = 0;
        lastTransientError = null;
        state = a.state();
        status = a.status();
        if (!a.terminal()) {
            return new Outcome(a.delay(), null, null);
        }
        finished = true;
        if (a.failure() != null) {
            return new Outcome(null, a.result(), a.failure());
        }
        if (stopRequested) {
            // the machine finished its work before it saw the stop: the work is done, but the user asked to stop
            return new Outcome(null, a.result(), Messages.OperationDriver_finishedBeforeStop(kind, stopReason,
                    a.status()));
        }
        return new Outcome(null, a.result(), null);
    }

    /**
     * Worth retrying: the network, a timeout, a 5xx. Not: refusals and configuration problems
     * ({@link AbortException}), rejected credentials, missing permissions, conflicts — retrying changes nothing.
     */
    static boolean isTransient(IOException e) {
        if (e instanceof AbortException) {
            return false;
        }
        if (e instanceof BitbucketException b) {
            return b.kind() == BitbucketException.Kind.UNREACHABLE || b.kind() == BitbucketException.Kind.TIMEOUT
                    || b.kind() == BitbucketException.Kind.SERVER_ERROR;
        }
        return true;
    }

    private Outcome transientFailure(IOException e) {
        transientFailures++;
        lastTransientError = message(e);
        if (transientFailures > MAX_TRANSIENT_FAILURES) {
            finished = true;
            status = Messages.OperationDriver_failedStatus(lastTransientError);
            return new Outcome(null, null, Messages.OperationDriver_gaveUp(kind, transientFailures,
                    lastTransientError) + (state == null ? "" : " " + Messages.OperationDriver_stateKept()));
        }
        status = Messages.OperationDriver_retrying(lastTransientError);
        long factor = 1L << Math.min(transientFailures - 1, 10);
        Duration delay = FIRST_RETRY.multipliedBy(factor);
        return new Outcome(delay.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : delay, null, null);
    }

    /** The user or a {@code timeout} asked to stop. Idempotent; the next poll lets the machine end safely. */
    public void requestStop(String reason) {
        if (!stopRequested) {
            stopRequested = true;
            stopReason = reason;
            status = Messages.OperationExecution_stopRequested(reason);
        }
    }

    /** The machine could not even be built (configuration removed, credentials missing): the step ends here. */
    public void abandon(String why) {
        finished = true;
        status = Messages.OperationDriver_failedStatus(why);
    }

    /** Marks the first poll after a controller restart. */
    public void markResumed() {
        resumed = true;
    }

    /** Every persisted value that changes while the operation runs, to tell whether a poll changed any. */
    List<Object> persisted() {
        return Arrays.asList(state, status, stopRequested, stopReason, resumed, finished, transientFailures,
                lastTransientError);
    }

    public boolean stopRequested() {
        return stopRequested;
    }

    public boolean finished() {
        return finished;
    }

    public String state() {
        return state;
    }

    public String status() {
        return status;
    }

    public String kind() {
        return kind;
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
