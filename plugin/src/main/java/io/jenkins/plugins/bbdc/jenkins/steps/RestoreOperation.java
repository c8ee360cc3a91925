package io.jenkins.plugins.bbdc.jenkins.steps;

import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdmin;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import io.jenkins.plugins.bbdc.core.provider.RestoreOutcome;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.restore.RestoreEngine;
import io.jenkins.plugins.bbdc.core.restore.RestoreRefusedException;
import io.jenkins.plugins.bbdc.core.restore.RestoreResult;
import io.jenkins.plugins.bbdc.core.restore.RestoreSettings;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.provider.ComponentProvider;
import io.jenkins.plugins.bbdc.jenkins.runtime.FileWorkSite;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A restore as the Jenkins step runs it: the engine with the instance's settings; the result as plain values. */
final class RestoreOperation {
    private RestoreOperation() {
    }

    /**
     * Refuses, before anything is built or changed, a restore whose file work would act on the controller's file
     * system without the instance's allowance: the shared home's clean-up ({@code sharedHome}) outside {@code node}
     * or on the built-in node, and provider commands on the built-in node (outside {@code node} they are refused
     * anyway: they need an agent).
     *
     * @return the site the shared home's work runs on
     */
    static FileWorkSite requireSite(BitbucketInstance instance, RestoreArguments args,
                                    Map<String, ComponentProvider> chosen, FileWorkSite site)
            throws hudson.AbortException {
        if (args.sharedHome != null) {
            site.require(instance, Messages.RestoreOperation_sharedHomeWork(args.sharedHome));
        }
        if (site.kind() == FileWorkSite.Kind.BUILT_IN_NODE) {
            for (ComponentProvider p : chosen.values()) {
                if (p.runsCommands()) {
                    site.require(instance, Messages.RestoreOperation_providerCommands(p.describe()));
                }
            }
        }
        return site;
    }

    /** @param sharedHomeWork where the work in {@code sharedHome} runs (see {@link #requireSite}) */
    static Map<String, Object> run(BitbucketInstance instance, RestoreArguments args,
                                   Map<String, SnapshotProvider> providers, BitbucketAdmin admin,
                                   CommandRunner runner, RestoreEngine.SharedHomeWork sharedHomeWork,
                                   Path catalogRoot, EventSink events)
            throws IOException, InterruptedException, BackgroundWork.ResultfulFailure {
        Map<String, Object> rebuilt = null;
        if (args.rebuildCatalog) {
            rebuilt = CatalogRebuild.run(instance.getId(), providers, runner, catalogRoot, events, null);
        }
        RestoreEngine engine = new RestoreEngine(new FileCatalog(catalogRoot), admin, runner, null, null, events)
                .withSharedHomeWork(sharedHomeWork);
        List<URI> nodeUrls = new ArrayList<>();
        for (String u : instance.nodeUrlList()) {
            nodeUrls.add(URI.create(u));
        }
        RestoreSettings settings = new RestoreSettings(instance.getId(), providers, Map.of(), args.allowReplace,
                nodeUrls, args.sharedHome == null ? null : Path.of(args.sharedHome), args.enableIntegrityCheck,
                args.skipStoppedCheck, args.allowIncomplete);
        RestoreResult result;
        try {
            result = args.dryRun ? engine.plan(settings, args.selection()) : engine.restore(settings, args.selection());
        } catch (RestoreRefusedException e) {
            throw new hudson.AbortException(e.getMessage());
        }
        Map<String, Object> map = toMap(result, args.dryRun);
        if (rebuilt != null) {
            map.put("catalogRebuild", rebuilt);
        }
        if (!result.succeeded()) {
            throw new BackgroundWork.ResultfulFailure(Messages.RestoreOperation_failed(result.restorePointId(),
                    String.join(", ", result.failures().keySet()), result.failures(),
                    String.join(" ", result.operatorSteps())), map);
        }
        return map;
    }

    /** The step's return value: plain strings, numbers, booleans, lists and maps. */
    static Map<String, Object> toMap(RestoreResult r, boolean dryRun) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("restorePointId", r.restorePointId());
        m.put("fence", r.fence() == null ? null : r.fence().toString());
        m.put("succeeded", r.succeeded());
        m.put("dryRun", dryRun);
        m.put("elapsedMillis", r.elapsedMillis());
        List<Map<String, Object>> components = new ArrayList<>();
        for (Map.Entry<String, RestoreOutcome> e : r.outcomes().entrySet()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("role", e.getKey());
            c.put("summary", e.getValue().summary());
            c.put("location", new LinkedHashMap<>(e.getValue().location()));
            components.add(c);
        }
        for (Map.Entry<String, String> e : r.failures().entrySet()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("role", e.getKey());
            c.put("failure", e.getValue());
            components.add(c);
        }
        m.put("components", components);
        if (r.lockCleanup() != null) {
            m.put("staleLocksRemoved", r.lockCleanup().removed().size());
        }
        m.put("operatorSteps", new ArrayList<>(r.operatorSteps()));
        return m;
    }
}
