package io.jenkins.plugins.bbdc.cli;

import io.jenkins.plugins.bbdc.cli.config.ConfigException;
import io.jenkins.plugins.bbdc.core.ops.InstanceLock;
import io.jenkins.plugins.bbdc.core.ops.OperationOutcome;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bbdc-ops}: backups, restores and rolling upgrades of Bitbucket Data Center from a terminal or cron. */
@Command(name = "bbdc-ops", mixinStandardHelpOptions = true, versionProvider = BbdcOps.Version.class,
        description = "Backups, restores and rolling upgrades of Bitbucket Data Center.",
        subcommands = {BackupCommand.class, UpgradeCommand.class, RestoreCommand.class, VerifyCommand.class, ListCommand.class, PruneCommand.class, RebuildCatalogCommand.class, PlanCommand.class, SandboxCommand.class, CommandLine.HelpCommand.class})
public final class BbdcOps {

    public static void main(String[] args) {
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.out.flush();
        System.err.flush();
        if (GracefulStop.requested() && code == ExitCodes.NOT_SAFE) {
            Runtime.getRuntime().halt(code); // the signal's own code would claim a safe stop
        }
        GracefulStop.commandEnded();
        System.exit(code); // after a stop signal this waits for the hook, and the JVM exits with 128 + signal
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
            if (ex instanceof InstanceLock.HeldException) {
                err.println("refused, nothing was changed: " + ex.getMessage());
                return ExitCodes.HELD;
            }
            if (ex instanceof OperationFailedException f) {
                err.println((f.outcome() == OperationOutcome.STOPPED ? "stopped: " : "failed: ") + ex.getMessage());
                return ExitCodes.of(f.outcome());
            }
            if (ex instanceof OperationOutcome.Classified c) {
                err.println(ex.getMessage());
                return ExitCodes.of(c.outcome());
            }
            if (ex instanceof InterruptedException || GracefulStop.requested()) {
                err.println("stopped: " + (ex.getMessage() == null ? "by a stop signal" : ex.getMessage()));
                return ExitCodes.STOPPED_SIGTERM;
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
