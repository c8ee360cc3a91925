package io.jenkins.plugins.bbdc.core.provider.netapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.exec.CommandResult;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.PreparedCapture;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.RestoreOutcome;
import io.jenkins.plugins.bbdc.core.provider.RestoreRequest;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.core.time.Sleeper;
import io.jenkins.plugins.bbdc.testkit.netapp.OntapEndpoint;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ONTAP provider over real HTTP against the testkit's ONTAP REST endpoint. */
class OntapSnapshotProviderTest {
    private static final String PASSWORD = "0ntap-Secret";
    private OntapEndpoint ontap;
    private final EventSink.Collecting events = new EventSink.Collecting();

    @BeforeEach
    void start() {
        ontap = OntapEndpoint.start("bbdc", PASSWORD).jobTime(Duration.ofMillis(60));
        ontap.addVolume("svm_bb", "bitbucket_shared");
        ontap.addVolume("svm_other", "bitbucket_shared"); // same name on another SVM: must not be touched
        ontap.writeContent("svm_bb", "bitbucket_shared", "v1");
    }

    @AfterEach
    void stop() {
        ontap.close();
    }

    private OntapConfig.Builder config() {
        return OntapConfig.builder().url(ontap.url()).volume("svm_bb", "bitbucket_shared").basicAuth("bbdc", PASSWORD)
                .jobs(Duration.ofMillis(15), Duration.ofSeconds(20));
    }

    private ProviderContext ctx(String instance) {
        return new ProviderContext(instance, ComponentRole.HOME, BackupMode.ZERO_DOWNTIME,
                spec -> new CommandResult(spec.command(), 0, "", "", 0), Clock.systemUTC(), Sleeper.SYSTEM, events);
    }

    private ProviderContext ctx() {
        return ctx("bb-prod");
    }

    private SnapshotRef backup(OntapSnapshotProvider p, String instance, String restorePoint) throws Exception {
        try (PreparedCapture prepared = p.prepare(ctx(instance))) {
            SnapshotRef ref = p.capture(prepared, new CaptureRequest(restorePoint, instance, ComponentRole.HOME,
                    BackupMode.ZERO_DOWNTIME), ctx(instance));
            return p.awaitDurable(prepared, ref, ctx(instance));
        }
    }

    @Test
    void captureWaitsForTheJobAndTheSnapshotCarriesItsRestorePoint() throws Exception {
        try (OntapSnapshotProvider p = new OntapSnapshotProvider(config().build())) {
            SnapshotRef ref = backup(p, "bb-prod", "rp-1");

            assertThat(ref.id()).isEqualTo("bbdc-bb-prod-rp-1-home");
            assertThat(ref.durableAt()).isNotNull();
            OntapEndpoint.SnapshotView snap = ontap.snapshot("svm_bb", "bitbucket_shared", ref.id()).orElseThrow();
            assertThat(snap.comment()).isEqualTo("bbdc instance=bb-prod restore-point=rp-1 role=home");
            assertThat(snap.content()).isEqualTo("v1");
            assertThat(ref.attribute("snapshotUuid")).isEqualTo(snap.uuid());
            assertThat(ontap.snapshots("svm_other", "bitbucket_shared")).isEmpty();
            // the job was polled until it ended, not assumed done
            assertThat(ontap.calls()).anySatisfy(c -> assertThat(c.path()).startsWith("/api/cluster/jobs/"));
            assertThat(ontap.calls()).anySatisfy(c -> assertThat(c.status()).isEqualTo(202));
        }
    }

    @Test
    void listFindsExactlyThisInstancesSnapshotsAcrossPages() throws Exception {
        ontap.maxPageSize(2);
        try (OntapSnapshotProvider p = new OntapSnapshotProvider(config().pageSize(2).build())) {
            backup(p, "bb-prod", "rp-1");
            backup(p, "bb-prod-2", "rp-1"); // an instance whose id starts with ours
            backup(p, "bb-prod", "rp-2");
            backup(p, "bb-prod", "rp-3");
            ontap.addForeignSnapshot("svm_bb", "bitbucket_shared", "daily.2026-11-21_0010", null);
            ontap.addForeignSnapshot("svm_bb", "bitbucket_shared", "bbdc-bb-prod-fake-home", "made by hand");

            assertThat(p.list(ctx())).extracting(SnapshotRef::restorePointId).containsExactly("rp-1", "rp-2", "rp-3");
            assertThat(p.list(ctx("bb-prod-2"))).extracting(SnapshotRef::id).containsExactly("bbdc-bb-prod-2-rp-1-home");
            assertThat(p.list(ctx().withRole(ComponentRole.meshHome("m1")))).isEmpty();
            assertThat(ontap.calls()).anySatisfy(c -> assertThat(c.path()).contains("start.index="));
        }
    }

