package io.jenkins.plugins.bbdc.cli.config;

import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.postgres.PostgresDumpProvider;
import io.jenkins.plugins.bbdc.core.restore.DatabaseConnector;
import io.jenkins.plugins.bbdc.core.restore.RestoreVerification;
import io.jenkins.plugins.bbdc.core.restore.RestoreVerifier;
import java.nio.file.Path;
import java.util.Map;

/** The {@code verify} section: scratch locations for the restore test. */
public final class VerifySection {
    private VerifySection() {
    }

    public static RestoreVerification.Settings parse(CliConfig config, ProviderFactory factory) {
        ConfigNode n = config.section("verify");
        if (!n.isPresent()) {
            throw n.error("required for this command: homeScratch, databaseScratch and originalSharedHome");
        }
        n.allowOnly("homeScratch", "sharedHomeSubpath", "databaseScratch", "originalSharedHome", "fsckSample");
        Map<String, SnapshotProvider> providers = RestoreSection.providers(config, factory);
        if (!providers.containsKey("database")) {
            throw config.section("backup").child("database").error("the restore test needs the database provider");
        }
        RestoreVerifier.Options options = RestoreVerifier.Options.defaults().withSample(n.integer("fsckSample", 20));
        return new RestoreVerification.Settings(config.instance().id(), providers.get("home"),
                RestoreSection.strings(n.child("homeScratch").requireObject()), n.string("sharedHomeSubpath", "shared"),
                providers.get("database"), RestoreSection.strings(n.child("databaseScratch").requireObject()),
                connector(config.section("backup").child("database"), providers.get("database")),
                Path.of(n.string("originalSharedHome")),
                options);
    }

    /**
     * Connections to the scratch database, with the credentials of the {@code postgres} database provider — opened by
     * that provider, as every connection of the engine is (the driver itself, never {@code DriverManager}).
     */
    static DatabaseConnector connector(ConfigNode database, SnapshotProvider provider) {
        if (!database.child("postgres").isPresent() || !(provider instanceof PostgresDumpProvider pg)) {
            throw database.error("the restore test verifies PostgreSQL scratch databases: configure the database"
                    + " component with the postgres provider");
        }
        return pg::connect;
    }
}
