package io.jenkins.plugins.bbdc.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.ops.InstanceLock;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.restorepoint.ComponentRecord;
import io.jenkins.plugins.bbdc.core.restorepoint.ManifestJson;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;
import io.jenkins.plugins.bbdc.core.testsupport.DirectoryCopyProvider;
import io.jenkins.plugins.bbdc.core.testsupport.InMemoryMaintenance;
import io.jenkins.plugins.bbdc.core.testsupport.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup engine against real copy providers and an in-process implementation of the /mvc contract. */
class BackupEngineTest {
    @TempDir
    Path tmp;

    // ---------------------------------------------------------------- zero-downtime

    @Test
    void zeroDowntimeCapturesEveryComponentAtOneFenceWithoutLocking() throws Exception {
        BackupFixture f = new BackupFixture(tmp);
        InMemoryMaintenance bb = new InMemoryMaintenance();
        BackupOutcome out = f.engine(f.config(BackupMode.ZERO_DOWNTIME), bb).run();

        RestorePoint p = out.point();
        assertThat(out.succeeded()).isTrue();
        assertThat(p.status()).isEqualTo(RestorePointStatus.COMPLETE);
        assertThat(p.bitbucketVersion()).isEqualTo("8.19.1");
        assertThat(p.components()).extracting(ComponentRecord::role)
                .containsExactly("home", "mesh-home:mesh-1", "database");
        assertThat(p.components()).allSatisfy(c -> {
            assertThat(c.capturedAt()).isAfterOrEqualTo(p.fence());
            assertThat(c.durableAt()).isNotNull();
            assertThat(c.sizeBytes()).isPositive();
        });
        long min = p.components().stream().mapToLong(c -> c.capturedAt().toEpochMilli()).min().orElseThrow();
        long max = p.components().stream().mapToLong(c -> c.capturedAt().toEpochMilli()).max().orElseThrow();
        assertThat(p.skewMillis()).isEqualTo(max - min);
        assertThat(p.lockWindowMillis()).isNull();
        // no maintenance call at all: only the version check
        assertThat(bb.callNames()).containsExactly("GET /rest/api/1.0/application-properties");
        assertThat(f.catalog.find("prod", p.id())).contains(p);
        assertThat(f.storedSnapshots()).hasSize(3);
        assertThat(Files.readString(Path.of(p.component("database").orElseThrow().reference().id())
                .resolve("data/data.txt"))).isEqualTo("content of src/db");
        assertThat(f.closes()).isEqualTo(3);
    }

    @Test
    void zeroDowntimeFiresAllCapturesTogetherOnSeparateThreadsAfterEveryPrepare() throws Exception {
        BackupFixture f = new BackupFixture(tmp);
        f.engine(f.config(BackupMode.ZERO_DOWNTIME), new InMemoryMaintenance()).run();

        List<DirectoryCopyProvider.Step> all = new ArrayList<>();
        for (DirectoryCopyProvider p : List.of(f.home, f.mesh, f.db)) {
            all.addAll(p.steps);
        }
        long lastPrepare = all.stream().filter(s -> s.what().equals("prepare")).mapToLong(s -> s.atNanos()).max()
                .orElseThrow();
        List<DirectoryCopyProvider.Step> captures = all.stream().filter(s -> s.what().equals("capture")).toList();
        assertThat(captures).hasSize(3).allSatisfy(c -> assertThat(c.atNanos()).isGreaterThan(lastPrepare));
        assertThat(captures.stream().map(DirectoryCopyProvider.Step::thread).distinct()).hasSize(3);
    }

