package io.jenkins.plugins.bbdc.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The driving of a running operation step, as Jenkins would do it but with a plain scheduler for its timer: the
 * instance lock is taken and released, a stop returns at once even while a poll is busy and ends the operation
 * safely, a resumed operation whose instance was taken meanwhile is ended safely with the conflict named, and what
 * is persisted holds no secret.
 */
class OperationLoopTest {
    private final ScheduledExecutorService timer = new ScheduledThreadPoolExecutor(2);

    @AfterEach
    void tearDown() {
        timer.shutdownNow();
        for (String id : List.of("prod", "staging")) {
            InstanceLocks.Holder h = InstanceLocks.global().holder(id);
            if (h != null) {
                InstanceLocks.global().release(id, h.ownerId());
            }
        }
    }

    /** Jenkins as the loop sees it: the timer, the machine, the log, and how the step ended. */
    class FakeHost implements OperationLoop.Host {
        final OperationMachine machine;
        ScheduledExecutorService ownTimer;
        Executor pollThreads = PollThreads.shared();
        final String secretInMemory = "s3cr3t-admin-password";
        final List<String> log = new CopyOnWriteArrayList<>();
        final AtomicInteger saves = new AtomicInteger();
        final AtomicInteger pages = new AtomicInteger();
        final CompletableFuture<String> ended = new CompletableFuture<>();
        volatile Map<String, Object> result;
        volatile Map<String, Object> recorded;

        FakeHost(OperationMachine machine) {
            this.machine = machine;
        }

        @Override
        public ScheduledExecutorService timer() {
            return ownTimer != null ? ownTimer : timer;
        }

        @Override
        public Executor pollThreads() {
            return pollThreads;
        }

        @Override
        public OperationMachine machine() {
            return machine;
        }

        @Override
        public String buildName() {
            return "backups #12";
        }

        @Override
        public void log(String line) {
            log.add(line);
        }

        @Override
        public void saveState() {
            saves.incrementAndGet();
        }

        @Override
        public void finished(Map<String, Object> result, String failure) {
            pages.incrementAndGet();
            recorded = result;
        }

        @Override
        public void complete(Map<String, Object> result, String failure) {
            this.result = result;
            ended.complete(failure == null ? "SUCCESS" : failure);
        }

        String awaitEnd() throws Exception {
            return ended.get(10, TimeUnit.SECONDS);
        }
    }

    /** Locks Bitbucket on the first call, then waits for the snapshot; a stop unlocks and fails. */
    static final class LockingMachine implements OperationMachine {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final CountDownLatch firstPollMayEnd;
        final CountDownLatch firstPollRuns = new CountDownLatch(1);
        final Duration again;

        LockingMachine(CountDownLatch firstPollMayEnd, Duration again) {
            this.firstPollMayEnd = firstPollMayEnd;
            this.again = again;
        }

        @Override
        public Advance advance(String state, boolean stopRequested, boolean resumed) throws Exception {
            calls.add((state == null ? "new" : state) + (stopRequested ? " stop" : "") + (resumed ? " resumed" : ""));
            if (stopRequested) {
                return Advance.failed("unlocked", "stopped", "stopped: Bitbucket unlocked, snapshots deleted", null);
            }
            if (state == null) {
                firstPollRuns.countDown();
                firstPollMayEnd.await(); // a slow Bitbucket call, say
                return Advance.again("locked", "locked, capturing", again);
            }
            return Advance.succeeded("done", "done", Map.of("restorePointId", "rp-1"));
        }
    }

    @Test
    void theInstanceIsHeldWhileTheOperationRunsAndReleasedWithTheResult() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        LockingMachine m = new LockingMachine(go, Duration.ofMillis(10));
        FakeHost host = new FakeHost(m);
        OperationLoop loop = new OperationLoop("backup", "prod");

        loop.start("backups#12", host);
        assertThat(m.firstPollRuns.await(5, TimeUnit.SECONDS)).isTrue();
        InstanceLocks.Holder holder = InstanceLocks.global().holder("prod");
        assertThat(holder.build()).isEqualTo("backups #12");
        assertThat(holder.ownerId()).isEqualTo(loop.ownerId());
        go.countDown();

