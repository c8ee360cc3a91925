package io.jenkins.plugins.bbdc.jenkins;

import io.jenkins.plugins.bbdc.jenkins.provider.BtrfsSnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.steps.BitbucketBackupStep;
import io.jenkins.plugins.bbdc.jenkins.steps.BitbucketRestoreStep;
import io.jenkins.plugins.bbdc.jenkins.steps.BitbucketRollingUpgradeStep;
import io.jenkins.plugins.bbdc.jenkins.upgrade.CloudFormationUpgrade;
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** Scripts read the way docs/jenkins.md shows, and the step forms keep every value (getters match defaults). */
@WithJenkins
class SnippetTest {

    @Test
    void backupSnippets(JenkinsRule r) throws Exception {
        SnippetizerTester st = new SnippetizerTester(r);
        st.assertRoundTrip(new BitbucketBackupStep("prod"), "bitbucketBackup 'prod'");
        BitbucketBackupStep s = new BitbucketBackupStep("prod");
        s.setMode("locked");
        s.setHome(new BtrfsSnapshotProvider("/srv/bb/shared", "/srv/.snapshots"));
        st.assertRoundTrip(s, "bitbucketBackup home: btrfsSnapshot(snapshotDirectory: '/srv/.snapshots', "
                + "subvolume: '/srv/bb/shared'), instance: 'prod', mode: 'LOCKED'");
        r.assertEqualDataBoundBeans(s, new StepConfigTester(r).configRoundTrip(s));

        BitbucketBackupStep m = new BitbucketBackupStep("prod");
        io.jenkins.plugins.bbdc.jenkins.config.RetentionRules rules =
                new io.jenkins.plugins.bbdc.jenkins.config.RetentionRules();
        rules.setKeepLast(7);
        rules.setDaily(14);
        m.setRetention(rules);
        m.setMeshHomes(java.util.List.of(new io.jenkins.plugins.bbdc.jenkins.config.MeshHome("mesh-1",
                new BtrfsSnapshotProvider("/srv/mesh", "/srv/.snapshots"))));
        st.assertRoundTrip(m, "bitbucketBackup instance: 'prod', meshHomes: [meshHome(node: 'mesh-1', "
                + "provider: btrfsSnapshot(snapshotDirectory: '/srv/.snapshots', subvolume: '/srv/mesh'))], "
                + "retention: retention(daily: 14, keepLast: 7)");
        r.assertEqualDataBoundBeans(m, new StepConfigTester(r).configRoundTrip(m));
    }

    @Test
    void restoreSnippets(JenkinsRule r) throws Exception {
        SnippetizerTester st = new SnippetizerTester(r);
        BitbucketRestoreStep s = new BitbucketRestoreStep("staging");
        s.setRestorePoint("latest");
        st.assertRoundTrip(s, "bitbucketRestore 'staging'");
        s.setAllowReplace(true);
        s.setPointInTime("2026-11-21T03:00:00Z");
        st.assertRoundTrip(s, "bitbucketRestore allowReplace: true, instance: 'staging', "
                + "pointInTime: '2026-11-21T03:00:00Z'");
        r.assertEqualDataBoundBeans(s, new StepConfigTester(r).configRoundTrip(s));
        s.setRebuildCatalog(true);
        st.assertRoundTrip(s, "bitbucketRestore allowReplace: true, instance: 'staging', "
                + "pointInTime: '2026-11-21T03:00:00Z', rebuildCatalog: true");
        r.assertEqualDataBoundBeans(s, new StepConfigTester(r).configRoundTrip(s));

        BitbucketRestoreStep m = new BitbucketRestoreStep("staging");
        m.setMeshHomes(java.util.List.of(new io.jenkins.plugins.bbdc.jenkins.config.MeshHome("mesh-1",
                new BtrfsSnapshotProvider("/srv/mesh", "/srv/.snapshots"))));
        st.assertRoundTrip(m, "bitbucketRestore instance: 'staging', meshHomes: [meshHome(node: 'mesh-1', "
                + "provider: btrfsSnapshot(snapshotDirectory: '/srv/.snapshots', subvolume: '/srv/mesh'))]");
        r.assertEqualDataBoundBeans(m, new StepConfigTester(r).configRoundTrip(m));
    }

    @Test
    void copyDestinationSnippets(JenkinsRule r) throws Exception {
        SnippetizerTester st = new SnippetizerTester(r);
        BitbucketBackupStep s = new BitbucketBackupStep("prod");
        io.jenkins.plugins.bbdc.jenkins.provider.EbsSnapshotProvider home =
                new io.jenkins.plugins.bbdc.jenkins.provider.EbsSnapshotProvider("eu-west-1");
        home.setVolumeId("vol-0123456789abcdef0");
        home.setCopyRegion("eu-central-1");
        home.setCopyKmsKeyId("alias/bitbucket-dr");
        s.setHome(home);
        st.assertRoundTrip(s, "bitbucketBackup home: ebsSnapshot(copyKmsKeyId: 'alias/bitbucket-dr', "
                + "copyRegion: 'eu-central-1', region: 'eu-west-1', volumeId: 'vol-0123456789abcdef0'), "
                + "instance: 'prod'");
        r.assertEqualDataBoundBeans(s, new StepConfigTester(r).configRoundTrip(s));
    }