    @Test
    void zeroDowntimeRefusesACopyingProviderAndSaysWhy() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        assertThatThrownBy(() -> f.engine(f.config(BackupMode.ZERO_DOWNTIME), new InMemoryMaintenance()).run())
                .isInstanceOf(BackupRefusedException.class)
                .hasMessageContaining("rsync-like provider of 'home'")
                .hasMessageContaining("use mode LOCKED");
        assertThat(f.prepares()).isZero();
        assertThat(f.storedSnapshots()).isEmpty();
        assertThat(f.catalog.list("prod")).isEmpty();
    }

    @Test
    void zeroDowntimeRefusesBitbucketOlderThan48() throws Exception {
        BackupFixture f = new BackupFixture(tmp);
        InMemoryMaintenance bb = new InMemoryMaintenance().version("4.7.2");
        assertThatThrownBy(() -> f.engine(f.config(BackupMode.ZERO_DOWNTIME), bb).run())
                .isInstanceOf(BackupRefusedException.class).hasMessageContaining("Bitbucket 4.7.2")
                .hasMessageContaining("4.8 or later");
        assertThat(f.prepares()).isZero();
        BackupOutcome ok = f.engine(f.config(BackupMode.ZERO_DOWNTIME), new InMemoryMaintenance().version("4.8.0"))
                .run();
        assertThat(ok.succeeded()).isTrue();
    }

    @Test
    void providerCheckErrorsRefuseBeforeAnythingChanges() throws Exception {
        BackupFixture f = new BackupFixture(tmp);
        f.db.checkErrors.add("cannot connect to the database server");
        assertThatThrownBy(() -> f.engine(f.config(BackupMode.LOCKED), new InMemoryMaintenance()).run())
                .isInstanceOf(BackupRefusedException.class)
                .hasMessageContaining("database (dircopy-db): cannot connect to the database server");
        assertThat(f.prepares()).isZero();
    }

    @Test
    void zeroDowntimeCaptureFailureDeletesTheOtherSnapshots() throws Exception {
        BackupFixture f = new BackupFixture(tmp);
        f.db.failCapture = "database unreachable";
        BackupOutcome out = f.engine(f.config(BackupMode.ZERO_DOWNTIME), new InMemoryMaintenance()).run();
        assertThat(out.point().status()).isEqualTo(RestorePointStatus.FAILED);
        assertThat(out.point().failureReason()).contains("database (dircopy-db capture): database unreachable");
        assertThat(out.point().leftovers()).isEmpty();
        assertThat(f.storedSnapshots()).isEmpty();
        assertThat(f.home.deletes.get() + f.mesh.deletes.get()).isEqualTo(2);
        assertThat(f.closes()).isEqualTo(3);
        assertThat(f.catalog.find("prod", out.point().id())).get().extracting(RestorePoint::status)
                .isEqualTo(RestorePointStatus.FAILED);
    }

    @Test
    void prepareFailureClosesTheOtherPreparedCapturesAndTakesNothing() throws Exception {
        BackupFixture f = new BackupFixture(tmp);
        f.mesh.failPrepare = "mesh volume not found";
        InMemoryMaintenance bb = new InMemoryMaintenance();
        BackupOutcome out = f.engine(f.config(BackupMode.LOCKED), bb).run();
        assertThat(out.point().status()).isEqualTo(RestorePointStatus.FAILED);
        assertThat(out.point().failureReason()).contains("mesh volume not found");
        assertThat(f.home.closes.get() + f.db.closes.get()).isEqualTo(2);
        assertThat(bb.callNames()).noneMatch(c -> c.contains("/mvc/"));
    }

    // ---------------------------------------------------------------- locked

    @Test
    void lockedBackupLocksDrainsCapturesReportsProgressUnlocksOnceThenWaitsForTheDump() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        InMemoryMaintenance bb = new InMemoryMaintenance().drainAfterPolls(3);
        BackupOutcome out = f.engine(f.config(BackupMode.LOCKED), bb).run();

        assertThat(out.succeeded()).isTrue();
        assertThat(bb.isLocked()).isFalse();
        List<String> calls = bb.callNames();
        assertThat(calls).containsExactly(
                "GET /rest/api/1.0/application-properties",
                "POST /mvc/maintenance/lock",
                "POST /mvc/admin/backups?external=true",
                "GET /mvc/maintenance", "GET /mvc/maintenance", "GET /mvc/maintenance",
                "POST /mvc/admin/backups/progress/client percentage=33",
                "POST /mvc/admin/backups/progress/client percentage=66",
                "POST /mvc/admin/backups/progress/client percentage=99",
                "POST /mvc/admin/backups/progress/client percentage=100",
                "DELETE /mvc/maintenance/lock");
        long unlockAt = bb.calls().get(calls.size() - 1).atNanos();
        long lockAt = bb.calls().get(1).atNanos();
        for (DirectoryCopyProvider p : List.of(f.home, f.mesh, f.db)) {
            long capture = p.steps.stream().filter(s -> s.what().equals("capture")).findFirst().orElseThrow().atNanos();
            long durable = p.steps.stream().filter(s -> s.what().equals("durable")).findFirst().orElseThrow().atNanos();
            assertThat(capture).isBetween(lockAt, unlockAt);
            assertThat(durable).as("the dump/durability wait runs after the unlock").isGreaterThan(unlockAt);
        }
        RestorePoint p = out.point();
        assertThat(p.mode()).isEqualTo(BackupMode.LOCKED);
        assertThat(p.lockWindowMillis()).isNotNull().isNotNegative();
        assertThat(out.state().phase()).isEqualTo(BackupPhase.COMPLETE);
        assertThat(out.state().lockHeld()).isFalse();
    }

    @Test
    void drainPollsAreSpacedByTheConfiguredInterval() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        ManualClock clock = new ManualClock(Instant.parse("2026-11-21T10:00:00Z"));
        InMemoryMaintenance bb = new InMemoryMaintenance().drainAfterPolls(5);
        BackupConfig cfg = f.config(BackupMode.LOCKED).withDrain(Duration.ofSeconds(1), Duration.ofMinutes(10));
        BackupOutcome out = f.engine(cfg, bb, clock, clock.sleeper(), s -> { }).run();
        assertThat(out.succeeded()).isTrue();
        assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    @Test
    void drainTimeoutCancelsUnlocksAndCapturesNothing() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        ManualClock clock = new ManualClock(Instant.parse("2026-11-21T10:00:00Z"));
        InMemoryMaintenance bb = new InMemoryMaintenance().neverDrains();
        BackupConfig cfg = f.config(BackupMode.LOCKED).withDrain(Duration.ofSeconds(1), Duration.ofMinutes(10));
        BackupOutcome out = f.engine(cfg, bb, clock, clock.sleeper(), s -> { }).run();

        assertThat(out.point().status()).isEqualTo(RestorePointStatus.FAILED);
        assertThat(out.point().failureReason()).contains("did not drain within PT10M");
        assertThat(clock.sleeps()).hasSize(600).allMatch(d -> d.equals(Duration.ofSeconds(1)));
        assertThat(bb.isLocked()).isFalse();
        assertThat(bb.callNames()).endsWith("POST /mvc/maintenance?token=cancel", "DELETE /mvc/maintenance/lock");
        assertThat(bb.callNames().stream().filter(c -> c.startsWith("DELETE"))).hasSize(1);
        assertThat(f.home.captures.get() + f.db.captures.get()).isZero();
        assertThat(f.closes()).isEqualTo(3);
    }

    @Test
    void taskLeavingRunningAbortsTheDrainWithCancelAndUnlock() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        InMemoryMaintenance bb = new InMemoryMaintenance().drainAfterPolls(10).taskFailsAfterPolls(2);
        BackupOutcome out = f.engine(f.config(BackupMode.LOCKED), bb).run();
        assertThat(out.point().failureReason()).contains("task.state FAILED");
        assertThat(bb.isLocked()).isFalse();
        assertThat(bb.callNames()).endsWith("GET /mvc/maintenance", "POST /mvc/maintenance?token=cancel",
                "DELETE /mvc/maintenance/lock");
        assertThat(f.storedSnapshots()).isEmpty();
    }

    @Test
    void captureFailureUnderTheLockCancelsUnlocksOnceAndDeletesTheOtherSnapshots() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        f.db.failCapture = "pg_dump: connection refused";
        InMemoryMaintenance bb = new InMemoryMaintenance();
        BackupOutcome out = f.engine(f.config(BackupMode.LOCKED), bb).run();

        assertThat(out.point().status()).isEqualTo(RestorePointStatus.FAILED);
        assertThat(out.point().failureReason()).contains("pg_dump: connection refused");
        assertThat(bb.isLocked()).isFalse();
        assertThat(bb.callNames()).contains("POST /mvc/maintenance?token=cancel")
                .doesNotContain("POST /mvc/admin/backups/progress/client percentage=100");
        assertThat(bb.callNames().stream().filter(c -> c.startsWith("DELETE"))).hasSize(1);
        assertThat(f.storedSnapshots()).isEmpty();
        assertThat(out.point().leftovers()).isEmpty();
        assertThat(out.state().phase()).isEqualTo(BackupPhase.FAILED);
    }

    @Test
    void snapshotsThatCannotBeDeletedAreRecordedAsLeftoversOfAFailedPoint() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        f.db.failCapture = "disk full";
        f.home.failDelete = "permission denied";
        BackupOutcome out = f.engine(f.config(BackupMode.LOCKED), new InMemoryMaintenance()).run();

        RestorePoint p = out.point();
        assertThat(p.status()).isEqualTo(RestorePointStatus.FAILED);
        assertThat(p.leftovers()).singleElement().satisfies(r -> {
            assertThat(r.role()).isEqualTo("home");
            assertThat(Path.of(r.id())).exists();
        });
        assertThat(p.failureReason()).contains("disk full").contains("could not delete rsync-like snapshot")
                .contains("permission denied");
        RestorePoint stored = f.catalog.find("prod", p.id()).orElseThrow();
        assertThat(stored.leftovers()).hasSize(1);
        assertThat(f.mesh.storedSnapshots()).isEmpty();
    }

    @Test
    void failingProgressCallsNeverFailTheBackup() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        InMemoryMaintenance bb = new InMemoryMaintenance().failProgressCalls(4);
        BackupOutcome out = f.engine(f.config(BackupMode.LOCKED), bb).run();
        assertThat(out.succeeded()).isTrue();
        assertThat(bb.isLocked()).isFalse();
        assertThat(f.events.events()).anyMatch(e -> e.phase().equals("progress") && e.message().contains("continues"));
    }

    @Test
    void lockHeldElsewhereFailsClearlyAndNeverUnlocksSomeoneElsesLock() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        InMemoryMaintenance bb = new InMemoryMaintenance().lockHeldElsewhere(true);
        BackupOutcome out = f.engine(f.config(BackupMode.LOCKED), bb).run();
        assertThat(out.point().failureReason()).contains("already locked for maintenance by another operation")
                .contains("did not release it");
        assertThat(bb.callNames()).containsExactly("GET /rest/api/1.0/application-properties",
                "POST /mvc/maintenance/lock");
        assertThat(bb.isLocked()).isTrue();
        assertThat(f.closes()).isEqualTo(3);
    }

    @Test
    void durabilityFailureAfterTheUnlockDeletesEverySnapshot() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        f.db.failDurable = "pg_dump exited with 1";
        InMemoryMaintenance bb = new InMemoryMaintenance();
        BackupOutcome out = f.engine(f.config(BackupMode.LOCKED), bb).run();
        assertThat(out.point().status()).isEqualTo(RestorePointStatus.FAILED);
        assertThat(out.point().failureReason()).contains("pg_dump exited with 1");
        assertThat(f.storedSnapshots()).isEmpty();
        // Bitbucket's part was finished: one unlock, no cancel
        assertThat(bb.callNames().stream().filter(c -> c.startsWith("DELETE"))).hasSize(1);
        assertThat(bb.callNames()).doesNotContain("POST /mvc/maintenance?token=cancel");
    }

    @Test
    void stopDuringCaptureCancelsUnlocksDeletesAndClosesEverything() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        f.db.captureGate = new CountDownLatch(1);
        f.db.captureStarted = new CountDownLatch(1);
        InMemoryMaintenance bb = new InMemoryMaintenance();
        BackupEngine engine = f.engine(f.config(BackupMode.LOCKED), bb);
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<BackupOutcome> running = ex.submit(engine::run);
            assertThat(f.db.captureStarted.await(10, TimeUnit.SECONDS)).isTrue();
            engine.stop();
            BackupOutcome out = running.get(30, TimeUnit.SECONDS);
            assertThat(out.point().status()).isEqualTo(RestorePointStatus.FAILED);
            assertThat(out.point().failureReason()).contains("stopped");
            assertThat(bb.isLocked()).isFalse();
            assertThat(bb.callNames()).contains("POST /mvc/maintenance?token=cancel");
            assertThat(bb.callNames().stream().filter(c -> c.startsWith("DELETE"))).hasSize(1);
            assertThat(f.storedSnapshots()).isEmpty();
            assertThat(f.closes()).isEqualTo(3);
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void aSecondOperationOnTheSameInstanceIsRefusedNamingTheHolder() throws Exception {
        BackupFixture f = new BackupFixture(tmp);
        try (InstanceLock held = InstanceLock.acquire(f.catalog.instanceDirectory("prod"), "prod", "restore",
                Instant.now())) {
            assertThatThrownBy(() -> f.engine(f.config(BackupMode.ZERO_DOWNTIME), new InMemoryMaintenance()).run())
                    .isInstanceOf(BackupRefusedException.class).hasMessageContaining("restore of prod");
        }
        assertThat(f.engine(f.config(BackupMode.ZERO_DOWNTIME), new InMemoryMaintenance()).run().succeeded())
                .isTrue();
    }

    // ---------------------------------------------------------------- resume after a crash

    /** Simulates the process dying: the state sink stores a state, then the "process" stops (an Error). */
    static final class Crash extends Error {
        Crash() {
            super("simulated process death");
        }
    }

    @Test
    void resumeAfterDeathWhileLockedCancelsUnlocksAndDeletesWhatWasCaptured() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        InMemoryMaintenance bb = new InMemoryMaintenance();
        List<BackupState> stored = new ArrayList<>();
        BackupStateSink dyingSink = s -> {
            if (s.phase() == BackupPhase.CAPTURING && s.skewMillis() != null) {
                throw new Crash(); // all captured, progress not yet reported: the process dies here
            }
            stored.add(s);
        };
        BackupEngine first = f.engine(f.config(BackupMode.LOCKED), bb, java.time.Clock.systemUTC(),
                io.jenkins.plugins.bbdc.core.time.Sleeper.SYSTEM, dyingSink);
        assertThatThrownBy(first::run).isInstanceOf(Crash.class);
        BackupState last = stored.get(stored.size() - 1);
        assertThat(bb.isLocked()).isTrue();
        assertThat(last.lockHeld()).isTrue();
        assertThat(last.captured()).hasSize(3);
        assertThat(last.toString()).doesNotContain(last.unlockToken());

        // the state survives a JSON round trip (Jenkins/CLI persist it), then a new engine resumes
        BackupState persisted = ManifestJson.mapper().readValue(ManifestJson.mapper().writeValueAsBytes(last),
                BackupState.class);
        BackupOutcome out = f.engine(f.config(BackupMode.LOCKED), bb).resume(persisted);
        assertThat(out.point().status()).isEqualTo(RestorePointStatus.FAILED);
        assertThat(out.point().failureReason()).contains("stopped while capturing");
        assertThat(bb.isLocked()).isFalse();
        assertThat(bb.callNames()).endsWith("POST /mvc/maintenance?token=cancel", "DELETE /mvc/maintenance/lock");
        assertThat(f.storedSnapshots()).isEmpty();
        assertThat(out.state().phase()).isEqualTo(BackupPhase.FAILED);
    }

    @Test
    void resumeAfterDeathWhileAwaitingDurabilityFinishesTheRestorePoint() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        InMemoryMaintenance bb = new InMemoryMaintenance();
        List<BackupState> stored = new ArrayList<>();
        BackupStateSink dyingSink = s -> {
            stored.add(s);
            if (s.phase() == BackupPhase.AWAITING_DURABLE) {
                throw new Crash();
            }
        };
        BackupEngine first = f.engine(f.config(BackupMode.LOCKED), bb, java.time.Clock.systemUTC(),
                io.jenkins.plugins.bbdc.core.time.Sleeper.SYSTEM, dyingSink);
        assertThatThrownBy(first::run).isInstanceOf(Crash.class);
        BackupState last = stored.get(stored.size() - 1);
        assertThat(bb.isLocked()).isFalse();
        assertThat(last.captured()).allMatch(r -> r.durableAt() == null);

        BackupOutcome out = f.engine(f.config(BackupMode.LOCKED), bb).resume(last);
        assertThat(out.succeeded()).isTrue();
        assertThat(out.point().components()).hasSize(3).allMatch(c -> c.durableAt() != null);
        assertThat(out.point().lockWindowMillis()).isNotNull();
        assertThat(f.catalog.latestComplete("prod")).contains(out.point());
        assertThat(bb.callNames().stream().filter(c -> c.startsWith("DELETE"))).hasSize(1);
    }

    @Test
    void aStopAlreadyPendingWhenTheResumeStartsStillUnlocksAndCleansUp() throws Exception {
        // a Jenkins abort that arrives right after a controller restart: the resuming thread is already interrupted
        BackupFixture f = new BackupFixture(tmp, true);
        InMemoryMaintenance bb = new InMemoryMaintenance();
        List<BackupState> stored = new ArrayList<>();
        BackupStateSink dyingSink = s -> {
            if (s.phase() == BackupPhase.CAPTURING && s.skewMillis() != null) {
                throw new Crash();
            }
            stored.add(s);
        };
        assertThatThrownBy(f.engine(f.config(BackupMode.LOCKED), bb, java.time.Clock.systemUTC(),
                io.jenkins.plugins.bbdc.core.time.Sleeper.SYSTEM, dyingSink)::run).isInstanceOf(Crash.class);
        BackupState last = stored.get(stored.size() - 1);
        assertThat(bb.isLocked()).isTrue();

        Thread.currentThread().interrupt();
        BackupOutcome out;
        try {
            out = f.engine(f.config(BackupMode.LOCKED), bb).resume(last);
        } finally {
            assertThat(Thread.interrupted()).as("the stop is handed back to the caller").isTrue();
        }

        assertThat(bb.isLocked()).isFalse();
        assertThat(out.point().status()).isEqualTo(RestorePointStatus.FAILED);
        assertThat(out.point().failureReason()).contains("stopped");
        assertThat(f.storedSnapshots()).isEmpty();
    }

    @Test
    void aBackupStoppedBeforeItStartsChangesNothing() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        InMemoryMaintenance bb = new InMemoryMaintenance();
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(f.engine(f.config(BackupMode.LOCKED), bb)::run)
                    .isInstanceOf(InterruptedException.class).hasMessageContaining("nothing was changed");
        } finally {
            Thread.interrupted();
        }
        assertThat(bb.callNames()).isEmpty();
        assertThat(f.catalog.list("prod")).isEmpty();
    }

    @Test
    void resumeRetriesAnUnlockThatFailed() throws Exception {
        BackupFixture f = new BackupFixture(tmp, true);
        InMemoryMaintenance bb = new InMemoryMaintenance().failUnlockCalls(1);
        BackupOutcome out = f.engine(f.config(BackupMode.LOCKED), bb).run();
        assertThat(out.point().status()).isEqualTo(RestorePointStatus.COMPLETE);
        assertThat(out.stillLocked()).isTrue();
        assertThat(out.succeeded()).isFalse();
        assertThat(bb.isLocked()).isTrue();

        BackupOutcome resumed = f.engine(f.config(BackupMode.LOCKED), bb).resume(out.state());
        assertThat(bb.isLocked()).isFalse();
        assertThat(resumed.stillLocked()).isFalse();
        assertThat(resumed.point().status()).isEqualTo(RestorePointStatus.COMPLETE);
    }
}
