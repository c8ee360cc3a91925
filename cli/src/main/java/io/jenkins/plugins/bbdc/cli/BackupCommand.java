package io.jenkins.plugins.bbdc.cli;

import io.jenkins.plugins.bbdc.cli.config.BackupSection;
import io.jenkins.plugins.bbdc.cli.config.CliConfig;
import io.jenkins.plugins.bbdc.cli.config.ProviderFactory;
import io.jenkins.plugins.bbdc.core.OperationOutcome;
import io.jenkins.plugins.bbdc.core.backup.BackupConfig;
import io.jenkins.plugins.bbdc.core.backup.BackupEngine;
import io.jenkins.plugins.bbdc.core.backup.BackupOutcome;
import io.jenkins.plugins.bbdc.core.backup.BackupRefusedException;
import io.jenkins.plugins.bbdc.core.backup.FileBackupStateStore;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bbdc-ops backup}: one restore point. A backup whose process died earlier (its state file is still there) is
 * finished or cleaned up first — Bitbucket is never left locked by a crashed run.
 */
@Command(name = "backup", description = "Take a restore point (zero-downtime or locked, as configured).")
final class BackupCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--mode", paramLabel = "MODE", description = "zero-downtime or locked (overrides backup.mode)")
    String mode;

    @Override
    public Integer call() throws Exception {
        CliConfig config = common.load();
        try (ProviderFactory providers = new ProviderFactory(config.proxy())) {
            return call(config, providers);
        }
    }

    private Integer call(CliConfig config, ProviderFactory providers) throws Exception {
        BackupConfig backup = BackupSection.parse(config, providers, mode);
        FileCatalog catalog = new FileCatalog(config.catalog());
        FileBackupStateStore state = new FileBackupStateStore(catalog.instanceDirectory(config.instance().id()));
        BackupEngine engine = new BackupEngine(backup, Clients.bitbucket(config.instance()), catalog,
                new ProcessCommandRunner(), Clock.systemUTC(), null, common.progress(), state);
        try (GracefulStop stop = new GracefulStop("bbdc-ops-stop", engine::stop)) {
            // an earlier backup that still holds something (Bitbucket locked, an unfinished point) is ended first
            BackupOutcome outcome = engine.runEndingEarlier(earlier -> {
                common.err().println("an earlier backup (" + earlier.point().id() + ") had not ended; it was ended"
                        + " first" + (earlier.stillLocked() ? " but Bitbucket is STILL LOCKED by it" : ""));
                report(earlier);
            });
            report(outcome);
            if (outcome.stillLocked()) {
                boolean complete = outcome.point().status() == RestorePointStatus.COMPLETE;
                throw new OperationFailedException("backup " + outcome.point().id() + (complete
                        ? " is COMPLETE, but " + String.join("; ", outcome.point().notes())
                        : " FAILED: " + outcome.point().failureReason()));
            }
            if (!outcome.succeeded()) {
                throw new OperationFailedException("backup " + outcome.point().id() + " FAILED: "
                        + outcome.point().failureReason()
                        + (outcome.point().leftovers().isEmpty() ? "" : "; snapshots left behind: "
                        + outcome.point().leftovers()));
            }
            if (!outcome.copyFailures().isEmpty()) {
                throw new OperationFailedException("restore point " + outcome.point().id() + " is COMPLETE and"
                        + " restorable, but its copy to the other region failed for " + String.join("; ",
                        outcome.copyFailures().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                                .toList()) + ". Fix the cause: later backups make their own copies (this point's copy is not retried), and retention"
                        + " keeps the newest point whose copies are complete");
            }
            return ExitCodes.OK;
        } catch (BackupRefusedException e) {
            // every refusal exits with FAILED; e.outcome() tells which kind it is
            throw new OperationFailedException((e.outcome() == OperationOutcome.NEEDS_MANUAL_ACTION
                    ? "no new backup was started: " : "backup refused, nothing was changed: ")
                    + String.join("; ", e.reasons()));
        }
    }

    private void report(BackupOutcome outcome) {
        if (common.json) {
            JsonOutput.print(common.out(), outcome.point());
        } else {
            Reports.restorePoint(common.out(), outcome.point());
        }
    }
}
