package io.jenkins.plugins.bbdc.core.provider.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.provider.RestoreOutcome;
import io.jenkins.plugins.bbdc.core.provider.RestoreRequest;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.testkit.fs.LoopVolume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs the btrfs provider against a real loop-mounted btrfs filesystem. */
class BtrfsProviderTest {
    private LoopVolume volume;
    private Path home;
    private Path snapshots;
    private BtrfsProvider provider;
    private final EventSink.Collecting events = new EventSink.Collecting();

    @BeforeEach
    void setUp() throws Exception {
        LoopVolume.assumeAvailable(LoopVolume.FsType.BTRFS);
        volume = LoopVolume.btrfs("home");
        home = volume.subvolume();
        snapshots = Files.createDirectories(volume.mountPoint().resolve(".snapshots"));
        Files.createDirectories(home.resolve("shared/data/repositories/1"));
        Files.writeString(home.resolve("shared/data/repositories/1/HEAD"), "ref: refs/heads/main\n");
        provider = new BtrfsProvider(home.toString(), snapshots.toString());
    }

    @AfterEach
    void tearDown() {
        if (volume != null) {
            volume.close();
        }
    }

    private ProviderContext ctx(String instance, Instant now) {
        return new ProviderContext(instance, ComponentRole.HOME, BackupMode.ZERO_DOWNTIME, new ProcessCommandRunner(),
                Clock.fixed(now, ZoneOffset.UTC), null, events);
    }

    private SnapshotRef capture(String instance, String rp, Instant at) throws Exception {
        ProviderContext c = ctx(instance, at);
        return provider.capture(provider.prepare(c),
                new CaptureRequest(rp, instance, ComponentRole.HOME, BackupMode.ZERO_DOWNTIME), c);
    }

