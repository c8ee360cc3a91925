package io.jenkins.plugins.bbdc.testkit.aws;

/** An AWS error reply: the service's error code, its message and the HTTP status it travels with. */
public final class AwsFault extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;
    private final int status;

    public AwsFault(int status, String code, String message) {
        super(message);
        this.code = code;
        this.status = status;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    static AwsFault badRequest(String code, String message) {
        return new AwsFault(400, code, message);
    }

    static AwsFault notFound(String code, String message) {
        return new AwsFault(404, code, message);
    }
}
