package io.jenkins.plugins.bbdc.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.backup.BackupEngine;
import io.jenkins.plugins.bbdc.core.backup.BackupPhase;
import io.jenkins.plugins.bbdc.core.backup.BackupState;
import io.jenkins.plugins.bbdc.core.backup.FileBackupStateStore;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdmin;
import io.jenkins.plugins.bbdc.core.bitbucket.MaintenanceLock;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.ops.InstanceLock;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.CheckReport;
import io.jenkins.plugins.bbdc.core.provider.PreparedCapture;
import io.jenkins.plugins.bbdc.core.provider.ProviderCapability;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.RestoreOutcome;
import io.jenkins.plugins.bbdc.core.provider.RestoreRequest;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.core.restorepoint.ManifestJson;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointId;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.util.BitbucketClients;
import io.jenkins.plugins.bbdc.jenkins.util.UsernamePassword;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A locked-mode backup that held Bitbucket's maintenance lock when the controller restarted, ended by the resumed
 * step: stopped right after the restart, the recovered work must still take the engine's run lock and unlock
 * Bitbucket; when another operation holds that run lock the failure says what is left and the next backup finishes
 * it. Real backup engine, real OkHttp client against the Bitbucket simulator.
 */
class ResumedBackupTest {
    private static final String PASSWORD = "Bb-Stop-S3cret-0815";

    @TempDir
    Path tmp;
    BitbucketSimulator sim;
    BitbucketInstance instance;
    BitbucketAdmin admin;
    final List<String> log = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        sim = BitbucketSimulator.builder().nodes(1).user("jenkins-ops", PASSWORD, true).start();
        admin = BitbucketClients.open(sim.baseUrl().toString(), null, new UsernamePassword("jenkins-ops", PASSWORD));
        instance = new BitbucketInstance("prod", sim.baseUrl().toString(), "bb-admin");
        instance.setBackupMode("LOCKED");
        instance.setCatalogDirectory(catalogRoot().toString());
        BackgroundWork.forgetAllForTests();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private Path catalogRoot() {
        return tmp.resolve("catalog");
    }

    /**
     * What the step persisted before the restart: the engine's checkpoint of a locked-mode backup that had locked
     * Bitbucket and started its external backup, and nothing captured yet (phase LOCKED).
     */
    private String persistedBeforeRestart() throws Exception {
        MaintenanceLock lock = admin.lock();
        String cancelToken = admin.startExternalBackup(lock);
        Instant now = Instant.now();
        BackupState locked = new BackupState(BackupState.SCHEMA_VERSION, RestorePointId.generate(now), "prod",
                BackupMode.LOCKED, BackupPhase.LOCKED, true, lock.unlockToken(), cancelToken, false, List.of(),
                admin.applicationProperties().version(), now, now, null, null, null, null, now, List.of(), Map.of());
        return new BackgroundWork.State("work-of-the-previous-controller", BackupOperation.toJson(locked),
                "backup of prod").toJson();
    }

    /** The parts {@code BackupExecution} builds for the engine, here with in-memory snapshot providers. */
    private BackupOperation.Parts parts() {
        return parts(Map.of("home", new BackupRetentionTest.MemoryProvider(),
                "database", new BackupRetentionTest.MemoryProvider()));
    }

