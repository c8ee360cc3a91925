package io.jenkins.plugins.bbdc.core.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.backup.BackupConfig;
import io.jenkins.plugins.bbdc.core.backup.BackupEngine;
import io.jenkins.plugins.bbdc.core.backup.Components;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdminClient;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketClientOptions;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.fs.BtrfsProvider;
import io.jenkins.plugins.bbdc.core.provider.postgres.PostgresDumpConfig;
import io.jenkins.plugins.bbdc.core.provider.postgres.PostgresDumpProvider;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator.SimNode;
import io.jenkins.plugins.bbdc.testkit.fixture.BitbucketDataFixture;
import io.jenkins.plugins.bbdc.testkit.fixture.FixtureRepository;
import io.jenkins.plugins.bbdc.testkit.fs.LoopVolume;
import io.jenkins.plugins.bbdc.testkit.postgres.ThrowawayPostgres;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole restore story on real parts: a zero-downtime backup (real btrfs home with real git repositories, real
 * PostgreSQL) through the backup engine against the simulator; the home and the database damaged; a restore refused
 * while one node still runs; every node stopped; the restore; the verification — with the identity recorded inside
 * the database snapshot — passes.
 */
class RestoreEndToEndTest {
    @TempDir
    Path tmp;

    @Test
    void backUpDamageRestoreVerify() throws Exception {
        LoopVolume.assumeAvailable(LoopVolume.FsType.BTRFS);
        ThrowawayPostgres pg = ThrowawayPostgres.shared();
        pg.createDatabase("restore_e2e");
        try (LoopVolume volume = LoopVolume.btrfs("home");
             BitbucketSimulator sim = BitbucketSimulator.builder().nodes(2).stopTime(Duration.ofMillis(20))
                     .healthCheckInterval(Duration.ofMillis(20)).start()) {
            BitbucketDataFixture fixture = BitbucketDataFixture.builder(volume.subvolume())
                    .database(pg, "restore_e2e").projects(2).repositoriesPerProject(3).forks(2).orphanUpstreams(1)
                    .build();
            BitbucketAdminClient admin = new BitbucketAdminClient(BitbucketClientOptions.builder(sim.baseUrl())
                    .basicAuth("admin", "admin").connectTimeout(Duration.ofSeconds(2))
                    .readTimeout(Duration.ofSeconds(5)).build());
            SnapshotProvider home = new BtrfsProvider(volume.subvolume().toString(),
                    Files.createDirectories(volume.mountPoint().resolve("snapshots")).toString());
            SnapshotProvider database = new PostgresDumpProvider(PostgresDumpConfig.builder().host(pg.host())
                    .port(pg.port()).database("restore_e2e").user(pg.user()).password(pg::password)
                    .dumpRoot(Files.createDirectories(tmp.resolve("dumps")).toString()).jobs(2).build());
            FileCatalog catalog = new FileCatalog(tmp.resolve("catalog"));
            ProcessCommandRunner runner = new ProcessCommandRunner();
            EventSink.Collecting events = new EventSink.Collecting();

            RestorePoint point = new BackupEngine(BackupConfig.of("prod", Components.builder().home(home)
                    .database(database).build(), BackupMode.ZERO_DOWNTIME), admin, catalog, runner, null, null,
                    events, null).run().point();
            assertThat(point.status()).as(point.failureReason()).isEqualTo(RestorePointStatus.COMPLETE);

            // damage: a repository directory lost, a row lost, stale locks, the Liquibase lock held
            FixtureRepository lostDir = fixture.databaseRepositories().get(0);
            fixture.deleteRepositoryDirectory(lostDir.id());
            fixture.lockLiquibase("bb-node-1");
            fixture.addRepository(lostDir.projectKey(), "created-after-the-backup");

            List<URI> nodes = sim.nodes().stream().map(SimNode::url).toList();
            RestoreSettings settings = new RestoreSettings("prod", Map.of("home", home, "database", database),
                    Map.of(), true, nodes, fixture.sharedHome(), true, false, false);
            RestoreEngine engine = new RestoreEngine(catalog, admin, runner, Clock.systemUTC(), null, events);

            sim.nodes().get(0).stop();
            awaitUnreachable(admin, sim.nodes().get(0));
            assertThatThrownBy(() -> engine.restore(settings, RestoreSelection.latest()))
                    .isInstanceOf(RestoreRefusedException.class)
                    .hasMessageContaining(sim.nodes().get(1).url().toString());
            assertThat(fixture.repositoryDirectory(lostDir.id())).doesNotExist();

            sim.nodes().get(1).stop();
            awaitUnreachable(admin, sim.nodes().get(1));
            RestoreResult result = engine.restore(settings, RestoreSelection.byId(point.id()));

            assertThat(result.succeeded()).as(result.failures().toString()).isTrue();
            assertThat(fixture.repositoryDirectory(lostDir.id())).isDirectory();
            try (Connection c = fixture.connect()) {
                VerificationReport report = new RestoreVerifier(runner).verify(fixture.sharedHome(), c,
                        RestoreVerifier.Options.defaults().withSample(50).withExpected(
                                RestoreVerification.expectedFrom(point.component("database").orElseThrow())));
                assertThat(report.passed()).as(report.describe()).isTrue();
                assertThat(report.checks()).anyMatch(ch -> ch.name().equals("server id"));
                assertThat(report.repositoriesInDatabase()).isEqualTo(fixture.databaseRepositories().size() - 1);
            }
        }
    }

    private static void awaitUnreachable(BitbucketAdminClient admin, SimNode node) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (admin.nodeStatus(node.url()).reachable()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(node.name() + " still answers");
            }
            Thread.sleep(20);
        }
    }
}
