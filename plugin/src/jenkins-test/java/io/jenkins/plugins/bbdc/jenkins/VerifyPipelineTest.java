package io.jenkins.plugins.bbdc.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import io.jenkins.plugins.bbdc.jenkins.actions.OperationAction;
import io.jenkins.plugins.bbdc.jenkins.builders.BitbucketVerifyBuilder;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketOpsConfiguration;
import io.jenkins.plugins.bbdc.jenkins.provider.PostgresDumpProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.RsyncCopyProvider;
import io.jenkins.plugins.bbdc.jenkins.steps.BitbucketVerifyStep;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import io.jenkins.plugins.bbdc.testkit.fixture.BitbucketDataFixture;
import io.jenkins.plugins.bbdc.testkit.fixture.FixtureRepository;
import io.jenkins.plugins.bbdc.testkit.postgres.ThrowawayPostgres;
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
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * {@code bitbucketVerify} in a real Pipeline on a real agent (a separate JVM over remoting, so the home check really
 * crosses the channel): a locked backup of an rsync home with real git repositories and forks plus a pg_dump of a
 * real PostgreSQL 15, then the restore test into scratch locations; a damaged restore point fails the step naming the
 * check; the freestyle builder; snippets and form round trips; no password in the build directory or log.
 */
@WithJenkins
class VerifyPipelineTest {
    private static final String BB_PASSWORD = "Bb-Verify-S3cret-4712";
    private static ThrowawayPostgres pg;
    private static BitbucketSimulator sim;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startBitbucketAndPostgres() throws Exception {
        pg = ThrowawayPostgres.start();
        sim = BitbucketSimulator.builder().nodes(1).user("jenkins-ops", BB_PASSWORD, true)
                .drainTime(Duration.ofMillis(100)).start();
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    private BitbucketDataFixture configure(String database) throws Exception {
        pg.createDatabase(database);
        BitbucketDataFixture fixture = BitbucketDataFixture.builder(tmp.resolve("home")).database(pg, database)
                .projects(1).repositoriesPerProject(3).forks(1).orphanUpstreams(1).build();
        SystemCredentialsProvider.getInstance().getCredentials().add(new UsernamePasswordCredentialsImpl(
                CredentialsScope.GLOBAL, "bb-admin", "Bitbucket admin", "jenkins-ops", BB_PASSWORD));
        SystemCredentialsProvider.getInstance().getCredentials().add(new UsernamePasswordCredentialsImpl(
                CredentialsScope.GLOBAL, "pg", "PostgreSQL backup", pg.user(), pg.password()));
        SystemCredentialsProvider.getInstance().save();
        BitbucketInstance prod = new BitbucketInstance("prod", sim.baseUrl().toString(), "bb-admin");
        prod.setBackupMode("LOCKED");
        prod.setCatalogDirectory(tmp.resolve("catalog").toString());
        prod.setHome(new RsyncCopyProvider(fixture.sharedHome().toString(),
                Files.createDirectories(tmp.resolve("rsync")).toString()));
        PostgresDumpProvider db = new PostgresDumpProvider(pg.host(), database, "pg",
                Files.createDirectories(tmp.resolve("dumps")).toString());
        db.setPort(pg.port());
        prod.setDatabase(db);
        BitbucketOpsConfiguration.get().setInstances(List.of(prod));
        return fixture;
    }

    private String verifyCall(BitbucketDataFixture fixture, String extra) {
        return "bitbucketVerify instance: 'prod', originalSharedHome: '" + fixture.sharedHome() + "', "
                + "sharedHomeSubpath: '.', scratchHome: '" + tmp.resolve("scratch-home") + "', "
                + "scratchDatabase: 'bbdc_verify_pipeline', fsckSample: 50" + extra;
    }

    @Test
    void nightlyRestoreTestPassesOnTheAgentAndLeavesNothingBehind(JenkinsRule r) throws Exception {
        BitbucketDataFixture fixture = configure("bitbucket_good");
        r.createOnlineSlave();

        WorkflowJob p = r.createProject(WorkflowJob.class, "nightly");
        p.setDefinition(new CpsFlowDefinition(String.join("\n",
                "node('!built-in') {",
                "  def b = bitbucketBackup 'prod'",
                "  def t = " + verifyCall(fixture, ""),
                "  echo \"VERIFY ${t.restorePointId == b.restorePointId} passed=${t.passed} on=${t.homeCheckedOn}"
                        + " failed=${t.failedChecks} leftovers=${t.leftovers.size()}\"",
                "  t.checks.each { echo \"CHECK ${it.outcome} ${it.name}\" }",
                "}"), true));
        WorkflowRun b = r.buildAndAssertSuccess(p);

        r.assertLogContains("VERIFY true passed=true on=agent failed=[] leftovers=0", b);
        r.assertLogContains("CHECK PASS git fsck", b);
        r.assertLogContains("CHECK PASS fork alternates", b);
        r.assertLogContains("CHECK PASS server id", b);
        assertFalse(Files.exists(tmp.resolve("scratch-home")), "the scratch home is removed");
        assertEquals(0L, pg.queryLong("postgres",
                "SELECT count(*) FROM pg_database WHERE datname = 'bbdc_verify_pipeline'"));
        OperationAction page = b.getActions(OperationAction.class).stream()
                .filter(a -> a.getKind().equals("verify")).findFirst().orElse(null);
        assertNotNull(page, "the build has a restore test page");
        assertTrue(page.isSucceeded());
        assertFalse(page.rows("checks").isEmpty());
        r.createWebClient().goTo(b.getUrl() + page.getUrlName());   // the page renders

        r.assertLogNotContains(BB_PASSWORD, b);
        r.assertLogNotContains(pg.password(), b);
        assertEquals(Set.of(), grep(b.getRootDir(), BB_PASSWORD));
        assertEquals(Set.of(), grep(b.getRootDir(), pg.password()));
    }

    @Test
    void aDamagedRestorePointFailsTheStepNamingTheFailedCheck(JenkinsRule r) throws Exception {
        BitbucketDataFixture fixture = configure("bitbucket_damaged");
        FixtureRepository victim = fixture.databaseRepositories().stream()
                .filter(x -> !x.isFork() && fixture.repositories().stream()
                        .noneMatch(f -> f.originId() != null && f.originId() == x.id()))
                .findFirst().orElseThrow();
        fixture.deleteRepositoryDirectory(victim.id());
        r.createOnlineSlave();

        WorkflowJob p = r.createProject(WorkflowJob.class, "damaged");
        p.setDefinition(new CpsFlowDefinition(String.join("\n",
                "node('!built-in') {",
                "  bitbucketBackup 'prod'",
                "  def t = " + verifyCall(fixture, ", failOnProblems: false"),
                "  echo \"LENIENT passed=${t.passed} failed=${t.failedChecks}\"",
                "  " + verifyCall(fixture, ""),
                "}"), true));
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p);

        r.assertLogContains("LENIENT passed=false failed=[database → disk]", b);
        r.assertLogContains("FAIL database → disk", b);
        r.assertLogContains("[" + victim.id() + "]", b);
        List<OperationAction> pages = b.getActions(OperationAction.class).stream()
                .filter(a -> a.getKind().equals("verify")).toList();
        assertEquals(2, pages.size());
        assertFalse(pages.get(1).isSucceeded());
        assertEquals(Boolean.FALSE, pages.get(1).getResult().get("passed"));
        assertFalse(Files.exists(tmp.resolve("scratch-home")));
        assertEquals(Set.of(), grep(b.getRootDir(), pg.password()));
    }