    private BackupOperation.Parts parts(Map<String, SnapshotProvider> providers) {
        BackupArguments args = new BackupArguments(null, new ComponentChoice(null, null, null), 1);
        return new BackupOperation.Parts() {
            @Override
            public BackupEngine engine(BackgroundWork.Progress progress) throws AbortException {
                return BackupOperation.engine(instance, args, providers, Map.of(), admin, new ProcessCommandRunner(),
                        catalogRoot(), e -> log.add(e.level() + " " + e.phase() + ": " + e.message()), progress);
            }

            @Override
            public BackupRetention retention(BackgroundWork.Progress progress) {
                return null;
            }

            @Override
            public Path instanceDirectory() {
                return catalogRoot().resolve("prod");
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void aStopReachingTheRecoveredBackupUnlocksBitbucket() throws Exception {
        String persisted = persistedBeforeRestart();
        assertThat(sim.isLocked()).isTrue();

        // the first poll after the restart already carries the stop (the user aborted while Jenkins restarted)
        Advance a = stopResumed(persisted);

        assertThat(a.terminal()).isTrue();
        assertThat(sim.isLocked()).as("Bitbucket is out of maintenance mode; log: %s", log).isFalse();
        assertThat(a.failure()).contains("FAILED").contains("Bitbucket is not locked")
                .doesNotContain("ClosedByInterruptException");
        assertThat(new FileCatalog(catalogRoot()).list("prod")).extracting(RestorePoint::status)
                .containsExactly(RestorePointStatus.FAILED);
    }

    /** Polls the recovered backup with a stop requested, as the step does after a restart, until it ends. */
    private Advance stopResumed(String persisted) throws Exception {
        BackgroundWork work = new BackgroundWork(Duration.ofMillis(20));
        BackgroundWork.Recovery recovery = checkpoint -> BackupOperation.resumeWork(parts(), checkpoint);
        Advance a = work.advance(persisted, true, null, "backup of prod", recovery);
        for (int i = 0; i < 1500 && !a.terminal(); i++) {
            TimeUnit.MILLISECONDS.sleep(10);
            a = work.advance(a.state(), true, null, "backup of prod", recovery);
        }
        return a;
    }

    /**
     * After the restart another build took the instance first and its backup holds the engine's run lock: the resumed
     * backup is ended the way a stop ends it, but the engine refuses to resume next to the other run. The step fails
     * naming what is left and how to continue; the next backup finishes the left-over one before its own.
     */
    @Test
    void aResumedBackupTheEngineRefusesIsKeptAndTheNextBackupEndsIt() throws Exception {
        String persisted = persistedBeforeRestart();
        String leftId = state(persisted).restorePointId();
        Advance a;
        try (InstanceLock other = InstanceLock.acquire(catalogRoot().resolve("prod"), "prod", "backup",
                Instant.now())) {
            a = stopResumed(persisted);
        }
        assertThat(a.terminal()).isTrue();
        assertThat(a.failure()).contains("The backup " + leftId + " could not be ended safely")
                .contains("Bitbucket is STILL in maintenance mode")
                .contains("the restore point is not finished (phase LOCKED)")
                .contains(catalogRoot().resolve("prod").resolve(".backup-state.json").toString())
                .contains("run this backup step again").contains("`bbdc-ops backup`")
                .contains(catalogRoot().toString());
        assertThat(sim.isLocked()).as("nothing could release it yet").isTrue();

        // the other operation has ended: the next backup first ends the kept one, then takes its own restore point
        HeldSnapshots home = new HeldSnapshots();
        HeldSnapshots database = new HeldSnapshots();
        Map<String, Object> result = BackupOperation.runWork(parts(Map.of("home", home, "database", database)))
                .run(new BackgroundWork.Progress("backup of prod", null));

        assertThat(sim.isLocked()).isFalse();
        assertThat(result).containsEntry("status", "COMPLETE");
        FileCatalog catalog = new FileCatalog(catalogRoot());
        assertThat(catalog.find("prod", leftId)).get().extracting(RestorePoint::status)
                .isEqualTo(RestorePointStatus.FAILED);
        assertThat(catalog.find("prod", (String) result.get("restorePointId"))).get()
                .extracting(RestorePoint::status).isEqualTo(RestorePointStatus.COMPLETE);
        assertThat(new FileBackupStateStore(catalogRoot().resolve("prod")).read()).get()
                .extracting(s -> s.phase().terminal()).isEqualTo(true);
        assertThat(log).anySatisfy(l -> assertThat(l).contains("resuming backup " + leftId));
    }

    /**
     * A backup whose unlock fails (the load balancer refuses while Bitbucket is locked, and no node answers either):
     * its state, with the unlock token, is kept in the catalog, the failure says where, and the next backup releases
     * that lock before it takes its own restore point.
     */
    @Test
    void aBackupThatCannotUnlockKeepsItsStateAndTheNextBackupReleasesTheLockFirst() throws Exception {
        HeldSnapshots home = new HeldSnapshots() {
            @Override
            public SnapshotRef capture(PreparedCapture prepared, CaptureRequest request, ProviderContext ctx) {
                sim.faults().failNext("/mvc/maintenance/lock", 1, 503); // the unlock that follows the capture
                return super.capture(prepared, request, ctx);
            }
        };
        Path stateFile = catalogRoot().resolve("prod").resolve(".backup-state.json");

        BackgroundWork.ResultfulFailure failed = org.junit.jupiter.api.Assertions.assertThrows(
                BackgroundWork.ResultfulFailure.class, () -> BackupOperation.runWork(parts(Map.of("home", home,
                        "database", new HeldSnapshots()))).run(new BackgroundWork.Progress("backup of prod", null)));

        assertThat(sim.isLocked()).isTrue();
        assertThat(failed.getMessage()).contains("could NOT be unlocked").contains(stateFile.toString())
                .contains("jq -r .unlockToken");
        BackupState kept = new FileBackupStateStore(catalogRoot().resolve("prod")).read().orElseThrow();
        assertThat(kept.lockHeld()).isTrue();
        String lockedId = kept.restorePointId();

        Map<String, Object> result = BackupOperation.runWork(parts(Map.of("home", new HeldSnapshots(),
                "database", new HeldSnapshots()))).run(new BackgroundWork.Progress("backup of prod", null));

        assertThat(sim.isLocked()).isFalse();
        assertThat(result).containsEntry("status", "COMPLETE");
        assertThat(result.get("restorePointId")).isNotEqualTo(lockedId);
        assertThat(log).anySatisfy(l -> assertThat(l).contains("resuming backup " + lockedId));
        assertThat(new FileBackupStateStore(catalogRoot().resolve("prod")).read()).get()
                .extracting(BackupState::lockHeld).isEqualTo(false);
    }

    /** The instance's node URLs are where the unlock goes when the load balancer refuses while Bitbucket is locked. */
    @Test
    void theUnlockFallsBackToTheInstancesNodeUrlsWhenTheLoadBalancerRefusesWhileLocked() throws Exception {
        instance.setNodeUrls(sim.node("bb-node-1").url().toString());
        admin = StepRuntime.admin(instance, new UsernamePassword("jenkins-ops", PASSWORD));
        sim.loadBalancer().maintenanceIsDown(true);

        BackgroundWork.ResultfulFailure failed = org.junit.jupiter.api.Assertions.assertThrows(
                BackgroundWork.ResultfulFailure.class, () -> BackupOperation.runWork(parts(Map.of("home",
                        new HeldSnapshots(), "database", new HeldSnapshots())))
                        .run(new BackgroundWork.Progress("backup of prod", null)));

        assertThat(sim.isLocked()).as(failed.getMessage()).isFalse();
        assertThat(failed.getMessage()).doesNotContain("could NOT be unlocked");
        assertThat(sim.calls("DELETE", "/mvc/maintenance/lock")).as(failed.getMessage())
                .extracting(c -> c.target() + " " + c.status()).containsExactly("lb 503", "bb-node-1 200");
    }

    private static BackupState state(String persisted) throws Exception {
        return ManifestJson.mapper().readValue(BackgroundWork.State.fromJson(persisted).checkpoint,
                BackupState.class);
    }

    /** Snapshots kept in memory: capture records one, delete removes it. */
    static class HeldSnapshots implements SnapshotProvider {
        final Map<String, SnapshotRef> held = new ConcurrentHashMap<>();

        @Override
        public String kind() {
            return "memory";
        }

        @Override
        public Set<ProviderCapability> capabilities() {
            return Set.of(ProviderCapability.LOCKED);
        }

        @Override
        public List<String> plan(ProviderContext ctx) {
            return List.of();
        }

        @Override
        public CheckReport check(ProviderContext ctx) {
            return CheckReport.ok();
        }

        @Override
        public PreparedCapture prepare(ProviderContext ctx) {
            return PreparedCapture.none();
        }

        @Override
        public SnapshotRef capture(PreparedCapture prepared, CaptureRequest request, ProviderContext ctx) {
            SnapshotRef ref = new SnapshotRef(kind(), request.role().value(), "snap-" + request.role().value() + "-"
                    + request.restorePointId(), request.restorePointId(), request.instanceId(),
                    ctx.clock().instant(), null, 1L, Map.of());
            held.put(ref.id(), ref);
            return ref;
        }

        @Override
        public List<SnapshotRef> list(ProviderContext ctx) {
            return new ArrayList<>(held.values());
        }

        @Override
        public void delete(SnapshotRef ref, ProviderContext ctx) {
            held.remove(ref.id());
        }

        @Override
        public RestoreOutcome restore(SnapshotRef ref, RestoreRequest request, ProviderContext ctx) {
            throw new UnsupportedOperationException("never restored here");
        }
    }
}
