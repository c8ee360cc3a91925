package io.jenkins.plugins.bbdc.core.backup;

import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.ProviderCapability;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The components of one Bitbucket instance's restore points: which provider captures which role.
 * {@code home} is required; any number of {@code mesh-home:<node>}; {@code database} is required unless the
 * database's data directory lives on the home volume (then the home snapshot already contains it); {@code search}
 * is optional. A component may also name a <em>copy destination</em> (another region, optionally a KMS key): after its
 * snapshot is durable the engine copies it there and records the copy in the manifest.
 */
public final class Components {
    private final Map<ComponentRole, SnapshotProvider> providers;
    private final boolean databaseOnHomeVolume;
    private final Map<ComponentRole, Map<String, String>> copyDestinations;

    private Components(Map<ComponentRole, SnapshotProvider> providers, boolean databaseOnHomeVolume,
                       Map<ComponentRole, Map<String, String>> copyDestinations) {
        this.providers = Collections.unmodifiableMap(new LinkedHashMap<>(providers));
        this.databaseOnHomeVolume = databaseOnHomeVolume;
        this.copyDestinations = Collections.unmodifiableMap(new LinkedHashMap<>(copyDestinations));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Role → provider, in capture order: home, Mesh homes, database, search. */
    public Map<ComponentRole, SnapshotProvider> providers() {
        return providers;
    }

    public Set<ComponentRole> roles() {
        return providers.keySet();
    }

    public SnapshotProvider provider(ComponentRole role) {
        return providers.get(role);
    }

    public boolean databaseOnHomeVolume() {
        return databaseOnHomeVolume;
    }

    /**
     * Where the snapshots of {@code role} are copied once durable ({@code region}, optionally {@code kmsKeyId}), or
     * an empty map when they are not copied.
     */
    public Map<String, String> copyDestination(ComponentRole role) {
        return copyDestinations.getOrDefault(role, Map.of());
    }

    /** Roles with a copy destination, in capture order. */
    public List<ComponentRole> copiedRoles() {
        return providers.keySet().stream().filter(copyDestinations::containsKey).toList();
    }

    /**
     * Roles a restore point must hold to be COMPLETE: every configured role (a configured search index is part of
     * the promise made to the user).
     */
    public Set<ComponentRole> requiredRoles() {
        return providers.keySet();
    }

    /** The provider that can delete {@code ref}: the one configured for its role, if it is of the same kind. */
    public SnapshotProvider providerFor(SnapshotRef ref) {
        ComponentRole role;
        try {
            role = ref.componentRole();
        } catch (IllegalArgumentException e) {
            return null;
        }
        SnapshotProvider p = providers.get(role);
        return p != null && p.kind().equals(ref.provider()) ? p : null;
    }

    public static final class Builder {
        private final Map<ComponentRole, SnapshotProvider> providers = new LinkedHashMap<>();
        private final Map<ComponentRole, Map<String, String>> copyDestinations = new LinkedHashMap<>();
        private boolean databaseOnHomeVolume;

        public Builder home(SnapshotProvider p) {
            return add(ComponentRole.HOME, p);
        }

        public Builder meshHome(String node, SnapshotProvider p) {
            return add(ComponentRole.meshHome(node), p);
        }

        public Builder database(SnapshotProvider p) {
            return add(ComponentRole.DATABASE, p);
        }

        public Builder search(SnapshotProvider p) {
            return add(ComponentRole.SEARCH, p);
        }

        public Builder add(ComponentRole role, SnapshotProvider p) {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(p, "provider for " + role);
            if (providers.containsKey(role)) {
                throw new IllegalArgumentException("the component '" + role + "' is configured twice; give each"
                        + " component exactly one provider");
            }
            providers.put(role, p);
            return this;
        }

        /**
         * Copies the snapshots of {@code role} to {@code destination} after they are durable: {@code region}
         * (required) and optionally {@code kmsKeyId}. An empty or null destination means no copy.
         */
        public Builder copyTo(ComponentRole role, Map<String, String> destination) {
            Objects.requireNonNull(role, "role");
            if (destination == null || destination.isEmpty()) {
                copyDestinations.remove(role);
            } else {
                Map<String, String> d = new LinkedHashMap<>();
                destination.forEach((k, v) -> {
                    if (v != null && !v.isBlank()) {
                        d.put(k, v.strip());
                    }
                });
                copyDestinations.put(role, Collections.unmodifiableMap(d));
            }
            return this;
        }

        /** The database data directory is on the home volume: no separate database component. */
        public Builder databaseOnHomeVolume(boolean on) {
            this.databaseOnHomeVolume = on;
            return this;
        }

        /** Validates and builds; the message lists every problem and how to fix it. */
        public Components build() {
            List<String> problems = new ArrayList<>();
            if (!providers.containsKey(ComponentRole.HOME)) {
                problems.add("no provider for the shared home ('home'): every restore point needs it");
            }
            if (!databaseOnHomeVolume && !providers.containsKey(ComponentRole.DATABASE)) {
                problems.add("no provider for the database ('database'): configure one, or declare that the"
                        + " database data directory lives on the home volume (databaseOnHomeVolume)");
            }
            if (databaseOnHomeVolume && providers.containsKey(ComponentRole.DATABASE)) {
                problems.add("a database provider is configured although the database is declared to live on the"
                        + " home volume: remove one of the two");
            }
            copyDestinations.forEach((role, d) -> {
                SnapshotProvider p = providers.get(role);
                if (p == null) {
                    problems.add("a copy destination is given for '" + role + "', which has no provider");
                } else if (!p.capabilities().contains(ProviderCapability.COPY)) {
                    problems.add("the " + p.kind() + " provider of '" + role + "' cannot copy snapshots to another"
                            + " location: remove its copy destination");
                } else if (d.get("region") == null) {
                    problems.add("the copy destination of '" + role + "' needs a 'region' (for example"
                            + " eu-central-1)");
                }
            });
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid backup components: " + String.join("; ", problems));
            }
            // canonical order: home, mesh homes (by name), database, search
            Map<ComponentRole, SnapshotProvider> ordered = new LinkedHashMap<>();
            ordered.put(ComponentRole.HOME, providers.get(ComponentRole.HOME));
            Set<ComponentRole> mesh = new LinkedHashSet<>();
            providers.keySet().stream().filter(ComponentRole::isMeshHome)
                    .sorted(java.util.Comparator.comparing(ComponentRole::value)).forEach(mesh::add);
            mesh.forEach(r -> ordered.put(r, providers.get(r)));
            if (providers.containsKey(ComponentRole.DATABASE)) {
                ordered.put(ComponentRole.DATABASE, providers.get(ComponentRole.DATABASE));
            }
            if (providers.containsKey(ComponentRole.SEARCH)) {
                ordered.put(ComponentRole.SEARCH, providers.get(ComponentRole.SEARCH));
            }
            return new Components(ordered, databaseOnHomeVolume, copyDestinations);
        }
    }
}
