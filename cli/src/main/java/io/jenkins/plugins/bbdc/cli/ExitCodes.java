package io.jenkins.plugins.bbdc.cli;

import io.jenkins.plugins.bbdc.core.ops.OperationOutcome;

/** bbdc-ops exit codes (the table in docs/cli.md): a script or a monitoring check branches on them. */
public final class ExitCodes {
    /** The operation succeeded. */
    public static final int OK = 0;
    /** The operation failed; the state was left safe and the output describes it. */
    public static final int FAILED = 1;
    /** Usage or configuration error: nothing was done. */
    public static final int USAGE = 2;
    /** Refused by a preflight check before anything was changed. */
    public static final int REFUSED = 3;
    /** Another operation holds the instance (the run lock, or a maintenance lock that is not ours). */
    public static final int HELD = 4;
    /** Completed, but a copy to another region failed. */
    public static final int COPY_FAILED = 5;
    /** Failed and NOT left safe: action is needed by hand, the message says which. */
    public static final int NOT_SAFE = 6;
    /** Stopped by SIGINT (Ctrl-C) after a safe stop (128 + 2). */
    public static final int STOPPED_SIGINT = 130;
    /** Stopped by SIGTERM after a safe stop (128 + 15). */
    public static final int STOPPED_SIGTERM = 143;

    private ExitCodes() {
    }

    /**
     * The exit code of an engine outcome. STOPPED without a signal (an abort from inside) is reported as SIGTERM's
     * code; after a real signal the JVM exits with 128 + the signal's number itself (see {@link GracefulStop}).
     */
    public static int of(OperationOutcome outcome) {
        return switch (outcome) {
            case SUCCEEDED -> OK;
            case FAILED -> FAILED;
            case REFUSED -> REFUSED;
            case HELD -> HELD;
            case COPY_FAILED -> COPY_FAILED;
            case NOT_SAFE -> NOT_SAFE;
            case STOPPED -> STOPPED_SIGTERM;
        };
    }
}
