package io.jenkins.plugins.bbdc.core.provider.search;

import io.jenkins.plugins.bbdc.core.provider.ProviderException;

/** The search cluster answered with an error: HTTP status and OpenSearch's error type (e.g. snapshot_missing_exception). */
public class OpenSearchException extends ProviderException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String type;

    public OpenSearchException(String message, int status, String type) {
        super(message);
        this.status = status;
        this.type = type;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }
}
