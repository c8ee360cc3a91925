package io.jenkins.plugins.bbdc.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketOpsConfiguration;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.test.steps.SemaphoreStep;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * A controller restart in the middle of {@code bitbucketRollingUpgrade}: the step resumes from what the cluster
 * shows, the body of the node that was being upgraded finishes, and the remaining nodes follow. The test plays the
 * operator's node script: when a node's body starts it stops the simulated node and starts it on the new version.
 */
class UpgradeRestartTest {
    private static final String FROM = "8.19.1";
    private static final String TARGET = "8.19.2";
    /** Unlike the user name, the password must never show up in what Jenkins persisted. */
    private static final String BB_USER = "jenkins-ops";
    private static final String BB_PASSWORD = "Restart-Upgrade-Pw-5150";
    private static final Pattern UPGRADING = Pattern.compile("UPGRADING=([^=\\s]+)=");
    private static BitbucketSimulator sim;

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @AfterAll
    static void stopBitbucket() {
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void theUpgradeContinuesAfterARestartWhileANodeIsBeingUpgraded() throws Throwable {
        sim = BitbucketSimulator.builder().nodes(3).version(FROM).user(BB_USER, BB_PASSWORD, true)
                .stopTime(Duration.ofMillis(60)).startTime(Duration.ofMillis(200)).drainTime(Duration.ofMillis(100))
                .start();
        sessions.then(j -> {
            SystemCredentialsProvider.getInstance().getCredentials().add(new UsernamePasswordCredentialsImpl(
                    CredentialsScope.GLOBAL, "bb-admin", null, BB_USER, BB_PASSWORD));
            SystemCredentialsProvider.getInstance().save();
            BitbucketInstance prod = new BitbucketInstance("prod", sim.baseUrl().toString(), "bb-admin");
            // each node's own URL: the upgrade reads every node's /status there (asking each URL which node it is)
            prod.setNodeUrls(String.join("\n", sim.nodes().stream().map(n -> n.url().toString()).toList()));
            BitbucketOpsConfiguration.get().setInstances(List.of(prod));
            WorkflowJob p = j.createProject(WorkflowJob.class, "p");
            p.setDefinition(new CpsFlowDefinition(String.join("\n",
                    "def r = bitbucketRollingUpgrade(instance: 'prod', targetVersion: '" + TARGET + "') {",
                    "  echo \"UPGRADING=${env.BITBUCKET_NODE_ID}=\"",
                    "  semaphore 'bbnode'",
                    "}",
                    "echo \"DONE ${r.phase} ${r.finalVersion}\""), true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            SemaphoreStep.waitForStart("bbnode/1", b);
            // the controller goes down while node 1 is out of the cluster and its body is running
            assertEquals(Set.of(), OperationControlTest.grep(b.getRootDir(), BB_PASSWORD),
                    "nothing persisted before the restart holds the password");
        });
        sessions.then(j -> {
            WorkflowRun b = j.jenkins.getItemByFullName("p", WorkflowJob.class).getBuildByNumber(1);
            upgradeCurrentNode(b);
            SemaphoreStep.success("bbnode/1", null);
            for (int k = 2; k <= 3; k++) {
                SemaphoreStep.waitForStart("bbnode/" + k, b);
                upgradeCurrentNode(b);
                SemaphoreStep.success("bbnode/" + k, null);
            }
            j.assertBuildStatusSuccess(j.waitForCompletion(b));
            j.assertLogContains("DONE DONE " + TARGET, b);
            assertTrue(sim.nodes().stream().allMatch(n -> TARGET.equals(n.version())), "every node upgraded");
            assertFalse(sim.upgradeModeEnabled(), "upgrade mode is switched off again");
            assertEquals(3, countMatches(JenkinsRule.getLog(b)), "each node's body ran exactly once");
            // program.dat, build.xml, the flow nodes and the operation page, after the restart and the resume
            assertEquals(Set.of(), OperationControlTest.grep(b.getRootDir(), BB_PASSWORD));
            j.assertLogNotContains(BB_PASSWORD, b);
        });
    }

    /** What the operator's script does for the node whose body is running: stop, install, start. */
    private static void upgradeCurrentNode(WorkflowRun b) throws Exception {
        String log = JenkinsRule.getLog(b);
        Matcher m = UPGRADING.matcher(log);
        String id = null;
        while (m.find()) {
            id = m.group(1);
        }
        BitbucketSimulator.SimNode node = sim.node(id);
        node.stop();
        node.start(TARGET);
    }

    private static int countMatches(String log) {
        Matcher m = UPGRADING.matcher(log);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
