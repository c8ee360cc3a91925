package io.jenkins.plugins.bbdc.core.provider.fs;

import io.jenkins.plugins.bbdc.core.exec.CommandResult;
import io.jenkins.plugins.bbdc.core.exec.CommandSpec;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import java.io.IOException;
import java.util.List;

/**
 * Runs a provider's commands through the context's {@link io.jenkins.plugins.bbdc.core.exec.CommandRunner} and turns
 * failures into {@link ProviderException}s that name the provider, the purpose, the (masked) command and stderr.
 */
final class Commands {
    private final String kind;
    private final ProviderContext ctx;

    Commands(String kind, ProviderContext ctx) {
        this.kind = kind;
        this.ctx = ctx;
    }

    /** Runs and returns the result whatever the exit code; only a command that cannot start is an exception. */
    CommandResult run(CommandSpec spec) throws ProviderException, InterruptedException {
        try {
            return ctx.runner().run(spec);
        } catch (IOException e) {
            throw new ProviderException(kind + ": could not run '" + spec.display() + "': " + e.getMessage(), e);
        }
    }

    CommandResult run(String... argv) throws ProviderException, InterruptedException {
        return run(CommandSpec.of(argv).build());
    }

    /** Runs and requires exit code 0; the exception says what was being done and what the command answered. */
    CommandResult require(String purpose, CommandSpec spec) throws ProviderException, InterruptedException {
        CommandResult r = run(spec);
        if (!r.succeeded()) {
            throw new ProviderException(failure(purpose, spec, r));
        }
        return r;
    }

    CommandResult require(String purpose, String... argv) throws ProviderException, InterruptedException {
        return require(purpose, CommandSpec.of(argv).build());
    }

    /** Whether {@code path} exists on the host where commands run. */
    boolean exists(String path) throws ProviderException, InterruptedException {
        return run("test", "-e", path).succeeded();
    }

    /** Whether {@code dir} is a directory with at least one entry (hidden files count). */
    boolean nonEmptyDirectory(String dir) throws ProviderException, InterruptedException {
        CommandResult r = require("look into " + dir, "find", dir, "-mindepth", "1", "-maxdepth", "1", "-print", "-quit");
        return !r.stdout().isBlank();
    }

    String failure(String purpose, CommandSpec spec, CommandResult r) {
        String err = r.stderr() == null ? "" : r.stderr().strip();
        List<String> lines = err.lines().toList();
        String tail = String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        return kind + ": could not " + purpose + ": '" + spec.display() + "' exited with code " + r.exitCode()
                + (tail.isEmpty() ? "" : " (" + tail + ")");
    }
}
