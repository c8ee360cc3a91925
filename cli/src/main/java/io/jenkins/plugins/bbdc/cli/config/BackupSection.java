package io.jenkins.plugins.bbdc.cli.config;

import io.jenkins.plugins.bbdc.core.backup.BackupConfig;
import io.jenkins.plugins.bbdc.core.backup.Components;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code backup} section: mode, drain settings and one provider per component. */
public final class BackupSection {
    private BackupSection() {
    }

    public static BackupConfig parse(CliConfig config, ProviderFactory providers, String modeOverride) {
        ConfigNode n = config.section("backup");
        if (!n.isPresent()) {
            throw n.error("required for this command: the components to back up (home, database, …)");
        }
        n.allowOnly("mode", "drainPollInterval", "drainTimeout", "databaseOnHomeVolume", "home", "meshHomes",
                "database", "search");
        return new BackupConfig(config.instance().id(), components(n, providers),
                mode(modeOverride != null ? modeOverride : n.string("mode", "zero-downtime"), n.child("mode")),
                n.duration("drainPollInterval", BackupConfig.DEFAULT_DRAIN_POLL_INTERVAL),
                n.duration("drainTimeout", BackupConfig.DEFAULT_DRAIN_TIMEOUT), null);
    }

    public static Components components(ConfigNode n, ProviderFactory providers) {
        Components.Builder b = Components.builder();
        if (!n.has("home")) {
            throw n.child("home").error("required: the provider of the shared home");
        }
        add(b, ComponentRole.HOME, n.child("home"), providers);
        for (Map.Entry<String, ConfigNode> e : n.child("meshHomes").entries().entrySet()) {
            add(b, ComponentRole.meshHome(e.getKey()), e.getValue(), providers);
        }
        if (n.has("database")) {
            add(b, ComponentRole.DATABASE, n.child("database"), providers);
        }
        if (n.has("search")) {
            add(b, ComponentRole.SEARCH, n.child("search"), providers);
        }
        b.databaseOnHomeVolume(n.bool("databaseOnHomeVolume", false));
        try {
            return b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw n.error(e.getMessage());
        }
    }

    private static void add(Components.Builder b, ComponentRole role, ConfigNode spec, ProviderFactory providers) {
        b.add(role, providers.create(spec));
        Map<String, String> copy = copyDestination(spec);
        if (!copy.isEmpty()) {
            b.copyTo(role, copy);
        }
    }

    /**
     * The provider's optional {@code copy: {region, kmsKeyId}} block (EBS, RDS, Aurora only: the other kinds refuse
     * the key). A copy into the provider's own region is refused: it would not survive the loss of that region.
     */
    static Map<String, String> copyDestination(ConfigNode spec) {
        Map<String, ConfigNode> kinds = spec.entries();
        if (kinds.size() != 1) {
            return Map.of();
        }
        ConfigNode provider = kinds.values().iterator().next();
        if (!provider.has("copy")) {
            return Map.of();
        }
        ConfigNode copy = provider.child("copy").requireObject().allowOnly(CloudProviders.COPY_KEYS);
        if (!copy.has("region")) {
            throw copy.child("region").error("required: the region the snapshots are copied to, for example"
                    + " eu-central-1");
        }
        String region = copy.string("region");
        if (!AwsSettings.validRegion(region)) {
            throw copy.child("region").error("'" + region + "' is not an AWS region name such as eu-central-1");
        }
        if (region.equals(provider.string("region", null))) {
            throw copy.child("region").error("'" + region + "' is the provider's own region; a copy there would be"
                    + " lost with the region: name another region");
        }
        Map<String, String> d = new LinkedHashMap<>();
        d.put("region", region);
        if (copy.has("kmsKeyId")) {
            d.put("kmsKeyId", copy.string("kmsKeyId"));
        }
        return d;
    }

    static BackupMode mode(String text, ConfigNode where) {
        return switch (text) {
            case "zero-downtime" -> BackupMode.ZERO_DOWNTIME;
            case "locked" -> BackupMode.LOCKED;
            default -> throw where.error("'" + text + "' is not a backup mode; expected zero-downtime or locked");
        };
    }
}
