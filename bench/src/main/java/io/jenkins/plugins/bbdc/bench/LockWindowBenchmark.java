package io.jenkins.plugins.bbdc.bench;

import io.jenkins.plugins.bbdc.core.backup.BackupConfig;
import io.jenkins.plugins.bbdc.core.backup.BackupEngine;
import io.jenkins.plugins.bbdc.core.backup.BackupOutcome;
import io.jenkins.plugins.bbdc.core.backup.Components;
import io.jenkins.plugins.bbdc.core.bitbucket.MaintenanceLock;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.event.OperationEvent;
import io.jenkins.plugins.bbdc.core.exec.CommandSpec;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.fs.BtrfsProvider;
import io.jenkins.plugins.bbdc.core.provider.fs.RsyncExcludes;
import io.jenkins.plugins.bbdc.core.provider.fs.RsyncProvider;
import io.jenkins.plugins.bbdc.core.provider.postgres.PostgresDumpConfig;
import io.jenkins.plugins.bbdc.core.provider.postgres.PostgresDumpProvider;
import io.jenkins.plugins.bbdc.testkit.fixture.BitbucketDataFixture;
import io.jenkins.plugins.bbdc.testkit.fixture.FixtureRepository;
import io.jenkins.plugins.bbdc.testkit.fs.LoopVolume;
import io.jenkins.plugins.bbdc.testkit.postgres.ThrowawayPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issue 9 (2): the locked-mode lock window with a home of real git repositories and a PostgreSQL database, 1% of
 * both changed since the previous point. Three ways, alternated round by round on the same data:
 * BackupEngine with the rsync provider + PostgreSQL provider, the same with btrfs, and the sample scripts' approach
 * (rsync pre-pass, then lock, drain, rsync and a full pg_dump -Fd -j5 inside the lock, unlock), timed between the
 * simulator's lock and unlock through the same admin client.
 */
final class LockWindowBenchmark implements Benchmark {
    static final Duration DRAIN = Duration.ofMillis(500);
    static final Duration POLL = Duration.ofMillis(100);
    static final String DB = "bitbucket";

    @Override
    public String name() {
        return "lockwindow";
    }

    @Override
    public String description() {
        return "locked-mode lock window: engine (rsync / btrfs + PostgreSQL) vs the sample scripts' approach";
    }

    private record Window(double lockMs, double afterDrainMs) {
    }

