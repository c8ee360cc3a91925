package io.jenkins.plugins.bbdc.cli;

import io.jenkins.plugins.bbdc.cli.config.CliConfig;
import io.jenkins.plugins.bbdc.cli.config.ProviderFactory;
import io.jenkins.plugins.bbdc.cli.config.RestoreSection;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.restore.RestoreEngine;
import io.jenkins.plugins.bbdc.core.restore.RestoreRefusedException;
import io.jenkins.plugins.bbdc.core.restore.RestoreResult;
import io.jenkins.plugins.bbdc.core.restore.RestoreSettings;
import io.jenkins.plugins.bbdc.core.ops.OperationOutcome;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bbdc-ops restore}: restore a restore point with Bitbucket stopped everywhere. */
@Command(name = "restore", description = "Restore a restore point (Bitbucket must be stopped on every node).")
final class RestoreCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    SelectionOptions select;

    @Option(names = "--dry-run", description = "Run the preflight and show what would be created, replaced or renamed")
    boolean dryRun;

    @Option(names = "--allow-replace", description = "Replace non-empty targets (kept aside until success)")
    boolean allowReplace;

    @Option(names = "--skip-stopped-check",
            description = "Do not require Bitbucket to be unreachable (only for a restore into another environment)")
    boolean skipStoppedCheck;

    @Option(names = "--allow-incomplete", description = "Restore the available components of a PARTIAL point")
    boolean allowIncomplete;

    @Override
    public Integer call() throws Exception {
        CliConfig config = common.load();
        try (ProviderFactory providers = new ProviderFactory(config.proxy())) {
            return call(config, providers);
        }
    }

    private Integer call(CliConfig config, ProviderFactory providers) throws Exception {
        RestoreSettings settings = RestoreSection.parse(config, providers, allowReplace,
                skipStoppedCheck, allowIncomplete);
        RestoreEngine engine = new RestoreEngine(new FileCatalog(config.catalog()),
                skipStoppedCheck ? null : Clients.bitbucket(config.instance()), new ProcessCommandRunner(),
                Clock.systemUTC(), null, common.progress());
        RestoreResult result;
        try (GracefulStop stop = GracefulStop.interruptingThisThread("bbdc-ops-restore-stop")) {
            result = dryRun ? engine.plan(settings, select.selection())
                    : engine.restore(settings, select.selection());
        } catch (RestoreRefusedException e) {
            if (common.json) {
                JsonOutput.print(common.out(), JsonOutput.refusal(e.outcome(), e.reasons()));
            }
            throw new OperationFailedException(e.outcome(), e.getMessage());
        } catch (InterruptedException e) {
            throw new OperationFailedException(OperationOutcome.STOPPED, "the restore was stopped: its child"
                    + " processes were ended; components not fully restored are not usable (do not start Bitbucket)"
                    + " — run the restore again with --allow-replace (" + e.getMessage() + ")");
        }
        OperationOutcome status = result.succeeded() ? OperationOutcome.SUCCEEDED
                : GracefulStop.requested() ? OperationOutcome.STOPPED : OperationOutcome.FAILED;
        if (common.json) {
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("succeeded", result.succeeded());
            extra.put("dryRun", dryRun);
            JsonOutput.print(common.out(), JsonOutput.document(status, result, extra));
        } else {
            print(common.out(), result);
        }
        if (!result.succeeded()) {
            throw new OperationFailedException(status, "restore of " + result.restorePointId() + " failed for "
                    + String.join(", ", result.failures().keySet()) + "; see the steps above");
        }
        return ExitCodes.OK;
    }

    private void print(PrintWriter out, RestoreResult r) {
        out.println((dryRun ? "plan for restoring " : "restored ") + r.restorePointId() + " (fence " + r.fence()
                + ")" + (dryRun ? "" : " in " + r.elapsedMillis() + " ms"));
        r.outcomes().forEach((role, o) -> {
            out.println("  " + role + ": " + o.summary());
            o.actions().forEach(a -> out.println("      " + a));
        });
        r.failures().forEach((role, why) -> out.println("  " + role + ": FAILED — " + why));
        if (r.lockCleanup() != null) {
            out.println("  removed " + r.lockCleanup().removed().size() + " stale git lock files");
        }
        out.println("next steps:");
        for (int i = 0; i < r.operatorSteps().size(); i++) {
            out.println("  " + (i + 1) + ". " + r.operatorSteps().get(i));
        }
        out.flush();
    }
}
