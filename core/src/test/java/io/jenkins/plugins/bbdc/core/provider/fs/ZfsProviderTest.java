package io.jenkins.plugins.bbdc.core.provider.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.PreparedCapture;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.provider.RestoreOutcome;
import io.jenkins.plugins.bbdc.core.provider.RestoreRequest;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ZFS does not exist on this machine: the provider is checked against the exact commands it must run, fed with the
 * output OpenZFS 2.x prints in each situation.
 */
class ZfsProviderTest {
    private static final String FS = "tank/bitbucket/shared";
    private static final String RP1 = "20261121t100000z-ab12";
    private static final String RP2 = "20261121t110000z-cd34";
    private static final String SNAP1 = "bbdc-bitbucket-" + RP1 + "-home";
    private static final String SNAP2 = "bbdc-bitbucket-" + RP2 + "-home";
    private static final String[] LIST = {"zfs", "list", "-H", "-p", "-t", "snapshot", "-o", "name,creation,used",
        "-s", "creation", FS};
    private static final String LISTING = String.join("\n",
            FS + "@manual-before-upgrade\t1763650000\t524288",
            FS + "@" + SNAP1 + "\t1763719200\t1048576",
            FS + "@bbdc-bitbucket-staging-" + RP1 + "-home\t1763719201\t4096",
            FS + "@nightly-dr\t1763720000\t0",
            FS + "@" + SNAP2 + "\t1763722800\t2097152") + "\n";
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    private final RecordingCommandRunner runner = new RecordingCommandRunner();
    private final ProviderContext ctx = new ProviderContext("bitbucket", ComponentRole.HOME, BackupMode.ZERO_DOWNTIME,
            runner, Clock.fixed(NOW, ZoneOffset.UTC), null, null);
    private final ZfsProvider provider = new ZfsProvider(FS);

    private static SnapshotRef ref(String rp) {
        String name = "bbdc-bitbucket-" + rp + "-home";
        return new SnapshotRef("zfs", "home", FS + "@" + name, rp, "bitbucket", NOW, NOW, null,
                Map.of("dataset", FS, "snapshotName", name));
    }

    @Test
    void captureSnapshotsTheDatasetUnderTheRestorePointsName() throws Exception {
        runner.expect(FS + "\tfilesystem\n", "zfs", "list", "-H", "-o", "name,type", FS)
                .expect("", "zfs", "snapshot", FS + "@" + SNAP1);

        PreparedCapture prepared = provider.prepare(ctx);
        SnapshotRef ref = provider.capture(prepared,
                new CaptureRequest(RP1, "bitbucket", ComponentRole.HOME, BackupMode.ZERO_DOWNTIME), ctx);

        runner.assertAllRan();
        assertThat(ref.id()).isEqualTo(FS + "@" + SNAP1);
        assertThat(ref).isEqualTo(ref(RP1));
    }

    @Test
    void checkExplainsAMissingDataset() throws Exception {
        runner.expectFailure(1, "cannot open 'tank/bitbucket/shared': dataset does not exist\n",
                "zfs", "list", "-H", "-o", "name,type", FS);
        assertThat(provider.check(ctx).errors()).singleElement().asString().contains("not found")
                .contains("dataset does not exist");
    }

    @Test
    void listKeepsOnlyThisInstancesSnapshotsOfExactlyThisDataset() throws Exception {
        // an older zfs (or a future -r) could list child and look-alike datasets too: they must not slip through
        runner.expect(LISTING + FS + "/child@" + SNAP1 + "\t1763719300\t1\n" + FS + "2@" + SNAP1
                + "\t1763719300\t1\n", LIST);

        var listed = provider.list(ctx);

        runner.assertAllRan();
        assertThat(listed).extracting(SnapshotRef::id).containsExactly(FS + "@" + SNAP1, FS + "@" + SNAP2);
        assertThat(listed.get(0).capturedAt()).isEqualTo(Instant.ofEpochSecond(1763719200));
        assertThat(listed.get(0).sizeBytes()).isEqualTo(1048576L);
        assertThat(listed.get(1).restorePointId()).isEqualTo(RP2);
    }

    @Test
    void deleteDestroysOnlyThatSnapshotAndToleratesOneAlreadyGone() throws Exception {
        runner.expect("", "zfs", "destroy", FS + "@" + SNAP1)
                .expectFailure(1, "could not find any snapshots to destroy; check snapshot names.\n",
                        "zfs", "destroy", FS + "@" + SNAP1)
                .expectFailure(1, "cannot destroy 'tank/bitbucket/shared@" + SNAP1 + "': snapshot has dependent "
                        + "clones\nuse '-R' to destroy the following datasets:\ntank/verify\n",
                        "zfs", "destroy", FS + "@" + SNAP1);
        provider.delete(ref(RP1), ctx);
        provider.delete(ref(RP1), ctx);
        assertThatThrownBy(() -> provider.delete(ref(RP1), ctx)).isInstanceOf(ProviderException.class)
                .hasMessageContaining("clone");
        runner.assertAllRan();
    }

