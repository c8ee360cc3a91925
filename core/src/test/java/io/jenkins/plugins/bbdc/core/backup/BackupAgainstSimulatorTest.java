package io.jenkins.plugins.bbdc.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdminClient;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketClientOptions;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;
import io.jenkins.plugins.bbdc.core.testsupport.DirectoryCopyProvider;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator.RecordedCall;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine with the real OkHttp admin client against the Bitbucket simulator over HTTP: the simulator's call
 * record is the evidence of what Bitbucket saw.
 */
class BackupAgainstSimulatorTest {
    private static final Duration POLL = Duration.ofMillis(40);

    @TempDir
    Path tmp;
    BitbucketSimulator sim;

    @AfterEach
    void close() {
        if (sim != null) {
            sim.close();
        }
    }

    private BitbucketAdminClient client(BitbucketSimulator.Builder b) {
        sim = b.nodes(2).start();
        return new BitbucketAdminClient(BitbucketClientOptions.builder(sim.baseUrl()).basicAuth("admin", "admin")
                .connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(5)).build());
    }

    private BackupConfig locked(BackupFixture f, Duration drainTimeout) {
        return BackupConfig.of("prod", f.components(), BackupMode.LOCKED).withDrain(POLL, drainTimeout);
    }

    private List<RecordedCall> mvc() {
        return sim.calls().stream().filter(c -> c.path().startsWith("/mvc/")).toList();
    }

    private static String name(RecordedCall c) {
        return c.method() + " " + c.path();
    }

    private List<RecordedCall> unlocks() {
        return sim.calls("DELETE", "/mvc/maintenance/lock");
    }

    private List<RecordedCall> cancels() {
        return sim.calls("POST", "/mvc/maintenance").stream().filter(c -> c.path().equals("/mvc/maintenance"))
                .toList();
    }

    @Test
    void lockedBackupEndToEnd() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        BitbucketAdminClient bb = client(BitbucketSimulator.builder().drainTime(Duration.ofMillis(250)));
        BackupOutcome out = f.engine(locked(f, Duration.ofSeconds(10)), bb).run();

        assertThat(out.succeeded()).isTrue();
        assertThat(sim.isLocked()).isFalse();
        List<RecordedCall> calls = mvc();
        assertThat(calls).allMatch(c -> c.status() < 300);
        assertThat(name(calls.get(0))).isEqualTo("POST /mvc/maintenance/lock");
        assertThat(name(calls.get(1))).isEqualTo("POST /mvc/admin/backups");
        List<RecordedCall> polls = sim.calls("GET", "/mvc/maintenance");
        assertThat(polls.size()).isGreaterThanOrEqualTo(2);
        for (int i = 1; i < polls.size(); i++) {
            assertThat(polls.get(i).atNanos() - polls.get(i - 1).atNanos())
                    .as("drain polls are spaced by the poll interval, never a busy loop")
                    .isGreaterThanOrEqualTo(POLL.toNanos());
        }
        // progress 1..99 rising, 100 last, then exactly one unlock
        List<Integer> progress = sim.progressReports();
        assertThat(progress).isSorted().endsWith(99, 100);
        assertThat(progress.subList(0, progress.size() - 1)).allMatch(p -> p >= 1 && p <= 99);
        assertThat(unlocks()).hasSize(1);
        RecordedCall last = calls.get(calls.size() - 1);
        assertThat(name(last)).isEqualTo("DELETE /mvc/maintenance/lock");
        assertThat(name(calls.get(calls.size() - 2))).isEqualTo("POST /mvc/admin/backups/progress/client");
        long unlockAt = last.atNanos();
        for (DirectoryCopyProvider p : List.of(f.home, f.mesh, f.db)) {
            assertThat(p.steps).filteredOn(s -> s.what().equals("capture"))
                    .allMatch(s -> s.atNanos() > polls.get(polls.size() - 1).atNanos() && s.atNanos() < unlockAt);
        }
        assertThat(cancels()).isEmpty();
        RestorePoint p = out.point();
        assertThat(p.lockWindowMillis()).isNotNull()
                .isLessThanOrEqualTo(Duration.ofNanos(unlockAt - calls.get(0).atNanos()).toMillis() + 50);
        assertThat(p.bitbucketVersion()).isEqualTo("8.19.1");
        assertThat(f.catalog.latestComplete("prod")).contains(p);
    }

    @Test
    void zeroDowntimeEndToEndMakesNoMaintenanceCall() throws Exception {
        BackupFixture f = new BackupFixture(tmp);
        BitbucketAdminClient bb = client(BitbucketSimulator.builder());
        BackupOutcome out = f.engine(BackupConfig.of("prod", f.components(), BackupMode.ZERO_DOWNTIME), bb).run();
        assertThat(out.succeeded()).isTrue();
        assertThat(mvc()).isEmpty();
        assertThat(sim.calls("GET", "/rest/api/1.0/application-properties")).hasSize(1);
        assertThat(out.point().skewMillis()).isNotNull().isNotNegative();
        assertThat(out.point().components()).hasSize(3);
    }

    @Test
    void zeroDowntimeIsRefusedOnBitbucket47() throws Exception {
        BackupFixture f = new BackupFixture(tmp);
        BitbucketAdminClient bb = client(BitbucketSimulator.builder().version("4.7.1"));
        assertThatThrownBy(() -> f.engine(BackupConfig.of("prod", f.components(), BackupMode.ZERO_DOWNTIME), bb)
                .run()).isInstanceOf(BackupRefusedException.class).hasMessageContaining("4.8 or later");
        assertThat(f.storedSnapshots()).isEmpty();
    }

    @Test
    void drainTaskFailureEndsUnlockedAndCancelled() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        BitbucketAdminClient bb = client(BitbucketSimulator.builder().drainTime(Duration.ofSeconds(5)));
        sim.faults().taskStateAfterPolls(2, "FAILED");
        BackupOutcome out = f.engine(locked(f, Duration.ofSeconds(10)), bb).run();
        assertThat(out.point().status()).isEqualTo(RestorePointStatus.FAILED);
        assertThat(out.point().failureReason()).contains("FAILED");
        assertThat(sim.isLocked()).isFalse();
        assertThat(cancels()).hasSize(1);
        assertThat(unlocks()).hasSize(1);
        assertThat(f.storedSnapshots()).isEmpty();
    }

    @Test
    void drainTimeoutEndsUnlockedAndCancelled() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        BitbucketAdminClient bb = client(BitbucketSimulator.builder());
        sim.faults().drainNeverFinishes(true);
        BackupOutcome out = f.engine(locked(f, Duration.ofMillis(300)), bb).run();
        assertThat(out.point().failureReason()).contains("did not drain within PT0.3S");
        assertThat(sim.isLocked()).isFalse();
        assertThat(cancels()).hasSize(1);
        assertThat(unlocks()).hasSize(1);
        // bounded: about 300 ms / 40 ms polls, not thousands
        assertThat(sim.calls("GET", "/mvc/maintenance").size()).isBetween(2, 12);
        assertThat(f.home.captures.get()).isZero();
    }

    @Test
    void providerCaptureFailureEndsUnlockedCancelledAndCleanedUp() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        f.mesh.failCapture = "mesh volume went read-only";
        BitbucketAdminClient bb = client(BitbucketSimulator.builder().drainTime(Duration.ofMillis(50)));
        BackupOutcome out = f.engine(locked(f, Duration.ofSeconds(10)), bb).run();
        assertThat(out.point().status()).isEqualTo(RestorePointStatus.FAILED);
        assertThat(sim.isLocked()).isFalse();
        assertThat(cancels()).hasSize(1);
        assertThat(unlocks()).hasSize(1);
        assertThat(sim.progressReports()).doesNotContain(100);
        assertThat(f.storedSnapshots()).isEmpty();
    }

    @Test
    void interruptionEndsUnlockedCancelledAndCleanedUp() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        f.db.captureGate = new CountDownLatch(1);
        f.db.captureStarted = new CountDownLatch(1);
        BitbucketAdminClient bb = client(BitbucketSimulator.builder().drainTime(Duration.ofMillis(50)));
        BackupEngine engine = f.engine(locked(f, Duration.ofSeconds(10)), bb);
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<BackupOutcome> running = ex.submit(engine::run);
            assertThat(f.db.captureStarted.await(10, TimeUnit.SECONDS)).isTrue();
            engine.stop();
            BackupOutcome out = running.get(30, TimeUnit.SECONDS);
            assertThat(out.point().status()).isEqualTo(RestorePointStatus.FAILED);
        } finally {
            ex.shutdownNow();
        }
        assertThat(sim.isLocked()).isFalse();
        assertThat(cancels()).hasSize(1);
        assertThat(unlocks()).hasSize(1);
        assertThat(f.storedSnapshots()).isEmpty();
    }

    @Test
    void lockHeldElsewhereIsReportedAndThatLockIsNotReleased() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        BitbucketAdminClient bb = client(BitbucketSimulator.builder());
        sim.faults().lockHeldElsewhere(true);
        BackupOutcome out = f.engine(locked(f, Duration.ofSeconds(10)), bb).run();
        assertThat(out.point().failureReason()).contains("already locked for maintenance by another operation");
        assertThat(unlocks()).isEmpty();
        assertThat(cancels()).isEmpty();
        // the other holder's lock is intact: Bitbucket still refuses a new lock
        assertThatThrownBy(bb::lock).isInstanceOf(io.jenkins.plugins.bbdc.core.bitbucket.BitbucketException.class);
        assertThat(f.home.captures.get()).isZero();
    }

    @Test
    void cleanupFailureIsRecordedAsFailedWithLeftoversAndBitbucketUnlocked() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        f.db.failDurable = "pg_dump: out of disk space";
        f.home.failDelete = "snapshot is busy";
        BitbucketAdminClient bb = client(BitbucketSimulator.builder().drainTime(Duration.ofMillis(50)));
        BackupOutcome out = f.engine(locked(f, Duration.ofSeconds(10)), bb).run();
        assertThat(out.point().status()).isEqualTo(RestorePointStatus.FAILED);
        assertThat(out.point().leftovers()).extracting(r -> r.role()).containsExactly("home");
        assertThat(out.point().failureReason()).contains("out of disk space").contains("snapshot is busy");
        assertThat(sim.isLocked()).isFalse();
        assertThat(unlocks()).hasSize(1);
        assertThat(f.mesh.storedSnapshots()).isEmpty();
        assertThat(f.db.storedSnapshots()).isEmpty();
    }

    @Test
    void failingProgressCallsDoNotFailTheBackup() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        BitbucketAdminClient bb = client(BitbucketSimulator.builder().drainTime(Duration.ofMillis(50)));
        sim.faults().failNext("/mvc/admin/backups/progress", 10, 500);
        BackupOutcome out = f.engine(locked(f, Duration.ofSeconds(10)), bb).run();
        assertThat(out.succeeded()).isTrue();
        assertThat(sim.isLocked()).isFalse();
        assertThat(unlocks()).hasSize(1);
    }
}
