package io.jenkins.plugins.bbdc.bench;

import io.jenkins.plugins.bbdc.core.backup.Components;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.core.restorepoint.ComponentRecord;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointId;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;
import io.jenkins.plugins.bbdc.core.retention.RetentionExecutor;
import io.jenkins.plugins.bbdc.core.retention.RetentionPlan;
import io.jenkins.plugins.bbdc.core.retention.RetentionPlanner;
import io.jenkins.plugins.bbdc.core.retention.RetentionPolicy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Issue 9 (5): planning and executing retention over N restore points (one every hour, home + database each) with
 * the real FileCatalog, RetentionPlanner and RetentionExecutor, through a local in-memory provider that counts
 * list and delete calls (the AWS testkit endpoint and EBS provider are not in main yet).
 */
final class RetentionBenchmark implements Benchmark {
    static final RetentionPolicy POLICY = new RetentionPolicy(24, null, 0, 7, 4, 12, null);
    static final String INSTANCE = "retention";

    @Override
    public String name() {
        return "retention";
    }

    @Override
    public String description() {
        return "retention planning and execution over many restore points (local counting provider)";
    }

    /** A catalog of {@code points} hourly restore points and the providers holding their snapshots. */
    record Scenario(FileCatalog catalog, Components components, BenchProvider home, BenchProvider database,
                    Instant now) {

        static Scenario create(Path dir, int points) throws Exception {
            FileCatalog catalog = new FileCatalog(Files.createDirectories(dir));
            BenchProvider home = BenchProvider.local();
            BenchProvider database = BenchProvider.local();
            Instant now = Instant.parse("2026-11-21T12:00:00Z");
            Random random = new Random(points);
            for (int i = 0; i < points; i++) {
                Instant at = now.minus(Duration.ofHours(i + 1L));
                String id = RestorePointId.generate(at, random);
                SnapshotRef h = ref("home", id, at);
                SnapshotRef d = ref("database", id, at);
                home.add(h);
                database.add(d);
                catalog.save(new RestorePoint(RestorePoint.SCHEMA_VERSION, id, INSTANCE, "8.19.1",
                        BackupMode.ZERO_DOWNTIME, RestorePointStatus.COMPLETE, at, 1L, null, at, at.plusSeconds(30),
                        List.of(ComponentRecord.of(h), ComponentRecord.of(d)), List.of(), null, List.of()));
            }
            Components components = Components.builder().home(home).database(database).build();
            return new Scenario(catalog, components, home, database, now);
        }

        private static SnapshotRef ref(String role, String id, Instant at) {
            return new SnapshotRef(BenchProvider.KIND, role, "snap-" + role + "-" + id, id, INSTANCE, at,
                    at.plusSeconds(20), 1L << 30, Map.of("volume", "vol-" + role));
        }

        RetentionExecutor executor() {
            ProcessCommandRunner runner = new ProcessCommandRunner();
            return new RetentionExecutor(catalog, components,
                    role -> new ProviderContext(INSTANCE, role, null, runner, Clock.systemUTC(), null, null),
                    Clock.systemUTC(), null);
        }
    }

    @Override
    public List<Table> run(BenchOptions o) throws Exception {
        int[] sizes = o.full() ? new int[] {2_500, 5_000, 10_000} : new int[] {500, 1_000, 2_000};
        Table t = new Table("Retention (" + POLICY.describe() + ")", "restore points", "deleted",
                "catalog list (ms)", "plan (ms)", "execute (ms)", "provider list calls", "provider delete calls",
                "execute µs / deleted point");
        List<String> notes = new ArrayList<>();
        Scenario warmUp = Scenario.create(o.workDir().resolve("retention-warm-up"), 300); // JIT, not measured
        warmUp.executor().execute(new RetentionPlanner(POLICY).plan(INSTANCE, warmUp.catalog().list(INSTANCE),
                warmUp.now()));
        for (int n : sizes) {
            Scenario s = Scenario.create(o.workDir().resolve("retention-" + n), n);
            long t0 = System.nanoTime();
            List<RestorePoint> points = s.catalog().list(INSTANCE);
            long t1 = System.nanoTime();
            RetentionPlan plan = new RetentionPlanner(POLICY).plan(INSTANCE, points, s.now());
            long t2 = System.nanoTime();
            RetentionExecutor.Report report = s.executor().execute(plan);
            long t3 = System.nanoTime();
            if (!report.clean()) {
                notes.add(n + " points: retention was not clean: " + report.problems());
            }
            int left = s.catalog().list(INSTANCE).size();
            if (left != plan.toKeep().size() || s.home().size() != left) {
                notes.add(n + " points: " + left + " left in the catalog, " + s.home().size()
                        + " home snapshots left, plan kept " + plan.toKeep().size());
            }
            long listCalls = s.home().listCalls.get() + s.database().listCalls.get();
            long deleteCalls = s.home().deleteCalls.get() + s.database().deleteCalls.get();
            t.row(n, report.deleted().size(), (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, listCalls,
                    deleteCalls, report.deleted().isEmpty() ? "-" : (t3 - t2) / 1e3 / report.deleted().size());
        }
        notes.forEach(t::note);
        t.note("provider calls are in-memory (no latency): the figures are the engine's own cost; with a cloud"
                + " provider, wall time is dominated by delete calls × API latency");
        return List.of(t);
    }
}