    @Test
    void deleteRemovesTheSnapshotAndAMissingOneIsFine() throws Exception {
        try (OntapSnapshotProvider p = new OntapSnapshotProvider(config().build())) {
            SnapshotRef keep = backup(p, "bb-prod", "rp-1");
            SnapshotRef drop = backup(p, "bb-prod", "rp-2");

            p.delete(drop, ctx());

            assertThat(ontap.snapshot("svm_bb", "bitbucket_shared", drop.id())).isEmpty();
            assertThat(ontap.snapshot("svm_bb", "bitbucket_shared", keep.id())).isPresent();
            p.delete(drop, ctx()); // already gone
            assertThat(p.list(ctx())).extracting(SnapshotRef::id).containsExactly(keep.id());
        }
    }

    @Test
    void restoreRevertsTheVolumeOnlyWithAllowReplaceAndNamesTheNewerSnapshotsItDeletes() throws Exception {
        try (OntapSnapshotProvider p = new OntapSnapshotProvider(config().build())) {
            SnapshotRef first = backup(p, "bb-prod", "rp-1");
            ontap.writeContent("svm_bb", "bitbucket_shared", "v2");
            SnapshotRef second = backup(p, "bb-prod", "rp-2");
            ontap.writeContent("svm_bb", "bitbucket_shared", "v3");

            RestoreOutcome dry = p.restore(first, new RestoreRequest(Map.of(), true, null, false, true), ctx());
            assertThat(dry.summary()).contains("would revert").contains(second.id());
            assertThat(ontap.content("svm_bb", "bitbucket_shared")).isEqualTo("v3");

            assertThatThrownBy(() -> p.restore(first, new RestoreRequest(Map.of(), false, null, false, false), ctx()))
                    .hasMessageContaining("allowReplace").hasMessageContaining(second.id());
            assertThatThrownBy(() -> p.restore(first, new RestoreRequest(Map.of(), true, null, true, false), ctx()))
                    .hasMessageContaining("FlexClone");

            RestoreOutcome done = p.restore(first, new RestoreRequest(Map.of(), true, null, false, false), ctx());

            assertThat(ontap.content("svm_bb", "bitbucket_shared")).isEqualTo("v1");
            assertThat(done.actions()).singleElement().asString().contains("restore_to.snapshot.name=" + first.id());
            assertThat(done.operatorSteps()).anySatisfy(s -> assertThat(s).contains(second.id()));
            assertThat(p.list(ctx())).extracting(SnapshotRef::id).containsExactly(first.id());
        }
    }

    @Test
    void aFailedJobIsReportedWithOntapsMessageAndNoSnapshotIsLeft() throws Exception {
        ontap.failNextJob("1638600", "Failed to create snapshot: the volume is out of space for snapshots");
        try (OntapSnapshotProvider p = new OntapSnapshotProvider(config().build())) {
            assertThatThrownBy(() -> backup(p, "bb-prod", "rp-1")).hasMessageContaining("out of space")
                    .hasMessageContaining("1638600").hasMessageContaining("create snapshot bbdc-bb-prod-rp-1-home");
            assertThat(ontap.snapshots("svm_bb", "bitbucket_shared")).isEmpty();

            backup(p, "bb-prod", "rp-2");
            assertThatThrownBy(() -> backup(p, "bb-prod", "rp-2")).hasMessageContaining("already exists");
        }
    }

    @Test
    void aJobThatOutlastsTheTimeoutIsNamed() {
        ontap.jobTime(Duration.ofSeconds(30));
        try (OntapSnapshotProvider p = new OntapSnapshotProvider(config().jobs(Duration.ofMillis(10),
                Duration.ofMillis(100)).build())) {
            assertThatThrownBy(() -> backup(p, "bb-prod", "rp-1")).hasMessageContaining("still running")
                    .hasMessageContaining("/api/cluster/jobs/");
        }
    }

    @Test
    void wrongCredentialsAndAMissingVolumeAreExplainedWithoutTheSecret() throws Exception {
        try (OntapSnapshotProvider p = new OntapSnapshotProvider(config().basicAuth("bbdc", "wrong-pass").build())) {
            assertThatThrownBy(() -> p.prepare(ctx())).hasMessageContaining("401")
                    .hasMessageContaining("check the ONTAP user name and password")
                    .hasMessageNotContaining("wrong-pass");
            assertThat(p.check(ctx()).errors()).singleElement().asString().contains("401");
        }
        try (OntapSnapshotProvider p = new OntapSnapshotProvider(config().volume("svm_bb", "absent").build())) {
            assertThat(p.check(ctx()).errors()).singleElement().asString()
                    .contains("no volume 'absent' on SVM 'svm_bb'");
            assertThatThrownBy(() -> p.list(ctx())).hasMessageContaining("no volume 'absent'");
        }
        assertThatThrownBy(() -> new OntapSnapshotProvider(OntapConfig.builder().url(ontap.url()).build()))
                .hasMessageContaining("'svm'").hasMessageContaining("'username'");
    }
}
