package io.jenkins.plugins.bbdc.bench;

import io.jenkins.plugins.bbdc.core.backup.BackupConfig;
import io.jenkins.plugins.bbdc.core.backup.BackupEngine;
import io.jenkins.plugins.bbdc.core.backup.BackupOutcome;
import io.jenkins.plugins.bbdc.core.backup.Components;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 9 (1): spread of the capture instants of a zero-downtime backup of 1 home + 3 Mesh homes + database + search,
 * each provider paying 3 API calls of 100–400 ms in prepare. Measured twice: the engine's own skewMillis (from the
 * refs' capturedAt, millisecond clock) and the spread of System.nanoTime() taken inside each capture.
 */
final class SkewBenchmark implements Benchmark {
    static final int API_CALLS = 3;

    @Override
    public String name() {
        return "skew";
    }

    @Override
    public String description() {
        return "zero-downtime capture skew, 1 home + 3 Mesh homes + database + search, 100-400 ms per API call";
    }

    @Override
    public List<Table> run(BenchOptions o) throws Exception {
        int runs = o.runsOr(15, 50);
        Stats engineSkew = new Stats();
        Stats nanoSpread = new Stats();
        Stats total = new Stats();
        int failed = 0;
        try (Simulated sim = new Simulated(Duration.ofMillis(200))) {
            FileCatalog catalog = new FileCatalog(Files.createDirectories(o.workDir().resolve("skew-catalog")));
            for (int i = 0; i < runs; i++) {
                List<BenchProvider> providers = new ArrayList<>();
                Components.Builder b = Components.builder();
                b.home(add(providers));
                for (int m = 1; m <= 3; m++) {
                    b.meshHome("mesh" + m, add(providers));
                }
                b.database(add(providers)).search(add(providers));
                long t0 = System.nanoTime();
                BackupOutcome out = new BackupEngine(BackupConfig.of("skew", b.build(), BackupMode.ZERO_DOWNTIME),
                        sim.admin, catalog, new ProcessCommandRunner(), Clock.systemUTC(), null, null, null).run();
                total.add((System.nanoTime() - t0) / 1e6);
                if (!out.succeeded()) {
                    failed++;
                    continue;
                }
                engineSkew.add(out.point().skewMillis());
                long min = Long.MAX_VALUE;
                long max = Long.MIN_VALUE;
                for (BenchProvider p : providers) {
                    min = Math.min(min, p.capturedAtNanos);
                    max = Math.max(max, p.capturedAtNanos);
                }
                nanoSpread.add((max - min) / 1e6);
            }
        }
        Table t = new Table("Zero-downtime skew (" + runs + " backups, 6 components)", "measure", "median",
                "p90", "max", "goal");
        t.row("engine skewMillis (ms)", engineSkew.median(), engineSkew.percentile(90), engineSkew.max(), "≤ 5 ms");
        t.row("capture-instant spread, nanoTime (ms)", nanoSpread.median(), nanoSpread.percentile(90),
                nanoSpread.max(), "≤ 5 ms");
        t.row("whole backup wall time (ms)", total.median(), total.percentile(90), total.max(), "-");
        t.note("each component's prepare paid " + API_CALLS + " sleeps of 100-400 ms (simulated API latency);"
                + " failed backups: " + failed);
        return List.of(t);
    }

    private static BenchProvider add(List<BenchProvider> providers) {
        BenchProvider p = new BenchProvider(API_CALLS, 100, 400);
        providers.add(p);
        return p;
    }
}
