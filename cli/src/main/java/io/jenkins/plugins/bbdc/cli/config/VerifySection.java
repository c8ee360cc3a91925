package io.jenkins.plugins.bbdc.cli.config;

import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.restore.DatabaseConnector;
import io.jenkins.plugins.bbdc.core.restore.RestoreVerification;
import io.jenkins.plugins.bbdc.core.restore.RestoreVerifier;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Map;
import java.util.Properties;

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
                connector(config.section("backup").child("database")), Path.of(n.string("originalSharedHome")),
                options);
    }

    /** Connections to the scratch database, with the credentials of the {@code postgres} database provider. */
    static DatabaseConnector connector(ConfigNode database) {
        ConfigNode pg = database.child("postgres");
        if (!pg.isPresent()) {
            throw database.error("the restore test verifies PostgreSQL scratch databases: configure the database"
                    + " component with the postgres provider");
        }
        String host = pg.string("host", "localhost");
        int port = pg.integer("port", 5432);
        String user = pg.string("user");
        SecretRef password = pg.secret("password");
        return name -> {
            Properties p = new Properties();
            p.setProperty("user", user);
            p.setProperty("password", password.get());
            return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + name, p);
        };
    }
}
