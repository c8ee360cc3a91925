package io.jenkins.plugins.bbdc.core.retention;

import io.jenkins.plugins.bbdc.core.backup.Components;
import io.jenkins.plugins.bbdc.core.backup.SnapshotCleaner;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.event.OperationEvent;
import io.jenkins.plugins.bbdc.core.ops.InstanceLock;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.core.restorepoint.ComponentRecord;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Carries out a {@link RetentionPlan}: deletes every snapshot of each expired restore point through its provider
 * (components and leftovers, plus anything the providers still list under that restore point id), verifies with
 * {@code list()} that they are gone, and only then removes the manifest. A point whose snapshots could not all be
 * deleted keeps its manifest, listing exactly the snapshots that remain (a COMPLETE point becomes PARTIAL: it is no
 * longer restorable). Holds the instance's run lock, so it never races a backup or restore.
 */
public final class RetentionExecutor {

    /** What happened: deleted points, points kept back with their remaining snapshots, and every problem. */
    public record Report(List<String> deleted, Map<String, List<SnapshotRef>> notFullyDeleted, List<String> problems) {
        public boolean clean() {
            return notFullyDeleted.isEmpty() && problems.isEmpty();
        }
    }

    private final FileCatalog catalog;
    private final Components components;
    private final Function<ComponentRole, ProviderContext> contexts;
    private final Clock clock;
    private final EventSink events;

    public RetentionExecutor(FileCatalog catalog, Components components,
                             Function<ComponentRole, ProviderContext> contexts, Clock clock, EventSink events) {
        this.catalog = catalog;
        this.components = components;
        this.contexts = contexts;
        this.clock = clock == null ? Clock.systemUTC() : clock;
        this.events = events == null ? EventSink.NONE : events;
    }

    public Report execute(RetentionPlan plan) throws IOException, InterruptedException {
        List<RestorePoint> doomed = plan.toDelete();
        try (InstanceLock ignored = InstanceLock.acquire(catalog.instanceDirectory(plan.instance()), plan.instance(),
                "retention", clock.instant())) {
            if (doomed.isEmpty()) {
                return new Report(List.of(), Map.of(), List.of());
            }
            List<SnapshotRef> refs = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (RestorePoint p : doomed) {
                refs.addAll(p.allRefs());
                ids.add(p.id());
            }
            SnapshotCleaner.Result result = new SnapshotCleaner(components, contexts)
                    .deleteAll(refs, ids, plan.instance());
            Map<String, List<SnapshotRef>> remainingByPoint = new HashMap<>();
            for (SnapshotRef r : result.remaining()) {
                remainingByPoint.computeIfAbsent(r.restorePointId(), k -> new ArrayList<>()).add(r);
            }
            List<String> deleted = new ArrayList<>();
            Map<String, List<SnapshotRef>> kept = new HashMap<>();
            for (RestorePoint p : doomed) {
                List<SnapshotRef> remaining = remainingByPoint.get(p.id());
                if (remaining == null) {
                    catalog.delete(p.instance(), p.id());
                    deleted.add(p.id());
                } else {
                    kept.put(p.id(), remaining);
                    catalog.save(keptBack(p, remaining));
                }
            }
            emit(OperationEvent.Level.INFO, "retention: deleted " + deleted.size() + " restore point(s)"
                    + (kept.isEmpty() ? "" : "; " + kept.size() + " could not be fully deleted"));
            result.problems().forEach(m -> emit(OperationEvent.Level.WARNING, m));
            return new Report(deleted, kept, result.problems());
        }
    }

    private RestorePoint keptBack(RestorePoint p, List<SnapshotRef> remaining) {
        Set<String> left = new HashSet<>();
        remaining.forEach(r -> left.add(SnapshotCleaner.key(r)));
        Set<String> placed = new HashSet<>();
        List<ComponentRecord> components = new ArrayList<>();
        for (ComponentRecord c : p.components()) {
            if (left.contains(SnapshotCleaner.key(c.reference()))) {
                List<SnapshotRef> copies = c.copies().stream().filter(r -> left.contains(SnapshotCleaner.key(r)))
                        .toList();
                components.add(c.withCopies(copies, c.copyFailure()));
                placed.add(SnapshotCleaner.key(c.reference()));
                copies.forEach(r -> placed.add(SnapshotCleaner.key(r)));
            }
        }
        // whatever remains outside a kept component (a copy whose source is gone, an old leftover) is a leftover
        List<SnapshotRef> leftovers = remaining.stream().filter(r -> !placed.contains(SnapshotCleaner.key(r)))
                .toList();
        RestorePointStatus status = p.status() == RestorePointStatus.FAILED ? RestorePointStatus.FAILED
                : RestorePointStatus.PARTIAL;
        String reason = "retention could not delete " + remaining.size() + " snapshot(s); the next retention run"
                + " retries" + (p.failureReason() == null ? "" : " (was: " + p.failureReason() + ")");
        return p.withComponents(components, leftovers).withStatus(status, reason)
                .withNote("retention at " + clock.instant() + " left " + remaining.size() + " snapshot(s)");
    }

    private void emit(OperationEvent.Level level, String message) {
        events.emit(new OperationEvent(clock.instant(), level, "retention", "delete", null, null, null, null, message));
    }
}
