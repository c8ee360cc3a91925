package io.jenkins.plugins.bbdc.bench;

import io.jenkins.plugins.bbdc.core.exec.CommandSpec;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.PreparedCapture;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.RestoreRequest;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.core.provider.postgres.PostgresDumpConfig;
import io.jenkins.plugins.bbdc.core.provider.postgres.PostgresDumpProvider;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointId;
import io.jenkins.plugins.bbdc.testkit.postgres.ThrowawayPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Issue 9 (3): dump and restore of a generated database — the PostgreSQL provider (pg_dump -Fd -j of an exported
 * snapshot, pg_restore -j) against single-threaded pg_dump -Fc / pg_restore, alternated run by run.
 */
final class PgDumpBenchmark implements Benchmark {
    static final String DB = "bench";
    static final String INSTANCE = "pgbench";

    @Override
    public String name() {
        return "pgdump";
    }

    @Override
    public String description() {
        return "PostgreSQL dump and restore: provider (directory format, parallel) vs pg_dump -Fc / pg_restore";
    }

    @Override
    public List<Table> run(BenchOptions o) throws Exception {
        long target = Long.getLong("bench.pgdumpMiB", o.full() ? 2048 : 200) << 20;
        int runs = o.runsOr(3, 2);
        int jobs = Integer.getInteger("bench.jobs", PostgresDumpConfig.defaultJobs());
        ProcessCommandRunner runner = new ProcessCommandRunner();
        Stats oursDump = new Stats();
        Stats oursRestore = new Stats();
        Stats singleDump = new Stats();
        Stats singleRestore = new Stats();
        long size;
        try (ThrowawayPostgres pg = ThrowawayPostgres.start()) {
            pg.createDatabase(DB);
            size = GeneratedDatabase.growTo(pg, DB, target);
            Path dumps = Files.createDirectories(o.workDir().resolve("pgdump"));
            PostgresDumpProvider provider = new PostgresDumpProvider(PostgresDumpConfig.builder().host(pg.host())
                    .port(pg.port()).database(DB).user(pg.user()).password(pg::password)
                    .dumpRoot(dumps.resolve("provider").toString()).jobs(jobs).binDir(pg.binDir().toString())
                    .build());
            Files.createDirectories(dumps.resolve("provider"));
            ProviderContext ctx = new ProviderContext(INSTANCE, ComponentRole.DATABASE, BackupMode.LOCKED, runner,
                    Clock.systemUTC(), null, null);
            for (int i = 0; i < runs; i++) {
                // ours
                long t0 = System.nanoTime();
                SnapshotRef ref;
                try (PreparedCapture pc = provider.prepare(ctx)) {
                    ref = provider.capture(pc, new CaptureRequest(RestorePointId.generate(Instant.now()), INSTANCE,
                            ComponentRole.DATABASE, BackupMode.LOCKED), ctx);
                    ref = provider.awaitDurable(pc, ref, ctx);
                }
                oursDump.add((System.nanoTime() - t0) / 1e6);
                String oursDb = "restore_ours_" + i;
                t0 = System.nanoTime();
                pg.createDatabase(oursDb); // an empty target, as for pg_restore below
                provider.restore(ref, new RestoreRequest(Map.of(PostgresDumpProvider.TARGET_DATABASE, oursDb), false,
                        null, false, false), ctx);
                oursRestore.add((System.nanoTime() - t0) / 1e6);
                pg.dropDatabase(oursDb);
                provider.delete(ref, ctx);

                // single-threaded custom format
                Path file = dumps.resolve("single-" + i + ".dump");
                t0 = System.nanoTime();
                runner.check(pgTool(pg, "pg_dump", "-Fc", "-d", DB, "-f", file.toString()));
                singleDump.add((System.nanoTime() - t0) / 1e6);
                String singleDb = "restore_single_" + i;
                t0 = System.nanoTime();
                pg.createDatabase(singleDb);
                runner.check(pgTool(pg, "pg_restore", "-d", singleDb, file.toString()));
                singleRestore.add((System.nanoTime() - t0) / 1e6);
                pg.dropDatabase(singleDb);
                Files.deleteIfExists(file);
            }
        }
        Table t = new Table("PostgreSQL dump and restore of a " + (size >> 20) + " MiB database (median of " + runs
                + ", alternated)", "operation", "provider, -Fd -j" + jobs + " (s)", "pg_dump -Fc / pg_restore (s)",
                "ratio single / provider");
        t.row("dump", oursDump.median() / 1000, singleDump.median() / 1000, singleDump.median() / oursDump.median());
        t.row("restore", oursRestore.median() / 1000, singleRestore.median() / 1000,
                singleRestore.median() / oursRestore.median());
        t.note("provider dump = prepare + capture (snapshot export) + awaitDurable (pg_dump of the exported snapshot);"
                + " provider restore includes its checks (archive table of contents, empty target)");
        return List.of(t);
    }

    static CommandSpec pgTool(ThrowawayPostgres pg, String tool, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(pg.binDir().resolve(tool).toString(), "-h", pg.host(),
                "-p", Integer.toString(pg.port()), "-U", pg.user()));
        cmd.addAll(List.of(args));
        return CommandSpec.of(cmd).secretEnv("PGPASSWORD", pg.password()).timeout(java.time.Duration.ofHours(2))
                .build();
    }
}
