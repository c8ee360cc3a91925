package io.jenkins.plugins.bbdc.core.backup;

import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Deletes snapshots through their providers and proves they are gone. Used after a failed backup (everything of the
 * failed restore point) and by retention (everything of the expired points).
 *
 * <p>Besides the references it is given, it sweeps each provider's {@code list()} for snapshots tagged with one of
 * the restore point ids — a capture that fired but never reported back is found this way — and afterwards lists
 * again to verify that nothing of those ids is left. Each provider is listed at most twice per call, whatever the
 * number of snapshots, so cost grows linearly. Copies in other regions are deleted through the same provider (each
 * reference names its region) but are not re-listed: a provider lists only the region it is configured for.
 */
public final class SnapshotCleaner {

    /** What could not be removed, and every problem met (deletion errors, listing errors). */
    public record Result(List<SnapshotRef> remaining, List<SnapshotRef> deleted, List<String> problems) {
        public boolean clean() {
            return remaining.isEmpty() && problems.isEmpty();
        }
    }

    private final Components components;
    private final Function<ComponentRole, ProviderContext> contexts;

    public SnapshotCleaner(Components components, Function<ComponentRole, ProviderContext> contexts) {
        this.components = components;
        this.contexts = contexts;
    }

    public Result deleteAll(Collection<SnapshotRef> known, Set<String> restorePointIds, String instance)
            throws InterruptedException {
        List<String> problems = new ArrayList<>();
        Map<String, SnapshotRef> todo = new LinkedHashMap<>();
        for (SnapshotRef ref : known) {
            todo.putIfAbsent(key(ref), ref);
        }
        // sweep: anything tagged with these restore points, even if never reported back to us
        for (Map.Entry<ComponentRole, SnapshotProvider> e : components.providers().entrySet()) {
            try {
                for (SnapshotRef ref : e.getValue().list(contexts.apply(e.getKey()))) {
                    if (instance.equals(ref.instanceId()) && restorePointIds.contains(ref.restorePointId())
                            && e.getKey().value().equals(ref.role())) {
                        todo.putIfAbsent(key(ref), ref);
                    }
                }
            } catch (ProviderException ex) {
                problems.add("could not list the snapshots of the " + e.getValue().kind() + " provider of '"
                        + e.getKey() + "' to look for untracked ones: " + ex.getMessage());
            }
        }
        Map<String, SnapshotRef> remaining = new LinkedHashMap<>();
        List<SnapshotRef> deleted = new ArrayList<>();
        for (SnapshotRef ref : todo.values()) {
            SnapshotProvider p = components.providerFor(ref);
            if (p == null) {
                remaining.put(key(ref), ref);
                problems.add("no '" + ref.provider() + "' provider is configured for '" + ref.role() + "', so "
                        + describe(ref) + " cannot be deleted: delete it by hand or configure that provider");
                continue;
            }
            try {
                p.delete(ref, contexts.apply(ref.componentRole()));
                deleted.add(ref);
            } catch (ProviderException ex) {
                remaining.put(key(ref), ref);
                problems.add("could not delete " + describe(ref) + ": " + ex.getMessage());
            }
        }
        // verify: nothing of these restore points may still be listed
        for (Map.Entry<ComponentRole, SnapshotProvider> e : components.providers().entrySet()) {
            try {
                for (SnapshotRef ref : e.getValue().list(contexts.apply(e.getKey()))) {
                    if (instance.equals(ref.instanceId()) && restorePointIds.contains(ref.restorePointId())
                            && e.getKey().value().equals(ref.role()) && !remaining.containsKey(key(ref))) {
                        remaining.put(key(ref), ref);
                        problems.add(describe(ref) + " is still listed after its deletion");
                    }
                }
            } catch (ProviderException ex) {
                problems.add("could not verify the deletions of the " + e.getValue().kind() + " provider of '"
                        + e.getKey() + "': " + ex.getMessage());
            }
        }
        deleted.removeIf(r -> remaining.containsKey(key(r)));
        return new Result(List.copyOf(remaining.values()), deleted, problems);
    }

    /**
     * Identity of a snapshot across providers and locations: a copy in another region may carry the same id as
     * its source (RDS copies do), so the region is part of it.
     */
    public static String key(SnapshotRef ref) {
        return ref.provider() + "\u0000" + ref.role() + "\u0000" + ref.id() + "\u0000"
                + java.util.Objects.requireNonNullElse(ref.attribute("region"), "");
    }

    public static String describe(SnapshotRef ref) {
        return ref.provider() + " snapshot " + ref.id() + " (" + ref.role() + ")";
    }
}
