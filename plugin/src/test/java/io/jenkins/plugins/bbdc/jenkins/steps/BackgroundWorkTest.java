package io.jenkins.plugins.bbdc.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.AbortException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A blocking engine call driven by polls: the result arrives, a stop interrupts the work and waits for its clean-up,
 * a restart hands the last checkpoint to the recovery.
 */
class BackgroundWorkTest {
    private final BackgroundWork work = new BackgroundWork(Duration.ofMillis(20));

    private Advance pollUntilDone(String state, boolean stop, BackgroundWork.WorkFactory f,
                                  BackgroundWork.Recovery r) throws Exception {
        Advance a = work.advance(state, stop, f, "backup of prod", r);
        for (int i = 0; i < 500 && !a.terminal(); i++) {
            TimeUnit.MILLISECONDS.sleep(10);
            a = work.advance(a.state(), stop, f, "backup of prod", r);
        }
        return a;
    }

    private static final BackgroundWork.Recovery NO_RECOVERY = cp -> {
        throw new AbortException("lost");
    };

    @Test
    void theResultOfTheWorkBecomesTheStepResult() throws Exception {
        Advance a = pollUntilDone(null, false, () -> p -> Map.of("restorePointId", "rp-1"), NO_RECOVERY);
        assertThat(a.terminal()).isTrue();
        assertThat(a.failure()).isNull();
        assertThat(a.result()).containsEntry("restorePointId", "rp-1");
    }

