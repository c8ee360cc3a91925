package io.jenkins.plugins.bbdc.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketOpsConfiguration;
import io.jenkins.plugins.bbdc.jenkins.provider.AuroraSnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.BtrfsSnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.EbsSnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.OpenSearchSnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.PostgresDumpProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.RdsSnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.builders.BitbucketBackupBuilder;
import io.jenkins.plugins.bbdc.jenkins.builders.BitbucketRestoreBuilder;
import io.jenkins.plugins.bbdc.jenkins.builders.BitbucketRollingUpgradeBuilder;
import io.jenkins.plugins.bbdc.jenkins.config.RetentionRules;
import io.jenkins.plugins.bbdc.jenkins.steps.BitbucketBackupStep;
import io.jenkins.plugins.bbdc.jenkins.steps.BitbucketRestoreStep;
import io.jenkins.plugins.bbdc.jenkins.steps.BitbucketRollingUpgradeStep;
import io.jenkins.plugins.bbdc.jenkins.upgrade.CloudFormationUpgrade;
import hudson.model.FreeStyleProject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The global configuration survives the configuration form unchanged: every field of an instance and of its
 * providers has a getter and a form control, and a second, minimal instance keeps its defaults.
 */
@WithJenkins
class ConfigurationRoundTripTest {

    @Test
    void instancesWithProvidersSurviveTheForm(JenkinsRule r) throws Exception {
        BitbucketInstance prod = new BitbucketInstance("prod", "https://bitbucket.example.com", "bb-admin");
        prod.setAdminUrl("http://bb-admin.internal:7990");
        prod.setNodeUrls("http://bb-node-1:7990\nhttp://bb-node-2:7990");
        prod.setBackupMode("LOCKED");
        prod.setHome(new BtrfsSnapshotProvider("/srv/bb/shared", "/srv/.snapshots"));
        PostgresDumpProvider db = new PostgresDumpProvider("db.internal", "bitbucket", "pg", "/backups/pg");
        db.setPort(5433);
        db.setJobs(4);
        db.setSslMode("require");
        prod.setDatabase(db);
        OpenSearchSnapshotProvider search = new OpenSearchSnapshotProvider("https://search.internal:9200", "bb-repo");
        search.setCredentialsId("search-admin");
        search.setIndices("bitbucket-*");
        search.setRepositoryType("fs");
        search.setRepositorySettings("location=/mnt/search-snapshots\ncompress=true");
        search.setRenamePrefix("restored-");
        search.setWaitTimeoutMinutes(90);
        search.setTrustedCertificate("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----");
        prod.setSearch(search);
        prod.setKeepLast(7);
        prod.setCatalogDirectory("/backups/catalog");
        prod.setAllowControllerFileSystem(true);
        BitbucketInstance staging = new BitbucketInstance("staging", "https://staging.example.com", "bb-admin");
        BitbucketInstance aws = awsInstance();
        BitbucketInstance aurora = new BitbucketInstance("aurora", "https://aurora.example.com", "bb-admin");
        AuroraSnapshotProvider cluster = new AuroraSnapshotProvider("bitbucket-cluster", "eu-west-1");
        cluster.setRestoreClusterParameterGroupName("bitbucket-cluster-pg16");
        cluster.setRestoreInstanceClass("db.r6g.xlarge");
        cluster.setCopyRegion("eu-central-1");
        cluster.setCopyKmsKeyId("arn:aws:kms:eu-central-1:123456789012:key/aurora-dr");
        aurora.setDatabase(cluster);
        OpenSearchSnapshotProvider keyed = new OpenSearchSnapshotProvider("https://search.aurora:9200", "bb-repo");
        keyed.setApiKeyCredentialsId("search-api-key");
        aurora.setSearch(keyed);
        BitbucketOpsConfiguration.get().setInstances(List.of(prod, staging, aws, aurora));

        r.configRoundtrip();

        BitbucketOpsConfiguration after = BitbucketOpsConfiguration.get();
        assertEquals(4, after.getInstances().size());
        r.assertEqualDataBoundBeans(prod, after.findInstance("prod"));
        r.assertEqualDataBoundBeans(staging, after.findInstance("staging"));
        r.assertEqualDataBoundBeans(aws, after.findInstance("aws"));
        r.assertEqualDataBoundBeans(aurora, after.findInstance("aurora"));
    }

