package io.jenkins.plugins.bbdc.testkit.aws;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failure injection for the AWS endpoint. Random decisions come from one seeded {@link Random}, so a test that
 * drives the endpoint from a single thread sees the same faults on every run.
 */
public final class Faults {
    private final Random random;
    private volatile double throttleProbability;
    private volatile double snapshotRateProbability;
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private final Map<String, Deque<AwsFault>> next = new ConcurrentHashMap<>();
    /** A queued "this call succeeds" placeholder (see {@link #failAfter}). */
    private static final AwsFault PASS = new AwsFault(200, "pass", "pass");

    Faults(long seed) {
        this.random = new Random(seed);
    }

    /** Each EC2/RDS call fails with RequestLimitExceeded (EC2, HTTP 503) or Throttling (RDS) with this probability. */
    public Faults throttle(double probability) {
        this.throttleProbability = probability;
        return this;
    }

    /** CreateSnapshot / CreateSnapshots fail with SnapshotCreationPerVolumeRateExceeded with this probability. */
    public Faults snapshotRateExceeded(double probability) {
        this.snapshotRateProbability = probability;
        return this;
    }

    /** The action (e.g. {@code CreateSnapshots}) is refused: UnauthorizedOperation (EC2) / AccessDenied (RDS). */
    public Faults deny(String action) {
        denied.add(action);
        return this;
    }

    public Faults allow(String action) {
        denied.remove(action);
        return this;
    }

    /** The next call of {@code action} fails with this error (once per call of this method). */
    public Faults failNext(String action, int httpStatus, String code, String message) {
        next.computeIfAbsent(action, a -> new ArrayDeque<>()).add(new AwsFault(httpStatus, code, message));
        return this;
    }

    /**
     * The call of {@code action} after the next {@code succeeding} ones fails with this error, e.g. the second
     * {@code CopySnapshot} of a multi-volume copy.
     */
    public synchronized Faults failAfter(String action, int succeeding, int httpStatus, String code, String message) {
        Deque<AwsFault> q = next.computeIfAbsent(action, a -> new ArrayDeque<>());
        for (int i = 0; i < succeeding; i++) {
            q.add(PASS);
        }
        q.add(new AwsFault(httpStatus, code, message));
        return this;
    }

    /** Switches every fault off. */
    public Faults reset() {
        throttleProbability = 0;
        snapshotRateProbability = 0;
        denied.clear();
        next.clear();
        return this;
    }

    boolean isDenied(String action) {
        return denied.contains(action);
    }

    AwsFault takeNext(String action) {
        Deque<AwsFault> q = next.get(action);
        synchronized (this) {
            AwsFault f = q == null ? null : q.poll();
            return f == PASS ? null : f;
        }
    }

    boolean throttleNow() {
        return roll(throttleProbability);
    }

    boolean snapshotRateNow() {
        return roll(snapshotRateProbability);
    }

    private boolean roll(double p) {
        if (p <= 0) {
            return false;
        }
        synchronized (random) {
            return random.nextDouble() < p;
        }
    }

    Set<String> deniedActions() {
        return new HashSet<>(denied);
    }
}