    @Override
    public List<Table> run(BenchOptions o) throws Exception {
        int files = Integer.getInteger("bench.homeFiles", o.full() ? 20_000 : 2_000);
        long homeBytes = Long.getLong("bench.homeMiB", o.full() ? 2048 : 200) << 20;
        String dbSizes = System.getProperty("bench.dbMiB", o.full() ? "1024,4096" : "50,100");
        int rounds = o.runsOr(3, 2);
        List<Table> tables = new ArrayList<>();
        ProcessCommandRunner runner = new ProcessCommandRunner();
        Optional<String> noBtrfs = LoopVolume.unavailableReason(LoopVolume.FsType.BTRFS);
        LoopVolume volume = null;
        try (ThrowawayPostgres pg = ThrowawayPostgres.start(); Simulated sim = new Simulated(DRAIN)) {
            Path home;
            if (noBtrfs.isEmpty()) {
                volume = LoopVolume.create(LoopVolume.FsType.BTRFS, homeBytes * 3 + (768L << 20), "home");
                home = volume.subvolume();
            } else {
                home = Files.createDirectories(o.workDir().resolve("home"));
            }
            pg.createDatabase(DB);
            int projects = o.full() ? 10 : 4;
            long t0 = System.nanoTime();
            BitbucketDataFixture fixture = BitbucketDataFixture.builder(home).database(pg, DB).projects(projects)
                    .repositoriesPerProject(10).forks(2).commitsPerRepository(5).totalContent(files, homeBytes)
                    .build();
            double fixtureSeconds = (System.nanoTime() - t0) / 1e9;
            Path work = o.workDir().resolve("lockwindow");
            FileCatalog catalog = new FileCatalog(Files.createDirectories(work.resolve("catalog")));
            PostgresDumpProvider database = new PostgresDumpProvider(PostgresDumpConfig.builder().host(pg.host())
                    .port(pg.port()).database(DB).user(pg.user()).password(pg::password)
                    .dumpRoot(Files.createDirectories(work.resolve("dumps")).toString()).jobs(2)
                    .binDir(pg.binDir().toString()).build());
            RsyncProvider rsync = new RsyncProvider(home.toString(),
                    Files.createDirectories(work.resolve("rsync")).toString(), RsyncExcludes.DC_HOME, List.of());
            BtrfsProvider btrfs = volume == null ? null : new BtrfsProvider(home.toString(),
                    Files.createDirectories(volume.mountPoint().resolve("snapshots")).toString());
            Path baselineCopy = Files.createDirectories(work.resolve("baseline-home"));
            Path baselineDumps = Files.createDirectories(work.resolve("baseline-dumps"));
            Churn churn = new Churn(fixture, pg, home, homeBytes);

            Table t = new Table("Locked-mode lock window (home " + files + " files / " + (homeBytes >> 20)
                    + " MiB of git repositories, simulator drain " + DRAIN.toMillis() + " ms, 1% changed before"
                    + " each backup; median of " + rounds + ")", "database", "approach", "lock window (ms)",
                    "after drain (ms)", "goal (after drain)", "met", "ratio baseline / this");
            for (String mib : dbSizes.split(",")) {
                long dbSize = GeneratedDatabase.growTo(pg, DB, Long.parseLong(mib.trim()) << 20);
                // warm-up: the first rsync point and the baseline's first copy are full copies
                engine(sim, catalog, runner, rsync, database);
                runner.check(rsyncCmd(home, baselineCopy));
                Stats rs = new Stats();
                Stats rsAfter = new Stats();
                Stats bt = new Stats();
                Stats btAfter = new Stats();
                Stats base = new Stats();
                Stats baseAfter = new Stats();
                for (int r = 0; r < rounds; r++) {
                    churn.next();
                    Window w = engine(sim, catalog, runner, rsync, database);
                    rs.add(w.lockMs());
                    rsAfter.add(w.afterDrainMs());
                    churn.next();
                    w = baseline(sim, runner, pg, home, baselineCopy, baselineDumps.resolve("dump-" + r));
                    base.add(w.lockMs());
                    baseAfter.add(w.afterDrainMs());
                    runner.check(CommandSpec.of("rm", "-rf", "--", baselineDumps.resolve("dump-" + r).toString())
                            .build());
                    if (btrfs != null) {
                        churn.next();
                        w = engine(sim, catalog, runner, btrfs, database);
                        bt.add(w.lockMs());
                        btAfter.add(w.afterDrainMs());
                    }
                }
                String db = (dbSize >> 20) + " MiB";
                t.row(db, "sample scripts (pre-pass; rsync + pg_dump -Fd -j5 in the lock)", base.median(),
                        baseAfter.median(), "-", "-", 1.0);
                t.row(db, "engine: rsync + PostgreSQL provider", rs.median(), rsAfter.median(), "≤ 1500 ms",
                        rsAfter.median() <= 1500 ? "yes" : "no", base.median() / rs.median());
                if (btrfs != null) {
                    t.row(db, "engine: btrfs + PostgreSQL provider", bt.median(), btAfter.median(), "≤ 500 ms",
                            btAfter.median() <= 500 ? "yes" : "no", base.median() / bt.median());
                }
            }
            t.note("'after drain' = lock window minus the time from lock to drained (engine: its lock and drain"
                    + " events; baseline: same admin calls, same " + POLL.toMillis() + " ms poll)");
            t.note("fixture built in " + String.format("%.0f", fixtureSeconds) + " s; "
                    + (btrfs == null ? "btrfs not available here: " + noBtrfs.orElse("") : "home on a btrfs loop"
                    + " volume (rsync and the baseline read the same home)"));
            tables.add(t);
        } finally {
            if (volume != null) {
                volume.close();
            }
        }
        return tables;
    }

