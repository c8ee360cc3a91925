package io.jenkins.plugins.bbdc.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.restore.RestoreSelection;
import io.jenkins.plugins.bbdc.core.restore.RestoreVerification;
import io.jenkins.plugins.bbdc.core.restore.VerificationReport;
import io.jenkins.plugins.bbdc.jenkins.actions.OperationAction;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.provider.BtrfsSnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.ClosingProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.ComponentProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.EbsSnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.OpenSearchSnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.PostgresDumpProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.RdsSnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.runtime.FileWorkSite;
import io.jenkins.plugins.bbdc.jenkins.util.UsernamePassword;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code bitbucketVerify}: defaults, validation before anything is restored, and where each half runs. */
class VerifyStepTest {

    private static BitbucketVerifyStep step() {
        BitbucketVerifyStep s = new BitbucketVerifyStep(" prod ");
        s.setOriginalSharedHome("/var/atlassian/bitbucket/shared");
        return s;
    }

    @Test
    void defaultsTestTheLatestPointFailOnProblemsAndSampleTwentyRepositories() throws Exception {
        BitbucketVerifyStep s = new BitbucketVerifyStep(" prod ");
        assertThat(s.getInstance()).isEqualTo("prod");
        assertThat(s.getRestorePoint()).isNull();
        assertThat(s.getPointInTime()).isNull();
        assertThat(s.getFsckSample()).isEqualTo(20);
        assertThat(s.isFailOnProblems()).isTrue();
        assertThat(s.getSharedHomeSubpath()).isEqualTo("shared");
        assertThat(s.getScratchHome()).isNull();
        assertThat(s.getScratchDatabase()).isNull();
        assertThat(s.getHome()).isNull();
        assertThat(s.getDatabase()).isNull();
        assertThat(step().arguments().selection()).isEqualTo(RestoreSelection.latest());
    }

    @Test
    void valuesAreNormalisedSoSnippetsStayShort() throws Exception {
        BitbucketVerifyStep s = step();
        s.setRestorePoint("latest");
        assertThat(s.getRestorePoint()).isNull();
        s.setRestorePoint(" 20261121t030000z-abcd ");
        assertThat(s.arguments().selection().id()).isEqualTo("20261121t030000z-abcd");
        s.setScratchHome("  ");
        assertThat(s.getScratchHome()).isNull();
        s.setSharedHomeSubpath("/shared/");
        assertThat(s.getSharedHomeSubpath()).isEqualTo("shared");
        s.setSharedHomeSubpath(".");   // the home snapshot is the shared home itself
        assertThat(s.getSharedHomeSubpath()).isEqualTo(".");
        assertThat(s.arguments().sharedHomeSubpath).isEmpty();
        s.setSharedHomeSubpath("");    // older scripts wrote '': the same, shown as '.' so a form keeps it
        assertThat(s.getSharedHomeSubpath()).isEqualTo(".");
        assertThat(s.arguments().sharedHomeSubpath).isEmpty();
        s.setSharedHomeSubpath(null);  // not given: the default
        assertThat(s.getSharedHomeSubpath()).isEqualTo("shared");
        BitbucketVerifyStep t = step();
        t.setPointInTime("2026-11-21T04:00:00+01:00");
        assertThat(t.arguments().selection().pointInTime()).isEqualTo(Instant.parse("2026-11-21T03:00:00Z"));
    }

    @Test
    void badSettingsAreRefusedBeforeAnythingIsRestored() {
        assertThatThrownBy(() -> new BitbucketVerifyStep("prod").arguments().validate())
                .isInstanceOf(AbortException.class).hasMessageContaining("originalSharedHome is required");
        BitbucketVerifyStep relative = step();
        relative.setOriginalSharedHome("shared");
        assertThatThrownBy(() -> relative.arguments().validate()).hasMessageContaining("absolute path, not 'shared'");
        BitbucketVerifyStep live = step();
        live.setScratchHome("/var/atlassian/bitbucket/shared/");
        assertThatThrownBy(() -> live.arguments().validate()).hasMessageContaining("is the production shared home");
        BitbucketVerifyStep fsck = step();
        fsck.setFsckSample(-1);
        assertThatThrownBy(() -> fsck.arguments().validate()).hasMessageContaining("fsckSample must be 0");
        BitbucketVerifyStep escape = step();
        escape.setSharedHomeSubpath("../elsewhere");
        assertThatThrownBy(() -> escape.arguments().validate()).hasMessageContaining("inside the restored home");
        BitbucketVerifyStep both = step();
        both.setRestorePoint("20261121t030000z-abcd");
        both.setPointInTime("2026-11-21T03:00:00Z");
        assertThatThrownBy(() -> both.arguments().validate()).hasMessageContaining("either restorePoint");
    }

    @Test
    void onlyTheHomeAndTheDatabaseTakePartAndStepProvidersWin() throws Exception {
        BitbucketInstance prod = new BitbucketInstance("prod", "https://bb", "bb-admin");
        prod.setHome(new BtrfsSnapshotProvider("/srv/bb/shared", "/srv/.snapshots"));
        prod.setDatabase(new RdsSnapshotProvider("bitbucket-db", "eu-west-1"));
        prod.setSearch(new OpenSearchSnapshotProvider("https://search:9200", "bbdc"));
        BitbucketVerifyStep s = step();
        s.setDatabase(new PostgresDumpProvider("db", "bitbucket", "pg", "/backups"));
        Map<String, ComponentProvider> chosen = VerifyPlacement.homeAndDatabase(s.arguments().components.resolve(prod));
        assertThat(chosen.keySet()).containsExactly("home", "database");
        assertThat(chosen.get("database").kind()).isEqualTo("postgres");
    }

