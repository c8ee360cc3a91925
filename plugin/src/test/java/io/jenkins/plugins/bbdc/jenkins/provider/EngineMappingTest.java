package io.jenkins.plugins.bbdc.jenkins.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.util.UsernamePassword;
import java.util.ArrayList;
import java.util.List;
import io.jenkins.plugins.bbdc.core.provider.ProviderCapability;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsClientFactory;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsCredentialsConfig;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsSettings;
import io.jenkins.plugins.bbdc.core.provider.fs.FsfreezeProvider;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** Jenkins provider settings become engine providers; credentials come from the build, by id, in memory only. */
class EngineMappingTest {

    /** Services of a build whose credentials store holds one username/password entry. */
    static class FakeServices implements ProviderServices {
        final List<String> asked = new ArrayList<>();

        @Override
        public String instanceId() {
            return "prod";
        }

        @Override
        public CommandRunner commandRunner(ComponentProvider provider) throws AbortException {
            throw new AbortException(provider.describe() + " needs a node");
        }

        @Override
        public UsernamePassword usernamePassword(String credentialsId, String usedFor) throws AbortException {
            asked.add(credentialsId + " for " + usedFor);
            if (!"pg-backup".equals(credentialsId)) {
                throw new AbortException("Could not find a credentials entry with ID '" + credentialsId + "'");
            }
            return new UsernamePassword("bitbucket_backup", "pg-S3cret");
        }

        @Override
        public AwsCredentialsProvider aws(String credentialsId) throws AbortException {
            asked.add(credentialsId + " for AWS");
            if (!"aws-prod".equals(credentialsId)) {
                throw new AbortException("Could not find a credentials entry with ID '" + credentialsId + "'");
            }
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAEXAMPLE", "aws-S3cret"));
        }
    }

    @Test
    void btrfsAndRsyncBecomeTheEngineProviders() throws Exception {
        SnapshotProvider btrfs = new BtrfsSnapshotProvider("/srv/bb/shared", "/srv/.snapshots").toEngine(new FakeServices());
        assertThat(btrfs.kind()).isEqualTo("btrfs");
        RsyncCopyProvider r = new RsyncCopyProvider("/srv/bb/shared", "/backup/bb");
        r.setLayout("dc-home");
        r.setExcludedRepositories("12, 57");
        assertThat(r.toEngine(new FakeServices()).kind()).isEqualTo("rsync");
    }

    @Test
    void misconfigurationsAreReportedWithTheProvider() {
        assertThatThrownBy(() -> new BtrfsSnapshotProvider("relative/dir", "/srv/.snapshots").toEngine(new FakeServices()))
                .isInstanceOf(AbortException.class).hasMessageContaining("btrfs relative/dir");
        RsyncCopyProvider r = new RsyncCopyProvider("/srv/bb/shared", "/backup/bb");
        r.setLayout("nfs");
        assertThatThrownBy(() -> r.toEngine(new FakeServices())).hasMessageContaining("'nfs'")
                .hasMessageContaining("SHARED_HOME");
    }

    @Test
    void postgresCredentialsAreLookedUpByIdAndNeverShownInTheProvider() throws Exception {
        FakeServices services = new FakeServices();
        PostgresDumpProvider p = new PostgresDumpProvider("db.example.com", "bitbucket", "pg-backup", "/backups/pg");
        SnapshotProvider engine = p.toEngine(services);
        assertThat(engine.kind()).isEqualTo("postgres");
        assertThat(services.asked).containsExactly("pg-backup for the PostgreSQL database bitbucket on db.example.com");
        assertThat(String.join("\n", engine.plan(ctx()))).doesNotContain("pg-S3cret");

        PostgresDumpProvider wrong = new PostgresDumpProvider("db", "bitbucket", "nope", "/backups/pg");
        assertThatThrownBy(() -> wrong.toEngine(services)).hasMessageContaining("'nope'");
    }

    @Test
    void ebsUsesTheJenkinsAwsEntryByIdAndAssumesTheRoleOnTop() throws Exception {
        FakeServices services = new FakeServices();
        EbsSnapshotProvider p = new EbsSnapshotProvider("eu-west-1");
        p.setEc2InstanceId("i-0123456789abcdef0");
        p.setExcludeBootVolume(false);
        p.setCredentialsId("aws-prod");
        p.setRoleArn("arn:aws:iam::123456789012:role/bitbucket-backup");
        p.setEndpointUrl("http://127.0.0.1:4566");
        try (ClosingProvider engine = (ClosingProvider) p.toEngine(services)) {
            assertThat(engine.kind()).isEqualTo("ebs");
            var ebs = (io.jenkins.plugins.bbdc.core.provider.aws.EbsSnapshotProvider) engine.delegate();
            assertThat(ebs.config().instanceId()).isEqualTo("i-0123456789abcdef0");
            assertThat(ebs.config().volumeId()).isNull();
            assertThat(ebs.config().excludeBootVolume()).isFalse();
            AwsSettings settings = ((AwsClientFactory) engine.resource()).settings();
            assertThat(settings.region()).isEqualTo("eu-west-1");
            assertThat(settings.endpointOverride()).hasToString("http://127.0.0.1:4566");
            assertThat(settings.credentials().kind()).isEqualTo(AwsCredentialsConfig.Kind.ASSUME_ROLE);
            assertThat(settings.credentials().roleArn()).isEqualTo("arn:aws:iam::123456789012:role/bitbucket-backup");
            assertThat(settings.credentials().base().kind()).isEqualTo(AwsCredentialsConfig.Kind.PROVIDED);
            assertThat(settings.credentials().base().provider().resolveCredentials().accessKeyId())
                    .isEqualTo("AKIAEXAMPLE");
            assertThat(settings.toString()).doesNotContain("aws-S3cret").contains("aws-prod");
        }
        assertThat(services.asked).containsExactly("aws-prod for AWS");
    }

