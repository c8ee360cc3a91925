package io.jenkins.plugins.bbdc.jenkins.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.aws.EbsConfig;
import io.jenkins.plugins.bbdc.core.provider.aws.RdsConfig;
import io.jenkins.plugins.bbdc.jenkins.SavedConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Providers saved by an earlier version of the plugin (a job's config.xml, the global configuration), loaded the way
 * Jenkins loads them — no constructor, no field initialiser, only the fields that version wrote — get today's
 * defaults for every setting added since, and still become engine providers.
 */
class SavedProviderSettingsTest {

    /** The EBS provider's fields before role sessions, durability wait and restore settings existed. */
    @Test
    void anEbsProviderSavedWithoutTheNewerSettingsRunsWithTodaysDefaults() throws Exception {
        EbsSnapshotProvider p = SavedConfiguration.load(EbsSnapshotProvider.class, Map.of(
                "region", "eu-west-1", "credentialsId", "aws-prod", "endpointUrl", "http://127.0.0.1:4566",
                "volumeId", "vol-0123456789abcdef0", "excludeBootVolume", true));

        assertThat(p.getRoleSessionDurationMinutes()).isEqualTo(AwsConnection.DEFAULT_ROLE_SESSION_MINUTES);
        assertThat(p.getDurableTimeoutMinutes()).isEqualTo(360);
        assertThat(p.getRestoreVolumeType()).isEqualTo("gp3");
        assertThat(p.getRestoreIops()).isZero();
        assertThat(p.getCopyRegion()).isNull();
        assertThat(p.copyDestination()).isEmpty();

        // without a role: no "role session settings without a role" refusal; the wait is the engine's default
        try (ClosingProvider engine = (ClosingProvider) p.toEngine(new EngineMappingTest.FakeServices())) {
            EbsConfig c = ((io.jenkins.plugins.bbdc.core.provider.aws.EbsSnapshotProvider) engine.delegate())
                    .config();
            assertThat(c.volumeId()).isEqualTo("vol-0123456789abcdef0");
            assertThat(c.durableTimeout()).isEqualTo(Duration.ofHours(6));
            assertThat(c.effectiveVolumeType()).isEqualTo("gp3");
        }
    }

    @Test
    void aSavedEbsProviderKeepsWhatItsConfigurationSays() throws Exception {
        EbsSnapshotProvider p = SavedConfiguration.load(EbsSnapshotProvider.class, Map.of(
                "region", "eu-west-1", "volumeId", "vol-0123456789abcdef0", "roleArn",
                "arn:aws:iam::123456789012:role/backup", "roleSessionDurationMinutes", 120,
                "durableTimeoutMinutes", 45, "restoreVolumeType", "io2"));
        assertThat(p.getRoleSessionDurationMinutes()).isEqualTo(120);
        assertThat(p.getDurableTimeoutMinutes()).isEqualTo(45);
        assertThat(p.getRestoreVolumeType()).isEqualTo("io2");
    }

    @Test
    void rdsAndAuroraProvidersSavedWithoutTheWaitSettingsWaitAsTheEngineDoes() throws Exception {
        RdsSnapshotProvider rds = SavedConfiguration.load(RdsSnapshotProvider.class, Map.of(
                "region", "us-east-2", "credentialsId", "aws-prod", "dbInstanceIdentifier", "bitbucket-db"));
        assertThat(rds.getWaitTimeoutMinutes()).isEqualTo(360);
        assertThat(rds.getRestorableWaitTimeoutMinutes()).isEqualTo(20);
        assertThat(rds.getRoleSessionDurationMinutes()).isEqualTo(60);
        assertThat(rds.isRestoreMultiAz()).isFalse();
        try (ClosingProvider engine = (ClosingProvider) rds.toEngine(new EngineMappingTest.FakeServices())) {
            RdsConfig c = ((io.jenkins.plugins.bbdc.core.provider.aws.RdsSnapshotProvider) engine.delegate())
                    .config();
            assertThat(c.source()).isEqualTo("bitbucket-db");
            assertThat(c.waitTimeout()).isEqualTo(Duration.ofHours(6));
            assertThat(c.restorableWaitTimeout()).isEqualTo(Duration.ofMinutes(20));
        }

        AuroraSnapshotProvider aurora = SavedConfiguration.load(AuroraSnapshotProvider.class, Map.of(
                "region", "us-east-2", "dbClusterIdentifier", "bitbucket-cluster"));
        assertThat(aurora.getWaitTimeoutMinutes()).isEqualTo(360);
        // saved without a credentials entry: it runs only where the instance allows the controller's AWS identity
        assertThatThrownBy(() -> aurora.toEngine(new EngineMappingTest.FakeServices()))
                .hasMessageContaining("names no AWS credentials entry");
        try (ClosingProvider engine = (ClosingProvider) aurora.toEngine(
                new EngineMappingTest.FakeServices(true))) {
            assertThat(((io.jenkins.plugins.bbdc.core.provider.aws.RdsSnapshotProvider) engine.delegate()).config()
                    .restorableWaitTimeout()).isEqualTo(Duration.ofMinutes(20));
        }
    }

    @Test
    void anOpenSearchProviderSavedWithoutTheWaitSettingWaitsAsTheEngineDoes() throws Exception {
        OpenSearchSnapshotProvider p = SavedConfiguration.load(OpenSearchSnapshotProvider.class, Map.of(
                "url", "https://search.example.com:9200", "repository", "bb-snaps", "indices", "bitbucket-*"));
        assertThat(p.getWaitTimeoutMinutes()).isEqualTo(120);
        assertThat(p.getIndices()).isEqualTo("bitbucket-*");
        SnapshotProvider engine = p.toEngine(new EngineMappingTest.FakeServices());
        try {
            assertThat(engine.kind()).isEqualTo("opensearch");
        } finally {
            ClosingProvider.closeAll(List.of(engine));
        }
    }

    @Test
    void providersWithoutNewerSettingsLoadUnchanged() throws Exception {
        BtrfsSnapshotProvider p = SavedConfiguration.load(BtrfsSnapshotProvider.class, Map.of(
                "subvolume", "/srv/bb/shared", "snapshotDirectory", "/srv/.snapshots"));
        assertThat(p.toEngine(new EngineMappingTest.FakeServices()).kind()).isEqualTo("btrfs");
    }
}