    private static final FileWorkSite AGENT = new FileWorkSite(FileWorkSite.Kind.AGENT, null);
    private static final FileWorkSite NO_NODE = FileWorkSite.of(null);
    private static final FileWorkSite BUILT_IN = new FileWorkSite(FileWorkSite.Kind.BUILT_IN_NODE, null);

    @Test
    void aCommandRunningHomeProviderIsCheckedOnTheAgentAndNeedsANode() throws Exception {
        BitbucketInstance prod = new BitbucketInstance("prod", "https://bb", "bb-admin");
        ComponentProvider btrfs = new BtrfsSnapshotProvider("/srv/bb/shared", "/srv/.snapshots");
        assertThatThrownBy(() -> VerifyPlacement.homeCheck(prod, btrfs, NO_NODE))
                .isInstanceOf(AbortException.class).hasMessageContaining("inside a node block");
        assertThat(VerifyPlacement.homeCheck(prod, btrfs, AGENT).where()).isEqualTo("agent");
        assertThat(VerifyPlacement.homeCheck(prod, new EbsSnapshotProvider("eu-west-1"), AGENT).where())
                .isEqualTo("agent");
    }

    @Test
    void aRestoreTestWhoseFileWorkWouldRunOnTheControllerIsRefusedUnlessTheInstanceAllowsIt() throws Exception {
        BitbucketInstance prod = new BitbucketInstance("prod", "https://bb", "bb-admin");
        ComponentProvider btrfs = new BtrfsSnapshotProvider("/srv/bb/shared", "/srv/.snapshots");
        ComponentProvider ebs = new EbsSnapshotProvider("eu-west-1");
        // outside node the checks would run in the controller JVM; on the built-in node through its local launcher
        assertThatThrownBy(() -> VerifyPlacement.homeCheck(prod, ebs, NO_NODE))
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("git fsck would act on the Jenkins controller's file system")
                .hasMessageContaining("outside a node block")
                .hasMessageContaining("Run the step inside a node block on an agent")
                .hasMessageContaining("Allow controller file system access for the instance 'prod'");
        assertThatThrownBy(() -> VerifyPlacement.homeCheck(prod, btrfs, BUILT_IN))
                .isInstanceOf(AbortException.class).hasMessageContaining("runs on the built-in node");

        prod.setAllowControllerFileSystem(true);
        assertThat(VerifyPlacement.homeCheck(prod, ebs, NO_NODE).where()).isEqualTo("controller");
        assertThat(VerifyPlacement.homeCheck(prod, btrfs, BUILT_IN).where()).isEqualTo("controller");
    }

    @Test
    void onlyAPostgresDumpDatabaseCanBeVerifiedAndOthersAreRefusedUpFront() throws Exception {
        LocalServices services = new LocalServices("pg", new UsernamePassword("bitbucket", "pg-S3cret"));
        RdsSnapshotProvider rdsSettings = new RdsSnapshotProvider("bitbucket-db", "eu-west-1");
        rdsSettings.setCredentialsId("aws-prod");
        SnapshotProvider rds = rdsSettings.toEngine(services);
        try {
            assertThatThrownBy(() -> VerifyOperation.connector(rds)).isInstanceOf(AbortException.class)
                    .hasMessageContaining("supports the postgresDump database provider").hasMessageContaining("rds");
        } finally {
            ClosingProvider.closeAll(List.of(rds));
        }
        SnapshotProvider pg = new PostgresDumpProvider("db", "bitbucket", "pg", "/backups").toEngine(services);
        assertThat(VerifyOperation.connector(pg)).isNotNull();
    }

    @Test
    void aScratchCopyLeftBehindFailsTheTestAndThePageListsChecksAndLeftovers() {
        VerificationReport report = new VerificationReport(List.of(
                new VerificationReport.Check("inventory", VerificationReport.Outcome.PASS, "3 repository rows"),
                new VerificationReport.Check("repository-config", VerificationReport.Outcome.WARN, "1 differs"),
                new VerificationReport.Check("git fsck", VerificationReport.Outcome.PASS, "3 checked")), 3, 3, 3, 41L);
        RestoreVerification.Result r = new RestoreVerification.Result("20261121t030000z-abcd", report, 1200L,
                List.of("could not remove the scratch copy /srv/bbdc-verify/home: busy"));

        Map<String, Object> m = VerifyOperation.toMap(r, "agent");
        BackupOperationTest.assertPlain(m);
        assertThat(m).containsEntry("passed", false).containsEntry("verificationPassed", true)
                .containsEntry("failedChecks", List.of()).containsEntry("restoreMillis", 1200L)
                .containsEntry("verifyMillis", 41L).containsEntry("homeCheckedOn", "agent");
        assertThat(VerifyOperation.failureMessage(r)).contains("20261121t030000z-abcd FAILED")
                .contains("LEFT BEHIND: could not remove the scratch copy /srv/bbdc-verify/home");

        OperationAction page = new OperationAction("verify", "prod", 1, m, VerifyOperation.failureMessage(r));
        assertThat(page.getSummary()).containsKeys("passed", "restoreMillis").doesNotContainKeys("checks");
        assertThat(page.rows("checks")).extracting(c -> c.get("outcome")).containsExactly("PASS", "WARN", "PASS");
        assertThat(page.lines("leftovers")).containsExactly(
                "could not remove the scratch copy /srv/bbdc-verify/home: busy");
        assertThat(page.getDisplayName()).isEqualTo("Bitbucket verify (prod)");
    }
}
