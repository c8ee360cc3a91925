package io.jenkins.plugins.bbdc.cli.config;

import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.fs.BtrfsProvider;
import io.jenkins.plugins.bbdc.core.provider.fs.FsfreezeProvider;
import io.jenkins.plugins.bbdc.core.provider.fs.LvmProvider;
import io.jenkins.plugins.bbdc.core.provider.fs.ZfsProvider;
import io.jenkins.plugins.bbdc.core.provider.fs.RsyncExcludes;
import io.jenkins.plugins.bbdc.core.provider.fs.RsyncProvider;
import io.jenkins.plugins.bbdc.core.provider.fs.ScriptProvider;
import io.jenkins.plugins.bbdc.core.provider.postgres.PostgresDumpConfig;
import io.jenkins.plugins.bbdc.core.provider.postgres.PostgresDumpProvider;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Builds a snapshot provider from its configuration: a mapping with exactly one key naming the provider kind, e.g.
 * {@code home: {btrfs: {subvolume: /srv/bitbucket, snapshotDir: /srv/.snapshots}}}. Every provider's keys are
 * documented in docs/cli.md.
 */
public final class ProviderFactory implements AutoCloseable {
    private final Map<String, Function<ConfigNode, SnapshotProvider>> kinds = new TreeMap<>();
    private final java.util.List<AutoCloseable> closeables = new java.util.ArrayList<>();
    private final ProxySettings proxy;

    /** Providers whose calls use the JVM's default proxy settings (no {@code proxy} section). */
    public ProviderFactory() {
        this(ProxySettings.NONE);
    }

    /** @param proxy the configuration's {@code proxy} section, used by every provider that calls out */
    public ProviderFactory(ProxySettings proxy) {
        this.proxy = java.util.Objects.requireNonNull(proxy);
        kinds.put("btrfs", n -> {
            n.allowOnly("subvolume", "snapshotDir");
            return new BtrfsProvider(n.string("subvolume"), n.string("snapshotDir"));
        });
        kinds.put("postgres", ProviderFactory::postgres);
        kinds.put("ebs", n -> CloudProviders.ebs(n, proxy, closeables));
        kinds.put("rds", n -> CloudProviders.rds(n, proxy, closeables));
        kinds.put("aurora", n -> CloudProviders.aurora(n, proxy, closeables));
        kinds.put("openSearch", n -> CloudProviders.openSearch(n, proxy));
        kinds.put("ontap", n -> CloudProviders.ontap(n, proxy));
        kinds.put("script", ProviderFactory::script);
        kinds.put("lvm", n -> {
            n.allowOnly("volumeGroup", "logicalVolume", "snapshotSize");
            return new LvmProvider(n.string("volumeGroup"), n.string("logicalVolume"),
                    n.string("snapshotSize", null));
        });
        kinds.put("zfs", n -> {
            n.allowOnly("dataset");
            return new ZfsProvider(n.string("dataset"));
        });
        kinds.put("fsfreeze", n -> {
            n.allowOnly("mounts", "maxFreeze", "provider");
            if (!n.has("provider")) {
                throw n.child("provider").error("required: the block snapshot provider to wrap, e.g. {lvm: {...}}");
            }
            return new FsfreezeProvider(create(n.child("provider")), n.strings("mounts"),
                    n.duration("maxFreeze", FsfreezeProvider.DEFAULT_MAX_FREEZE));
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

    private static SnapshotProvider postgres(ConfigNode n) {
        n.allowOnly("host", "port", "database", "user", "password", "dumpDir", "jobs", "binDir",
                "namedRestorePoint", "osUser", "sslMode", "maintenanceDatabase");
        PostgresDumpConfig.Builder b = PostgresDumpConfig.builder().host(n.string("host", "localhost"))
                .port(n.integer("port", PostgresDumpConfig.DEFAULT_PORT)).database(n.string("database"))
                .user(n.string("user")).password(n.secret("password")).dumpRoot(n.string("dumpDir"))
                .jobs(n.integer("jobs", PostgresDumpConfig.defaultJobs()))
                .namedRestorePoint(n.bool("namedRestorePoint", false));
        if (n.has("binDir")) {
            b.binDir(n.string("binDir"));
        }
        if (n.has("osUser")) {
            b.osUser(n.string("osUser"));
        }
        if (n.has("sslMode")) {
            b.sslMode(n.string("sslMode"));
        }
        if (n.has("maintenanceDatabase")) {
            b.maintenanceDatabase(n.string("maintenanceDatabase"));
        }
        return new PostgresDumpProvider(b.build());
    }

    private static SnapshotProvider script(ConfigNode n) {
        n.allowOnly("check", "prepare", "capture", "awaitDurable", "list", "delete", "restore", "zeroDowntime",
                "scratchRestore", "timeout", "pollInterval", "pollTimeout", "env", "secretEnv");
        ScriptProvider.Builder b = ScriptProvider.builder();
        if (n.has("check")) {
            b.check(n.strings("check"));
        }
        if (n.has("prepare")) {
            b.prepare(n.strings("prepare"));
        }
        b.capture(n.strings("capture"));
        if (n.has("awaitDurable")) {
            b.awaitDurable(n.strings("awaitDurable"));
        }
        if (n.has("list")) {
            b.list(n.strings("list"));
        }
        b.delete(n.strings("delete"));
        if (n.has("restore")) {
            b.restore(n.strings("restore"));
        }
        b.zeroDowntime(n.bool("zeroDowntime", false)).scratchRestore(n.bool("scratchRestore", false));
        if (n.has("timeout")) {
            b.timeout(n.duration("timeout", null));
        }
        if (n.has("pollInterval") || n.has("pollTimeout")) {
            b.polling(n.duration("pollInterval", ScriptProvider.DEFAULT_POLL_INTERVAL),
                    n.duration("pollTimeout", ScriptProvider.DEFAULT_POLL_TIMEOUT));
        }
        n.child("env").entries().forEach((k, v) -> b.env(k, v.asText()));
        n.child("secretEnv").entries().forEach((k, v) -> b.secretEnv(k, n.child("secretEnv").secret(k).get()));
        return b.build();
    }

    /** Closes the clients the providers built (AWS SDK clients). */
    @Override
    public void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing a client at exit; nothing useful to report
            }
        }
        closeables.clear();
    }

    /** Adds (or replaces) a provider kind; used for kinds that live in other modules. */
    public ProviderFactory register(String kind, Function<ConfigNode, SnapshotProvider> builder) {
        kinds.put(kind, builder);
        return this;
    }

    /**
     * AWS clients for a section that has {@code region}, optional {@code credentials} and {@code endpoint} (the same
     * keys as the ebs and rds providers), through the configured proxy; closed with this factory.
     */
    public io.jenkins.plugins.bbdc.core.provider.aws.AwsClientFactory awsClients(ConfigNode section) {
        try {
            return CloudProviders.clients(section, proxy, closeables);
        } catch (IllegalArgumentException e) {
            throw section.error(e.getMessage());
        }
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
