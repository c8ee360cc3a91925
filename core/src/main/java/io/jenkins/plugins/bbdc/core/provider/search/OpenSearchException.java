package io.jenkins.plugins.bbdc.core.provider.search;

import io.jenkins.plugins.bbdc.core.provider.ProviderException;

/** The search cluster answered with an error: HTTP status and OpenSearch's error type (e.g. snapshot_missing_exception). */
public class OpenSearchException extends ProviderException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String type;
    private final boolean repeated;

    public OpenSearchException(String message, int status, String type) {
        this(message, status, type, false);
    }

    /** @param repeated the answer came to a request that had been sent more than once (after 429/503) */
    public OpenSearchException(String message, int status, String type, boolean repeated) {
        super(message);
        this.status = status;
        this.type = type;
        this.repeated = repeated;
    }

    /** True when the request had been sent more than once: an earlier attempt may have been done. */
    public boolean repeated() {
        return repeated;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }
}