    private static Window engine(Simulated sim, FileCatalog catalog, ProcessCommandRunner runner,
                                 SnapshotProvider home, SnapshotProvider database) throws Exception {
        Map<String, Instant> at = new ConcurrentHashMap<>();
        Components components = Components.builder().home(home).database(database).build();
        BackupConfig config = BackupConfig.of("lockwindow", components, BackupMode.LOCKED)
                .withDrain(POLL, Duration.ofMinutes(10));
        BackupOutcome out = new BackupEngine(config, sim.admin, catalog, runner, Clock.systemUTC(), null,
                (OperationEvent e) -> {
                    if (e.phase() != null) {
                        at.putIfAbsent(e.phase(), e.at());
                    }
                }, null).run();
        if (!out.succeeded()) {
            throw new IllegalStateException("locked backup with " + home.kind() + " failed: "
                    + out.point().failureReason());
        }
        double lock = out.point().lockWindowMillis();
        Instant drained = at.get("drain");
        Instant unlocked = at.get("unlock");
        double after = drained == null || unlocked == null ? Double.NaN
                : Duration.between(drained, unlocked).toNanos() / 1e6;
        return new Window(lock, after);
    }

    private static Window baseline(Simulated sim, ProcessCommandRunner runner, ThrowawayPostgres pg, Path home,
                                   Path copy, Path dumpDir) throws Exception {
        runner.check(rsyncCmd(home, copy)); // pre-pass, outside the lock
        MaintenanceLock lock = sim.admin.lock();
        long locked = System.nanoTime();
        try {
            sim.admin.startExternalBackup(lock);
            while (!sim.admin.maintenanceStatus(lock).drained()) {
                Thread.sleep(POLL.toMillis());
            }
            long drained = System.nanoTime();
            runner.check(rsyncCmd(home, copy));
            runner.check(PgDumpBenchmark.pgTool(pg, "pg_dump", "-Fd", "-j5", "-d", DB, "-f", dumpDir.toString()));
            sim.admin.reportProgress(lock, 100);
            sim.admin.unlock(lock);
            long unlocked = System.nanoTime();
            return new Window((unlocked - locked) / 1e6, (unlocked - drained) / 1e6);
        } catch (Exception e) {
            sim.admin.unlock(lock);
            throw e;
        }
    }

    private static CommandSpec rsyncCmd(Path from, Path to) {
        return CommandSpec.of("rsync", "-a", "--delete", from + "/", to + "/").timeout(Duration.ofHours(2)).build();
    }

    /** Changes about 1% of the home (one new file, new commits) and 1% of the database rows. */
    private static final class Churn {
        private final BitbucketDataFixture fixture;
        private final ThrowawayPostgres pg;
        private final Path dir;
        private final long bytes;
        private final Random random = new Random(9);
        private int round;

        Churn(BitbucketDataFixture fixture, ThrowawayPostgres pg, Path home, long homeBytes) throws Exception {
            this.fixture = fixture;
            this.pg = pg;
            this.dir = Files.createDirectories(fixture.sharedHome().resolve("data").resolve("bench-churn"));
            this.bytes = homeBytes / 100;
        }

        void next() throws Exception {
            round++;
            byte[] data = new byte[(int) Math.min(bytes, Integer.MAX_VALUE - 8)];
            random.nextBytes(data);
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.write(dir.resolve("churn-" + round + ".bin"), data);
            List<FixtureRepository> repos = fixture.databaseRepositories();
            int n = Math.max(1, repos.size() / 100);
            for (int i = 0; i < n; i++) {
                fixture.addCommit(repos.get((round * n + i) % repos.size()).id());
            }
            GeneratedDatabase.changeOnePercent(pg, DB, round);
        }
    }
}
