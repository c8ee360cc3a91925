package io.jenkins.plugins.bbdc.cli;

import io.jenkins.plugins.bbdc.cli.config.CliConfig;
import io.jenkins.plugins.bbdc.cli.config.ProviderFactory;
import io.jenkins.plugins.bbdc.cli.config.VerifySection;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.ops.InstanceLock;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.restore.RestoreEngine;
import io.jenkins.plugins.bbdc.core.restore.RestoreVerification;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.ops.OperationOutcome;
import io.jenkins.plugins.bbdc.core.restore.RestoreRefusedException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bbdc-ops verify}: the restore test, into scratch locations; live data is never touched. */
@Command(name = "verify", description = "Restore test: restore a point into scratch locations, verify it, remove it.")
final class VerifyCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    SelectionOptions select;

    @Override
    public Integer call() throws Exception {
        CliConfig config = common.load();
        try (ProviderFactory providers = new ProviderFactory(config.proxy())) {
            return call(config, providers);
        }
    }

    private Integer call(CliConfig config, ProviderFactory providers) throws Exception {
        RestoreVerification.Settings settings = VerifySection.parse(config, providers);
        ProgressPrinter progress = common.progress();
        FileCatalog catalog = new FileCatalog(config.catalog());
        String instance = config.instance().id();
        RestorePoint point;
        RestoreVerification.Result result;
        // the run lock: retention must not delete the snapshots while they are restored into scratch copies
        try (InstanceLock ignored = InstanceLock.acquire(catalog.instanceDirectory(instance), instance, "verify",
                Clock.systemUTC().instant());
             GracefulStop stop = GracefulStop.interruptingThisThread("bbdc-ops-verify-stop")) {
            point = new RestoreEngine(catalog, null, new ProcessCommandRunner(), Clock.systemUTC(), null, progress)
                    .select(instance, select.selection());
            result = new RestoreVerification(new ProcessCommandRunner(), Clock.systemUTC(), progress)
                    .run(point, settings);
        } catch (RestoreRefusedException e) {
            if (common.json) {
                JsonOutput.print(common.out(), JsonOutput.refusal(e.outcome(), e.reasons()));
            }
            throw new OperationFailedException(e.outcome(), e.getMessage());
        } catch (RestoreVerification.StoppedException e) {
            if (common.json) {
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("passed", false);
                extra.put("leftovers", e.leftovers());
                JsonOutput.print(common.out(), JsonOutput.document(OperationOutcome.STOPPED, null, extra));
            }
            throw new OperationFailedException(OperationOutcome.STOPPED, e.getMessage());
        }
        OperationOutcome status = result.passed() ? OperationOutcome.SUCCEEDED : OperationOutcome.FAILED;
        if (common.json) {
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("passed", result.passed());
            JsonOutput.print(common.out(), JsonOutput.document(status, result, extra));
        } else {
            common.out().println("restore test of " + point.id() + ": restored in " + result.restoreMillis() + " ms");
            common.out().print(result.report().describe());
            result.leftovers().forEach(l -> common.out().println("  LEFT BEHIND: " + l));
            common.out().flush();
        }
        if (!result.passed()) {
            throw new OperationFailedException("restore test of " + point.id() + " FAILED");
        }
        return ExitCodes.OK;
    }
}
