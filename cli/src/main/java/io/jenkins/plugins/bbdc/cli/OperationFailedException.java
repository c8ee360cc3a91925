package io.jenkins.plugins.bbdc.cli;

import io.jenkins.plugins.bbdc.core.ops.OperationOutcome;

/**
 * An operation ran and did not succeed; the message describes the state it left and how to continue. The outcome
 * decides the exit code ({@link ExitCodes#of}); FAILED (1) unless given.
 */
public class OperationFailedException extends RuntimeException implements OperationOutcome.Classified {
    private static final long serialVersionUID = 1L;
    private final OperationOutcome outcome;

    public OperationFailedException(String message) {
        this(OperationOutcome.FAILED, message, null);
    }

    public OperationFailedException(String message, Throwable cause) {
        this(OperationOutcome.FAILED, message, cause);
    }

    public OperationFailedException(OperationOutcome outcome, String message) {
        this(outcome, message, null);
    }

    public OperationFailedException(OperationOutcome outcome, String message, Throwable cause) {
        super(message, cause);
        this.outcome = outcome;
    }

    @Override
    public OperationOutcome outcome() {
        return outcome;
    }
}