    @Test
    void outsideNodeTheStepSaysItNeedsTheAgentThatHoldsTheSnapshots(JenkinsRule r) throws Exception {
        BitbucketDataFixture fixture = configure("bitbucket_nonode");
        WorkflowJob p = r.createProject(WorkflowJob.class, "nonode");
        p.setDefinition(new CpsFlowDefinition(verifyCall(fixture, ""), true));
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p);
        r.assertLogContains("must run inside a node block", b);
    }

    @Test
    void freestyleBuilderRunsTheSameRestoreTest(JenkinsRule r) throws Exception {
        BitbucketDataFixture fixture = configure("bitbucket_freestyle");
        var agent = r.createOnlineSlave();
        WorkflowJob backup = r.createProject(WorkflowJob.class, "backup");
        backup.setDefinition(new CpsFlowDefinition("node('!built-in') { bitbucketBackup 'prod' }", true));
        r.buildAndAssertSuccess(backup);

        FreeStyleProject p = r.createFreeStyleProject("restore-test");
        p.setAssignedNode(agent);
        BitbucketVerifyStep s = new BitbucketVerifyStep("prod");
        s.setOriginalSharedHome(fixture.sharedHome().toString());
        s.setSharedHomeSubpath(".");
        s.setScratchHome(tmp.resolve("scratch-home").toString());
        p.getBuildersList().add(new BitbucketVerifyBuilder(s));
        p = r.configRoundtrip(p);
        BitbucketVerifyBuilder after = p.getBuildersList().get(BitbucketVerifyBuilder.class);
        r.assertEqualDataBoundBeans(s, after.getVerify());
        FreeStyleBuild b = r.buildAndAssertSuccess(p);

        OperationAction page = b.getAction(OperationAction.class);
        assertNotNull(page);
        assertEquals("verify", page.getKind());
        assertEquals(Boolean.TRUE, page.getResult().get("passed"));
        assertEquals(Set.of(), grep(b.getRootDir(), pg.password()));
    }

    @Test
    void snippetsAndTheFormKeepEveryValue(JenkinsRule r) throws Exception {
        SnippetizerTester st = new SnippetizerTester(r);
        BitbucketVerifyStep s = new BitbucketVerifyStep("prod");
        s.setOriginalSharedHome("/var/atlassian/bitbucket/shared");
        st.assertRoundTrip(s, "bitbucketVerify instance: 'prod', originalSharedHome: '/var/atlassian/bitbucket/shared'");
        s.setSharedHomeSubpath("");   // older scripts' way of saying "the snapshot is the shared home": shown as '.'
        s.setFsckSample(50);
        s.setFailOnProblems(false);
        s.setScratchDatabase("bitbucket_verify");
        st.assertRoundTrip(s, "bitbucketVerify failOnProblems: false, fsckSample: 50, instance: 'prod', "
                + "originalSharedHome: '/var/atlassian/bitbucket/shared', scratchDatabase: 'bitbucket_verify', "
                + "sharedHomeSubpath: '.'");
        r.assertEqualDataBoundBeans(s, new StepConfigTester(r).configRoundTrip(s));
    }

    /** Files under {@code dir} whose content contains {@code secret}. */
    private static Set<String> grep(File dir, String secret) throws IOException {
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
