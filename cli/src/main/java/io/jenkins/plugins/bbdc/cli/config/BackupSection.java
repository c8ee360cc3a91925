package io.jenkins.plugins.bbdc.cli.config;

import io.jenkins.plugins.bbdc.core.backup.BackupConfig;
import io.jenkins.plugins.bbdc.core.backup.Components;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
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
        b.home(providers.create(n.child("home")));
        for (Map.Entry<String, ConfigNode> e : n.child("meshHomes").entries().entrySet()) {
            b.meshHome(e.getKey(), providers.create(e.getValue()));
        }
        if (n.has("database")) {
            b.database(providers.create(n.child("database")));
        }
        if (n.has("search")) {
            b.search(providers.create(n.child("search")));
        }
        b.databaseOnHomeVolume(n.bool("databaseOnHomeVolume", false));
        try {
            return b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw n.error(e.getMessage());
        }
    }

    static BackupMode mode(String text, ConfigNode where) {
        return switch (text) {
            case "zero-downtime" -> BackupMode.ZERO_DOWNTIME;
            case "locked" -> BackupMode.LOCKED;
            default -> throw where.error("'" + text + "' is not a backup mode; expected zero-downtime or locked");
        };
    }
}
