package io.jenkins.plugins.bbdc.core.provider.aws;

import io.jenkins.plugins.bbdc.core.provider.ProviderException;

/** An AWS call failed with an AWS error code (kept so callers can treat e.g. NotFound as success). */
public class AwsCallException extends ProviderException {
    private static final long serialVersionUID = 1L;
    private final String errorCode;
    private final int statusCode;

    public AwsCallException(String message, String errorCode, int statusCode, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
        this.statusCode = statusCode;
    }

    /** The AWS error code, e.g. {@code InvalidSnapshot.NotFound}; null when AWS was not reached. */
    public String errorCode() {
        return errorCode;
    }

    public int statusCode() {
        return statusCode;
    }

    /** No HTTP status: AWS did not answer, so a write may or may not have reached it. */
    @Override
    public boolean outcomeUnknown() {
        return statusCode == 0;
    }
}