    /** Every option of the EBS and RDS forms set away from its default. */
    private static BitbucketInstance awsInstance() {
        BitbucketInstance aws = new BitbucketInstance("aws", "https://bitbucket-aws.example.com", "bb-admin");
        aws.setAllowControllerAwsIdentity(true);
        EbsSnapshotProvider home = new EbsSnapshotProvider("eu-west-1");
        home.setEc2InstanceId("i-0123456789abcdef0");
        home.setExcludeBootVolume(false);
        home.setExcludeVolumeIds("vol-0123456789abcdef1");
        home.setFreezeMountPoints("/var/atlassian/application-data/bitbucket/shared");
        home.setDurableTimeoutMinutes(120);
        home.setCredentialsId("aws-prod");
        home.setRoleArn("arn:aws:iam::123456789012:role/bitbucket-backup");
        home.setExternalId("ext-1");
        home.setRoleSessionName("jenkins-backup");
        home.setRoleSessionDurationMinutes(240);
        home.setEndpointUrl("https://vpce-1.ec2.eu-west-1.vpce.amazonaws.com");
        home.setExtraTags("cost-center=platform\nowner=scm");
        home.setRestoreAvailabilityZone("eu-west-1b");
        home.setRestoreInstanceId("i-0fedcba9876543210");
        home.setRestoreVolumeType("io2");
        home.setRestoreIops(16000);
        home.setRestoreThroughput(0);
        home.setRestoreEncrypted(true);
        home.setRestoreKmsKeyId("alias/bitbucket");
        home.setRestoreMountPoints("/dev/xvdf=/var/atlassian/application-data/bitbucket/shared");
        home.setRestoreOsDevices("/dev/xvdf=/dev/nvme1n1");
        home.setCopyRegion("eu-central-1");
        home.setCopyKmsKeyId("alias/bitbucket-dr");
        aws.setHome(home);
        RdsSnapshotProvider db = new RdsSnapshotProvider("bitbucket-db", "eu-west-1");
        db.setCredentialsId("aws-prod");
        db.setExtraTags("cost-center=platform");
        db.setWaitTimeoutMinutes(90);
        db.setRestorableWaitTimeoutMinutes(30);
        db.setRestoreIdentifier("bitbucket-db-restored");
        db.setRestoreInstanceClass("db.r6g.large");
        db.setRestoreSubnetGroupName("bitbucket-private");
        db.setRestoreSecurityGroupIds("sg-0123456789abcdef0 sg-0fedcba9876543210");
        db.setRestoreParameterGroupName("bitbucket-pg16");
        db.setRestoreMultiAz(true);
        db.setCopyRegion("eu-central-1");
        aws.setDatabase(db);
        return aws;
    }

    @Test
    void theFreestyleCloudFormationUpgradeKeepsEverySetting(JenkinsRule r) throws Exception {
        BitbucketRollingUpgradeStep upgrade = new BitbucketRollingUpgradeStep("prod", "8.19.3");
        upgrade.setNodeUrlTemplate("http://{nodeHost}:7990");
        upgrade.setNodeTimeoutMinutes(25);
        CloudFormationUpgrade cf = new CloudFormationUpgrade("eu-west-1", "bitbucket-ClusterNodeGroup-1A2B");
        cf.setStack("bitbucket-prod");
        cf.setVersionParameter("Version");
        cf.setNodeInstances("bb-node-1=i-0123456789abcdef0\nbb-node-2=i-0fedcba9876543210");
        cf.setStackUpdateTimeoutMinutes(90);
        cf.setReplacementTimeoutMinutes(40);
        cf.setCredentialsId("aws-upgrade");
        cf.setRoleArn("arn:aws:iam::123456789012:role/bitbucket-upgrade");
        cf.setExternalId("ops-7");
        cf.setRoleSessionName("upgrade-prod");
        cf.setRoleSessionDurationMinutes(120);
        cf.setEndpointUrl("https://vpce-0a1b2c.autoscaling.eu-west-1.vpce.amazonaws.com");
        upgrade.setCloudFormation(cf);

        FreeStyleProject p = r.createFreeStyleProject("cfn-upgrade");
        p.getBuildersList().add(new BitbucketRollingUpgradeBuilder(upgrade));
        p = r.configRoundtrip(p);
        r.assertEqualDataBoundBeans(upgrade,
                p.getBuildersList().get(BitbucketRollingUpgradeBuilder.class).getUpgrade());
    }

    @Test
    void freestyleBuildersKeepEverySetting(JenkinsRule r) throws Exception {
        BitbucketBackupStep backup = new BitbucketBackupStep("prod");
        backup.setMode("LOCKED");
        backup.setDrainTimeoutMinutes(5);
        backup.setHome(new BtrfsSnapshotProvider("/srv/bb/shared", "/srv/.snapshots"));
        RetentionRules rules = new RetentionRules();
        rules.setKeepLast(3);
        backup.setRetention(rules);
        BitbucketRestoreStep restore = new BitbucketRestoreStep("staging");
        restore.setPointInTime("2026-11-21T03:00:00Z");
        restore.setAllowReplace(true);
        restore.setSharedHome("/var/atlassian/bitbucket/shared");
        restore.setEnableIntegrityCheck(false);
        restore.setRebuildCatalog(true);
        BitbucketRollingUpgradeStep upgrade = new BitbucketRollingUpgradeStep("prod", "8.19.3");
        upgrade.setNodeCommand("/opt/bbdc/upgrade-node.sh {nodeHost} {targetVersion}");
        upgrade.setNodeOrder("bb-node-2, bb-node-1");
        upgrade.setNodeTimeoutMinutes(30);

        FreeStyleProject p = r.createFreeStyleProject("ops");
        p.getBuildersList().add(new BitbucketBackupBuilder(backup));
        p.getBuildersList().add(new BitbucketRestoreBuilder(restore));
        p.getBuildersList().add(new BitbucketRollingUpgradeBuilder(upgrade));
        p = r.configRoundtrip(p);

        r.assertEqualDataBoundBeans(backup, p.getBuildersList().get(BitbucketBackupBuilder.class).getBackup());
        r.assertEqualDataBoundBeans(restore, p.getBuildersList().get(BitbucketRestoreBuilder.class).getRestore());
        r.assertEqualDataBoundBeans(upgrade,
                p.getBuildersList().get(BitbucketRollingUpgradeBuilder.class).getUpgrade());
    }
}
