package io.jenkins.plugins.bbdc.core.provider.postgres;

import io.jenkins.plugins.bbdc.core.exec.CommandResult;
import io.jenkins.plugins.bbdc.core.exec.CommandSpec;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import java.io.IOException;
import java.util.List;

/**
 * Runs the provider's commands (PostgreSQL tools and file commands on the dump directory) through the context's
 * runner, as the configured OS user, and turns failures into {@link ProviderException}s naming the purpose, the
 * masked command and the end of stderr.
 */
final class HostCommands {
    private final ProviderContext ctx;
    private final String osUser;

    HostCommands(ProviderContext ctx, String osUser) {
        this.ctx = ctx;
        this.osUser = osUser;
    }

    CommandSpec.Builder spec(String... argv) {
        CommandSpec.Builder b = CommandSpec.of(argv);
        if (osUser != null) {
            b.runAs(osUser);
        }
        return b;
    }

    CommandSpec.Builder spec(List<String> argv) {
        return spec(argv.toArray(String[]::new));
    }

    /** Runs and returns the result whatever the exit code; only a command that cannot start is an exception. */
    CommandResult run(CommandSpec spec) throws ProviderException, InterruptedException {
        try {
            return ctx.runner().run(spec);
        } catch (IOException e) {
            throw new ProviderException("postgres: could not run '" + spec.display() + "': "
                    + spec.mask(String.valueOf(e.getMessage())), e);
        }
    }

    CommandResult run(String... argv) throws ProviderException, InterruptedException {
        return run(spec(argv).build());
    }

    CommandResult require(String purpose, CommandSpec spec) throws ProviderException, InterruptedException {
        CommandResult r = run(spec);
        if (!r.succeeded()) {
            throw new ProviderException(failure(purpose, spec, r));
        }
        return r;
    }

    CommandResult require(String purpose, String... argv) throws ProviderException, InterruptedException {
        return require(purpose, spec(argv).build());
    }

    static String failure(String purpose, CommandSpec spec, CommandResult r) {
        String err = r.stderr() == null ? "" : spec.mask(r.stderr()).strip();
        List<String> lines = err.lines().toList();
        String tail = String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        return "postgres: could not " + purpose + ": '" + spec.display() + "' exited with code " + r.exitCode()
                + (tail.isEmpty() ? "" : " (" + tail + ")");
    }
}
