package io.jenkins.plugins.bbdc.core.ops;

/**
 * How an operation ended, in the classes a caller (the CLI's exit code, a monitoring script, the Jenkins build
 * result) must tell apart. Engines expose it on their results and refusal exceptions ({@link Classified}) so callers
 * never match message text.
 */
public enum OperationOutcome {
    /** Done as asked. */
    SUCCEEDED,
    /** Failed; the state was left safe and the message says how to continue. */
    FAILED,
    /** Refused by a preflight check before anything was changed. */
    REFUSED,
    /** Another operation holds the instance (its run lock, or a maintenance lock that is not ours): nothing changed. */
    HELD,
    /** Completed (the restore point is usable), but a copy to another region failed. */
    COPY_FAILED,
    /** Failed and NOT left safe (for example Bitbucket still locked): the message says what to do by hand. */
    NOT_SAFE,
    /** Stopped on request (a signal, an abort) after a safe stop. */
    STOPPED;

    /** An exception or result that knows its outcome. */
    public interface Classified {
        OperationOutcome outcome();
    }
}