    @Test
    void rollingUpgradeSnippets(JenkinsRule r) throws Exception {
        SnippetizerTester st = new SnippetizerTester(r);
        BitbucketRollingUpgradeStep s = new BitbucketRollingUpgradeStep("prod", "8.19.3");
        // a block step: the generator prints the parenthesised form with a placeholder body
        st.assertRoundTrip(s, "bitbucketRollingUpgrade(instance: 'prod', targetVersion: '8.19.3') {\n"
                + "    // some block\n}");
        r.assertEqualDataBoundBeans(s, new StepConfigTester(r).configRoundTrip(s));

        s.setNodeCommand("/opt/bbdc/upgrade-node.sh {nodeHost} {targetVersion}");
        s.setNodeOrder("bb-node-2, bb-node-1");
        s.setNodeTimeoutMinutes(30);
        s.setBackupFirst(true);
        s.setNodeUrlTemplate("http://{nodeHost}:7990");
        s.setReplacesNodes(true);
        st.assertRoundTrip(s, "bitbucketRollingUpgrade(backupFirst: true, instance: 'prod', "
                + "nodeCommand: '/opt/bbdc/upgrade-node.sh {nodeHost} {targetVersion}', "
                + "nodeOrder: 'bb-node-2, bb-node-1', nodeTimeoutMinutes: 30, "
                + "nodeUrlTemplate: 'http://{nodeHost}:7990', replacesNodes: true, targetVersion: '8.19.3') {\n"
                + "    // some block\n}");
        r.assertEqualDataBoundBeans(s, new StepConfigTester(r).configRoundTrip(s));
    }

    @Test
    void cloudFormationUpgradeSnippets(JenkinsRule r) throws Exception {
        SnippetizerTester st = new SnippetizerTester(r);
        BitbucketRollingUpgradeStep s = new BitbucketRollingUpgradeStep("prod", "8.19.3");
        s.setNodeUrlTemplate("http://{nodeHost}:7990");
        CloudFormationUpgrade cf = new CloudFormationUpgrade("eu-west-1", "bitbucket-ClusterNodeGroup-1A2B");
        s.setCloudFormation(cf);
        // the defaults (versionParameter, timeouts, role session duration) are not printed
        st.assertRoundTrip(s, "bitbucketRollingUpgrade(cloudFormation: cloudFormation(autoScalingGroup: "
                + "'bitbucket-ClusterNodeGroup-1A2B', region: 'eu-west-1'), instance: 'prod', "
                + "nodeUrlTemplate: 'http://{nodeHost}:7990', targetVersion: '8.19.3') {\n    // some block\n}");
        r.assertEqualDataBoundBeans(s, new StepConfigTester(r).configRoundTrip(s));

        cf.setStack("bitbucket-prod");
        cf.setVersionParameter("Version");
        cf.setNodeInstances("bb-node-1=i-0123456789abcdef0");
        cf.setStackUpdateTimeoutMinutes(90);
        cf.setReplacementTimeoutMinutes(40);
        cf.setCredentialsId("aws-upgrade");
        cf.setRoleArn("arn:aws:iam::123456789012:role/bitbucket-upgrade");
        cf.setExternalId("ops-7");
        cf.setRoleSessionName("upgrade-prod");
        cf.setRoleSessionDurationMinutes(120);
        cf.setEndpointUrl("https://vpce-0a1b2c.autoscaling.eu-west-1.vpce.amazonaws.com");
        st.assertRoundTrip(s, "bitbucketRollingUpgrade(cloudFormation: cloudFormation(autoScalingGroup: "
                + "'bitbucket-ClusterNodeGroup-1A2B', credentialsId: 'aws-upgrade', "
                + "endpointUrl: 'https://vpce-0a1b2c.autoscaling.eu-west-1.vpce.amazonaws.com', externalId: 'ops-7', "
                + "nodeInstances: 'bb-node-1=i-0123456789abcdef0', region: 'eu-west-1', replacementTimeoutMinutes: 40, "
                + "roleArn: 'arn:aws:iam::123456789012:role/bitbucket-upgrade', roleSessionDurationMinutes: 120, "
                + "roleSessionName: 'upgrade-prod', stack: 'bitbucket-prod', stackUpdateTimeoutMinutes: 90, "
                + "versionParameter: 'Version'), instance: 'prod', nodeUrlTemplate: 'http://{nodeHost}:7990', "
                + "targetVersion: '8.19.3') {\n    // some block\n}");
        r.assertEqualDataBoundBeans(s, new StepConfigTester(r).configRoundTrip(s));
    }

    @Test
    void aStepWithoutProvidersKeepsNoneThroughItsForm(JenkinsRule r) throws Exception {
        // the provider checkboxes stay unticked: no provider type is picked for the user
        BitbucketRestoreStep s = new BitbucketRestoreStep("staging");
        BitbucketRestoreStep after = new StepConfigTester(r).configRoundTrip(s);
        org.junit.jupiter.api.Assertions.assertNull(after.getHome());
        org.junit.jupiter.api.Assertions.assertNull(after.getDatabase());
        org.junit.jupiter.api.Assertions.assertNull(after.getSearch());
        BitbucketBackupStep b = new BitbucketBackupStep("prod");
        b.setDatabase(new BtrfsSnapshotProvider("/srv/pg", "/srv/.snapshots"));
        BitbucketBackupStep back = new StepConfigTester(r).configRoundTrip(b);
        org.junit.jupiter.api.Assertions.assertNull(back.getHome());
        r.assertEqualDataBoundBeans(b, back);
    }
}
