package io.jenkins.plugins.bbdc.core.provider.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.event.OperationEvent;
import io.jenkins.plugins.bbdc.core.exec.CommandSpec;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.CheckReport;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.PreparedCapture;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.provider.RestoreOutcome;
import io.jenkins.plugins.bbdc.core.provider.RestoreRequest;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.testkit.fixture.BitbucketDataFixture;
import io.jenkins.plugins.bbdc.testkit.postgres.ThrowawayPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real PostgreSQL 15 (testkit ThrowawayPostgres) with the real pg_dump and pg_restore. */
class PostgresDumpProviderTest {
    private static final String INSTANCE = "bitbucket";
    private static final List<String> TABLES = List.of("project", "repository", "app_property", "databasechangelog",
            "databasechangeloglock", "activity");
    private static ThrowawayPostgres pg;

    @TempDir
    Path tmp;
    private final RecordingRunner runner = new RecordingRunner();
    private final EventSink.Collecting events = new EventSink.Collecting();

    @BeforeAll
    static void start() throws Exception {
        pg = ThrowawayPostgres.start();
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void capturesListsRestoresAndDeletesADump() throws Exception {
        seedBitbucket("rt_src", 2000);
        PostgresDumpProvider provider = provider("rt_src");

        assertThat(provider.check(ctx()).errors()).isEmpty();
        SnapshotRef ref = backup(provider, "20261121t101500z-aaaa");

        assertThat(ref.id()).isEqualTo(dumpRoot() + "/20261121t101500z-aaaa-database");
        assertThat(ref.durableAt()).isNotNull();
        assertThat(ref.sizeBytes()).isPositive();
        assertThat(ref.attribute("snapshotId")).isNotBlank();
        assertThat(ref.attribute("serverVersion")).startsWith("15.");
        assertThat(Path.of(ref.id(), "toc.dat")).exists();
        assertThat(Path.of(ref.id(), "bbdc-dump.properties")).exists();

        List<SnapshotRef> listed = provider.list(ctx());
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).id()).isEqualTo(ref.id());
        assertThat(listed.get(0).restorePointId()).isEqualTo("20261121t101500z-aaaa");
        assertThat(listed.get(0).capturedAt()).isEqualTo(ref.capturedAt());
        assertThat(listed.get(0).sizeBytes()).isEqualTo(ref.sizeBytes());

        RestoreOutcome out = provider.restore(ref, new RestoreRequest(Map.of(), false, null, true, false), ctx());
        String scratch = out.location().get("database");
        assertThat(scratch).isEqualTo("bbdc_scratch_20261121t101500z_aaaa");
        for (String table : TABLES) {
            assertThat(count(scratch, table)).as(table).isEqualTo(count("rt_src", table)).isPositive();
        }
        assertThat(out.operatorSteps()).anyMatch(s -> s.contains("DROP DATABASE"));

