package io.jenkins.plugins.bbdc.core.exec;

import java.io.IOException;

/**
 * Runs commands for providers. Locally a {@link ProcessCommandRunner}; inside Jenkins an implementation over the
 * agent's {@code Launcher}; in tests of technologies this machine lacks (LVM, ZFS) a recording runner that checks the
 * exact sequence of commands and feeds back realistic output.
 *
 * <p>{@link #run} returns the result whatever the exit code; callers decide with {@link CommandResult#orThrow()}.
 */
public interface CommandRunner {

    CommandResult run(CommandSpec spec) throws IOException, InterruptedException;

    /** Convenience: run and require exit code 0. */
    default CommandResult check(CommandSpec spec) throws IOException, InterruptedException {
        return run(spec).orThrow();
    }
}
