package io.jenkins.plugins.bbdc.jenkins.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.util.UsernamePassword;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.jenkins.plugins.bbdc.core.provider.ProviderCapability;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsClientFactory;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsCredentialsConfig;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsSettings;
import io.jenkins.plugins.bbdc.core.provider.aws.EbsConfig;
import io.jenkins.plugins.bbdc.core.provider.aws.RdsConfig;
import io.jenkins.plugins.bbdc.testkit.opensearch.OpenSearchEndpoint;
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
        final List<String> uris = new ArrayList<>();
        private final boolean controllerIdentityAllowed;

        /** As for an instance whose administrator did not allow the controller's own AWS identity (the default). */
        FakeServices() {
            this(false);
        }

        /** @param controllerIdentityAllowed the instance's {@code allowControllerAwsIdentity} */
        FakeServices(boolean controllerIdentityAllowed) {
            this.controllerIdentityAllowed = controllerIdentityAllowed;
        }

        @Override
        public boolean controllerAwsIdentityAllowed() {
            return controllerIdentityAllowed;
        }

        @Override
        public String instanceId() {
            return "prod";
        }

        @Override
        public CommandRunner commandRunner(ComponentProvider provider) throws AbortException {
            throw new AbortException(provider.describe() + " needs a node");
        }

        @Override
        public UsernamePassword usernamePassword(String credentialsId, String usedFor, String uri)
                throws AbortException {
            asked.add(credentialsId + " for " + usedFor);
            uris.add(uri);
            if (!"pg-backup".equals(credentialsId)) {
                throw new AbortException("Could not find a credentials entry with ID '" + credentialsId + "'");
            }
            return new UsernamePassword("bitbucket_backup", "pg-S3cret");
        }

        @Override
        public String secretText(String credentialsId, String usedFor, String uri) throws AbortException {
            asked.add(credentialsId + " for " + usedFor);
            uris.add(uri);
            if (!"search-key".equals(credentialsId)) {
                throw new AbortException("Could not find a credentials entry with ID '" + credentialsId + "'");
            }
            return "c2VhcmNoLWtleQ==";
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
        SnapshotProvider btrfs = new BtrfsSnapshotProvider("/srv/bb/shared", "/srv/.snapshots").toEngine(new FakeServices(true));
        assertThat(btrfs.kind()).isEqualTo("btrfs");
        RsyncCopyProvider r = new RsyncCopyProvider("/srv/bb/shared", "/backup/bb");
        r.setLayout("dc-home");
        r.setExcludedRepositories("12, 57");
        assertThat(r.toEngine(new FakeServices(true)).kind()).isEqualTo("rsync");
    }

    @Test
    void misconfigurationsAreReportedWithTheProvider() {
        assertThatThrownBy(() -> new BtrfsSnapshotProvider("relative/dir", "/srv/.snapshots").toEngine(new FakeServices(true)))
                .isInstanceOf(AbortException.class).hasMessageContaining("btrfs relative/dir");
        RsyncCopyProvider r = new RsyncCopyProvider("/srv/bb/shared", "/backup/bb");
        r.setLayout("nfs");
        assertThatThrownBy(() -> r.toEngine(new FakeServices(true))).hasMessageContaining("'nfs'")
                .hasMessageContaining("SHARED_HOME");
    }

    @Test
    void postgresCredentialsAreLookedUpByIdAndNeverShownInTheProvider() throws Exception {
        FakeServices services = new FakeServices(true);
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
        FakeServices services = new FakeServices(true);
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
    void awsWithoutCredentialsIdIsRefusedUnlessTheInstanceAllowsTheControllersIdentity() throws Exception {
        EbsSnapshotProvider p = new EbsSnapshotProvider("eu-central-1");
        p.setVolumeId("vol-0123456789abcdef0");
        FakeServices notAllowed = new FakeServices(false);
        assertThatThrownBy(() -> p.toEngine(notAllowed)).isInstanceOf(AbortException.class)
                .hasMessageContaining("The provider ebs eu-central-1 names no AWS credentials entry")
                .hasMessageContaining("would call AWS as the Jenkins controller itself")
                .hasMessageContaining("Choose an AWS Credentials entry in its credentialsId")
                .hasMessageContaining("Allow the controller AWS identity for the instance 'prod'");
        assertThat(notAllowed.asked).isEmpty();

        for (AwsComponentProvider database : new AwsComponentProvider[] {
                new RdsSnapshotProvider("bitbucket-db", "eu-central-1"),
                new AuroraSnapshotProvider("bitbucket-cluster", "eu-central-1")}) {
            assertThatThrownBy(() -> database.toEngine(notAllowed)).isInstanceOf(AbortException.class)
                    .hasMessageContaining("names no AWS credentials entry");
        }
        // a role to assume does not help: the role would be assumed with the controller's identity
        p.setRoleArn("arn:aws:iam::123456789012:role/bitbucket-backup");
        assertThatThrownBy(() -> p.toEngine(notAllowed)).hasMessageContaining("names no AWS credentials entry");
    }

    @Test
    void awsWithoutCredentialsIdUsesTheControllersDefaultChainWhereAllowedAndNeverGuessesTheRegion()
            throws Exception {
        FakeServices services = new FakeServices(true);
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
        try (ClosingProvider engine = (ClosingProvider) p.toEngine(new FakeServices(true))) {
            assertThat(engine.delegate()).isInstanceOf(FsfreezeProvider.class);
            assertThat(engine.kind()).isEqualTo("ebs");
        }
    }

    @Test
    void rdsAndAuroraSnapshotTheNamedInstanceOrCluster() throws Exception {
        RdsSnapshotProvider rds = new RdsSnapshotProvider("bitbucket-db", "us-east-2");
        rds.setCredentialsId("aws-prod");
        try (ClosingProvider engine = (ClosingProvider) rds.toEngine(new FakeServices(true))) {
            var core = (io.jenkins.plugins.bbdc.core.provider.aws.RdsSnapshotProvider) engine.delegate();
            assertThat(engine.kind()).isEqualTo("rds");
            assertThat(core.config().cluster()).isFalse();
            assertThat(core.config().source()).isEqualTo("bitbucket-db");
            assertThat(((AwsClientFactory) engine.resource()).region()).isEqualTo("us-east-2");
        }
        AuroraSnapshotProvider aurora = new AuroraSnapshotProvider("bitbucket-cluster", "us-east-2");
        try (ClosingProvider engine = (ClosingProvider) aurora.toEngine(new FakeServices(true))) {
            var core = (io.jenkins.plugins.bbdc.core.provider.aws.RdsSnapshotProvider) engine.delegate();
            assertThat(engine.kind()).isEqualTo("aurora");
            assertThat(core.config().source()).isEqualTo("bitbucket-cluster");
        }
        assertThatThrownBy(() -> new RdsSnapshotProvider("bitbucket--db", "us-east-2").toEngine(new FakeServices(true)))
                .isInstanceOf(AbortException.class).hasMessageContaining("'bitbucket--db' is not an RDS identifier");
    }

    @Test
    void lvmThickThinAndFrozen() throws Exception {
        LvmSnapshotProvider thick = new LvmSnapshotProvider("vg0", "bitbucket-shared");
        thick.setSnapshotSize("20G");
        assertThat(String.join("\n", thick.toEngine(new FakeServices(true)).plan(ctx()))).contains("20G");
        LvmSnapshotProvider thin = new LvmSnapshotProvider("vg0", "bitbucket-shared");
        thin.setThin(true);
        SnapshotProvider thinEngine = thin.toEngine(new FakeServices(true));
        assertThat(thinEngine.kind()).isEqualTo("lvm");
        assertThat(String.join("\n", thinEngine.plan(ctx()))).doesNotContain("10G").doesNotContain("--size");
        thick.setFreezeMountPoint("/var/atlassian/application-data/bitbucket/shared");
        assertThat(thick.toEngine(new FakeServices(true))).isInstanceOf(FsfreezeProvider.class);
        thick.setFreezeMountPoint("/");
        assertThatThrownBy(() -> thick.toEngine(new FakeServices(true))).hasMessageContaining("root filesystem");
        assertThatThrownBy(() -> new LvmSnapshotProvider("vg0", "-bad").toEngine(new FakeServices(true)))
                .isInstanceOf(AbortException.class).hasMessageContaining("'-bad'");
    }

    @Test
    void zfsSnapshotsTheDataset() throws Exception {
        SnapshotProvider zfs = new ZfsSnapshotProvider("tank/bitbucket/shared").toEngine(new FakeServices(true));
        assertThat(zfs.kind()).isEqualTo("zfs");
        assertThat(String.join("\n", zfs.plan(ctx()))).contains("tank/bitbucket/shared@");
        assertThatThrownBy(() -> new ZfsSnapshotProvider("tank/bb@x").toEngine(new FakeServices(true)))
                .isInstanceOf(AbortException.class).hasMessageContaining("zfs tank/bb@x");
    }

    @Test
    void scriptCommandsAreArgumentListsAndTheEngineRulesApply() throws Exception {
        ScriptSnapshotProvider p = new ScriptSnapshotProvider("/opt/san/snap  --volume bb", "/opt/san/delete");
        p.setZeroDowntime(true);
        p.setRestoreCommand("/opt/san/restore");
        SnapshotProvider engine = p.toEngine(new FakeServices(true));
        assertThat(engine.kind()).isEqualTo("script");
        assertThat(engine.capabilities()).contains(ProviderCapability.ZERO_DOWNTIME, ProviderCapability.RESTORE)
                .doesNotContain(ProviderCapability.RESTORE_TO_SCRATCH);
        assertThat(String.join("\n", engine.plan(ctx()))).contains("capture: /opt/san/snap --volume bb");
        assertThat(EngineProviders.command(" /bin/x  a\tb ")).containsExactly("/bin/x", "a", "b");

        ScriptSnapshotProvider noDelete = new ScriptSnapshotProvider("/opt/san/snap", "");
        assertThatThrownBy(() -> noDelete.toEngine(new FakeServices(true))).isInstanceOf(AbortException.class)
                .hasMessageContaining("delete command is required");
        ScriptSnapshotProvider scratchWithoutRestore = new ScriptSnapshotProvider("/opt/san/snap", "/opt/san/del");
        scratchWithoutRestore.setScratchRestore(true);
        assertThatThrownBy(() -> scratchWithoutRestore.toEngine(new FakeServices(true)))
                .hasMessageContaining("scratchRestore needs a restore command");
    }

    @Test
    void netappUsesTheUsernamePasswordEntryAndTheOntapEngine() throws Exception {
        FakeServices services = new FakeServices(true);
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
        FakeServices services = new FakeServices(true);
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

    @Test
    void rdsRestoresWithTheConfiguredNameSizeNetworkAndWaits() throws Exception {
        RdsSnapshotProvider rds = new RdsSnapshotProvider("bitbucket-db", "eu-west-1");
        rds.setRestoreIdentifier("bitbucket-db-restored");
        rds.setRestoreInstanceClass("db.r6g.large");
        rds.setRestoreSubnetGroupName("bitbucket-private");
        rds.setRestoreSecurityGroupIds("sg-0123456789abcdef0, sg-0fedcba9876543210");
        rds.setRestoreParameterGroupName("bitbucket-pg16");
        rds.setRestoreMultiAz(true);
        rds.setExtraTags("cost-center=platform\n\n owner = dba ");
        rds.setWaitTimeoutMinutes(90);
        rds.setRestorableWaitTimeoutMinutes(30);
        try (ClosingProvider engine = (ClosingProvider) rds.toEngine(new FakeServices(true))) {
            RdsConfig c = ((io.jenkins.plugins.bbdc.core.provider.aws.RdsSnapshotProvider) engine.delegate()).config();
            assertThat(c.restoreIdentifier()).isEqualTo("bitbucket-db-restored");
            assertThat(c.instanceClass()).isEqualTo("db.r6g.large");
            assertThat(c.subnetGroupName()).isEqualTo("bitbucket-private");
            assertThat(c.securityGroupIds()).containsExactly("sg-0123456789abcdef0", "sg-0fedcba9876543210");
            assertThat(c.parameterGroupName()).isEqualTo("bitbucket-pg16");
            assertThat(c.clusterParameterGroupName()).isNull();
            assertThat(c.multiAz()).isTrue();
            assertThat(c.extraTags()).containsExactlyInAnyOrderEntriesOf(Map.of("cost-center", "platform", "owner", "dba"));
            assertThat(c.waitTimeout()).isEqualTo(Duration.ofMinutes(90));
            assertThat(c.restorableWaitTimeout()).isEqualTo(Duration.ofMinutes(30));
        }
        try (ClosingProvider engine = (ClosingProvider) new RdsSnapshotProvider("bitbucket-db", "eu-west-1")
                .toEngine(new FakeServices(true))) {
            RdsConfig c = ((io.jenkins.plugins.bbdc.core.provider.aws.RdsSnapshotProvider) engine.delegate()).config();
            assertThat(c.restoreIdentifier()).isNull();
            assertThat(c.subnetGroupName()).isNull();
            assertThat(c.securityGroupIds()).isEmpty();
            assertThat(c.multiAz()).isFalse();
            assertThat(c.extraTags()).isEmpty();
            assertThat(c.waitTimeout()).isEqualTo(Duration.ofHours(6));
            assertThat(c.restorableWaitTimeout()).isEqualTo(Duration.ofMinutes(20));
        }
        RdsSnapshotProvider sameName = new RdsSnapshotProvider("bitbucket-db", "eu-west-1");
        sameName.setRestoreIdentifier("bitbucket-db");
        assertThatThrownBy(() -> sameName.toEngine(new FakeServices(true))).isInstanceOf(AbortException.class)
                .hasMessageContaining("rds bitbucket-db").hasMessageContaining("must differ from the live");
        RdsSnapshotProvider badGroup = new RdsSnapshotProvider("bitbucket-db", "eu-west-1");
        badGroup.setRestoreSecurityGroupIds("default");
        assertThatThrownBy(() -> badGroup.toEngine(new FakeServices(true))).isInstanceOf(AbortException.class)
                .hasMessageContaining("'default' is not a VPC security group id");
        RdsSnapshotProvider badTags = new RdsSnapshotProvider("bitbucket-db", "eu-west-1");
        badTags.setExtraTags("cost-center: platform");
        assertThatThrownBy(() -> badTags.toEngine(new FakeServices(true))).isInstanceOf(AbortException.class)
                .hasMessageContaining("extraTags").hasMessageContaining("'cost-center: platform'");
        RdsSnapshotProvider noWait = new RdsSnapshotProvider("bitbucket-db", "eu-west-1");
        noWait.setWaitTimeoutMinutes(0);
        assertThatThrownBy(() -> noWait.toEngine(new FakeServices(true))).isInstanceOf(AbortException.class)
                .hasMessageContaining("waitTimeoutMinutes");
    }

    @Test
    void auroraRestoresWithItsClusterParameterGroupAndTheWritersClass() throws Exception {
        AuroraSnapshotProvider aurora = new AuroraSnapshotProvider("bitbucket-cluster", "eu-west-1");
        aurora.setRestoreIdentifier("bitbucket-cluster-dr");
        aurora.setRestoreInstanceClass("db.r6g.xlarge");
        aurora.setRestoreSubnetGroupName("bitbucket-private");
        aurora.setRestoreSecurityGroupIds("sg-0123456789abcdef0");
        aurora.setRestoreParameterGroupName("bitbucket-writer");
        aurora.setRestoreClusterParameterGroupName("bitbucket-cluster-pg16");
        try (ClosingProvider engine = (ClosingProvider) aurora.toEngine(new FakeServices(true))) {
            RdsConfig c = ((io.jenkins.plugins.bbdc.core.provider.aws.RdsSnapshotProvider) engine.delegate()).config();
            assertThat(c.cluster()).isTrue();
            assertThat(c.restoreIdentifier()).isEqualTo("bitbucket-cluster-dr");
            assertThat(c.instanceClass()).isEqualTo("db.r6g.xlarge");
            assertThat(c.subnetGroupName()).isEqualTo("bitbucket-private");
            assertThat(c.securityGroupIds()).containsExactly("sg-0123456789abcdef0");
            assertThat(c.parameterGroupName()).isEqualTo("bitbucket-writer");
            assertThat(c.clusterParameterGroupName()).isEqualTo("bitbucket-cluster-pg16");
            assertThat(c.multiAz()).as("Aurora has no Multi-AZ setting").isNull();
        }
    }

    @Test
    void ebsRestoresWithTheConfiguredVolumesPlacementAndMounts() throws Exception {
        EbsSnapshotProvider p = new EbsSnapshotProvider("eu-west-1");
        p.setEc2InstanceId("i-0123456789abcdef0");
        p.setExcludeVolumeIds("vol-0123456789abcdef1 vol-0123456789abcdef2");
        p.setExtraTags("cost-center=platform");
        p.setDurableTimeoutMinutes(45);
        p.setRestoreAvailabilityZone("eu-west-1b");
        p.setRestoreInstanceId("i-0fedcba9876543210");
        p.setRestoreVolumeType("io2");
        p.setRestoreIops(16000);
        p.setRestoreEncrypted(true);
        p.setRestoreKmsKeyId("alias/bitbucket");
        p.setRestoreMountPoints("/dev/xvdf=/var/atlassian/application-data/bitbucket/shared");
        p.setRestoreOsDevices("/dev/xvdf=/dev/nvme1n1");
        assertThat(p.runsCommands()).as("mounting runs on the agent").isTrue();
        try (ClosingProvider engine = (ClosingProvider) p.toEngine(new FakeServices(true))) {
            EbsConfig c = ((io.jenkins.plugins.bbdc.core.provider.aws.EbsSnapshotProvider) engine.delegate()).config();
            assertThat(c.excludeVolumeIds()).containsExactlyInAnyOrder("vol-0123456789abcdef1", "vol-0123456789abcdef2");
            assertThat(c.extraTags()).containsExactlyEntriesOf(Map.of("cost-center", "platform"));
            assertThat(c.durableTimeout()).isEqualTo(Duration.ofMinutes(45));
            assertThat(c.restoreAvailabilityZone()).isEqualTo("eu-west-1b");
            assertThat(c.restoreInstanceId()).isEqualTo("i-0fedcba9876543210");
            assertThat(c.effectiveVolumeType()).isEqualTo("io2");
            assertThat(c.restoreIops()).isEqualTo(16000);
            assertThat(c.restoreThroughput()).isNull();
            assertThat(c.restoreEncrypted()).isTrue();
            assertThat(c.restoreKmsKeyId()).isEqualTo("alias/bitbucket");
            assertThat(c.mountPoints()).containsExactlyEntriesOf(
                    Map.of("/dev/xvdf", "/var/atlassian/application-data/bitbucket/shared"));
            assertThat(c.osDevice("/dev/xvdf")).isEqualTo("/dev/nvme1n1");
            assertThat(c.osDevice("/dev/xvdg")).isEqualTo("/dev/xvdg");
        }

        EbsSnapshotProvider defaults = new EbsSnapshotProvider("eu-west-1");
        defaults.setVolumeId("vol-0123456789abcdef0");
        defaults.setRestoreThroughput(500);
        try (ClosingProvider engine = (ClosingProvider) defaults.toEngine(new FakeServices(true))) {
            EbsConfig c = ((io.jenkins.plugins.bbdc.core.provider.aws.EbsSnapshotProvider) engine.delegate()).config();
            assertThat(c.effectiveVolumeType()).isEqualTo("gp3");
            assertThat(c.restoreThroughput()).isEqualTo(500);
            assertThat(c.restoreIops()).as("0 = the AWS default").isNull();
            assertThat(c.restoreEncrypted()).as("unchecked = as the snapshot").isNull();
            assertThat(c.durableTimeout()).isEqualTo(Duration.ofHours(6));
            assertThat(c.restoreAvailabilityZone()).isNull();
            assertThat(c.mountPoints()).isEmpty();
        }

        EbsSnapshotProvider io1 = new EbsSnapshotProvider("eu-west-1");
        io1.setVolumeId("vol-0123456789abcdef0");
        io1.setRestoreVolumeType("io1");
        assertThatThrownBy(() -> io1.toEngine(new FakeServices(true))).isInstanceOf(AbortException.class)
                .hasMessageContaining("ebs eu-west-1").hasMessageContaining("needs 'iops'");
        EbsSnapshotProvider gp2 = new EbsSnapshotProvider("eu-west-1");
        gp2.setVolumeId("vol-0123456789abcdef0");
        gp2.setRestoreVolumeType("gp2");
        gp2.setRestoreThroughput(250);
        assertThatThrownBy(() -> gp2.toEngine(new FakeServices(true))).hasMessageContaining("gp3 volumes only");
        EbsSnapshotProvider badMounts = new EbsSnapshotProvider("eu-west-1");
        badMounts.setVolumeId("vol-0123456789abcdef0");
        badMounts.setRestoreMountPoints("/dev/xvdf /srv/bitbucket");
        assertThatThrownBy(() -> badMounts.toEngine(new FakeServices(true))).isInstanceOf(AbortException.class)
                .hasMessageContaining("restoreMountPoints").hasMessageContaining("key=value");
    }

    @Test
    void theAssumedRoleSessionHasTheConfiguredNameAndDuration() throws Exception {
        EbsSnapshotProvider p = new EbsSnapshotProvider("eu-west-1");
        p.setVolumeId("vol-0123456789abcdef0");
        p.setRoleArn("arn:aws:iam::123456789012:role/bitbucket-backup");
        try (ClosingProvider engine = (ClosingProvider) p.toEngine(new FakeServices(true))) {
            AwsCredentialsConfig c = ((AwsClientFactory) engine.resource()).settings().credentials();
            assertThat(c.sessionName()).isEqualTo("bbdc-ops");
            assertThat(c.sessionDuration()).isEqualTo(Duration.ofHours(1));
        }
        FakeServices build = new FakeServices(true) {
            @Override
            public String defaultRoleSessionName() {
                return "jenkins-bitbucket-backup-41";
            }
        };
        try (ClosingProvider engine = (ClosingProvider) p.toEngine(build)) {
            assertThat(((AwsClientFactory) engine.resource()).settings().credentials().sessionName())
                    .as("a build names the session after itself").isEqualTo("jenkins-bitbucket-backup-41");
        }
        p.setRoleSessionName("jenkins-bitbucket-backup-42");
        p.setRoleSessionDurationMinutes(180);
        try (ClosingProvider engine = (ClosingProvider) p.toEngine(build)) {
            AwsCredentialsConfig c = ((AwsClientFactory) engine.resource()).settings().credentials();
            assertThat(c.sessionName()).isEqualTo("jenkins-bitbucket-backup-42");
            assertThat(c.sessionDuration()).isEqualTo(Duration.ofHours(3));
        }
        p.setRoleSessionDurationMinutes(5);
        assertThatThrownBy(() -> p.toEngine(new FakeServices(true))).isInstanceOf(AbortException.class)
                .hasMessageContaining("between 15 minutes and 12 hours");

        RdsSnapshotProvider withoutRole = new RdsSnapshotProvider("bitbucket-db", "eu-west-1");
        withoutRole.setRoleSessionName("jenkins");
        assertThatThrownBy(() -> withoutRole.toEngine(new FakeServices(true))).isInstanceOf(AbortException.class)
                .hasMessageContaining("rds bitbucket-db").hasMessageContaining("no roleArn");
    }

    @Test
    void credentialsAreLookedUpWithTheUrlTheyAreUsedAgainst() throws Exception {
        FakeServices services = new FakeServices(true);
        ClosingProvider.closeAll(List.of(new NetAppSnapshotProvider("https://cluster1.example.com", "svm", "vol",
                "pg-backup").toEngine(services)));
        new PostgresDumpProvider("db.example.com", "bitbucket", "pg-backup", "/backups/pg").toEngine(services);
        new PostgresDumpProvider("fd00::5", "bitbucket", "pg-backup", "/backups/pg").toEngine(services);
        OpenSearchSnapshotProvider search = new OpenSearchSnapshotProvider("https://search.example.com:9200", "bb");
        search.setCredentialsId("pg-backup");
        ClosingProvider.closeAll(List.of(search.toEngine(services)));
        assertThat(services.uris).containsExactly("https://cluster1.example.com", "postgresql://db.example.com",
                "postgresql://[fd00::5]", "https://search.example.com:9200");
    }

    @Test
    void openSearchSendsTheApiKeyOfTheSecretTextEntry() throws Exception {
        List<String> authorization = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            authorization.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            byte[] body = "{\"bb-snaps\":{\"type\":\"fs\",\"settings\":{}}}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            FakeServices services = new FakeServices(true);
            OpenSearchSnapshotProvider p = new OpenSearchSnapshotProvider(url, "bb-snaps");
            p.setApiKeyCredentialsId("search-key");
            assertThat(p.credentialsIds()).containsExactly("search-key");
            SnapshotProvider engine = p.toEngine(services);
            try {
                assertThat(engine.check(ctx()).errors()).isEmpty();
                assertThat(String.join("\n", engine.plan(ctx()))).doesNotContain("c2VhcmNoLWtleQ==");
            } finally {
                ClosingProvider.closeAll(List.of(engine));
            }
            assertThat(authorization).isNotEmpty().allMatch("ApiKey c2VhcmNoLWtleQ=="::equals);
            assertThat(services.asked).containsExactly("search-key for the search cluster " + url);
            assertThat(services.uris).containsExactly(url);

            p.setCredentialsId("pg-backup");
            assertThat(p.credentialsIds()).containsExactly("pg-backup", "search-key");
            assertThatThrownBy(() -> p.toEngine(services)).isInstanceOf(AbortException.class)
                    .hasMessageContaining("not both");
            OpenSearchSnapshotProvider unknown = new OpenSearchSnapshotProvider(url, "bb-snaps");
            unknown.setApiKeyCredentialsId("nope");
            assertThatThrownBy(() -> unknown.toEngine(services)).hasMessageContaining("'nope'");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void openSearchRegistersAMissingRepositoryWithTheConfiguredTypeAndSettings() throws Exception {
        try (OpenSearchEndpoint search = OpenSearchEndpoint.start(null, null).addIndex("bitbucket-search-v1", 10)) {
            OpenSearchSnapshotProvider p = new OpenSearchSnapshotProvider(search.url().toString(), "bb-snaps");
            SnapshotProvider mustExist = p.toEngine(new FakeServices(true));
            try {
                assertThat(mustExist.check(ctx()).errors()).singleElement().asString()
                        .contains("snapshot repository 'bb-snaps' does not exist");
            } finally {
                ClosingProvider.closeAll(List.of(mustExist));
            }

            p.setRepositoryType("fs");
            p.setRepositorySettings("location = /mnt/search-snapshots\ncompress=true");
            p.setWaitTimeoutMinutes(90);
            SnapshotProvider engine = p.toEngine(new FakeServices(true));
            try {
                assertThat(engine.check(ctx()).findings()).singleElement()
                        .matches(f -> !f.error() && f.message().contains("will be created with type fs"));
                assertThat(String.join("\n", engine.plan(ctx()))).contains("at most PT1H30M");
                engine.prepare(ctx());
                assertThat(engine.check(ctx()).findings()).isEmpty();
            } finally {
                ClosingProvider.closeAll(List.of(engine));
            }
            assertThat(search.calls()).contains(new OpenSearchEndpoint.Call("PUT", "/_snapshot/bb-snaps", 200));

            OpenSearchSnapshotProvider settingsOnly = new OpenSearchSnapshotProvider(search.url().toString(), "bb");
            settingsOnly.setRepositorySettings("location=/mnt/x");
            assertThatThrownBy(() -> settingsOnly.toEngine(new FakeServices(true))).isInstanceOf(AbortException.class)
                    .hasMessageContaining("set repositoryType too");
        }
    }

    @Test
    void openSearchOverHttpsTrustsExactlyTheConfiguredCertificate(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        io.jenkins.plugins.bbdc.testkit.tls.SelfSignedCertificate cert =
                io.jenkins.plugins.bbdc.testkit.tls.SelfSignedCertificate.generate(dir, "search");
        try (OpenSearchEndpoint search = OpenSearchEndpoint.startHttps(null, null, cert.keyStore(),
                io.jenkins.plugins.bbdc.testkit.tls.SelfSignedCertificate.PASSWORD)
                .addIndex("bitbucket-search-v1", 10)) {
            OpenSearchSnapshotProvider p = new OpenSearchSnapshotProvider(search.url().toString(), "bb-snaps");
            p.setRepositoryType("fs");
            SnapshotProvider untrusted = p.toEngine(new FakeServices(true));
            try {
                assertThat(untrusted.check(ctx()).errors()).isNotEmpty();
            } finally {
                ClosingProvider.closeAll(List.of(untrusted));
            }

            p.setTrustedCertificate(cert.pem());
            SnapshotProvider trusted = p.toEngine(new FakeServices(true));
            try {
                assertThat(trusted.check(ctx()).errors()).isEmpty();
            } finally {
                ClosingProvider.closeAll(List.of(trusted));
            }
        }
    }

    @Test
    void openSearchRestoresUnderTheRenamePrefix() throws Exception {
        OpenSearchSnapshotProvider p = new OpenSearchSnapshotProvider("https://search.example.com:9200", "bb");
        SnapshotProvider plain = p.toEngine(new FakeServices(true));
        assertThat(plain).isNotInstanceOf(RestoreDefaults.class);
        ClosingProvider.closeAll(List.of(plain));
        p.setRenamePrefix("restored-");
        SnapshotProvider engine = p.toEngine(new FakeServices(true));
        assertThat(engine).isInstanceOf(RestoreDefaults.class).isInstanceOf(AutoCloseable.class);
        assertThat(((RestoreDefaults) engine).defaults()).containsExactlyEntriesOf(Map.of("renamePrefix", "restored-"));
        assertThat(engine.kind()).isEqualTo("opensearch");
        ClosingProvider.closeAll(List.of(engine));
    }

    private static io.jenkins.plugins.bbdc.core.provider.ProviderContext ctx() {
        return new io.jenkins.plugins.bbdc.core.provider.ProviderContext("prod",
                io.jenkins.plugins.bbdc.core.provider.ComponentRole.DATABASE, null,
                spec -> {
                    throw new java.io.IOException("no commands in a plan");
                }, null, null, null);
    }
}
