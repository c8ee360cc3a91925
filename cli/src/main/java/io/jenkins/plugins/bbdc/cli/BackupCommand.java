package io.jenkins.plugins.bbdc.cli;

import io.jenkins.plugins.bbdc.cli.config.BackupSection;
import io.jenkins.plugins.bbdc.cli.config.CliConfig;
import io.jenkins.plugins.bbdc.cli.config.ProviderFactory;
import io.jenkins.plugins.bbdc.core.backup.BackupConfig;
import io.jenkins.plugins.bbdc.core.backup.BackupEngine;
import io.jenkins.plugins.bbdc.core.backup.BackupOutcome;
import io.jenkins.plugins.bbdc.core.backup.BackupRefusedException;
import io.jenkins.plugins.bbdc.core.backup.FileBackupStateStore;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.ops.OperationOutcome;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
            List<BackupOutcome> earlier = new ArrayList<>(1);
            BackupOutcome outcome = engine.runEndingEarlier(ended -> {
                common.err().println("an earlier backup (" + ended.point().id() + ") had not ended; it was ended"
                        + " first" + (ended.stillLocked() ? " but Bitbucket is STILL LOCKED by it" : ""));
                earlier.add(ended);
                if (!common.json) {
                    Reports.restorePoint(common.out(), ended.point());
                }
            });
            BackupOutcome resumed = earlier.isEmpty() ? null : earlier.get(0);
            OperationOutcome status = status(outcome);
            if (common.json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("resumed", resumed == null ? null : resumed.point());
                doc.put("resumedStatus", resumed == null ? null : status(resumed).name());
                doc.put("point", outcome.point());
                doc.put("copyFailures", outcome.copyFailures());
                JsonOutput.print(common.out(), JsonOutput.document(status, null, doc));
            } else {
                Reports.restorePoint(common.out(), outcome.point());
            }
            if (outcome.stillLocked()) {
                boolean complete = outcome.point().status() == RestorePointStatus.COMPLETE;
                throw new OperationFailedException(OperationOutcome.NOT_SAFE, "backup " + outcome.point().id()
                        + (complete ? " is COMPLETE, but " + String.join("; ", outcome.point().notes())
                        : " FAILED: " + outcome.point().failureReason()));
            }
            if (!outcome.succeeded()) {
                throw new OperationFailedException(status, "backup " + outcome.point().id() + " FAILED: "
                        + outcome.point().failureReason()
                        + (outcome.point().leftovers().isEmpty() ? "" : "; snapshots left behind: "
                        + outcome.point().leftovers()));
            }
            if (!outcome.copyFailures().isEmpty()) {
                throw new OperationFailedException(OperationOutcome.COPY_FAILED, "restore point "
                        + outcome.point().id() + " is COMPLETE and"
                        + " restorable, but its copy to the other region failed for " + String.join("; ",
                        outcome.copyFailures().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                                .toList()) + ". Fix the cause: later backups make their own copies (this point's copy is not retried), and retention"
                        + " keeps the newest point whose copies are complete");
            }
            return ExitCodes.OK;
        } catch (BackupRefusedException e) {
            if (common.json) {
                JsonOutput.print(common.out(), JsonOutput.refusal(e.outcome(), e.reasons()));
            }
            throw new OperationFailedException(e.outcome(), (e.outcome() == OperationOutcome.NOT_SAFE
                    ? "no new backup was started: " : "backup refused, nothing was changed: ")
                    + String.join("; ", e.reasons()));
        }
    }

    /** The engine's outcome; a failed backup after a stop signal was stopped (cleaned up, unlocked). */
    private static OperationOutcome status(BackupOutcome o) {
        OperationOutcome outcome = o.outcome();
        return outcome == OperationOutcome.FAILED && GracefulStop.requested() ? OperationOutcome.STOPPED : outcome;
    }
}
