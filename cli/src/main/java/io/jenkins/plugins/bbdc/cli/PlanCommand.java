package io.jenkins.plugins.bbdc.cli;

import io.jenkins.plugins.bbdc.cli.config.BackupSection;
import io.jenkins.plugins.bbdc.cli.config.CliConfig;
import io.jenkins.plugins.bbdc.cli.config.ProviderFactory;
import io.jenkins.plugins.bbdc.core.backup.BackupConfig;
import io.jenkins.plugins.bbdc.core.backup.BackupEngine;
import io.jenkins.plugins.bbdc.core.backup.BackupPlan;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.ops.OperationOutcome;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bbdc-ops plan}: the backup dry run — every check, Bitbucket API call and provider command a backup would
 * make, without changing anything. (Restores and upgrades have their own {@code --dry-run}.)
 */
@Command(name = "plan", description = "Backup dry run: every check, API call and command a backup would make.")
final class PlanCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--mode", paramLabel = "MODE", description = "zero-downtime or locked (overrides backup.mode)")
    String mode;

    @Override
    public Integer call() throws Exception {
        CliConfig config = common.load();
        try (ProviderFactory providers = new ProviderFactory(config.proxy())) {
            BackupConfig backup = BackupSection.parse(config, providers, mode);
            BackupPlan plan = new BackupEngine(backup, Clients.bitbucket(config.instance()),
                    new FileCatalog(config.catalog()), new ProcessCommandRunner(), Clock.systemUTC(), null,
                    common.progress(), null).plan();
            if (common.json) {
                JsonOutput.print(common.out(), JsonOutput.document(plan.wouldRun() ? OperationOutcome.SUCCEEDED
                        : OperationOutcome.REFUSED, plan, java.util.Map.of()));
            } else {
                plan.describe().forEach(common.out()::println);
                common.out().flush();
            }
            return plan.wouldRun() ? ExitCodes.OK : ExitCodes.REFUSED;
        }
    }
}
