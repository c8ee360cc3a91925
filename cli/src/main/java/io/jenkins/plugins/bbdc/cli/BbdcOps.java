package io.jenkins.plugins.bbdc.cli;

import io.jenkins.plugins.bbdc.cli.config.ConfigException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bbdc-ops}: backups, restores and rolling upgrades of Bitbucket Data Center from a terminal or cron. */
@Command(name = "bbdc-ops", mixinStandardHelpOptions = true, versionProvider = BbdcOps.Version.class,
        description = "Backups, restores and rolling upgrades of Bitbucket Data Center.",
        subcommands = {BackupCommand.class, UpgradeCommand.class, RestoreCommand.class, VerifyCommand.class, ListCommand.class, PruneCommand.class, RebuildCatalogCommand.class, PlanCommand.class, SandboxCommand.class, CommandLine.HelpCommand.class})
public final class BbdcOps {

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns the exit code (tests call this instead of main). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new BbdcOps());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, cmd, parse) -> {
            if (ex instanceof ConfigException) {
                err.println("configuration error: " + ex.getMessage());
                return ExitCodes.USAGE;
            }
            if (ex instanceof io.jenkins.plugins.bbdc.core.ops.InstanceLock.HeldException) {
                err.println("refused, nothing was changed: " + ex.getMessage());
                return ExitCodes.FAILED;
            }
            if (ex instanceof OperationFailedException) {
                err.println("failed: " + ex.getMessage());
                return ExitCodes.FAILED;
            }
            err.println("failed: " + ex);
            return ExitCodes.FAILED;
        });
        cl.setExitCodeExceptionMapper(ex -> ex instanceof CommandLine.ParameterException ? ExitCodes.USAGE
                : ExitCodes.FAILED);
        return cl.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = BbdcOps.class.getPackage().getImplementationVersion();
            return new String[] {"bbdc-ops " + (v == null ? "development build" : v)};
        }
    }
}
