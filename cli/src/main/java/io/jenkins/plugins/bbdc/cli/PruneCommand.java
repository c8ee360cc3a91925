package io.jenkins.plugins.bbdc.cli;

import io.jenkins.plugins.bbdc.cli.config.BackupSection;
import io.jenkins.plugins.bbdc.cli.config.CliConfig;
import io.jenkins.plugins.bbdc.cli.config.ConfigNode;
import io.jenkins.plugins.bbdc.cli.config.ProviderFactory;
import io.jenkins.plugins.bbdc.core.backup.Components;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.retention.RetentionExecutor;
import io.jenkins.plugins.bbdc.core.retention.RetentionPlan;
import io.jenkins.plugins.bbdc.core.retention.RetentionPlanner;
import io.jenkins.plugins.bbdc.core.retention.RetentionPolicy;
import io.jenkins.plugins.bbdc.core.ops.OperationOutcome;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bbdc-ops prune}: retention over whole restore points, with a dry run. */
@Command(name = "prune", description = "Apply the retention policy: delete whole restore points it does not keep.")
final class PruneCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--dry-run", description = "Show exactly what would be deleted and why; delete nothing")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        CliConfig config = common.load();
        try (ProviderFactory providers = new ProviderFactory(config.proxy())) {
            return call(config, providers);
        }
    }

    private Integer call(CliConfig config, ProviderFactory providers) throws Exception {
        RetentionPolicy policy = policy(config.section("retention"));
        ConfigNode backup = config.section("backup");
        if (!backup.isPresent()) {
            throw backup.error("required: the providers whose snapshots retention deletes");
        }
        Components components = BackupSection.components(backup, providers);
        FileCatalog catalog = new FileCatalog(config.catalog());
        String instance = config.instance().id();
        Clock clock = Clock.systemUTC();
        RetentionPlan plan = new RetentionPlanner(policy).plan(instance, catalog.list(instance), clock.instant());
        ProgressPrinter progress = common.progress();
        RetentionExecutor.Report report = null;
        if (!dryRun && !plan.toDelete().isEmpty()) {
            ProcessCommandRunner runner = new ProcessCommandRunner();
            try (GracefulStop stop = GracefulStop.interruptingThisThread("bbdc-ops-prune-stop")) {
                report = new RetentionExecutor(catalog, components,
                        role -> new ProviderContext(instance, role, null, runner, clock, null, progress), clock,
                        progress).execute(plan);
            }
        }
        if (common.json) {
            Map<String, Object> json = new LinkedHashMap<>();
            OperationOutcome status = report != null && !report.clean() ? OperationOutcome.FAILED
                    : OperationOutcome.SUCCEEDED;
            json.put("status", status.name());
            json.put("exitCode", ExitCodes.of(status));
            json.put("dryRun", dryRun);
            json.put("policy", policy.describe());
            json.put("delete", plan.toDelete().stream().map(p -> p.id()).toList());
            json.put("keep", plan.toKeep().stream().map(p -> p.id()).toList());
            json.put("decisions", plan.describe());
            json.put("report", report);
            JsonOutput.print(common.out(), json);
        } else {
            PrintWriter out = common.out();
            out.println((dryRun ? "retention plan (dry run) — " : "retention — ") + policy.describe());
            plan.describe().forEach(l -> out.println("  " + l));
            if (report != null) {
                out.println("deleted: " + report.deleted().size() + " restore points");
                report.notFullyDeleted().forEach((id, refs) -> out.println("  NOT fully deleted " + id + ": "
                        + refs.stream().map(r -> r.provider() + " " + r.id()).toList()));
                report.problems().forEach(p -> out.println("  problem: " + p));
            }
            out.flush();
        }
        if (report != null && !report.clean()) {
            throw new OperationFailedException("retention could not delete everything; the manifests of the points"
                    + " not fully deleted are kept with their remaining snapshots, so the next run retries them");
        }
        return ExitCodes.OK;
    }

    static RetentionPolicy policy(ConfigNode n) {
        if (!n.isPresent()) {
            throw n.error("required for prune: at least one of keepLast, keepWithin, hourly, daily, weekly, monthly");
        }
        n.allowOnly("keepLast", "keepWithin", "hourly", "daily", "weekly", "monthly", "zone");
        try {
            return new RetentionPolicy(n.integer("keepLast", 0), n.optionalDuration("keepWithin"),
                    n.integer("hourly", 0), n.integer("daily", 0), n.integer("weekly", 0), n.integer("monthly", 0),
                    n.has("zone") ? ZoneId.of(n.string("zone")) : null);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw n.error(e.getMessage());
        }
    }
}
