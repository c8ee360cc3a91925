package io.jenkins.plugins.bbdc.jenkins.steps;

import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.backup.Components;
import io.jenkins.plugins.bbdc.core.catalog.CatalogRebuilder;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.event.OperationEvent;
import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import io.jenkins.plugins.bbdc.core.ops.InstanceLock;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recreates a lost catalog from the providers' listings before a restore selects its point — for a controller that
 * starts with an empty catalog directory (a disaster-recovery controller in the copy region, a rebuilt controller).
 * Every snapshot carries its instance, role and restore point id, so the providers' listings give the manifests back;
 * points already in the catalog are left untouched. Nothing is written when a provider cannot list its snapshots.
 * Runs under the instance's run lock (as {@code bbdc-ops rebuild-catalog} does): a backup or retention must not write
 * manifests at the same time.
 */
final class CatalogRebuild {
    private static final String OP = "restore";

    private CatalogRebuild() {
    }

    /**
     * Runs the rebuild over {@code providers} (role value → engine provider) and reports it in the log.
     *
     * @return plain values for the step's result: {@code created}, {@code partial}, {@code alreadyCatalogued}
     * @throws AbortException when a provider could not list its snapshots, or another operation holds the instance's
     *                        run lock (nothing was written)
     */
    static Map<String, Object> run(String instanceId, Map<String, SnapshotProvider> providers, CommandRunner runner,
                                   Path catalogRoot, EventSink events, Clock clock)
            throws IOException, InterruptedException {
        Components.Builder b = Components.builder();
        providers.forEach((role, p) -> b.add(ComponentRole.parse(role), p));
        Components components;
        try {
            components = b.build();
        } catch (IllegalArgumentException e) {
            throw new AbortException(Messages.CatalogRebuild_failed(e.getMessage()));
        }
        Clock c = clock == null ? Clock.systemUTC() : clock;
        ProviderContext context = new ProviderContext(instanceId, ComponentRole.HOME, null, runner, c, null, events);
        FileCatalog catalog = new FileCatalog(catalogRoot);
        CatalogRebuilder.Report report;
        try (InstanceLock ignored = InstanceLock.acquire(catalog.instanceDirectory(instanceId), instanceId,
                "rebuild-catalog", c.instant())) {
            report = new CatalogRebuilder(catalog, components, context).rebuild();
        } catch (InstanceLock.HeldException e) {
            throw new AbortException(Messages.CatalogRebuild_failed(e.getMessage()));
        } catch (ProviderException e) {
            throw new AbortException(Messages.CatalogRebuild_failed(e.getMessage()));
        }
        events.emit(OperationEvent.info(c.instant(), OP, "catalog", Messages.CatalogRebuild_report(instanceId,
                report.created().size(), report.partial().size(), report.alreadyCatalogued().size(),
                report.created().isEmpty() ? "-" : String.join(", ", report.created()))));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("created", new ArrayList<>(report.created()));
        m.put("partial", new ArrayList<>(report.partial()));
        m.put("alreadyCatalogued", new ArrayList<>(report.alreadyCatalogued()));
        return m;
    }
}
