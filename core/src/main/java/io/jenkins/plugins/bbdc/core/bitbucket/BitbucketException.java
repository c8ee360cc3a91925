package io.jenkins.plugins.bbdc.core.bitbucket;

import java.io.IOException;

/**
 * A Bitbucket call failed. {@link #kind()} classifies it; the message says what happened and what to do, names the
 * node URL where relevant, and never contains a credential, token or response body.
 */
public class BitbucketException extends IOException {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** 401: the credentials were rejected. */
        AUTHENTICATION,
        /** 403: not a system administrator, not a clustered Data Center, or an XSRF rejection. */
        FORBIDDEN,
        /** 404. */
        NOT_FOUND,
        /** 409: illegal transition or lock already held; the message names the current state. */
        CONFLICT,
        /** Connection refused, unknown host, TLS failure. */
        UNREACHABLE,
        /** Connect/read timeout. */
        TIMEOUT,
        /** A 2xx that is not the expected JSON (for example a proxy's login page). */
        UNEXPECTED_RESPONSE,
        /** 5xx or another status. */
        SERVER_ERROR
    }

    private final Kind kind;
    private final int httpStatus;

    public BitbucketException(Kind kind, int httpStatus, String message) {
        super(message);
        this.kind = kind;
        this.httpStatus = httpStatus;
    }

    public BitbucketException(Kind kind, int httpStatus, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.httpStatus = httpStatus;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status, or 0 when there was no response. */
    public int httpStatus() {
        return httpStatus;
    }
}