    @Test
    void awsWithoutCredentialsIdUsesTheControllersDefaultChainAndNeverGuessesTheRegion() throws Exception {
        FakeServices services = new FakeServices();
        EbsSnapshotProvider p = new EbsSnapshotProvider("eu-central-1");
        p.setVolumeId("vol-0123456789abcdef0");
        try (ClosingProvider engine = (ClosingProvider) p.toEngine(services)) {
            assertThat(((AwsClientFactory) engine.resource()).settings().credentials().kind())
                    .isEqualTo(AwsCredentialsConfig.Kind.DEFAULT_CHAIN);
        }
        assertThat(services.asked).isEmpty();

        EbsSnapshotProvider noRegion = new EbsSnapshotProvider(" ");
        noRegion.setVolumeId("vol-0123456789abcdef0");
        assertThatThrownBy(() -> noRegion.toEngine(services)).isInstanceOf(AbortException.class)
                .hasMessageContaining("region");
        EbsSnapshotProvider both = new EbsSnapshotProvider("eu-west-1");
        assertThatThrownBy(() -> both.toEngine(services)).isInstanceOf(AbortException.class)
                .hasMessageContaining("ebs eu-west-1").hasMessageContaining("exactly one of 'volumeId'");
        EbsSnapshotProvider unknownCredentials = new EbsSnapshotProvider("eu-west-1");
        unknownCredentials.setVolumeId("vol-0123456789abcdef0");
        unknownCredentials.setCredentialsId("nope");
        assertThatThrownBy(() -> unknownCredentials.toEngine(services)).hasMessageContaining("'nope'");
    }

    @Test
    void ebsWithFreezeMountPointsFreezesOnTheAgent() throws Exception {
        EbsSnapshotProvider p = new EbsSnapshotProvider("eu-west-1");
        p.setVolumeId("vol-0123456789abcdef0");
        assertThat(p.runsCommands()).isFalse();
        p.setFreezeMountPoints("/var/atlassian/bitbucket, /srv/mesh");
        assertThat(p.runsCommands()).isTrue();
        try (ClosingProvider engine = (ClosingProvider) p.toEngine(new FakeServices())) {
            assertThat(engine.delegate()).isInstanceOf(FsfreezeProvider.class);
            assertThat(engine.kind()).isEqualTo("ebs");
        }
    }

    @Test
    void rdsAndAuroraSnapshotTheNamedInstanceOrCluster() throws Exception {
        RdsSnapshotProvider rds = new RdsSnapshotProvider("bitbucket-db", "us-east-2");
        rds.setCredentialsId("aws-prod");
        try (ClosingProvider engine = (ClosingProvider) rds.toEngine(new FakeServices())) {
            var core = (io.jenkins.plugins.bbdc.core.provider.aws.RdsSnapshotProvider) engine.delegate();
            assertThat(engine.kind()).isEqualTo("rds");
            assertThat(core.config().cluster()).isFalse();
            assertThat(core.config().source()).isEqualTo("bitbucket-db");
            assertThat(((AwsClientFactory) engine.resource()).region()).isEqualTo("us-east-2");
        }
        AuroraSnapshotProvider aurora = new AuroraSnapshotProvider("bitbucket-cluster", "us-east-2");
        try (ClosingProvider engine = (ClosingProvider) aurora.toEngine(new FakeServices())) {
            var core = (io.jenkins.plugins.bbdc.core.provider.aws.RdsSnapshotProvider) engine.delegate();
            assertThat(engine.kind()).isEqualTo("aurora");
            assertThat(core.config().source()).isEqualTo("bitbucket-cluster");
        }
        assertThatThrownBy(() -> new RdsSnapshotProvider("bitbucket--db", "us-east-2").toEngine(new FakeServices()))
                .isInstanceOf(AbortException.class).hasMessageContaining("'bitbucket--db' is not an RDS identifier");
    }

