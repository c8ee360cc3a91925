package io.jenkins.plugins.bbdc.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.Result;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketOpsConfiguration;
import io.jenkins.plugins.bbdc.jenkins.provider.ScriptSnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.steps.InstanceLocks;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.test.steps.SemaphoreStep;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * One operation per instance, and aborting one: a second build on a busy instance is refused and names the first;
 * aborting a locked backup leaves Bitbucket unlocked, aborting a rolling upgrade before any node was upgraded
 * cancels upgrade mode — and either way the instance is free again. Nothing secret ends up in the build directory.
 */
@WithJenkins
class OperationControlTest {
    private static final String BB_USER = "jenkins-ops";
    private static final String BB_PASSWORD = "Abort-Test-Pw-2219";
    private BitbucketSimulator sim;

    @TempDir
    Path tmp;

    @BeforeEach
    void bitbucket(JenkinsRule r) throws Exception {
        sim = BitbucketSimulator.builder().nodes(2).version("8.19.1").user(BB_USER, BB_PASSWORD, true)
                .drainTime(Duration.ofMillis(100)).start();
        SystemCredentialsProvider.getInstance().getCredentials().add(new UsernamePasswordCredentialsImpl(
                CredentialsScope.GLOBAL, "bb-admin", "Bitbucket admin", BB_USER, BB_PASSWORD));
        SystemCredentialsProvider.getInstance().save();
        BitbucketInstance prod = new BitbucketInstance("prod", sim.baseUrl().toString(), "bb-admin");
        prod.setNodeUrls(String.join("\n", sim.nodes().stream().map(n -> n.url().toString()).toList()));
        prod.setBackupMode("LOCKED");
        prod.setCatalogDirectory(tmp.resolve("catalog").toString());
        // the capture is never reached in these tests: the build is aborted while Bitbucket drains
        prod.setHome(new ScriptSnapshotProvider("echo id=home-1", "true"));
        prod.setDatabase(new ScriptSnapshotProvider("echo id=db-1", "true"));
        BitbucketOpsConfiguration.get().setInstances(List.of(prod));
    }

    @AfterEach
    void stopBitbucket() {
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void aSecondBuildOnABusyInstanceIsRefusedNamingTheFirstAndAnAbortFreesIt(JenkinsRule r) throws Exception {
        WorkflowJob upgrade = r.createProject(WorkflowJob.class, "upgrade");
        upgrade.setDefinition(new CpsFlowDefinition(
                "bitbucketRollingUpgrade(instance: 'prod', targetVersion: '8.19.2') { semaphore 'node' }", true));
        WorkflowRun u = upgrade.scheduleBuild2(0).waitForStart();
        SemaphoreStep.waitForStart("node/1", u);
        assertTrue(sim.upgradeModeEnabled());

        WorkflowJob backup = r.createProject(WorkflowJob.class, "backup");
        backup.setDefinition(new CpsFlowDefinition("node { bitbucketBackup 'prod' }", true));
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, backup);
        r.assertLogContains("Bitbucket instance 'prod' is busy: a rolling upgrade started by upgrade #1", b);
        assertFalse(sim.isLocked(), "the refused backup changed nothing");

        u.doStop();
        r.waitForCompletion(u);
        r.assertLogContains("Stop requested", u);
        assertNull(InstanceLocks.global().holder("prod"), "the instance is free again");
        assertFalse(sim.upgradeModeEnabled(), "no node was upgraded: upgrade mode is cancelled");
        assertTrue(sim.nodes().stream().allMatch(n -> "8.19.1".equals(n.version())));
    }

    @Test
    void abortingALockedBackupLeavesBitbucketUnlocked(JenkinsRule r) throws Exception {
        sim.faults().drainNeverFinishes(true);
        WorkflowJob p = r.createProject(WorkflowJob.class, "backup");
        p.setDefinition(new CpsFlowDefinition("node { bitbucketBackup 'prod' }", true));
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        for (int i = 0; i < 300 && !sim.isLocked(); i++) {
            Thread.sleep(100);
        }
        assertTrue(sim.isLocked(), "the backup locked Bitbucket and waits for the drain");

        b.doStop();
        r.waitForCompletion(b);
        assertFalse(sim.isLocked(), "the abort released the maintenance lock");
        assertNull(InstanceLocks.global().holder("prod"));
        r.assertLogContains("Stop requested", b);
        r.assertLogNotContains(BB_PASSWORD, b);
        assertEquals(Set.of(), grep(b.getRootDir(), BB_PASSWORD));
    }

    /** Files under {@code dir} whose content contains {@code secret}. */
    static Set<String> grep(File dir, String secret) throws IOException {
        Set<String> hits = new TreeSet<>();
        try (Stream<Path> files = Files.walk(dir.toPath())) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                if (text.contains(secret)) {
                    hits.add(dir.toPath().relativize(f).toString());
                }
            }
        }
        return hits;
    }
}
