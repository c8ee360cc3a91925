package io.jenkins.plugins.bbdc.core.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdminClient;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketClientOptions;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.core.provider.fs.BtrfsProvider;
import io.jenkins.plugins.bbdc.core.provider.fs.RsyncExcludes;
import io.jenkins.plugins.bbdc.core.provider.fs.RsyncProvider;
import io.jenkins.plugins.bbdc.core.provider.postgres.PostgresDumpConfig;
import io.jenkins.plugins.bbdc.core.provider.postgres.PostgresDumpProvider;
import io.jenkins.plugins.bbdc.core.restorepoint.ComponentRecord;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;
import io.jenkins.plugins.bbdc.core.retention.RetentionExecutor;
import io.jenkins.plugins.bbdc.core.retention.RetentionPlanner;
import io.jenkins.plugins.bbdc.core.retention.RetentionPolicy;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import io.jenkins.plugins.bbdc.testkit.fs.LoopVolume;
import io.jenkins.plugins.bbdc.testkit.postgres.ThrowawayPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine end to end on real parts: a loop-mounted btrfs home, rsync, a real PostgreSQL 15 dumped by pg_dump,
 * and the Bitbucket simulator over HTTP.
 */
class BackupOnRealProvidersTest {
    private static ThrowawayPostgres pg;