    @Test
    void captureMakesAReadOnlySnapshotThatKeepsTheContentOfTheInstant() throws Exception {
        Instant t = Instant.parse("2026-11-21T10:00:00Z");
        SnapshotRef ref = capture("bitbucket", "rp1", t);
        Files.writeString(home.resolve("shared/data/repositories/1/HEAD"), "changed later\n");

        Path snap = Path.of(ref.id());
        assertThat(snap).isEqualTo(snapshots.resolve("bbdc-bitbucket-rp1-home"));
        assertThat(LoopVolume.isReadOnlySubvolume(snap)).isTrue();
        assertThat(snap.resolve("shared/data/repositories/1/HEAD")).hasContent("ref: refs/heads/main");
        assertThat(ref.capturedAt()).isEqualTo(t);
        assertThat(ref.durableAt()).isEqualTo(t);
        assertThatThrownBy(() -> Files.writeString(snap.resolve("x"), "y")).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void capturingTheSameRestorePointTwiceIsRefusedInsteadOfNestingASnapshot() throws Exception {
        capture("bitbucket", "rp1", Instant.parse("2026-11-21T10:00:00Z"));
        assertThatThrownBy(() -> capture("bitbucket", "rp1", Instant.parse("2026-11-21T10:05:00Z")))
                .isInstanceOf(ProviderException.class).hasMessageContaining("already exists");
        assertThat(snapshots.resolve("bbdc-bitbucket-rp1-home/home")).doesNotExist();
    }

    @Test
    void listFindsOnlyThisInstancesSnapshotsOldestFirstWithTheirCaptureTimes() throws Exception {
        capture("bitbucket", "rp2", Instant.parse("2026-11-21T11:00:00Z"));
        capture("bitbucket", "rp1", Instant.parse("2026-11-21T10:00:00Z"));
        // an instance whose id starts like ours shares the snapshot directory
        capture("bitbucket-staging", "rp9", Instant.parse("2026-11-21T09:00:00Z"));
        // a look-alike without metadata (e.g. made by hand) is not ours to list or delete
        Files.createDirectories(snapshots.resolve("bbdc-bitbucket-rp0-home"));

        var listed = provider.list(ctx("bitbucket", Instant.now()));
        assertThat(listed).extracting(SnapshotRef::restorePointId).containsExactly("rp1", "rp2");
        assertThat(listed).extracting(SnapshotRef::capturedAt)
                .containsExactly(Instant.parse("2026-11-21T10:00:00Z"), Instant.parse("2026-11-21T11:00:00Z"));
        assertThat(listed).allSatisfy(r -> assertThat(r.instanceId()).isEqualTo("bitbucket"));
        assertThat(provider.list(ctx("bitbucket-staging", Instant.now())))
                .extracting(SnapshotRef::restorePointId).containsExactly("rp9");
        assertThat(events.events()).anySatisfy(e -> assertThat(e.message()).contains("bbdc-bitbucket-rp0-home")
                .contains("not listed"));
    }

    @Test
    void deleteRemovesSnapshotAndMetadataAndToleratesAnAlreadyDeletedSnapshot() throws Exception {
        SnapshotRef ref = capture("bitbucket", "rp1", Instant.parse("2026-11-21T10:00:00Z"));
        ProviderContext c = ctx("bitbucket", Instant.now());
        provider.delete(ref, c);
        assertThat(Path.of(ref.id())).doesNotExist();
        assertThat(snapshots.resolve("bbdc-bitbucket-rp1-home.bbdc")).doesNotExist();
        assertThat(provider.list(c)).isEmpty();
        provider.delete(ref, c);
    }

    @Test
    void aRefThatIsNotOneOfOurSnapshotsIsNeverDeleted() throws Exception {
        SnapshotRef ref = capture("bitbucket", "rp1", Instant.parse("2026-11-21T10:00:00Z"));
        SnapshotRef forged = new SnapshotRef("btrfs", "home", home.toString(), "rp1", "bitbucket",
                ref.capturedAt(), ref.durableAt(), null, Map.of());
        assertThatThrownBy(() -> provider.delete(forged, ctx("bitbucket", Instant.now())))
                .isInstanceOf(ProviderException.class).hasMessageContaining("refusing");
        assertThat(home.resolve("shared/data/repositories/1/HEAD")).exists();
    }

    @Test
    void restoreReplacesTheSubvolumeWithAWritableCopyAndRemovesThePreviousOne() throws Exception {
        SnapshotRef ref = capture("bitbucket", "rp1", Instant.parse("2026-11-21T10:00:00Z"));
        Files.writeString(home.resolve("shared/data/repositories/1/HEAD"), "damaged\n");
        Files.writeString(home.resolve("new-file"), "created after the backup");

        RestoreOutcome out = provider.restore(ref, new RestoreRequest(Map.of(), true, null, false, false),
                ctx("bitbucket", Instant.parse("2026-11-21T12:00:00Z")));

        assertThat(home.resolve("shared/data/repositories/1/HEAD")).hasContent("ref: refs/heads/main");
        assertThat(home.resolve("new-file")).doesNotExist();
        assertThat(LoopVolume.isSubvolume(home)).isTrue();
        assertThat(LoopVolume.isReadOnlySubvolume(home)).isFalse();
        Files.writeString(home.resolve("writable"), "yes");
        assertThat(out.location()).containsEntry("path", home.toString()).doesNotContainKey("previous");
        try (var siblings = Files.list(volume.mountPoint())) {
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("home", ".snapshots");
        }
        assertThat(Path.of(ref.id())).exists(); // the snapshot itself stays for later restores
    }

    @Test
    void restoreCanKeepThePreviousContentAside() throws Exception {
        SnapshotRef ref = capture("bitbucket", "rp1", Instant.parse("2026-11-21T10:00:00Z"));
        Files.writeString(home.resolve("new-file"), "created after the backup");

        RestoreOutcome out = provider.restore(ref,
                new RestoreRequest(Map.of(BtrfsProvider.TARGET_KEEP_PREVIOUS, "true"), true, null, false, false),
                ctx("bitbucket", Instant.parse("2026-11-21T12:00:00Z")));

        Path previous = Path.of(out.location().get("previous"));
        assertThat(previous.resolve("new-file")).hasContent("created after the backup");
        assertThat(home.resolve("new-file")).doesNotExist();
        assertThat(out.operatorSteps()).anySatisfy(s -> assertThat(s).contains(previous.toString()));
    }

    @Test
    void restoreOverANonEmptyTargetIsRefusedWithoutAllowReplaceAndChangesNothing() throws Exception {
        SnapshotRef ref = capture("bitbucket", "rp1", Instant.parse("2026-11-21T10:00:00Z"));
        Files.writeString(home.resolve("new-file"), "precious");

        assertThatThrownBy(() -> provider.restore(ref, new RestoreRequest(Map.of(), false, null, false, false),
                ctx("bitbucket", Instant.now())))
                .isInstanceOf(ProviderException.class).hasMessageContaining("not empty")
                .hasMessageContaining("allowReplace");
        assertThat(home.resolve("new-file")).hasContent("precious");
    }

    @Test
    void dryRunDescribesTheRestoreWithoutTouchingAnything() throws Exception {
        SnapshotRef ref = capture("bitbucket", "rp1", Instant.parse("2026-11-21T10:00:00Z"));
        Files.writeString(home.resolve("new-file"), "stays");

        RestoreOutcome out = provider.restore(ref, new RestoreRequest(Map.of(), true, null, false, true),
                ctx("bitbucket", Instant.parse("2026-11-21T12:00:00Z")));

        assertThat(out.actions()).contains("btrfs subvolume snapshot " + ref.id() + " " + home);
        assertThat(home.resolve("new-file")).hasContent("stays");
    }

    @Test
    void scratchRestoreCreatesAWritableCopyElsewhereAndLeavesTheLiveSubvolumeAlone() throws Exception {
        SnapshotRef ref = capture("bitbucket", "rp1", Instant.parse("2026-11-21T10:00:00Z"));
        Files.writeString(home.resolve("new-file"), "live");
        Path scratch = volume.mountPoint().resolve("verify");

        RestoreOutcome out = provider.restore(ref,
                new RestoreRequest(Map.of(BtrfsProvider.TARGET_PATH, scratch.toString()), false, null, true, false),
                ctx("bitbucket", Instant.now()));

        assertThat(out.location()).containsEntry("path", scratch.toString());
        assertThat(scratch.resolve("shared/data/repositories/1/HEAD")).hasContent("ref: refs/heads/main");
        Files.writeString(scratch.resolve("writable"), "yes");
        assertThat(home.resolve("new-file")).hasContent("live");
    }

    @Test
    void checkExplainsAMisconfiguredSubvolumeAndSnapshotDirectory() throws Exception {
        Path plain = Files.createDirectories(volume.mountPoint().resolve("plain"));
        BtrfsProvider wrong = new BtrfsProvider(plain.toString(), volume.mountPoint().resolve("missing").toString());
        var report = wrong.check(ctx("bitbucket", Instant.now()));
        assertThat(report.errors()).anySatisfy(m -> assertThat(m).contains("is not a btrfs subvolume"))
                .anySatisfy(m -> assertThat(m).contains("does not exist"));
        assertThat(provider.check(ctx("bitbucket", Instant.now())).hasErrors()).isFalse();
    }
}