        provider.delete(ref, ctx());
        assertThat(Path.of(ref.id())).doesNotExist();
        assertThat(provider.list(ctx())).isEmpty();
        provider.delete(ref, ctx());
    }

    @Test
    void theDumpIsTheDatabaseAtTheFenceWhileWritersContinue() throws Exception {
        pg.createDatabase("fence_src");
        pg.execute("fence_src", "CREATE TABLE activity (id bigserial PRIMARY KEY, payload text NOT NULL)");
        PostgresDumpProvider provider = provider("fence_src");
        AtomicLong lastCommitted = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> writerErrors = new ArrayList<>();
        Thread writer = new Thread(() -> {
            try (Connection c = pg.connect("fence_src"); Statement s = c.createStatement()) {
                while (!stop.get()) {
                    // auto-commit: when executeQuery returns, the row is committed
                    try (ResultSet rs = s.executeQuery("INSERT INTO activity (payload) VALUES (repeat('x', 200))"
                            + " RETURNING id")) {
                        rs.next();
                        lastCommitted.set(rs.getLong(1));
                    }
                }
            } catch (Throwable t) {
                writerErrors.add(t);
            }
        }, "continuous-writer");
        writer.start();
        try {
            awaitRows(lastCommitted, 200);
            ProviderContext ctx = ctx();
            PreparedCapture prepared = provider.prepare(ctx);
            SnapshotRef captured;
            long committedBeforeFence;
            long committedAfterFence;
            try {
                // rows committed after prepare but before capture belong in the dump: the fence is capture
                awaitRows(lastCommitted, lastCommitted.get() + 100);
                committedBeforeFence = lastCommitted.get();
                captured = provider.capture(prepared, request("20261121t110000z-wrtr"), ctx);
                committedAfterFence = lastCommitted.get();
                // the writer keeps committing between the fence and the dump, and during the dump
                awaitRows(lastCommitted, committedAfterFence + 100);
                captured = provider.awaitDurable(prepared, captured, ctx);
            } finally {
                prepared.close();
            }
            awaitRows(lastCommitted, lastCommitted.get() + 50);
            stop.set(true);
            writer.join();
            assertThat(writerErrors).isEmpty();

            provider.restore(captured, new RestoreRequest(Map.of("database", "fence_copy"), false, null, true, false),
                    ctx);
            long restoredCount = count("fence_copy", "activity");
            long restoredMax = pg.queryLong("fence_copy", "SELECT max(id) FROM activity");
            // one writer commits in id order: the dump holds exactly rows 1..N, N committed by the fence
            assertThat(restoredCount).isEqualTo(restoredMax);
            // a single writer has at most one commit in flight whose id it has not yet recorded
            assertThat(restoredMax).isBetween(committedBeforeFence, committedAfterFence + 1);
            assertThat(count("fence_src", "activity")).isGreaterThan(restoredMax + 100);
        } finally {
            stop.set(true);
            writer.join();
        }
    }

    @Test
    void captureOnlyExportsTheSnapshotAndTheDumpRunsLater() throws Exception {
        seedBitbucket("lazy_src", 20_000);
        PostgresDumpProvider provider = provider("lazy_src");
        ProviderContext ctx = ctx().withMode(BackupMode.LOCKED);
        try (PreparedCapture prepared = provider.prepare(ctx)) {
            int commandsBeforeCapture = runner.specs.size();
            SnapshotRef captured = provider.capture(prepared, request("20261121t120000z-lock"), ctx);

            // the instant: no pg_dump ran, nothing was written; only an existence test of the target directory
            assertThat(runner.specs.subList(commandsBeforeCapture, runner.specs.size()))
                    .extracting(s -> s.command().get(0)).containsOnly("test");
            assertThat(captured.durableAt()).isNull();
            assertThat(Path.of(captured.id())).doesNotExist();

            // rows written after the fence (in locked mode: after the unlock) are not in the dump
            pg.execute("lazy_src", "INSERT INTO activity (payload) SELECT 'late' FROM generate_series(1, 10)");
            SnapshotRef durable = provider.awaitDurable(prepared, captured, ctx);

            List<CommandSpec> dumps = runner.ran("pg_dump").stream()
                    .filter(s -> s.command().contains("--format=directory")).toList();
            assertThat(dumps).hasSize(1);
            assertThat(dumps.get(0).command()).contains("--snapshot=" + captured.attribute("snapshotId"),
                    "--jobs=2", "--file=" + captured.id());
            provider.restore(durable, new RestoreRequest(Map.of(), false, null, true, false), ctx);
            assertThat(count("bbdc_scratch_20261121t120000z_lock", "activity")).isEqualTo(20_000);
        }
    }

    @Test
    void refusesANonEmptyTargetUnlessReplacingAndThenKeepsNothingBehind() throws Exception {
        seedBitbucket("live_db", 100);
        PostgresDumpProvider provider = provider("live_db");
        SnapshotRef ref = backup(provider, "20261121t130000z-live");
        pg.execute("live_db", "INSERT INTO activity (payload) SELECT 'after' FROM generate_series(1, 25)");

        assertThatThrownBy(() -> provider.restore(ref, new RestoreRequest(Map.of(), false, null, false, false), ctx()))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("live_db").hasMessageContaining("not empty").hasMessageContaining("allowReplace");
        assertThat(count("live_db", "activity")).isEqualTo(125);

        assertThatThrownBy(() -> provider.restore(ref, new RestoreRequest(Map.of("database", "no_such_db"), false,
                null, false, false), ctx())).hasMessageContaining("does not exist").hasMessageContaining("CREATE DATABASE");

        RestoreOutcome dry = provider.restore(ref, new RestoreRequest(Map.of(), true, null, false, true), ctx());
        assertThat(dry.actions()).anyMatch(a -> a.contains("RENAME TO")).anyMatch(a -> a.contains("pg_restore"));
        assertThat(count("live_db", "activity")).isEqualTo(125);

        RestoreOutcome out = provider.restore(ref, new RestoreRequest(Map.of(), true, null, false, false), ctx());
        assertThat(count("live_db", "activity")).isEqualTo(100);
        assertThat(out.location()).doesNotContainKey("previous");
        assertThat(pg.queryLong("postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE 'live_db_bbdc%'"))
                .isZero();
    }

    @Test
    void replacingCanKeepThePreviousDatabase() throws Exception {
        seedBitbucket("keep_db", 10);
        PostgresDumpProvider provider = provider("keep_db");
        SnapshotRef ref = backup(provider, "20261121t131500z-keep");
        pg.execute("keep_db", "INSERT INTO activity (payload) VALUES ('after')");

        RestoreOutcome out = provider.restore(ref, new RestoreRequest(Map.of("keepPrevious", "true"), true, null,
                false, false), ctx());

        String previous = out.location().get("previous");
        assertThat(previous).startsWith("keep_db_bbdc_previous_");
        assertThat(count(previous, "activity")).isEqualTo(11);
        assertThat(count("keep_db", "activity")).isEqualTo(10);
        assertThat(out.operatorSteps()).anyMatch(s -> s.contains(previous));
    }

    @Test
    void theEmptyTargetIsAcceptedAndAnEmptyPublicSchemaIsEmpty() throws Exception {
        seedBitbucket("src_e", 10);
        pg.createDatabase("empty_target");
        PostgresDumpProvider provider = provider("src_e");
        SnapshotRef ref = backup(provider, "20261121t133000z-empt");

        provider.restore(ref, new RestoreRequest(Map.of("database", "empty_target"), false, null, false, false), ctx());

        assertThat(count("empty_target", "repository")).isEqualTo(count("src_e", "repository"));
    }

    @Test
    void thePasswordNeverAppearsInPlansRefsEventsOrErrors() throws Exception {
        seedBitbucket("secret_src", 10);
        PostgresDumpProvider provider = provider("secret_src");
        String password = pg.password();
        List<String> seen = new ArrayList<>();

        seen.addAll(provider.plan(ctx()));
        ProviderContext ctx = ctx();
        SnapshotRef ref;
        try (PreparedCapture prepared = provider.prepare(ctx)) {
            ref = provider.capture(prepared, request("20261121t140000z-pass"), ctx);
            ref = provider.awaitDurable(prepared, ref, ctx);
        }
        seen.add(ref.toString());
        provider.list(ctx).forEach(r -> seen.add(r.toString()));
        seen.add(Files.readString(Path.of(ref.id(), "bbdc-dump.properties")));
        RestoreOutcome out = provider.restore(ref, new RestoreRequest(Map.of(), false, null, true, false), ctx);
        seen.add(out.toString());
        seen.add(provider.config().toString());
        provider.check(ctx).findings().forEach(f -> seen.add(f.message()));

        // failures: a dump whose exporting session was killed, and a wrong password
        try (PreparedCapture prepared = provider.prepare(ctx)) {
            SnapshotRef captured = provider.capture(prepared, request("20261121t140500z-kill"), ctx);
            pg.execute("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname ="
                    + " 'secret_src' AND application_name = 'bbdc-ops'");
            Throwable dumpFailure = catchThrowable(() -> provider.awaitDurable(prepared, captured, ctx));
            assertThat(dumpFailure).isInstanceOf(ProviderException.class).hasMessageContaining("snapshot")
                    .hasMessageContaining("partial dump was removed");
            assertThat(Path.of(captured.id())).doesNotExist();
            seen.add(describe(dumpFailure));
        }
        PostgresDumpProvider wrong = new PostgresDumpProvider(config("secret_src").password(() -> "Wr0ng-" + password)
                .build());
        Throwable auth = catchThrowable(() -> wrong.prepare(ctx));
        assertThat(auth).isInstanceOf(ProviderException.class).hasMessageContaining("password authentication failed");
        seen.add(describe(auth));
        wrong.check(ctx).findings().forEach(f -> seen.add(f.message()));

        for (CommandSpec spec : runner.specs) {
            seen.add(spec.display());
        }
        runner.results.forEach(r -> seen.add(r.stdout() + r.stderr()));
        events.events().forEach(e -> seen.add(e.toString()));

        assertThat(seen).isNotEmpty().noneMatch(s -> s.contains(password));
        // ... while the tools did get it, through the environment
        assertThat(runner.ran("pg_dump").stream().filter(s -> s.command().contains("--format=directory")))
                .isNotEmpty().allMatch(s -> password.equals(s.environment().get("PGPASSWORD"))
                && s.secrets().contains(password));
        assertThat(provider.plan(ctx)).anyMatch(l -> l.startsWith("PGPASSWORD=**** ") && l.contains("--snapshot="));
    }

    @Test
    void listsOnlyThisInstancesCompleteDumpsAndRefusesForeignRefs() throws Exception {
        seedBitbucket("scope_src", 10);
        PostgresDumpProvider provider = provider("scope_src");
        SnapshotRef ours = backup(provider, "20261121t150000z-ours");
        ProviderContext staging = new ProviderContext("bitbucket-staging", ComponentRole.DATABASE,
                BackupMode.ZERO_DOWNTIME, runner, Clock.systemUTC(), null, events);
        SnapshotRef theirs;
        try (PreparedCapture prepared = provider.prepare(staging)) {
            theirs = provider.capture(prepared, new CaptureRequest("20261121t150100z-thrs", "bitbucket-staging",
                    ComponentRole.DATABASE, BackupMode.ZERO_DOWNTIME), staging);
            theirs = provider.awaitDurable(prepared, theirs, staging);
        }
        Files.createDirectories(dumpRoot().resolve("20261121t150200z-half-database"));

        assertThat(provider.list(ctx())).extracting(SnapshotRef::id).containsExactly(ours.id());
        assertThat(provider.list(staging)).extracting(SnapshotRef::id).containsExactly(theirs.id());
        assertThat(events.events()).anyMatch(e -> e.level() == OperationEvent.Level.WARNING
                && e.message().contains("20261121t150200z-half-database"));

        SnapshotRef forged = new SnapshotRef("postgres", "database", "/etc", ours.restorePointId(), INSTANCE,
                ours.capturedAt(), null, null, Map.of());
        assertThatThrownBy(() -> provider.delete(forged, ctx())).hasMessageContaining("refusing to touch it");
        SnapshotRef claimed = new SnapshotRef("postgres", "database", theirs.id(), theirs.restorePointId(), INSTANCE,
                theirs.capturedAt(), null, null, Map.of());
        assertThatThrownBy(() -> provider.delete(claimed, ctx())).hasMessageContaining("belongs to instance"
                + " bitbucket-staging");
        assertThat(Path.of(theirs.id())).exists();

        SnapshotRef again = ours;
        assertThatThrownBy(() -> {
            try (PreparedCapture prepared = provider.prepare(ctx())) {
                provider.capture(prepared, request(again.restorePointId()), ctx());
            }
        }).hasMessageContaining("already exists");
    }

    @Test
    void namedRestorePointMarksTheFenceInTheArchivedWal() throws Exception {
        seedBitbucket("pitr_src", 10);
        PostgresDumpProvider provider = new PostgresDumpProvider(config("pitr_src").namedRestorePoint(true).build());
        assertThat(provider.check(ctx()).errors()).isEmpty();
        assertThat(provider.plan(ctx())).anyMatch(l -> l.contains("pg_create_restore_point"));

        SnapshotRef ref = backup(provider, "20261121t160000z-pitr");

        assertThat(ref.attribute("restorePointName")).isEqualTo("bbdc-bitbucket-20261121t160000z-pitr-database");
        String lsn = ref.attribute("restorePointLsn");
        assertThat(lsn).matches("[0-9A-F]+/[0-9A-F]+");
        String segment = pg.query("postgres", "SELECT pg_walfile_name('" + lsn + "')").get(0).get(0);
        pg.switchWal();
        Path archived = pg.walArchiveDirectory().resolve(segment);
        for (int i = 0; i < 600 && !Files.exists(archived); i++) {
            Thread.sleep(50);
        }
        var waldump = runner.run(CommandSpec.of(pg.binDir().resolve("pg_waldump").toString(), "--rmgr=XLOG",
                archived.toString()).build());
        assertThat(waldump.stdout()).contains("RESTORE_POINT").contains(ref.attribute("restorePointName"));
    }

    @Test
    void checkSaysWhatIsWrong() throws Exception {
        seedBitbucket("check_src", 1);
        PostgresDumpProvider noRoot = new PostgresDumpProvider(config("check_src").dumpRoot(tmp.resolve("missing")
                .toString()).build());
        assertThat(noRoot.check(ctx()).errors()).anyMatch(e -> e.contains("does not exist") && e.contains("missing"));
        assertThatThrownBy(() -> noRoot.prepare(ctx())).hasMessageContaining("dump root");

        PostgresDumpProvider badTools = new PostgresDumpProvider(config("check_src").binDir(tmp.toString()).build());
        assertThat(badTools.check(ctx()).errors()).anyMatch(e -> e.contains("pg_dump does not run"));

        PostgresDumpProvider badDb = new PostgresDumpProvider(config("no_such_database").build());
        CheckReport report = badDb.check(ctx());
        assertThat(report.errors()).anyMatch(e -> e.contains("cannot connect") && e.contains("no_such_database"));
    }

    @Test
    void restoreRefusesAnIncompleteDump() throws Exception {
        seedBitbucket("inc_src", 1);
        PostgresDumpProvider provider = provider("inc_src");
        SnapshotRef ref = backup(provider, "20261121t170000z-incp");
        Files.delete(Path.of(ref.id(), "bbdc-dump.properties"));

        assertThatThrownBy(() -> provider.restore(ref, new RestoreRequest(Map.of(), false, null, true, false), ctx()))
                .hasMessageContaining("incomplete");
    }

    @Test
    void awaitDurableWithoutTheExportingTransactionSaysToTakeANewRestorePoint() throws Exception {
        seedBitbucket("gone_src", 1);
        PostgresDumpProvider provider = provider("gone_src");
        ProviderContext ctx = ctx();
        SnapshotRef captured;
        try (PreparedCapture prepared = provider.prepare(ctx)) {
            captured = provider.capture(prepared, request("20261121t171500z-gone"), ctx);
        }
        SnapshotRef c = captured;
        assertThatThrownBy(() -> provider.awaitDurable(PreparedCapture.none(), c, ctx))
                .hasMessageContaining("take a new one");
    }

    @Test
    void anotherUserRestoresWithNoOwnerAndAFailedRestoreLeavesNoDatabase() throws Exception {
        seedBitbucket("owner_src", 10);
        SnapshotRef ref = backup(provider("owner_src"), "20261121t190000z-ownr");
        pg.execute("postgres", "DROP ROLE IF EXISTS restorer",
                "CREATE ROLE restorer LOGIN CREATEDB PASSWORD 'restorer-pass'");
        PostgresDumpProvider asRestorer = new PostgresDumpProvider(config("owner_src").user("restorer")
                .password(() -> "restorer-pass").build());

        // the dump assigns its objects to the superuser, which a plain user may not do: refused, nothing left over
        assertThatThrownBy(() -> asRestorer.restore(ref, new RestoreRequest(Map.of("database", "owner_fail"), false,
                null, true, false), ctx())).isInstanceOf(ProviderException.class)
                .hasMessageContaining("pg_restore").hasMessageContaining("was dropped");
        assertThat(pg.queryLong("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'owner_fail'")).isZero();

        asRestorer.restore(ref, new RestoreRequest(Map.of("database", "owner_ok", "noOwner", "true"), false, null,
                true, false), ctx());
        assertThat(count("owner_ok", "repository")).isEqualTo(count("owner_src", "repository"));
        assertThat(pg.query("owner_ok", "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"))
                .containsExactly(List.of("restorer"));
    }

    @Test
    void runsTheToolsAsTheConfiguredOsUser() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "switching users needs root");
        seedBitbucket("osuser_src", 10);
        // a dump root the postgres user can reach (JUnit's temporary directories are private to root)
        Path root = Files.createTempDirectory(Path.of("/tmp"), "bbdc-pg-osuser-");
        try {
            Files.setPosixFilePermissions(root, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            var lookup = root.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(root, lookup.lookupPrincipalByName("postgres"));
            PostgresDumpProvider provider = new PostgresDumpProvider(config("osuser_src").dumpRoot(root.toString())
                    .osUser("postgres").build());

            assertThat(provider.check(ctx()).errors()).isEmpty();
            SnapshotRef ref = backup(provider, "20261121t180000z-osus");

            assertThat(Files.getOwner(Path.of(ref.id(), "toc.dat")).getName()).isEqualTo("postgres");
            assertThat(runner.ran("pg_dump")).allMatch(s -> "postgres".equals(s.runAsUser()));
            provider.restore(ref, new RestoreRequest(Map.of(), false, null, true, false), ctx());
            assertThat(count("bbdc_scratch_20261121t180000z_osus", "activity")).isEqualTo(10);
            provider.delete(ref, ctx());
            assertThat(Path.of(ref.id())).doesNotExist();
        } finally {
            try (var walk = Files.walk(root)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private SnapshotRef backup(PostgresDumpProvider provider, String restorePointId) throws Exception {
        ProviderContext ctx = ctx();
        try (PreparedCapture prepared = provider.prepare(ctx)) {
            SnapshotRef ref = provider.capture(prepared, request(restorePointId), ctx);
            return provider.awaitDurable(prepared, ref, ctx);
        }
    }

    private void seedBitbucket(String db, int activityRows) throws Exception {
        BitbucketDataFixture.builder(tmp.resolve("home-" + db)).database(pg, db).projects(1).repositoriesPerProject(2)
                .forks(1).orphanUpstreams(0).filesPerCommit(1).commitsPerRepository(1).build();
        pg.execute(db, "CREATE TABLE activity (id bigserial PRIMARY KEY, payload text NOT NULL)",
                "INSERT INTO activity (payload) SELECT md5(i::text) FROM generate_series(1, " + activityRows + ") i");
    }

    private Path dumpRoot() throws Exception {
        return Files.createDirectories(tmp.resolve("dumps"));
    }

    private PostgresDumpConfig.Builder config(String db) throws Exception {
        return PostgresDumpConfig.builder().host(pg.host()).port(pg.port()).database(db).user(pg.user())
                .password(pg::password).dumpRoot(dumpRoot().toString()).jobs(2);
    }

    private PostgresDumpProvider provider(String db) throws Exception {
        return new PostgresDumpProvider(config(db).build());
    }

    private ProviderContext ctx() {
        return new ProviderContext(INSTANCE, ComponentRole.DATABASE, BackupMode.ZERO_DOWNTIME, runner,
                Clock.systemUTC(), null, events);
    }

    private static CaptureRequest request(String restorePointId) {
        return new CaptureRequest(restorePointId, INSTANCE, ComponentRole.DATABASE, BackupMode.ZERO_DOWNTIME);
    }

    private static long count(String db, String table) throws Exception {
        return pg.queryLong(db, "SELECT count(*) FROM " + table);
    }

    private static void awaitRows(AtomicLong committed, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (committed.get() < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the writer did not reach " + atLeast + " rows");
            }
            Thread.sleep(5);
        }
    }

    private static Throwable catchThrowable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        return org.assertj.core.api.Assertions.catchThrowable(call);
    }

    private static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c).append('\n');
        }
        return sb.toString();
    }
}