    @Test
    void rollbackToAnOlderSnapshotNamesEveryNewerSnapshotItDestroys() throws Exception {
        runner.expect(LISTING, LIST).expect("", "zfs", "rollback", "-r", FS + "@" + SNAP1);

        RestoreOutcome out = provider.restore(ref(RP1), new RestoreRequest(Map.of(), true, null, false, false), ctx);

        runner.assertAllRan();
        assertThat(out.summary()).contains("3 newer snapshot(s)").contains(FS + "@nightly-dr")
                .contains(FS + "@" + SNAP2).contains(FS + "@bbdc-bitbucket-staging-" + RP1 + "-home");
        assertThat(out.location().get("destroyedSnapshots").split(",")).hasSize(3);
    }

    @Test
    void rollbackIsRefusedWithoutAllowReplaceAndTheRefusalNamesWhatWouldBeLost() throws Exception {
        runner.expect(LISTING, LIST);
        assertThatThrownBy(() -> provider.restore(ref(RP1), new RestoreRequest(Map.of(), false, null, false, false),
                ctx)).isInstanceOf(ProviderException.class).hasMessageContaining("allowReplace")
                .hasMessageContaining(FS + "@nightly-dr");
        runner.assertAllRan();
    }

    @Test
    void rollbackBlockedByACloneSaysWhatToDo() throws Exception {
        runner.expect(LISTING, LIST).expectFailure(1, "cannot rollback to '" + FS + "@" + SNAP1 + "': clones of "
                + "previous snapshots exist\nuse '-R' to force deletion of the following clones and dependents:\n"
                + "tank/verify\n", "zfs", "rollback", "-r", FS + "@" + SNAP1);
        assertThatThrownBy(() -> provider.restore(ref(RP1), new RestoreRequest(Map.of(), true, null, false, false),
                ctx)).hasMessageContaining("destroy or promote");
    }

    @Test
    void dryRunOfTheNewestSnapshotDestroysNothingAndRunsNoRollback() throws Exception {
        runner.expect(LISTING, LIST);
        RestoreOutcome out = provider.restore(ref(RP2), new RestoreRequest(Map.of(), false, null, false, true), ctx);
        assertThat(out.summary()).contains("no newer snapshot");
        assertThat(out.actions()).containsExactly("zfs rollback -r " + FS + "@" + SNAP2);
        runner.assertAllRan();
    }

    @Test
    void restoreByCloneLeavesTheLiveDatasetAlone() throws Exception {
        runner.expect(LISTING, LIST)
                .expectFailure(1, "cannot open 'tank/verify': dataset does not exist\n",
                        "zfs", "list", "-H", "-o", "name", "tank/verify")
                .expect("", "zfs", "clone", FS + "@" + SNAP1, "tank/verify");

        RestoreOutcome out = provider.restore(ref(RP1),
                new RestoreRequest(Map.of(ZfsProvider.TARGET_CLONE, "tank/verify"), false, null, true, false), ctx);

        runner.assertAllRan();
        assertThat(out.location()).containsEntry("dataset", "tank/verify");
        assertThat(out.operatorSteps()).anySatisfy(s -> assertThat(s).contains("zfs destroy tank/verify"));
    }

    @Test
    void aCloneOverAnExistingDatasetIsRefused() throws Exception {
        runner.expect(LISTING, LIST).expect("tank/verify\n", "zfs", "list", "-H", "-o", "name", "tank/verify");
        assertThatThrownBy(() -> provider.restore(ref(RP1),
                new RestoreRequest(Map.of(ZfsProvider.TARGET_CLONE, "tank/verify"), true, null, false, false), ctx))
                .hasMessageContaining("already exists");
        runner.assertAllRan();
    }

    @Test
    void aSnapshotThatNoLongerExistsCannotBeRestored() throws Exception {
        runner.expect(FS + "@manual-before-upgrade\t1763650000\t524288\n", LIST);
        assertThatThrownBy(() -> provider.restore(ref(RP1), new RestoreRequest(Map.of(), true, null, false, false),
                ctx)).hasMessageContaining("does not exist");
    }

    @Test
    void foreignRefsAndBadNamesAreRefusedWithoutRunningAnything() {
        SnapshotRef manual = new SnapshotRef("zfs", "home", FS + "@manual-before-upgrade", RP1, "bitbucket", NOW, NOW,
                null, Map.of());
        assertThatThrownBy(() -> provider.delete(manual, ctx)).hasMessageContaining("refusing");
        assertThatThrownBy(() -> new ZfsProvider("tank/x; rm -rf /")).hasMessageContaining("not a ZFS dataset");
        assertThatThrownBy(() -> provider.capture(PreparedCapture.none(),
                new CaptureRequest("nightly", "bitbucket", ComponentRole.HOME, BackupMode.LOCKED), ctx))
                .hasMessageContaining("form");
        assertThat(runner.ran()).isEmpty();
    }
}
