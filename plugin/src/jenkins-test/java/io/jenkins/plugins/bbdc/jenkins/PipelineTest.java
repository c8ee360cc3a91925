package io.jenkins.plugins.bbdc.jenkins;

import hudson.model.Result;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketOpsConfiguration;
import io.jenkins.plugins.bbdc.jenkins.provider.BtrfsSnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.PostgresDumpProvider;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** What a Pipeline author sees when a step is used wrongly: a clear message, nothing changed. */
@WithJenkins
class PipelineTest {

    private static void configure() {
        BitbucketInstance prod = new BitbucketInstance("prod", "http://127.0.0.1:9", "bb-admin");
        prod.setHome(new BtrfsSnapshotProvider("/srv/bb/shared", "/srv/.snapshots"));
        prod.setDatabase(new PostgresDumpProvider("db", "bitbucket", "pg", "/backups/pg"));
        BitbucketOpsConfiguration.get().setInstances(List.of(prod));
    }

    @Test
    void aCommandProviderOutsideNodeSaysItNeedsANode(JenkinsRule r) throws Exception {
        configure();
        WorkflowJob p = r.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("bitbucketBackup 'prod'", true));
        WorkflowRun b = r.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        r.assertLogContains("must run inside a node block", b);
    }

    @Test
    void anUnknownInstanceListsTheConfiguredOnes(JenkinsRule r) throws Exception {
        configure();
        WorkflowJob p = r.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("node { bitbucketRestore instance: 'qa', dryRun: true }", true));
        WorkflowRun b = r.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        r.assertLogContains("No Bitbucket instance 'qa' is configured; configured instances: prod.", b);
    }

    @Test
    void missingCredentialsAreNamedWithoutTouchingBitbucket(JenkinsRule r) throws Exception {
        configure();
        r.createOnlineSlave();
        WorkflowJob p = r.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("node('!built-in') { bitbucketRestore instance: 'prod', dryRun: true }",
                true));
        WorkflowRun b = r.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        r.assertLogContains("Could not find a credentials entry with ID 'pg'", b);
    }

    @Test
    void aStepsAwsProviderWithoutCredentialsIsRefusedUnlessTheInstanceAllowsTheControllersIdentity(JenkinsRule r)
            throws Exception {
        configure();
        WorkflowJob p = r.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("bitbucketRestore instance: 'prod', dryRun: true, "
                + "home: ebsSnapshot(region: 'eu-west-1', volumeId: 'vol-0123456789abcdef0')", true));
        WorkflowRun b = r.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        r.assertLogContains("The provider ebs eu-west-1 names no AWS credentials entry", b);
        r.assertLogContains("Allow the controller AWS identity for the instance 'prod'", b);
    }

    @Test
    void aRestoreWritingTheSharedHomeOnTheBuiltInNodeIsRefusedUnlessTheInstanceAllowsIt(JenkinsRule r)
            throws Exception {
        configure();
        WorkflowJob p = r.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("node('built-in') { bitbucketRestore instance: 'prod', dryRun: true, "
                + "sharedHome: '/var/atlassian/bitbucket/shared' }", true));
        WorkflowRun b = r.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        r.assertLogContains("would act on the Jenkins controller's file system", b);
        r.assertLogContains("the enclosing node block runs on the built-in node", b);

        BitbucketOpsConfiguration.get().findInstance("prod").setAllowControllerFileSystem(true);
        b = r.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        r.assertLogNotContains("would act on the Jenkins controller's file system", b);
        r.assertLogContains("Could not find a credentials entry with ID 'pg'", b);
    }

    @Test
    void cloudFormationNextToABodyOrANodeCommandIsRefusedBeforeBitbucketIsAsked(JenkinsRule r) throws Exception {
        configure();
        WorkflowJob p = r.createProject(WorkflowJob.class, "p");
        String cf = "cloudFormation: cloudFormation(region: 'eu-west-1', autoScalingGroup: 'bitbucket-nodes'), "
                + "nodeUrlTemplate: 'http://{nodeHost}:7990'";
        p.setDefinition(new CpsFlowDefinition("bitbucketRollingUpgrade(instance: 'prod', targetVersion: '8.19.3', "
                + cf + ") { echo 'never' }", true));
        WorkflowRun b = r.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        r.assertLogContains("With cloudFormation the Auto Scaling group replaces every node: remove the body", b);
        r.assertLogNotContains("never", b);

        p.setDefinition(new CpsFlowDefinition("bitbucketRollingUpgrade(instance: 'prod', targetVersion: '8.19.3', "
                + cf + ", nodeCommand: '/opt/upgrade.sh {nodeHost}')", true));
        b = r.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        r.assertLogContains("Give either nodeCommand or cloudFormation, not both", b);
    }
}
