package io.jenkins.plugins.bbdc.cli;

import io.jenkins.plugins.bbdc.cli.config.BackupSection;
import io.jenkins.plugins.bbdc.cli.config.CliConfig;
import io.jenkins.plugins.bbdc.cli.config.ConfigNode;
import io.jenkins.plugins.bbdc.cli.config.ProviderFactory;
import io.jenkins.plugins.bbdc.core.backup.Components;
import io.jenkins.plugins.bbdc.core.catalog.CatalogRebuilder;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.ops.InstanceLock;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.ops.OperationOutcome;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code bbdc-ops rebuild-catalog}: recreates missing restore point manifests from what the configured providers
 * hold (every snapshot is tagged or named with its instance and restore point). For a lost catalog directory, and
 * for a disaster-recovery host whose providers point at the region the backups were copied to.
 */
@Command(name = "rebuild-catalog", description = "Recreate missing restore point manifests from the providers'"
        + " snapshots (a lost catalog, or the copies in a disaster-recovery region).")
final class RebuildCatalogCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        CliConfig config = common.load();
        try (ProviderFactory providers = new ProviderFactory(config.proxy())) {
            ConfigNode backup = config.section("backup");
            if (!backup.isPresent()) {
                throw backup.error("required: the providers whose snapshots the catalog is rebuilt from");
            }
            Components components = BackupSection.components(backup, providers);
            FileCatalog catalog = new FileCatalog(config.catalog());
            String instance = config.instance().id();
            Clock clock = Clock.systemUTC();
            CatalogRebuilder.Report report;
            // the run lock: a backup or retention must not write manifests at the same time
            try (InstanceLock ignored = InstanceLock.acquire(catalog.instanceDirectory(instance), instance,
                    "rebuild-catalog", clock.instant());
                 GracefulStop stop = GracefulStop.interruptingThisThread("bbdc-ops-rebuild-stop")) {
                report = new CatalogRebuilder(catalog, components, new ProviderContext(instance, ComponentRole.HOME,
                        null, new ProcessCommandRunner(), clock, null, common.progress())).rebuild();
            }
            if (common.json) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("status", OperationOutcome.SUCCEEDED.name());
                json.put("exitCode", ExitCodes.OK);
                json.put("created", report.created());
                json.put("partial", report.partial());
                json.put("alreadyCatalogued", report.alreadyCatalogued());
                JsonOutput.print(common.out(), json);
            } else {
                PrintWriter out = common.out();
                out.println("catalog of " + instance + " in " + config.catalog() + ": " + report.created().size()
                        + " restore point(s) recreated (" + report.partial().size() + " of them PARTIAL), "
                        + report.alreadyCatalogued().size() + " already catalogued");
                report.created().forEach(id -> out.println("  created " + id
                        + (report.partial().contains(id) ? " (PARTIAL: see 'list')" : "")));
                out.flush();
            }
            return ExitCodes.OK;
        }
    }
}
