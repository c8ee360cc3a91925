package io.jenkins.plugins.bbdc.cli;

import io.jenkins.plugins.bbdc.cli.config.BackupSection;
import io.jenkins.plugins.bbdc.cli.config.CliConfig;
import io.jenkins.plugins.bbdc.cli.config.ConfigException;
import io.jenkins.plugins.bbdc.cli.config.ProviderFactory;
import io.jenkins.plugins.bbdc.cli.config.UpgradeSection;
import io.jenkins.plugins.bbdc.core.backup.BackupConfig;
import io.jenkins.plugins.bbdc.core.backup.BackupEngine;
import io.jenkins.plugins.bbdc.core.backup.BackupOutcome;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdminClient;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.upgrade.AbortSignal;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeEngine;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeOptions;
import io.jenkins.plugins.bbdc.core.ops.OperationOutcome;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradePhase;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradePlan;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeResult;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bbdc-ops upgrade --target X.Y.Z}: a rolling upgrade, node by node. Its state is saved after every step in the
 * catalog directory; running the same command again after a stop or a crash continues from what it observes.
 */
@Command(name = "upgrade", description = "Rolling upgrade to a higher bug-fix release, one node at a time.")
final class UpgradeCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--target", required = true, paramLabel = "VERSION", description = "Target version, e.g. 8.19.2")
    String target;

    @Option(names = "--dry-run", description = "Show the preflight verdict, node order, API calls and commands")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        CliConfig config = common.load();
        ProcessCommandRunner runner = new ProcessCommandRunner();
        BitbucketAdminClient admin = Clients.bitbucket(config.instance());
        String resume = "bbdc-ops upgrade --config " + common.config + " --target " + target;
        UpgradeOptions options = UpgradeSection.options(config, target, resume);
        ProgressPrinter progress = common.progress();
        FileCatalog catalog = new FileCatalog(config.catalog());
        try (ProviderFactory providers = new ProviderFactory(config.proxy())) {
            AbortSignal.Flag abort = new AbortSignal.Flag();
            UpgradeEngine.Builder b = UpgradeEngine.builder(admin, UpgradeSection.nodeAction(config, runner, providers))
                    .loadBalancer(UpgradeSection.loadBalancer(config, runner)).events(progress).abortSignal(abort);
            if (options.backupFirst()) {
                BackupConfig backup = BackupSection.parse(config, providers, null);
                b.backup(reason -> {
                    BackupOutcome o = new BackupEngine(backup, admin, catalog, runner, Clock.systemUTC(), null,
                            progress, null).run();
                    if (!o.succeeded()) {
                        throw new IllegalStateException("the restore point before the upgrade failed: "
                                + o.point().failureReason());
                    }
                    return o.point().id();
                });
            }
            UpgradeEngine engine = b.build();
            if (dryRun) {
                UpgradePlan plan = engine.plan(options);
                if (common.json) {
                    JsonOutput.print(common.out(), JsonOutput.document(plan.refused() ? OperationOutcome.REFUSED
                            : OperationOutcome.SUCCEEDED, plan, Map.of()));
                } else {
                    common.out().println(plan.text());
                }
                return plan.refused() ? ExitCodes.REFUSED : ExitCodes.OK;
            }
            Path stateFile = catalog.instanceDirectory(config.instance().id()).resolve("upgrade-state.json");
            UpgradeState initial = readState(stateFile, engine, options);
            // Ctrl-C / SIGTERM: ask the engine to stop safely (cancel upgrade mode if no node was upgraded yet,
            // otherwise leave the cluster serving with its state saved) and wait for that before the JVM exits
            UpgradeResult result;
            try (GracefulStop stop = new GracefulStop("bbdc-ops-upgrade-stop", abort::raise)) {
                result = engine.run(initial, s -> save(stateFile, s));
            }
            if (common.json) {
                JsonOutput.print(common.out(), JsonOutput.document(result.outcome(), result.toMap(), Map.of()));
            } else {
                common.out().println(result.report() != null ? result.report()
                        : (result.succeeded() ? "upgraded to " + result.finalVersion() : result.failure()));
            }
            if (result.succeeded()) {
                Files.deleteIfExists(stateFile);
                return ExitCodes.OK;
            }
            OperationOutcome outcome = result.outcome();
            if (outcome == OperationOutcome.REFUSED) {
                throw new OperationFailedException(outcome, "the upgrade to " + target + " was refused: "
                        + result.failure() + (Files.exists(stateFile) ? "; the unfinished upgrade recorded in "
                        + stateFile + " is kept" : "; nothing was changed and nothing is recorded"));
            }
            throw new OperationFailedException(outcome, "the upgrade stopped in " + result.phase() + ": "
                    + result.failure() + (Files.exists(stateFile) ? "; its state is kept in " + stateFile
                    + " — run the same command again to continue"
                    : "; the cluster was not changed, so nothing is recorded"));
        }
    }

    private UpgradeState readState(Path file, UpgradeEngine engine, UpgradeOptions options) throws IOException {
        if (!Files.exists(file)) {
            return engine.start(options);
        }
        UpgradeState saved = UpgradeState.fromJson(Files.readString(file, StandardCharsets.UTF_8));
        if (saved.phase == UpgradePhase.REFUSED || !saved.changedCluster()) {
            // written by an older bbdc-ops, which also saved refusals: nothing was changed, nothing to continue
            common.err().println("note: " + file + " records an upgrade to " + saved.options.targetVersion()
                    + " that " + (saved.phase == UpgradePhase.REFUSED ? "was refused" : "never changed the cluster")
                    + "; it is not an unfinished upgrade and was removed");
            Files.delete(file);
            return engine.start(options);
        }
        if (!target.equals(saved.options.targetVersion())) {
            throw new ConfigException("an unfinished upgrade to " + saved.options.targetVersion() + " is recorded in "
                    + file + "; continue it with --target " + saved.options.targetVersion()
                    + ", or remove that file once the cluster is back to one version");
        }
        common.err().println("continuing the upgrade recorded in " + file);
        return engine.resume(saved);
    }

    /** Saved only while it describes a cluster this upgrade changed (or found mid-upgrade): see changedCluster. */
    private static void save(Path file, UpgradeState s) {
        if (!s.changedCluster()) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, s.toJson(), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the upgrade state to " + file, e);
        }
    }
}
