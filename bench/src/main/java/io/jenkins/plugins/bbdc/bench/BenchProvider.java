package io.jenkins.plugins.bbdc.bench;

import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.CheckReport;
import io.jenkins.plugins.bbdc.core.provider.PreparedCapture;
import io.jenkins.plugins.bbdc.core.provider.ProviderCapability;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.provider.RestoreOutcome;
import io.jenkins.plugins.bbdc.core.provider.RestoreRequest;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark-only provider for one component: {@link #prepare} pays {@code apiCalls} cloud API calls of a random
 * latency in [minMillis, maxMillis] (slept), {@link #capture} records the instant it fired (System.nanoTime) and
 * keeps the snapshot in memory, so what is measured is the engine's own barrier and bookkeeping. Counts list and
 * delete calls for the retention benchmark.
 */
final class BenchProvider implements SnapshotProvider {
    static final String KIND = "bench";

    private final int apiCalls;
    private final int minMillis;
    private final int maxMillis;
    private final Map<String, SnapshotRef> snapshots = new ConcurrentHashMap<>();
    final AtomicLong listCalls = new AtomicLong();
    final AtomicLong deleteCalls = new AtomicLong();
    volatile long capturedAtNanos;

    BenchProvider(int apiCalls, int minMillis, int maxMillis) {
        this.apiCalls = apiCalls;
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
    }

    static BenchProvider local() {
        return new BenchProvider(0, 0, 0);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Set<ProviderCapability> capabilities() {
        return EnumSet.of(ProviderCapability.ZERO_DOWNTIME, ProviderCapability.LOCKED);
    }

    @Override
    public List<String> plan(ProviderContext ctx) {
        return List.of("bench: " + apiCalls + " simulated API calls of " + minMillis + "-" + maxMillis + " ms");
    }

    @Override
    public CheckReport check(ProviderContext ctx) {
        return CheckReport.ok();
    }

    @Override
    public PreparedCapture prepare(ProviderContext ctx) throws InterruptedException {
        for (int i = 0; i < apiCalls; i++) {
            Thread.sleep(maxMillis > minMillis ? ThreadLocalRandom.current().nextInt(minMillis, maxMillis + 1)
                    : minMillis);
        }
        return PreparedCapture.none();
    }

    @Override
    public SnapshotRef capture(PreparedCapture prepared, CaptureRequest request, ProviderContext ctx) {
        capturedAtNanos = System.nanoTime();
        SnapshotRef ref = new SnapshotRef(KIND, request.role().value(), request.snapshotName(),
                request.restorePointId(), request.instanceId(), ctx.clock().instant(), null, 0L, Map.of());
        snapshots.put(ref.id(), ref);
        return ref;
    }

    /** Registers a snapshot as if a backup had captured it (retention set-up). */
    void add(SnapshotRef ref) {
        snapshots.put(ref.id(), ref);
    }

    int size() {
        return snapshots.size();
    }

    @Override
    public List<SnapshotRef> list(ProviderContext ctx) {
        listCalls.incrementAndGet();
        List<SnapshotRef> out = new ArrayList<>();
        for (SnapshotRef r : snapshots.values()) {
            if (r.instanceId().equals(ctx.instanceId()) && r.role().equals(ctx.role().value())) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public void delete(SnapshotRef ref, ProviderContext ctx) {
        deleteCalls.incrementAndGet();
        snapshots.remove(ref.id());
    }

    @Override
    public RestoreOutcome restore(SnapshotRef ref, RestoreRequest request, ProviderContext ctx)
            throws ProviderException {
        throw new ProviderException("the benchmark provider does not restore");
    }
}
