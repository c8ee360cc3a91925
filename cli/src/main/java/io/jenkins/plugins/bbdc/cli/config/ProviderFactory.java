package io.jenkins.plugins.bbdc.cli.config;

import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.fs.BtrfsProvider;
import io.jenkins.plugins.bbdc.core.provider.fs.RsyncExcludes;
import io.jenkins.plugins.bbdc.core.provider.fs.RsyncProvider;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Builds a snapshot provider from its configuration: a mapping with exactly one key naming the provider kind, e.g.
 * {@code home: {btrfs: {subvolume: /srv/bitbucket, snapshotDir: /srv/.snapshots}}}. Every provider's keys are
 * documented in docs/cli.md.
 */
public final class ProviderFactory {
    private final Map<String, Function<ConfigNode, SnapshotProvider>> kinds = new TreeMap<>();

    public ProviderFactory() {
        kinds.put("btrfs", n -> {
            n.allowOnly("subvolume", "snapshotDir");
            return new BtrfsProvider(n.string("subvolume"), n.string("snapshotDir"));
        });
        kinds.put("rsync", n -> {
            n.allowOnly("source", "destination", "layout", "excludeRepositories");
            String layout = n.string("layout", "dc-home");
            RsyncExcludes excludes = switch (layout) {
                case "dc-home" -> RsyncExcludes.DC_HOME;
                case "shared-home" -> RsyncExcludes.SHARED_HOME;
                case "mesh-home" -> RsyncExcludes.MESH_HOME;
                default -> throw n.child("layout").error("'" + layout
                        + "' is not a home layout; expected dc-home, shared-home or mesh-home");
            };
            return new RsyncProvider(n.string("source"), n.string("destination"), excludes,
                    n.strings("excludeRepositories"));
        });
    }

    /** Adds (or replaces) a provider kind; used for kinds that live in other modules. */
    public ProviderFactory register(String kind, Function<ConfigNode, SnapshotProvider> builder) {
        kinds.put(kind, builder);
        return this;
    }

    public SnapshotProvider create(ConfigNode spec) {
        var entries = spec.requireObject().entries();
        if (entries.size() != 1) {
            throw spec.error("expected exactly one provider kind (" + String.join(", ", kinds.keySet())
                    + "), found " + (entries.isEmpty() ? "none" : String.join(", ", entries.keySet())));
        }
        var e = entries.entrySet().iterator().next();
        Function<ConfigNode, SnapshotProvider> builder = kinds.get(e.getKey());
        if (builder == null) {
            throw spec.child(e.getKey()).error("unknown provider kind; expected one of "
                    + String.join(", ", kinds.keySet()));
        }
        try {
            return builder.apply(e.getValue().requireObject());
        } catch (IllegalArgumentException ex) {
            throw e.getValue().error(ex.getMessage().toLowerCase(Locale.ROOT).startsWith(e.getKey())
                    ? ex.getMessage() : e.getKey() + ": " + ex.getMessage());
        }
    }
}
