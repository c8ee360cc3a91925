package io.jenkins.plugins.bbdc.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rules of a running operation step, through a small counting machine whose state is a number: resume from the
 * persisted state, stop carried through to a safe ending, transient failures retried, refusals not retried.
 */
class OperationDriverTest {

    /** Counts to {@code target}; a stop request makes it "unlock" and fail; records what it was asked. */
    static final class CountingMachine implements OperationMachine {
        final int target;
        final List<String> calls = new ArrayList<>();

        CountingMachine(int target) {
            this.target = target;
        }

        @Override
        public Advance advance(String state, boolean stopRequested, boolean resumed) {
            int n = state == null ? 0 : Integer.parseInt(state);
            calls.add(n + (stopRequested ? " stop" : "") + (resumed ? " resumed" : ""));
            if (stopRequested) {
                return Advance.failed(Integer.toString(n), "stopped", "stopped at " + n + ", lock released", null);
            }
            if (n + 1 >= target) {
                return Advance.succeeded(Integer.toString(n + 1), "done", Map.of("count", n + 1));
            }
            return Advance.again(Integer.toString(n + 1), "counted " + (n + 1), Duration.ofSeconds(5));
        }
    }

    static OperationDriver roundTrip(OperationDriver d) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(d);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (OperationDriver) in.readObject();
        }
    }

    @Test
    void pollsUntilTheMachineFinishesAndReturnsItsResult() throws Exception {
        OperationDriver d = new OperationDriver("backup");
        CountingMachine m = new CountingMachine(3);
        OperationDriver.Outcome o1 = d.poll(m);
        assertThat(o1.finished()).isFalse();
        assertThat(o1.again()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.status()).isEqualTo("counted 1");
        d.poll(m);
        OperationDriver.Outcome o3 = d.poll(m);
        assertThat(o3.succeeded()).isTrue();
        assertThat(o3.result()).containsEntry("count", 3);
        assertThat(d.finished()).isTrue();
    }

    @Test
    void afterARestartTheMachineContinuesFromThePersistedStateAndKnowsItResumed() throws Exception {
        OperationDriver d = new OperationDriver("upgrade");
        d.poll(new CountingMachine(5));
        d.poll(new CountingMachine(5));
        OperationDriver restored = roundTrip(d);   // what program.dat keeps
        restored.markResumed();
        CountingMachine fresh = new CountingMachine(5);
        restored.poll(fresh);
        restored.poll(fresh);
        assertThat(fresh.calls).containsExactly("2 resumed", "3");
        assertThat(restored.poll(fresh).result()).containsEntry("count", 5);
    }

    @Test
    void stopLetsTheMachineEndSafelyAndFailsTheStepWithItsMessage() throws Exception {
        OperationDriver d = new OperationDriver("backup");
        CountingMachine m = new CountingMachine(10);
        d.poll(m);
        d.requestStop("Aborted by alice");
        d.requestStop("second click");
        assertThat(d.status()).isEqualTo("stopping: Aborted by alice");
        OperationDriver.Outcome o = d.poll(m);
        assertThat(o.finished()).isTrue();
        assertThat(o.succeeded()).isFalse();
        assertThat(o.failure()).isEqualTo("stopped at 1, lock released");
        assertThat(m.calls).containsExactly("0", "1 stop");
    }

    @Test
    void aStopThatArrivesAfterTheWorkFinishedStillFailsTheStepButSaysTheWorkIsDone() throws Exception {
        OperationDriver d = new OperationDriver("backup");
        d.requestStop("timeout");
        OperationDriver.Outcome o = d.poll((state, stop, resumed) ->
                Advance.succeeded("x", "restore point 20261121t030000z-abcd COMPLETE", Map.of("status", "COMPLETE")));
        assertThat(o.succeeded()).isFalse();
        assertThat(o.failure()).contains("finished before the stop request (timeout)").contains("COMPLETE");
        assertThat(o.result()).containsEntry("status", "COMPLETE");
    }

    @Test
    void networkFailuresAreRetriedWithGrowingDelaysThenGiveUp() throws Exception {
        OperationDriver d = new OperationDriver("upgrade");
        d.poll(new CountingMachine(10));
        OperationMachine down = (state, stop, resumed) -> {
            throw new BitbucketException(BitbucketException.Kind.UNREACHABLE, 0, "connection refused: bb.example.com");
        };
        List<Duration> delays = new ArrayList<>();
        OperationDriver.Outcome o = null;
        for (int i = 0; i <= OperationDriver.MAX_TRANSIENT_FAILURES; i++) {
            o = d.poll(down);
            if (!o.finished()) {
                delays.add(o.again());
                assertThat(d.status()).startsWith("retrying after: connection refused");
            }
        }
        assertThat(delays).hasSize(OperationDriver.MAX_TRANSIENT_FAILURES);
        assertThat(delays.get(1)).isGreaterThan(delays.get(0));
        assertThat(delays).allSatisfy(x -> assertThat(x).isLessThanOrEqualTo(OperationDriver.MAX_RETRY));
        assertThat(o.finished()).isTrue();
        assertThat(o.failure()).contains("connection refused").contains("in a row");
        assertThat(d.state()).isEqualTo("1");   // the last good state is kept
    }

    @Test
    void aRecoveredNetworkResetsTheRetryCount() throws Exception {
        OperationDriver d = new OperationDriver("backup");
        CountingMachine m = new CountingMachine(100);
        OperationMachine flaky = (state, stop, resumed) -> {
            throw new IOException("read timed out");
        };
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < OperationDriver.MAX_TRANSIENT_FAILURES; i++) {
                assertThat(d.poll(flaky).finished()).isFalse();
            }
            assertThat(d.poll(m).finished()).isFalse();
        }
        assertThat(d.finished()).isFalse();
    }

    @Test
    void refusalsAndRejectedCredentialsAreNotRetried() throws Exception {
        OperationDriver d = new OperationDriver("backup");
        OperationDriver.Outcome o = d.poll((s, stop, r) -> {
            throw new AbortException("No home provider");
        });
        assertThat(o.finished()).isTrue();
        assertThat(o.failure()).isEqualTo("No home provider");

        OperationDriver d2 = new OperationDriver("upgrade");
        OperationDriver.Outcome o2 = d2.poll((s, stop, r) -> {
            throw new BitbucketException(BitbucketException.Kind.AUTHENTICATION, 401, "the credentials were rejected");
        });
        assertThat(o2.finished()).isTrue();
        assertThat(o2.failure()).contains("rejected");
    }

    @Test
    void theStepStateHoldsOnlyWhatTheMachinePersistsNeverWhatItUsedInMemory() throws Exception {
        String password = "s3cr3t-Pa55";
        OperationDriver d = new OperationDriver("backup");
        d.poll((state, stop, resumed) -> {
            // a machine uses credentials for its calls but persists only ids and phase
            String inMemory = "admin:" + password;
            assertThat(inMemory).isNotEmpty();
            return Advance.again("{\"phase\":\"capture\",\"restorePointId\":\"rp-1\"}", "capturing", Duration.ZERO);
        });
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(d);
        }
        String serialized = bytes.toString(StandardCharsets.ISO_8859_1);
        assertThat(serialized).contains("rp-1").doesNotContain(password);
    }
}
