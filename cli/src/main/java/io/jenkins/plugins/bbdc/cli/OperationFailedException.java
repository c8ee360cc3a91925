package io.jenkins.plugins.bbdc.cli;

/** An operation ran and failed; the message describes the state it left and how to continue. Exit code 1. */
public class OperationFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OperationFailedException(String message) {
        super(message);
    }

    public OperationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
