package io.jenkins.plugins.bbdc.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.restore.RestoreSelection;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.provider.BtrfsSnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.ComponentProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.PostgresDumpProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.RdsSnapshotProvider;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestoreArgumentsTest {

    private static BitbucketRestoreStep step() {
        return new BitbucketRestoreStep("prod");
    }

    @Test
    void latestIsTheDefaultAndAnIdOrAPointInTimeSelectsOne() throws Exception {
        assertThat(step().arguments().selection()).isEqualTo(RestoreSelection.latest());
        BitbucketRestoreStep s = step();
        s.setRestorePoint("latest");
        assertThat(s.getRestorePoint()).isNull();   // the default is not stored, so snippets stay short
        s.setRestorePoint("20261121t030000z-abcd");
        assertThat(s.arguments().selection().id()).isEqualTo("20261121t030000z-abcd");
        BitbucketRestoreStep t = step();
        t.setPointInTime("2026-11-21T04:00:00+01:00");
        assertThat(t.arguments().selection().pointInTime()).isEqualTo(Instant.parse("2026-11-21T03:00:00Z"));
    }

    @Test
    void contradictoryOrMalformedSelectionsAreRefusedClearly() {
        BitbucketRestoreStep s = step();
        s.setRestorePoint("20261121t030000z-abcd");
        s.setPointInTime("2026-11-21T03:00:00Z");
        assertThatThrownBy(() -> s.arguments().selection()).isInstanceOf(AbortException.class)
                .hasMessageContaining("either restorePoint");
        BitbucketRestoreStep t = step();
        t.setPointInTime("yesterday 3am");
        assertThatThrownBy(() -> t.arguments().selection()).hasMessageContaining("'yesterday 3am'")
                .hasMessageContaining("ISO-8601");
    }

    @Test
    void stepProvidersOverrideTheInstanceDefaults() throws Exception {
        BitbucketInstance prod = new BitbucketInstance("prod", "https://bb", "bb-admin");
        prod.setHome(new BtrfsSnapshotProvider("/srv/bb/shared", "/srv/.snapshots"));
        prod.setDatabase(new PostgresDumpProvider("db", "bitbucket", "pg", "/backups"));
        BitbucketRestoreStep s = step();
        s.setDatabase(new RdsSnapshotProvider("bitbucket-db", "eu-west-1"));
        Map<String, ComponentProvider> chosen = s.arguments().components.resolve(prod);
        assertThat(chosen.keySet()).containsExactly("home", "database");
        assertThat(chosen.get("home").kind()).isEqualTo("btrfs");
        assertThat(chosen.get("database").kind()).isEqualTo("rds");
        assertThat(ComponentChoice.needsAgent(chosen)).isTrue();
    }

    @Test
    void aMissingProviderSaysWhereToConfigureIt() {
        BitbucketInstance prod = new BitbucketInstance("prod", "https://bb", "bb-admin");
        prod.setHome(new BtrfsSnapshotProvider("/srv/bb/shared", "/srv/.snapshots"));
        assertThatThrownBy(() -> step().arguments().components.resolve(prod)).isInstanceOf(AbortException.class)
                .hasMessageContaining("No database provider").hasMessageContaining("'prod'");
    }
}
