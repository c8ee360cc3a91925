package io.jenkins.plugins.bbdc.core.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdminClient;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketClientOptions;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.exec.CommandResult;
import io.jenkins.plugins.bbdc.core.exec.CommandSpec;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.fs.FsfreezeProvider;
import io.jenkins.plugins.bbdc.core.provider.fs.ScriptProvider;
import io.jenkins.plugins.bbdc.core.provider.postgres.PostgresDumpConfig;
import io.jenkins.plugins.bbdc.core.provider.postgres.PostgresDumpProvider;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import io.jenkins.plugins.bbdc.testkit.fs.LoopVolume;
import io.jenkins.plugins.bbdc.testkit.postgres.ThrowawayPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A zero-downtime backup whose home is a real XFS volume frozen around a block-level snapshot, with PostgreSQL,
 * against the simulator: the block copy is taken while the filesystem is frozen (here a copy of the loop device, the
 * way an LVM or EBS snapshot copies blocks), so it mounts with a log replay and is then clean — {@code xfs_repair -n}
 * finds nothing to fix — although a writer kept writing during the backup; and the filesystem is thawed afterwards.
 */
class FsfreezeBackupEndToEndTest {
    @TempDir
    Path tmp;

    @Test
    void aFrozenBlockSnapshotOfABusyXfsIsCleanAndTheFilesystemIsThawed() throws Exception {
        LoopVolume.assumeAvailable(LoopVolume.FsType.XFS);
        ProcessCommandRunner runner = new ProcessCommandRunner();
        try (LoopVolume xfs = LoopVolume.xfs();
             BitbucketSimulator sim = BitbucketSimulator.builder().nodes(2).start()) {
            ThrowawayPostgres pg = ThrowawayPostgres.shared();
            pg.createDatabase("fsfreeze_e2e");
            Path shared = Files.createDirectories(xfs.mountPoint().resolve("shared"));
            Files.writeString(shared.resolve("bitbucket.properties"), "jdbc.url=before-the-backup\n");
            Path snapshots = Files.createDirectories(tmp.resolve("block-snapshots"));

            // a block-level snapshot: copy the device's blocks while the filesystem on it is frozen
            ScriptProvider blockCopy = ScriptProvider.builder()
                    .capture(List.of("sh", "-c", "img=\"$2/$BBDC_SNAPSHOT_NAME.img\"; dd if=\"$1\" of=\"$img\" bs=1M"
                            + " conv=sparse status=none && printf '{\"id\":\"%s\",\"restorePointId\":\"%s\","
                            + "\"capturedAt\":\"%s\"}\\n' \"$img\" \"$BBDC_RESTORE_POINT_ID\" \"$(date -u"
                            + " +%Y-%m-%dT%H:%M:%SZ)\" > \"$img.json\" && echo id=$img", "snap", xfs.device(),
                            snapshots.toString()))
                    .list(List.of("sh", "-c", "cat \"$1\"/*.json 2>/dev/null || true", "list",
                            snapshots.toString()))
                    .delete(List.of("sh", "-c", "rm -f -- \"$BBDC_SNAPSHOT_ID\" \"$BBDC_SNAPSHOT_ID.json\"", "del"))
                    .zeroDowntime(true).build();
            FsfreezeProvider home = new FsfreezeProvider(blockCopy, List.of(xfs.mountPoint().toString()),
                    Duration.ofSeconds(30));
            PostgresDumpProvider database = new PostgresDumpProvider(PostgresDumpConfig.builder().host(pg.host())
                    .port(pg.port()).database("fsfreeze_e2e").user(pg.user()).password(pg::password)
                    .dumpRoot(Files.createDirectories(tmp.resolve("dumps")).toString()).jobs(2).build());
            BitbucketAdminClient bb = new BitbucketAdminClient(BitbucketClientOptions.builder(sim.baseUrl())
                    .basicAuth("admin", "admin").build());

            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong written = new AtomicLong();
            Thread writer = new Thread(() -> {
                while (writing.get()) {
                    try {
                        Files.writeString(shared.resolve("busy-" + (written.get() % 50)), "x".repeat(4096));
                        written.incrementAndGet();
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            writer.start();
            RestorePoint point;
            try {
                point = new BackupEngine(BackupConfig.of("xfs", Components.builder().home(home).database(database)
                        .build(), BackupMode.ZERO_DOWNTIME), bb, new FileCatalog(tmp.resolve("catalog")), runner,
                        null, null, EventSink.NONE, null).run().point();
            } finally {
                writing.set(false);
                writer.join(10_000);
            }

            assertThat(point.status()).as(point.failureReason()).isEqualTo(RestorePointStatus.COMPLETE);
            assertThat(written.get()).as("the writer made progress around the freeze").isPositive();
            Path image = Path.of(point.component("home").orElseThrow().reference().id());
            // a frozen XFS keeps its log: mounting the copy replays it (as after a crash, but with nothing lost)
            Path mnt = Files.createDirectories(tmp.resolve("mnt"));
            runner.check(CommandSpec.of("mount", "-o", "loop,nouuid", image.toString(), mnt.toString()).build());
            try {
                assertThat(Files.readString(mnt.resolve("shared/bitbucket.properties"), StandardCharsets.UTF_8))
                        .isEqualTo("jdbc.url=before-the-backup\n");
            } finally {
                runner.run(CommandSpec.of("umount", mnt.toString()).build());
            }
            CommandResult repair = runner.run(CommandSpec.of("xfs_repair", "-n", "-f", image.toString()).build());
            assertThat(repair.exitCode()).as(repair.stdout() + repair.stderr()).isZero();
            // thawed: a write completes
            Files.writeString(shared.resolve("after"), "thawed");
            assertThat(shared.resolve("after")).hasContent("thawed");
            assertThat(sim.calls("POST", "/mvc")).isEmpty();
        }
    }
}
