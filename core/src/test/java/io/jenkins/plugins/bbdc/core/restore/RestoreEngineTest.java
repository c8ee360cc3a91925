package io.jenkins.plugins.bbdc.core.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.PreparedCapture;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.core.provider.fs.BtrfsProvider;
import io.jenkins.plugins.bbdc.core.restorepoint.ComponentRecord;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointId;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;
import io.jenkins.plugins.bbdc.testkit.fixture.BitbucketDataFixture;
import io.jenkins.plugins.bbdc.testkit.fixture.FixtureRepository;
import io.jenkins.plugins.bbdc.testkit.fs.LoopVolume;
import io.jenkins.plugins.bbdc.testkit.postgres.ThrowawayPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restore engine on a real btrfs volume holding a Bitbucket-like home with real git repositories: snapshot,
 * damage, restore, verify; and the refusals that protect a live instance.
 */
class RestoreEngineTest {
    private static final String INSTANCE = "prod";
    private static ThrowawayPostgres pg;

    @TempDir
    Path tmp;
    LoopVolume volume;
    BitbucketDataFixture fixture;
    BtrfsProvider btrfs;
    FileCatalog catalog;
    final EventSink.Collecting events = new EventSink.Collecting();

    @BeforeAll
    static void startPostgres() throws Exception {
        LoopVolume.assumeAvailable(LoopVolume.FsType.BTRFS);
        pg = ThrowawayPostgres.start();
        pg.createDatabase("bitbucket");
    }

    @AfterAll
    static void stopPostgres() {
        if (pg != null) {
            pg.close();
        }
    }

    @BeforeEach
    void homeOnBtrfs() throws Exception {
        volume = LoopVolume.btrfs("home");
        pg.execute("bitbucket", "DROP SCHEMA public CASCADE", "CREATE SCHEMA public");
        fixture = BitbucketDataFixture.builder(volume.subvolume()).database(pg, "bitbucket").projects(2)
                .repositoriesPerProject(2).forks(1).orphanUpstreams(0).build();
        Path snapshots = Files.createDirectories(volume.mountPoint().resolve("snapshots"));
        btrfs = new BtrfsProvider(volume.subvolume().toString(), snapshots.toString());
        catalog = new FileCatalog(tmp.resolve("catalog"));
    }

    @AfterEach
    void unmount() {
        if (volume != null) {
            volume.close();
        }
    }

    private RestorePoint backupHome(Instant at, RestorePointStatus status) throws Exception {
        String id = RestorePointId.generate(at, new Random(at.toEpochMilli()));
        ProviderContext ctx = context();
        SnapshotRef ref;
        try (PreparedCapture prepared = btrfs.prepare(ctx)) {
            ref = btrfs.capture(prepared, new CaptureRequest(id, INSTANCE, ComponentRole.HOME,
                    BackupMode.ZERO_DOWNTIME), ctx);
            ref = btrfs.awaitDurable(prepared, ref, ctx);
        }
        RestorePoint point = new RestorePoint(RestorePoint.SCHEMA_VERSION, id, INSTANCE, "8.19.1",
                BackupMode.ZERO_DOWNTIME, status, at, 0L, null, at, at, List.of(ComponentRecord.of(ref)), List.of(),
                status == RestorePointStatus.COMPLETE ? null : "test", List.of());
        catalog.save(point);
        return point;
    }

    private ProviderContext context() {
        return new ProviderContext(INSTANCE, ComponentRole.HOME, BackupMode.ZERO_DOWNTIME,
                new ProcessCommandRunner(), Clock.systemUTC(), null, events);
    }

    private RestoreEngine engine() {
        return new RestoreEngine(catalog, null, new ProcessCommandRunner(), Clock.systemUTC(), null, events);
    }

    private RestoreSettings settings(boolean allowReplace) {
        return new RestoreSettings(INSTANCE, Map.of("home", btrfs), Map.of(), allowReplace, List.of(),
                fixture.sharedHome(), true, true, false);
    }

    @Test
    void restoresADamagedHomeCleansLocksAndPassesVerification() throws Exception {
        RestorePoint point = backupHome(Instant.now(), RestorePointStatus.COMPLETE);
        FixtureRepository victim = fixture.databaseRepositories().get(0);
        fixture.deleteRepositoryDirectory(victim.id());

        RestoreResult result = engine().restore(settings(true), RestoreSelection.latest());

        assertThat(result.succeeded()).as(result.failures().toString()).isTrue();
        assertThat(result.restorePointId()).isEqualTo(point.id());
        assertThat(fixture.repositoryDirectory(victim.id())).isDirectory();
        assertThat(Files.readString(fixture.sharedHome().resolve("bitbucket.properties"), StandardCharsets.UTF_8))
                .contains("disaster.recovery=true");
        assertThat(result.operatorSteps()).anyMatch(s -> s.contains("disaster.recovery=false"));
        try (Connection c = fixture.connect()) {
            VerificationReport report = new RestoreVerifier(new ProcessCommandRunner()).verify(
                    fixture.sharedHome(), c, RestoreVerifier.Options.defaults().withSample(50));
            assertThat(report.passed()).as(report.describe()).isTrue();
        }
    }