    @TempDir
    Path tmp;
    private BitbucketSimulator sim;
    private BitbucketAdminClient bb;
    private final EventSink.Collecting events = new EventSink.Collecting();

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = ThrowawayPostgres.start();
        pg.createDatabase("bitbucket");
        pg.execute("bitbucket", "CREATE TABLE repository (id bigserial PRIMARY KEY, name text NOT NULL)",
                "INSERT INTO repository (name) SELECT 'repo-' || g FROM generate_series(1, 500) g");
    }

    @AfterAll
    static void stopPostgres() {
        if (pg != null) {
            pg.close();
        }
    }

    @BeforeEach
    void bitbucket() {
        sim = BitbucketSimulator.builder().nodes(2).drainTime(Duration.ofMillis(100)).start();
        bb = new BitbucketAdminClient(BitbucketClientOptions.builder(sim.baseUrl()).basicAuth("admin", "admin")
                .connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(5)).build());
    }

    @AfterEach
    void stopBitbucket() {
        sim.close();
    }

    private PostgresDumpProvider database() throws Exception {
        return new PostgresDumpProvider(PostgresDumpConfig.builder().host(pg.host()).port(pg.port())
                .database("bitbucket").user(pg.user()).password(pg::password)
                .dumpRoot(Files.createDirectories(tmp.resolve("dumps")).toString()).jobs(2).build());
    }

    private BackupEngine engine(BackupConfig cfg, FileCatalog catalog) {
        return new BackupEngine(cfg, bb, catalog, new ProcessCommandRunner(), null, null, events, null);
    }

    @Test
    void zeroDowntimeWithBtrfsHomeAndPostgres() throws Exception {
        LoopVolume.assumeAvailable(LoopVolume.FsType.BTRFS);
        try (LoopVolume volume = LoopVolume.btrfs("home")) {
            Path home = volume.subvolume();
            Files.createDirectories(home.resolve("shared/data/repositories/1"));
            Files.writeString(home.resolve("shared/data/repositories/1/HEAD"), "ref: refs/heads/main\n");
            Path snaps = Files.createDirectories(volume.mountPoint().resolve(".snapshots"));
            Components components = Components.builder()
                    .home(new BtrfsProvider(home.toString(), snaps.toString())).database(database()).build();
            FileCatalog catalog = new FileCatalog(tmp.resolve("catalog"));
            BackupConfig cfg = BackupConfig.of("prod", components, BackupMode.ZERO_DOWNTIME);

            BackupOutcome out = engine(cfg, catalog).run();
            Files.writeString(home.resolve("shared/data/repositories/1/HEAD"), "written after the backup\n");

            RestorePoint p = out.point();
            assertThat(p.status()).as(String.valueOf(p.failureReason())).isEqualTo(RestorePointStatus.COMPLETE);
            assertThat(sim.calls().stream().filter(c -> c.path().startsWith("/mvc/"))).isEmpty();
            assertThat(p.components()).extracting(ComponentRecord::role).containsExactly("home", "database");
            assertThat(p.components()).allSatisfy(c -> assertThat(c.capturedAt()).isAfterOrEqualTo(p.fence()));
            assertThat(p.skewMillis()).isNotNull().isLessThan(5_000L);
            Path snapshot = Path.of(p.component("home").orElseThrow().reference().id());
            assertThat(LoopVolume.isReadOnlySubvolume(snapshot)).isTrue();
            assertThat(snapshot.resolve("shared/data/repositories/1/HEAD")).hasContent("ref: refs/heads/main");
            SnapshotRef dump = p.component("database").orElseThrow().reference();
            assertThat(Path.of(dump.id(), "toc.dat")).exists();
            assertThat(dump.sizeBytes()).isPositive();
            assertThat(catalog.latestComplete("prod")).contains(p);

            // a second point, then retention keeps one and really removes the other's snapshot and dump
            RestorePoint second = engine(cfg, catalog).run().point();
            assertThat(second.status()).isEqualTo(RestorePointStatus.COMPLETE);
            RetentionExecutor.Report report = new RetentionExecutor(catalog, components,
                    role -> new ProviderContext("prod", role, null, new ProcessCommandRunner(), null, null, null),
                    null, null).execute(new RetentionPlanner(RetentionPolicy.keepLast(1))
                    .plan("prod", catalog.list("prod"), Instant.now()));
            assertThat(report.clean()).as(report.problems().toString()).isTrue();
            assertThat(report.deleted()).containsExactly(p.id());
            assertThat(snapshot).doesNotExist();
            assertThat(Path.of(dump.id())).doesNotExist();
            assertThat(catalog.list("prod")).extracting(RestorePoint::id).containsExactly(second.id());
        }
    }

    @Test
    void lockedWithRsyncHomeAndPostgresDumpsAfterTheUnlock() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home/shared/data/repositories/1"));
        Files.writeString(home.resolve("HEAD"), "ref: refs/heads/main\n");
        Files.createDirectories(tmp.resolve("home/caches"));
        Files.writeString(tmp.resolve("home/caches/big.bin"), "cache, never backed up");
        Components components = Components.builder()
                .home(new RsyncProvider(tmp.resolve("home").toString(),
                        Files.createDirectories(tmp.resolve("rsync-backups")).toString(), RsyncExcludes.DC_HOME,
                        List.of()))
                .database(database()).build();
        FileCatalog catalog = new FileCatalog(tmp.resolve("catalog"));
        BackupConfig cfg = BackupConfig.of("prod", components, BackupMode.LOCKED)
                .withDrain(Duration.ofMillis(50), Duration.ofSeconds(30));

        BackupOutcome out = engine(cfg, catalog).run();

        RestorePoint p = out.point();
        assertThat(p.status()).as(String.valueOf(p.failureReason())).isEqualTo(RestorePointStatus.COMPLETE);
        assertThat(sim.isLocked()).isFalse();
        List<BitbucketSimulator.RecordedCall> unlocks = sim.calls("DELETE", "/mvc/maintenance/lock");
        assertThat(unlocks).hasSize(1);
        Instant unlockedAt = unlocks.get(0).at();
        ComponentRecord db = p.component("database").orElseThrow();
        assertThat(db.capturedAt()).isBefore(unlockedAt);
        assertThat(db.durableAt()).as("pg_dump ran after the unlock").isAfter(unlockedAt);
        assertThat(sim.progressReports()).endsWith(100);
        assertThat(p.lockWindowMillis()).isNotNull();
        Path copy = Path.of(p.component("home").orElseThrow().reference().id());
        assertThat(Files.walk(copy).anyMatch(f -> f.getFileName().toString().equals("HEAD"))).isTrue();
        assertThat(Files.walk(copy).noneMatch(f -> f.getFileName().toString().equals("big.bin"))).isTrue();
    }
}
