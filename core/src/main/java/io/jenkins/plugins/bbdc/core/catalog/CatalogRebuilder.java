package io.jenkins.plugins.bbdc.core.catalog;

import io.jenkins.plugins.bbdc.core.backup.Components;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.core.restorepoint.ComponentRecord;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointId;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Recreates lost manifests from what the providers hold: every snapshot is named/tagged with its instance and
 * restore point id, so {@code list()} of each configured provider is grouped by restore point id. A point that lacks
 * a required component becomes PARTIAL (retention then removes it); existing manifests are left untouched.
 *
 * <p>If any provider cannot list its snapshots the rebuild writes nothing: a missing listing would make complete
 * points look partial, and retention would then delete them.
 */
public final class CatalogRebuilder {

    /** What a rebuild did. */
    public record Report(List<String> created, List<String> partial, List<String> alreadyCatalogued) {
    }

    private final FileCatalog catalog;
    private final Components components;
    private final ProviderContext baseContext;

    public CatalogRebuilder(FileCatalog catalog, Components components, ProviderContext baseContext) {
        this.catalog = catalog;
        this.components = components;
        this.baseContext = baseContext;
    }

    public Report rebuild() throws IOException, ProviderException, InterruptedException {
        String instance = baseContext.instanceId();
        Map<String, Map<String, SnapshotRef>> byPoint = new TreeMap<>();
        for (Map.Entry<ComponentRole, SnapshotProvider> e : components.providers().entrySet()) {
            ComponentRole role = e.getKey();
            SnapshotProvider provider = e.getValue();
            List<SnapshotRef> refs;
            try {
                refs = provider.list(baseContext.withRole(role));
            } catch (ProviderException ex) {
                throw new ProviderException("catalog rebuild aborted, nothing was written: the " + provider.kind()
                        + " provider of '" + role + "' could not list its snapshots (" + ex.getMessage() + ")", ex);
            }
            for (SnapshotRef ref : refs) {
                if (instance.equals(ref.instanceId()) && role.value().equals(ref.role())
                        && RestorePointId.isValid(ref.restorePointId())) {
                    byPoint.computeIfAbsent(ref.restorePointId(), k -> new TreeMap<>()).putIfAbsent(ref.role(), ref);
                }
            }
        }
        Set<String> existing = new HashSet<>();
        for (RestorePoint p : catalog.list(instance)) {
            existing.add(p.id());
        }
        List<String> created = new ArrayList<>();
        List<String> partial = new ArrayList<>();
        List<String> already = new ArrayList<>();
        Instant now = baseContext.clock().instant();
        for (Map.Entry<String, Map<String, SnapshotRef>> e : byPoint.entrySet()) {
            String id = e.getKey();
            if (existing.contains(id)) {
                already.add(id);
                continue;
            }
            RestorePoint point = manifestFor(instance, id, e.getValue(), now);
            catalog.save(point);
            created.add(id);
            if (point.status() == RestorePointStatus.PARTIAL) {
                partial.add(id);
            }
        }
        return new Report(created, partial, already);
    }

    private RestorePoint manifestFor(String instance, String id, Map<String, SnapshotRef> refs, Instant now) {
        List<ComponentRecord> records = new ArrayList<>();
        Map<ComponentRole, Boolean> present = new HashMap<>();
        Instant minCaptured = null;
        Instant maxCaptured = null;
        Instant lastDurable = null;
        BackupMode mode = null;
        for (ComponentRole role : components.roles()) {
            SnapshotRef ref = refs.get(role.value());
            if (ref == null) {
                continue;
            }
            present.put(role, true);
            records.add(ComponentRecord.of(ref));
            if (ref.capturedAt() != null) {
                minCaptured = minCaptured == null || ref.capturedAt().isBefore(minCaptured) ? ref.capturedAt() : minCaptured;
                maxCaptured = maxCaptured == null || ref.capturedAt().isAfter(maxCaptured) ? ref.capturedAt() : maxCaptured;
            }
            if (ref.durableAt() != null && (lastDurable == null || ref.durableAt().isAfter(lastDurable))) {
                lastDurable = ref.durableAt();
            }
            if (mode == null && ref.attribute("mode") != null) {
                try {
                    mode = BackupMode.valueOf(ref.attribute("mode"));
                } catch (IllegalArgumentException ignored) {
                    // unknown mode tag: leave the mode unknown
                }
            }
        }
        List<String> missing = components.requiredRoles().stream().filter(r -> !present.containsKey(r))
                .map(ComponentRole::value).toList();
        // a snapshot (or a copy) that was still being made when it was listed cannot be restored
        List<String> unfinished = records.stream().filter(r -> r.durableAt() == null).map(ComponentRecord::role)
                .toList();
        RestorePointStatus status = missing.isEmpty() && unfinished.isEmpty() ? RestorePointStatus.COMPLETE
                : RestorePointStatus.PARTIAL;
        List<String> problems = new ArrayList<>();
        if (!missing.isEmpty()) {
            problems.add("missing component(s): " + String.join(", ", missing));
        }
        if (!unfinished.isEmpty()) {
            problems.add("not complete when listed: " + String.join(", ", unfinished));
        }
        String reason = problems.isEmpty() ? null : "rebuilt from provider listings; " + String.join("; ", problems);
        Long skew = minCaptured == null ? null : maxCaptured.toEpochMilli() - minCaptured.toEpochMilli();
        return new RestorePoint(RestorePoint.SCHEMA_VERSION, id, instance, null, mode, status, minCaptured, skew, null,
                RestorePointId.instantOf(id), lastDurable, records, List.of(), reason,
                List.of("rebuilt from provider listings at " + now
                        + "; the fence is the earliest component capture instant"));
    }
}