    @Test
    void staleLocksCapturedInTheSnapshotAreRemovedAfterTheRestore() throws Exception {
        FixtureRepository locked = fixture.databaseRepositories().get(1);
        List<Path> locks = fixture.leaveStaleLocks(locked.id());
        backupHome(Instant.now(), RestorePointStatus.COMPLETE);

        RestoreResult result = engine().restore(settings(true), RestoreSelection.latest());

        assertThat(result.lockCleanup().removed()).hasSize(locks.size());
        assertThat(locks).allMatch(p -> !Files.exists(p));
    }

    @Test
    void aNonEmptyTargetIsRefusedWithoutReplacementAndNothingChanges() throws Exception {
        backupHome(Instant.now(), RestorePointStatus.COMPLETE);
        FixtureRepository victim = fixture.databaseRepositories().get(0);
        fixture.deleteRepositoryDirectory(victim.id());

        assertThatThrownBy(() -> engine().restore(settings(false), RestoreSelection.latest()))
                .isInstanceOf(RestoreRefusedException.class).hasMessageContaining("not empty");
        assertThat(fixture.repositoryDirectory(victim.id())).doesNotExist();
    }

    @Test
    void aRestoreIsRefusedWhileAnotherOperationHoldsTheInstance() throws Exception {
        backupHome(Instant.now(), RestorePointStatus.COMPLETE);
        FixtureRepository victim = fixture.databaseRepositories().get(0);
        fixture.deleteRepositoryDirectory(victim.id());

        try (var retention = io.jenkins.plugins.bbdc.core.ops.InstanceLock.acquire(
                catalog.instanceDirectory(INSTANCE), INSTANCE, "retention", Instant.now())) {
            assertThatThrownBy(() -> engine().restore(settings(true), RestoreSelection.latest()))
                    .isInstanceOf(RestoreRefusedException.class).hasMessageContaining("retention of " + INSTANCE);
        }
        assertThat(fixture.repositoryDirectory(victim.id())).doesNotExist();
        // and once it is free, the same restore runs
        assertThat(engine().restore(settings(true), RestoreSelection.latest()).succeeded()).isTrue();
        assertThat(fixture.repositoryDirectory(victim.id())).exists();
    }

    @Test
    void aFailedPointIsRefused() throws Exception {
        RestorePoint failed = backupHome(Instant.now(), RestorePointStatus.FAILED);

        assertThatThrownBy(() -> engine().restore(settings(true), RestoreSelection.byId(failed.id())))
                .isInstanceOf(RestoreRefusedException.class).hasMessageContaining("FAILED");
    }

    @Test
    void withoutAWayToProveBitbucketIsStoppedTheRestoreIsRefused() throws Exception {
        backupHome(Instant.now(), RestorePointStatus.COMPLETE);
        RestoreSettings noOverride = new RestoreSettings(INSTANCE, Map.of("home", btrfs), Map.of(), true, List.of(),
                fixture.sharedHome(), true, false, false);

        assertThatThrownBy(() -> engine().restore(noOverride, RestoreSelection.latest()))
                .isInstanceOf(RestoreRefusedException.class).hasMessageContaining("prove that Bitbucket is stopped");
    }

    @Test
    void pointInTimeSelectsTheNewestCompletePointAtOrBeforeTheInstant() throws Exception {
        Instant t0 = Instant.parse("2026-11-20T10:00:00Z");
        RestorePoint first = backupHome(t0, RestorePointStatus.COMPLETE);
        fixture.addCommit(fixture.databaseRepositories().get(0).id());
        RestorePoint second = backupHome(t0.plusSeconds(3600), RestorePointStatus.COMPLETE);
        backupHome(t0.plusSeconds(5400), RestorePointStatus.FAILED);

        RestoreEngine engine = engine();
        assertThat(engine.select(INSTANCE, RestoreSelection.atOrBefore(t0.plusSeconds(1800))).id())
                .isEqualTo(first.id());
        assertThat(engine.select(INSTANCE, RestoreSelection.atOrBefore(t0.plusSeconds(7200))).id())
                .isEqualTo(second.id());
        assertThatThrownBy(() -> engine.select(INSTANCE, RestoreSelection.atOrBefore(t0.minusSeconds(1))))
                .isInstanceOf(RestoreRefusedException.class).hasMessageContaining("at or before");
    }

    @Test
    void thePlanChangesNothingAndNamesWhatWouldBeReplaced() throws Exception {
        backupHome(Instant.now(), RestorePointStatus.COMPLETE);
        FixtureRepository victim = fixture.databaseRepositories().get(0);
        fixture.deleteRepositoryDirectory(victim.id());

        RestoreResult plan = engine().plan(settings(true), RestoreSelection.latest());

        assertThat(plan.outcomes().get("home").summary()).contains("would replace");
        assertThat(plan.outcomes().get("home").actions()).anyMatch(a -> a.startsWith("btrfs subvolume snapshot"));
        assertThat(fixture.repositoryDirectory(victim.id())).doesNotExist();
    }
}