    @Test
    void lvmThickThinAndFrozen() throws Exception {
        LvmSnapshotProvider thick = new LvmSnapshotProvider("vg0", "bitbucket-shared");
        thick.setSnapshotSize("20G");
        assertThat(String.join("\n", thick.toEngine(new FakeServices()).plan(ctx()))).contains("20G");
        LvmSnapshotProvider thin = new LvmSnapshotProvider("vg0", "bitbucket-shared");
        thin.setThin(true);
        SnapshotProvider thinEngine = thin.toEngine(new FakeServices());
        assertThat(thinEngine.kind()).isEqualTo("lvm");
        assertThat(String.join("\n", thinEngine.plan(ctx()))).doesNotContain("10G").doesNotContain("--size");
        thick.setFreezeMountPoint("/var/atlassian/application-data/bitbucket/shared");
        assertThat(thick.toEngine(new FakeServices())).isInstanceOf(FsfreezeProvider.class);
        thick.setFreezeMountPoint("/");
        assertThatThrownBy(() -> thick.toEngine(new FakeServices())).hasMessageContaining("root filesystem");
        assertThatThrownBy(() -> new LvmSnapshotProvider("vg0", "-bad").toEngine(new FakeServices()))
                .isInstanceOf(AbortException.class).hasMessageContaining("'-bad'");
    }

    @Test
    void zfsSnapshotsTheDataset() throws Exception {
        SnapshotProvider zfs = new ZfsSnapshotProvider("tank/bitbucket/shared").toEngine(new FakeServices());
        assertThat(zfs.kind()).isEqualTo("zfs");
        assertThat(String.join("\n", zfs.plan(ctx()))).contains("tank/bitbucket/shared@");
        assertThatThrownBy(() -> new ZfsSnapshotProvider("tank/bb@x").toEngine(new FakeServices()))
                .isInstanceOf(AbortException.class).hasMessageContaining("zfs tank/bb@x");
    }

    @Test
    void scriptCommandsAreArgumentListsAndTheEngineRulesApply() throws Exception {
        ScriptSnapshotProvider p = new ScriptSnapshotProvider("/opt/san/snap  --volume bb", "/opt/san/delete");
        p.setZeroDowntime(true);
        p.setRestoreCommand("/opt/san/restore");
        SnapshotProvider engine = p.toEngine(new FakeServices());
        assertThat(engine.kind()).isEqualTo("script");
        assertThat(engine.capabilities()).contains(ProviderCapability.ZERO_DOWNTIME, ProviderCapability.RESTORE)
                .doesNotContain(ProviderCapability.RESTORE_TO_SCRATCH);
        assertThat(String.join("\n", engine.plan(ctx()))).contains("capture: /opt/san/snap --volume bb");
        assertThat(EngineProviders.command(" /bin/x  a\tb ")).containsExactly("/bin/x", "a", "b");

        ScriptSnapshotProvider noDelete = new ScriptSnapshotProvider("/opt/san/snap", "");
        assertThatThrownBy(() -> noDelete.toEngine(new FakeServices())).isInstanceOf(AbortException.class)
                .hasMessageContaining("delete command is required");
        ScriptSnapshotProvider scratchWithoutRestore = new ScriptSnapshotProvider("/opt/san/snap", "/opt/san/del");
        scratchWithoutRestore.setScratchRestore(true);
        assertThatThrownBy(() -> scratchWithoutRestore.toEngine(new FakeServices()))
                .hasMessageContaining("scratchRestore needs a restore command");
    }

    @Test
    void netappUsesTheUsernamePasswordEntryAndTheOntapEngine() throws Exception {
        FakeServices services = new FakeServices();
        NetAppSnapshotProvider p = new NetAppSnapshotProvider("https://cluster1.example.com", "svm_bb", "bb_shared",
                "pg-backup");
        SnapshotProvider engine = p.toEngine(services);
        assertThat(engine.kind()).isEqualTo("ontap").isEqualTo(p.kind());
        assertThat(services.asked).containsExactly("pg-backup for the ONTAP cluster https://cluster1.example.com");
        assertThat(String.join("\n", engine.plan(ctx()))).doesNotContain("pg-S3cret");
        ClosingProvider.closeAll(List.of(engine));
        p.setTrustedCertificate("not a certificate");
        assertThatThrownBy(() -> p.toEngine(services)).isInstanceOf(AbortException.class)
                .hasMessageContaining("PEM certificate");
    }

    @Test
    void openSearchLogsInWithTheUsernamePasswordEntry() throws Exception {
        FakeServices services = new FakeServices();
        OpenSearchSnapshotProvider p = new OpenSearchSnapshotProvider("https://search.example.com:9200", "bb-snaps");
        p.setCredentialsId("pg-backup");
        SnapshotProvider engine = p.toEngine(services);
        assertThat(engine.kind()).isEqualTo("opensearch");
        assertThat(engine).isInstanceOf(AutoCloseable.class);
        assertThat(services.asked).containsExactly("pg-backup for the search cluster https://search.example.com:9200");
        ClosingProvider.closeAll(List.of(engine));
        assertThatThrownBy(() -> new OpenSearchSnapshotProvider("search:9200", "bb").toEngine(services))
                .isInstanceOf(AbortException.class).hasMessageContaining("http(s) URL");
    }

    private static io.jenkins.plugins.bbdc.core.provider.ProviderContext ctx() {
        return new io.jenkins.plugins.bbdc.core.provider.ProviderContext("prod",
                io.jenkins.plugins.bbdc.core.provider.ComponentRole.DATABASE, null,
                spec -> {
                    throw new java.io.IOException("no commands in a plan");
                }, null, null, null);
    }
}
