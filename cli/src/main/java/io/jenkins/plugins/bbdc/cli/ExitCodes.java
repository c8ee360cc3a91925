package io.jenkins.plugins.bbdc.cli;

/** bbdc-ops exit codes. */
public final class ExitCodes {
    /** The operation succeeded. */
    public static final int OK = 0;
    /** The operation failed; the state was left safe and the output describes it. */
    public static final int FAILED = 1;
    /** Usage or configuration error: nothing was done. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