        assertThat(host.awaitEnd()).isEqualTo("SUCCESS");
        assertThat(host.result).containsEntry("restorePointId", "rp-1");
        assertThat(host.recorded).isSameAs(host.result);
        assertThat(InstanceLocks.global().holder("prod")).isNull();
        // after the first poll, with the outcome, and once the build page was recorded
        assertThat(host.saves.get()).isEqualTo(3);
        assertThat(m.calls).containsExactly("new", "locked");
    }

    @Test
    void aSecondOperationOnTheSameInstanceIsRefusedNamingTheFirst() throws Exception {
        OperationLoop first = new OperationLoop("rolling upgrade", "prod");
        first.start("upgrade#3", new FakeHost(new LockingMachine(new CountDownLatch(0), Duration.ofHours(1))));

        OperationLoop second = new OperationLoop("backup", "prod");
        FakeHost host = new FakeHost(new LockingMachine(new CountDownLatch(0), Duration.ofHours(1)));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> second.start("backups#13", host))
                .isInstanceOf(hudson.AbortException.class)
                .hasMessageContaining("rolling upgrade started by backups #12").hasMessageContaining("'prod'");
        assertThat(InstanceLocks.global().holder("prod").ownerId()).isEqualTo(first.ownerId());
    }

    @Test
    void stopReturnsAtOnceWhileAPollIsBusyAndTheOperationThenEndsSafely() throws Exception {
        CountDownLatch slowCall = new CountDownLatch(1);
        LockingMachine m = new LockingMachine(slowCall, Duration.ofHours(1));
        FakeHost host = new FakeHost(m);
        OperationLoop loop = new OperationLoop("backup", "prod");
        loop.start("backups#12", host);
        assertThat(m.firstPollRuns.await(5, TimeUnit.SECONDS)).isTrue();

        long t0 = System.nanoTime();
        loop.stop("aborted by admin", host);   // the first poll is still inside its slow call
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(500));
        assertThat(loop.status()).contains("stopping: aborted by admin");
        assertThat(host.ended).isNotDone();

        slowCall.countDown();
        assertThat(host.awaitEnd()).isEqualTo("stopped: Bitbucket unlocked, snapshots deleted");
        // the stop was carried into the poll right after the busy one, not an hour later
        assertThat(m.calls).containsExactly("new", "locked stop");
        assertThat(InstanceLocks.global().holder("prod")).isNull();
        assertThat(host.log).anyMatch(l -> l.contains("Stop requested"));
    }

    @Test
    void aStopIsNotLostWhenTheBusyPollThenSchedulesItsNextPollAnHourLater() throws Exception {
        // one timer thread, as on a busy controller: the stop's immediate poll cannot start before the busy poll
        // ends, and that poll then asks for the next one in an hour
        ScheduledExecutorService single = new ScheduledThreadPoolExecutor(1);
        try {
            CountDownLatch slowCall = new CountDownLatch(1);
            LockingMachine m = new LockingMachine(slowCall, Duration.ofHours(1));
            FakeHost host = new FakeHost(m);
            host.ownTimer = single;
            OperationLoop loop = new OperationLoop("backup", "prod");
            loop.start("backups#12", host);
            assertThat(m.firstPollRuns.await(5, TimeUnit.SECONDS)).isTrue();

            loop.stop("aborted by admin", host);
            slowCall.countDown();

            assertThat(host.awaitEnd()).isEqualTo("stopped: Bitbucket unlocked, snapshots deleted");
            assertThat(m.calls).containsExactly("new", "locked stop");
        } finally {
            single.shutdownNow();
        }
    }

    @Test
    void aResumedOperationWhoseInstanceWasTakenMeanwhileIsEndedSafelyNamingTheOther() throws Exception {
        FakeHost before = new FakeHost(new LockingMachine(new CountDownLatch(0), Duration.ofHours(1)));
        OperationLoop loop = new OperationLoop("backup", "prod");
        loop.start("backups#12", before);
        awaitSaves(before, 1);
        OperationLoop restored = roundTrip(loop);     // what program.dat keeps
        // the restart: the in-memory locks are gone, and another build takes the instance before this one resumes
        InstanceLocks.global().release("prod", loop.ownerId());
        InstanceLocks.global().acquire("prod", new InstanceLocks.Holder("other", "rolling upgrade", "upgrade #4"));

        LockingMachine after = new LockingMachine(new CountDownLatch(0), Duration.ofHours(1));
        FakeHost host = new FakeHost(after);
        restored.resume(host);

        String failure = host.awaitEnd();
        assertThat(after.calls).containsExactly("locked stop resumed");
        assertThat(failure).contains("another operation holds this Bitbucket instance")
                .contains("rolling upgrade started by upgrade #4")
                .contains("stopped: Bitbucket unlocked, snapshots deleted");
        assertThat(InstanceLocks.global().holder("prod").ownerId()).isEqualTo("other");
        assertThat(host.log).anyMatch(l -> l.contains("is ended safely instead of continued"));
    }

    @Test
    void aResumedOperationTakesItsInstanceAgainAndContinues() throws Exception {
        FakeHost before = new FakeHost(new LockingMachine(new CountDownLatch(0), Duration.ofHours(1)));
        OperationLoop loop = new OperationLoop("backup", "prod");
        loop.start("backups#12", before);
        awaitSaves(before, 1);
        OperationLoop restored = roundTrip(loop);
        InstanceLocks.global().release("prod", loop.ownerId());

        LockingMachine after = new LockingMachine(new CountDownLatch(0), Duration.ofHours(1));
        FakeHost host = new FakeHost(after);
        restored.resume(host);

        assertThat(host.awaitEnd()).isEqualTo("SUCCESS");
        assertThat(after.calls).containsExactly("locked resumed");
        assertThat(InstanceLocks.global().holder("prod")).isNull();
    }

    @Test
    void thePersistedLoopHoldsTheEngineStateButNoSecret() throws Exception {
        FakeHost host = new FakeHost(new LockingMachine(new CountDownLatch(0), Duration.ofHours(1)));
        OperationLoop loop = new OperationLoop("backup", "prod");
        loop.start("backups#12", host);
        awaitSaves(host, 1);
        loop.stop("timeout", host);
        host.awaitEnd();

        byte[] bytes = serialize(loop);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        assertThat(text).contains("unlocked").contains("prod");
        assertThat(text).doesNotContain(host.secretInMemory).doesNotContain("FakeHost");
    }

    @Test
    void aPollBlockedOnACallLeavesTheTimerThreadFreeForEveryoneElse() throws Exception {
        // Jenkins' timer is shared by all of Jenkins: here one thread, and the poll blocks as a Bitbucket call
        // hanging until its timeout would
        ScheduledExecutorService single = new ScheduledThreadPoolExecutor(1);
        PollThreads polls = new PollThreads("test poll", 2, 8);
        CountDownLatch slowCall = new CountDownLatch(1);
        try {
            LockingMachine m = new LockingMachine(slowCall, Duration.ofMillis(10));
            FakeHost host = new FakeHost(m);
            host.ownTimer = single;
            AtomicReference<Thread> pollThread = new AtomicReference<>();
            host.pollThreads = command -> polls.execute(() -> {
                pollThread.compareAndSet(null, Thread.currentThread());
                command.run();
            });
            new OperationLoop("backup", "prod").start("backups#12", host);
            assertThat(m.firstPollRuns.await(5, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<String> otherTask = new CompletableFuture<>();
            single.schedule(() -> otherTask.complete("ran"), 0, TimeUnit.MILLISECONDS);
            assertThat(otherTask.get(2, TimeUnit.SECONDS)).isEqualTo("ran");

            Thread t = pollThread.get();
            assertThat(t.getName()).startsWith("test poll ");
            assertThat(t.isDaemon()).isTrue();
            assertThat(t.getContextClassLoader()).isSameAs(PollThreads.class.getClassLoader());

            slowCall.countDown();
            assertThat(host.awaitEnd()).isEqualTo("SUCCESS");
        } finally {
            slowCall.countDown();
            single.shutdownNow();
            polls.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void aPollRefusedByBusyPollThreadsIsTriedAgainLater() throws Exception {
        LockingMachine m = new LockingMachine(new CountDownLatch(0), Duration.ofMillis(10));
        FakeHost host = new FakeHost(m);
        AtomicBoolean refusedOnce = new AtomicBoolean();
        host.pollThreads = command -> {
            if (refusedOnce.compareAndSet(false, true)) {
                throw new RejectedExecutionException("queue full");
            }
            PollThreads.shared().execute(command);
        };
        new OperationLoop("backup", "prod").start("backups#12", host);

        assertThat(host.ended.get(OperationLoop.BUSY_RETRY.toSeconds() + 5, TimeUnit.SECONDS)).isEqualTo("SUCCESS");
        assertThat(refusedOnce).isTrue();
        assertThat(m.calls).containsExactly("new", "locked");
    }

    /** Waits for its snapshots: the same state for many polls, then durable, then done. */
    static final class WaitingMachine implements OperationMachine {
        final List<Integer> savesSeen = new CopyOnWriteArrayList<>();
        final AtomicInteger calls = new AtomicInteger();
        volatile FakeHost host;

        @Override
        public Advance advance(String state, boolean stopRequested, boolean resumed) {
            savesSeen.add(host.saves.get());
            int call = calls.incrementAndGet();
            if (call <= 20) {
                return Advance.again("{\"phase\":\"AWAITING_DURABLE\"}", "waiting for the snapshots", Duration.ofMillis(1));
            }
            if (call <= 30) {
                return Advance.again("{\"phase\":\"COPYING\"}", "copying", Duration.ofMillis(1));
            }
            return Advance.succeeded("{\"phase\":\"COMPLETE\"}", "done", Map.of("restorePointId", "rp-1"));
        }
    }

    @Test
    void pollsThatChangeNothingDoNotSaveTheStepAndAChangeSavesItOnce() throws Exception {
        WaitingMachine m = new WaitingMachine();
        FakeHost host = new FakeHost(m);
        m.host = host;
        new OperationLoop("backup", "prod").start("backups#12", host);
        assertThat(host.awaitEnd()).isEqualTo("SUCCESS");

        // the saves that the polls before each call made: one for the first state, none for the 19 polls that
        // found it unchanged, one when it moved on, none for the 9 polls after that
        assertThat(m.savesSeen).hasSize(31);
        assertThat(m.savesSeen.get(0)).isZero();
        assertThat(m.savesSeen.subList(1, 21)).containsOnly(1);
        assertThat(m.savesSeen.subList(21, 31)).containsOnly(2);
        // then the outcome, and the build page recorded
        assertThat(host.saves.get()).isEqualTo(4);
    }

    /** Jenkins as it was when the controller went down: it saved the step, but never took its report. */
    final class RestartingHost extends FakeHost {
        final List<byte[]> programDat = new CopyOnWriteArrayList<>();
        volatile OperationLoop loop;

        RestartingHost(OperationMachine machine) {
            super(machine);
        }

        @Override
        public void saveState() {
            super.saveState();
            try {
                programDat.add(serialize(loop));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void complete(Map<String, Object> result, String failure) {
            // the controller went down before the step's end reached the build
        }
    }

    @Test
    void anOperationThatEndedJustBeforeARestartReportsItsOutcomeOnceResumed() throws Exception {
        LockingMachine m = new LockingMachine(new CountDownLatch(0), Duration.ofMillis(10));
        RestartingHost before = new RestartingHost(m);
        OperationLoop loop = new OperationLoop("backup", "prod");
        before.loop = loop;
        loop.start("backups#12", before);
        for (int i = 0; i < 500 && before.programDat.size() < 3; i++) {
            Thread.sleep(10);
        }
        // saved: after the first poll, with the outcome, with the build page recorded
        assertThat(before.programDat).hasSize(3);
        assertThat(before.pages.get()).isEqualTo(1);
        InstanceLocks.global().release("prod", loop.ownerId());

        // restarted after the build page was recorded: the outcome is reported, the page not added again
        LockingMachine after = new LockingMachine(new CountDownLatch(0), Duration.ofMillis(10));
        FakeHost resumed = new FakeHost(after);
        deserialize(before.programDat.get(2)).resume(resumed);
        assertThat(resumed.awaitEnd()).isEqualTo("SUCCESS");
        assertThat(resumed.result).containsEntry("restorePointId", "rp-1");
        assertThat(resumed.pages.get()).isZero();
        assertThat(after.calls).isEmpty();
        assertThat(InstanceLocks.global().holder("prod")).isNull();

        // restarted before the page was recorded: recorded once, with the same result
        FakeHost early = new FakeHost(after);
        deserialize(before.programDat.get(1)).resume(early);
        assertThat(early.awaitEnd()).isEqualTo("SUCCESS");
        assertThat(early.pages.get()).isEqualTo(1);
        assertThat(early.recorded).containsEntry("restorePointId", "rp-1");
        assertThat(after.calls).isEmpty();
    }

    @Test
    void aFailedOperationThatEndedJustBeforeARestartFailsWithTheSameMessageOnceResumed() throws Exception {
        LockingMachine m = new LockingMachine(new CountDownLatch(0), Duration.ofHours(1));
        RestartingHost before = new RestartingHost(m);
        OperationLoop loop = new OperationLoop("backup", "prod");
        before.loop = loop;
        loop.start("backups#12", before);
        for (int i = 0; i < 500 && before.programDat.isEmpty(); i++) {
            Thread.sleep(10);
        }
        loop.stop("aborted by admin", before);
        for (int i = 0; i < 500 && before.programDat.size() < 3; i++) {
            Thread.sleep(10);
        }
        InstanceLocks.global().release("prod", loop.ownerId());

        FakeHost resumed = new FakeHost(new LockingMachine(new CountDownLatch(0), Duration.ofHours(1)));
        deserialize(before.programDat.get(before.programDat.size() - 1)).resume(resumed);
        assertThat(resumed.awaitEnd()).isEqualTo("stopped: Bitbucket unlocked, snapshots deleted");
        assertThat(resumed.pages.get()).isZero();
    }

    private static void awaitSaves(FakeHost host, int n) throws InterruptedException {
        for (int i = 0; i < 500 && host.saves.get() < n; i++) {
            Thread.sleep(10);
        }
        assertThat(host.saves.get()).isGreaterThanOrEqualTo(n);
    }

    private static byte[] serialize(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    static OperationLoop roundTrip(OperationLoop loop) throws Exception {
        return deserialize(serialize(loop));
    }

    private static OperationLoop deserialize(byte[] programDat) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(programDat))) {
            return (OperationLoop) in.readObject();
        }
    }
}