    @Test
    void progressAndCheckpointsArePersistedWhileTheWorkRuns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch checkpointed = new CountDownLatch(1);
        Advance a = work.advance(null, false, () -> p -> {
            p.status("capture home: snapshot taken");
            p.checkpoint("{\"phase\":\"AWAIT_DURABLE\"}");
            checkpointed.countDown();
            release.await();
            return Map.of();
        }, "backup of prod", NO_RECOVERY);
        assertThat(checkpointed.await(5, TimeUnit.SECONDS)).isTrue();
        a = work.advance(a.state(), false, null, "backup of prod", NO_RECOVERY);
        assertThat(a.terminal()).isFalse();
        assertThat(a.status()).isEqualTo("capture home: snapshot taken");
        assertThat(BackgroundWork.State.fromJson(a.state()).checkpoint).isEqualTo("{\"phase\":\"AWAIT_DURABLE\"}");
        release.countDown();
        assertThat(pollUntilDone(a.state(), false, null, NO_RECOVERY).failure()).isNull();
    }

    @Test
    void stopInterruptsTheWorkAndWaitsForItsCleanUp() throws Exception {
        AtomicBoolean unlocked = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        Advance a = work.advance(null, false, () -> p -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
                return Map.of();
            } finally {
                Thread.sleep(50); // the engine's clean-up takes a moment, even when interrupted
                unlocked.set(true);
            }
        }, "backup of prod", NO_RECOVERY);
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        Advance stopped = pollUntilDone(a.state(), true, null, NO_RECOVERY);
        assertThat(stopped.terminal()).isTrue();
        assertThat(stopped.failure()).contains("was stopped");
        assertThat(unlocked).as("the step ends only after the clean-up ran").isTrue();
    }

    @Test
    void aStopBeforeTheWorkStartedChangesNothing() throws Exception {
        AtomicBoolean created = new AtomicBoolean();
        Advance a = work.advance(null, true, () -> {
            created.set(true);
            return p -> Map.of();
        }, "backup of prod", NO_RECOVERY);
        assertThat(a.terminal()).isTrue();
        assertThat(a.failure()).contains("stopped before it started");
        assertThat(created).isFalse();
    }

    @Test
    void afterARestartTheRecoveryContinuesFromTheLastCheckpoint() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch checkpointed = new CountDownLatch(1);
        Advance a = work.advance(null, false, () -> p -> {
            p.checkpoint("{\"phase\":\"AWAIT_DURABLE\",\"restorePointId\":\"rp-7\"}");
            checkpointed.countDown();
            never.await();
            return Map.of();
        }, "backup of prod", NO_RECOVERY);
        assertThat(checkpointed.await(5, TimeUnit.SECONDS)).isTrue();
        a = work.advance(a.state(), false, null, "backup of prod", NO_RECOVERY);
        String persisted = a.state();
        BackgroundWork.forgetAllForTests(); // the controller restarted: threads are gone
        List<String> resumedFrom = new ArrayList<>();
        Advance resumed = pollUntilDone(persisted, false, null, cp -> {
            resumedFrom.add(cp);
            return p -> Map.of("restorePointId", "rp-7", "resumed", true);
        });
        never.countDown();
        assertThat(resumedFrom).containsExactly("{\"phase\":\"AWAIT_DURABLE\",\"restorePointId\":\"rp-7\"}");
        assertThat(resumed.result()).containsEntry("resumed", true);
    }

    @Test
    void workThatCannotResumeFailsWithTheRecoveryExplanation() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Advance a = work.advance(null, false, () -> p -> {
            never.await();
            return Map.of();
        }, "restore of prod", NO_RECOVERY);
        BackgroundWork.forgetAllForTests();
        Advance lost = work.advance(a.state(), false, null, "restore of prod", cp -> {
            throw new AbortException("Jenkins restarted while restoring; run bitbucketRestore again");
        });
        never.countDown();
        assertThat(lost.terminal()).isTrue();
        assertThat(lost.failure()).isEqualTo("Jenkins restarted while restoring; run bitbucketRestore again");
    }

    @Test
    void aFailureOfTheWorkKeepsWhatItDid() throws Exception {
        Advance a = pollUntilDone(null, false, () -> p -> {
            throw new BackgroundWork.ResultfulFailure("restore of rp-1 failed for database",
                    Map.of("restorePointId", "rp-1"));
        }, NO_RECOVERY);
        assertThat(a.failure()).isEqualTo("restore of rp-1 failed for database");
        assertThat(a.result()).containsEntry("restorePointId", "rp-1");
    }

    @Test
    void aStopRightAfterARestartStillLetsTheRecoveredWorkCleanUp() throws Exception {
        CountDownLatch checkpointed = new CountDownLatch(1);
        CountDownLatch end = new CountDownLatch(1);
        Advance a = work.advance(null, false, () -> p -> {
            p.checkpoint("{\"phase\":\"LOCKED\",\"lockHeld\":true}");
            checkpointed.countDown();
            end.await();
            return Map.of();
        }, "backup of prod", NO_RECOVERY);
        assertThat(checkpointed.await(5, TimeUnit.SECONDS)).isTrue();
        a = work.advance(a.state(), false, null, "backup of prod", NO_RECOVERY);
        BackgroundWork.forgetAllForTests();   // the restart: the thread is gone, the checkpoint persisted
        end.countDown();

        List<String> recovered = new ArrayList<>();
        AtomicBoolean unlocked = new AtomicBoolean();
        Advance stopped = pollUntilDone(a.state(), true, null, cp -> p -> {
            recovered.add(cp);
            try {
                Thread.sleep(60_000);   // the engine's resume would wait for durability...
                return Map.of();
            } finally {
                unlocked.set(true);    // ...but, interrupted, it unlocks and cleans up
            }
        });
        assertThat(stopped.terminal()).isTrue();
        assertThat(stopped.failure()).contains("was stopped");
        assertThat(recovered).containsExactly("{\"phase\":\"LOCKED\",\"lockHeld\":true}");
        assertThat(unlocked).isTrue();
    }
    @Test
    void anEngineWorkGetsAStopThroughItsEngineEvenWhenItCameBeforeTheEngineExisted() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Advance a = work.advance(null, false, () -> p -> {
            p.checkpoint("{\"phase\":\"LOCKED\",\"lockHeld\":true}");
            never.await();
            return Map.of();
        }, "backup of prod", NO_RECOVERY);
        a = work.advance(a.state(), false, null, "backup of prod", NO_RECOVERY);
        BackgroundWork.forgetAllForTests(); // the restart
        never.countDown();

        List<String> seen = new ArrayList<>();
        BackgroundWork.Recovery recovery = cp -> (BackgroundWork.EngineWork) p -> {
            for (int i = 0; i < 500 && !p.stopRequested(); i++) {
                Thread.sleep(10); // the engine is still being built when the stop arrives
            }
            seen.add("interrupted before the engine: " + Thread.currentThread().isInterrupted());
            AtomicBoolean engineStopped = new AtomicBoolean();
            try (BackgroundWork.StopRoute ignored = p.stopThrough(() -> engineStopped.set(true))) {
                seen.add("engine stopped: " + engineStopped.get());
                seen.add("interrupted while the engine runs: " + Thread.currentThread().isInterrupted());
            }
            seen.add("interrupted after the engine: " + Thread.interrupted());
            throw new InterruptedException("stopped");
        };
        Advance stopped = pollUntilDone(a.state(), true, null, recovery);
        assertThat(stopped.failure()).contains("was stopped");
        assertThat(seen).containsExactly("interrupted before the engine: false", "engine stopped: true",
                "interrupted while the engine runs: false", "interrupted after the engine: true");
    }

    @Test
    void aStopWhileAnEngineWorkRunsGoesToTheEngineAndAfterItToTheThread() throws Exception {
        CountDownLatch engineRunning = new CountDownLatch(1);
        CountDownLatch engineStopped = new CountDownLatch(1);
        List<String> seen = new ArrayList<>();
        Advance a = work.advance(null, false, () -> (BackgroundWork.EngineWork) p -> {
            try (BackgroundWork.StopRoute ignored = p.stopThrough(engineStopped::countDown)) {
                engineRunning.countDown();
                seen.add("engine stopped: " + engineStopped.await(5, TimeUnit.SECONDS));
                seen.add("interrupted by the stop: " + Thread.currentThread().isInterrupted());
            }
            try {
                Thread.sleep(60_000); // retention after the engine: a stop that came meanwhile is an interrupt now
                return Map.of();
            } catch (InterruptedException e) {
                seen.add("retention interrupted");
                throw e;
            }
        }, "backup of prod", NO_RECOVERY);
        assertThat(engineRunning.await(5, TimeUnit.SECONDS)).isTrue();
        Advance stopped = pollUntilDone(a.state(), true, null, NO_RECOVERY);
        assertThat(stopped.failure()).contains("was stopped");
        assertThat(seen).containsExactly("engine stopped: true", "interrupted by the stop: false",
                "retention interrupted");
    }
}
