package io.jenkins.plugins.bbdc.core.provider.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.CheckReport;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.PreparedCapture;
import io.jenkins.plugins.bbdc.core.provider.ProviderCapability;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.provider.RestoreOutcome;
import io.jenkins.plugins.bbdc.core.provider.RestoreRequest;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.testkit.fs.LoopVolume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Freezes a real loop-mounted XFS filesystem. */
class FsfreezeProviderTest {
    private LoopVolume volume;
    private Path mount;
    private final ProviderContext ctx = new ProviderContext("bitbucket", ComponentRole.HOME, BackupMode.ZERO_DOWNTIME,
            new ProcessCommandRunner(), null, null, null);

    @BeforeEach
    void setUp() {
        LoopVolume.assumeAvailable(LoopVolume.FsType.XFS);
        volume = LoopVolume.xfs();
        mount = volume.mountPoint();
    }

    @AfterEach
    void tearDown() {
        if (volume != null) {
            volume.close();
        }
    }

    /** Starts writing a file on the mount in the background; a frozen filesystem blocks the write. */
    private CompletableFuture<Void> writeInBackground(String name) {
        return CompletableFuture.runAsync(() -> {
            try {
                Files.writeString(mount.resolve(name), "written");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, r -> new Thread(r, "writer-" + name).start());
    }

    private static boolean finishesWithin(CompletableFuture<Void> f, long millis) throws Exception {
        try {
            f.get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }

    /**
     * A wrapped "block snapshot" that records what a writer experiences during the instant: the write must wait
     * until the filesystem is thawed.
     */
    private final class WriteProbe implements SnapshotProvider {
        CompletableFuture<Void> writeDuringCapture;
        boolean writeFinishedDuringCapture;
        final boolean fail;

        WriteProbe(boolean fail) {
            this.fail = fail;
        }

        @Override
        public String kind() {
            return "probe";
        }

        @Override
        public Set<ProviderCapability> capabilities() {
            return EnumSet.of(ProviderCapability.ZERO_DOWNTIME);
        }

        @Override
        public List<String> plan(ProviderContext c) {
            return List.of("probe snapshot");
        }

        @Override
        public CheckReport check(ProviderContext c) {
            return CheckReport.ok();
        }

        @Override
        public PreparedCapture prepare(ProviderContext c) {
            return PreparedCapture.none();
        }

        @Override
        public SnapshotRef capture(PreparedCapture p, CaptureRequest r, ProviderContext c) throws ProviderException {
            writeDuringCapture = writeInBackground("during-capture");
            try {
                writeFinishedDuringCapture = finishesWithin(writeDuringCapture, 300);
            } catch (Exception e) {
                throw new ProviderException("probe: " + e);
            }
            if (fail) {
                throw new ProviderException("probe: the snapshot failed");
            }
            return new SnapshotRef("probe", r.role().value(), "snap-1", r.restorePointId(), r.instanceId(),
                    Instant.now(), null, null, null);
        }

        @Override
        public List<SnapshotRef> list(ProviderContext c) {
            return List.of();
        }

        @Override
        public void delete(SnapshotRef ref, ProviderContext c) {
        }

        @Override
        public RestoreOutcome restore(SnapshotRef ref, RestoreRequest req, ProviderContext c) {
            return new RestoreOutcome("probe", null, null, null);
        }
    }

    private static CaptureRequest request() {
        return new CaptureRequest("rp1", "bitbucket", ComponentRole.HOME, BackupMode.ZERO_DOWNTIME);
    }

    @Test
    void writesWaitDuringTheWrappedCaptureAndProceedAfterTheThaw() throws Exception {
        WriteProbe probe = new WriteProbe(false);
        FsfreezeProvider p = new FsfreezeProvider(probe, List.of(mount.toString()), Duration.ofSeconds(30));

        SnapshotRef ref = p.capture(p.prepare(ctx), request(), ctx);

        assertThat(probe.writeFinishedDuringCapture).as("a write completed while frozen").isFalse();
        probe.writeDuringCapture.get(20, TimeUnit.SECONDS);
        assertThat(mount.resolve("during-capture")).hasContent("written");
        assertThat(ref.provider()).isEqualTo("probe");
        assertThat(ref.attribute("frozenMounts")).isEqualTo(mount.toString());
        assertThat(p.kind()).isEqualTo("probe");
    }

    @Test
    void aFailingCaptureStillThawsTheFilesystem() throws Exception {
        WriteProbe probe = new WriteProbe(true);
        FsfreezeProvider p = new FsfreezeProvider(probe, List.of(mount.toString()), Duration.ofSeconds(30));

        assertThatThrownBy(() -> p.capture(p.prepare(ctx), request(), ctx))
                .isInstanceOf(ProviderException.class).hasMessageContaining("the snapshot failed");

        probe.writeDuringCapture.get(20, TimeUnit.SECONDS);
        assertThat(finishesWithin(writeInBackground("after"), 20_000)).isTrue();
    }

    @Test
    void whenOneMountCannotBeFrozenTheOnesAlreadyFrozenAreThawedAndNothingIsCaptured() throws Exception {
        WriteProbe probe = new WriteProbe(false);
        Path notAMount = Files.createDirectories(mount.resolve("plain-directory"));
        FsfreezeProvider p = new FsfreezeProvider(probe,
                List.of(mount.toString(), "/nonexistent-bbdc-mount"), Duration.ofSeconds(30));

        assertThatThrownBy(() -> p.capture(PreparedCapture.none(), request(), ctx))
                .isInstanceOf(ProviderException.class).hasMessageContaining("/nonexistent-bbdc-mount");

        assertThat(probe.writeDuringCapture).as("the wrapped capture must not run").isNull();
        assertThat(finishesWithin(writeInBackground("after"), 20_000)).isTrue();
        assertThat(p.check(ctx).errors()).anySatisfy(m -> assertThat(m).contains("/nonexistent-bbdc-mount")
                .contains("not a mount point"));
        assertThat(notAMount).exists();
    }

    @Test
    void theHostThawsByItselfWhenTheProcessThatFrozeNeverThaws() throws Exception {
        Freezer freezer = new Freezer("test", ctx, Duration.ofSeconds(3));
        List<Freezer.Frozen> frozen = freezer.freeze(List.of(mount.toString()));
        assertThat(frozen).hasSize(1);
        // the freezing "process" dies here: nobody calls thaw()
        CompletableFuture<Void> write = writeInBackground("while-abandoned");
        assertThat(finishesWithin(write, 200)).as("frozen right after the freeze").isFalse();

        write.get(30, TimeUnit.SECONDS);
        assertThat(mount.resolve("while-abandoned")).hasContent("written");
        awaitGone(frozen.get(0).watchdogPid());
    }

    @Test
    void theNormalThawCancelsTheAutomaticThaw() throws Exception {
        Freezer freezer = new Freezer("test", ctx, Duration.ofMinutes(10));
        List<Freezer.Frozen> frozen = freezer.freeze(List.of(mount.toString()));
        String pid = frozen.get(0).watchdogPid();
        assertThat(Path.of("/proc", pid)).exists();

        assertThat(freezer.thaw(frozen)).isEmpty();

        awaitGone(pid);
        assertThat(finishesWithin(writeInBackground("after"), 20_000)).isTrue();
    }

    @Test
    void configurationMistakesAreRefusedUpFront() {
        WriteProbe probe = new WriteProbe(false);
        assertThatThrownBy(() -> new FsfreezeProvider(probe, List.of("/"), null)).hasMessageContaining("root");
        assertThatThrownBy(() -> new FsfreezeProvider(probe, List.of(), null)).hasMessageContaining("mount point");
        assertThatThrownBy(() -> new FsfreezeProvider(probe, List.of("relative"), null))
                .hasMessageContaining("absolute");
    }

    /** The watchdog process must not outlive its job (poll: process exit is asynchronous). */
    private static void awaitGone(String pid) throws InterruptedException {
        Path proc = Path.of("/proc", pid);
        for (int i = 0; i < 100 && Files.exists(proc) && !isZombie(proc); i++) {
            Thread.sleep(50);
        }
        assertThat(Files.exists(proc) && !isZombie(proc)).as("watchdog " + pid + " still running").isFalse();
    }

    private static boolean isZombie(Path proc) {
        try {
            return Files.readString(proc.resolve("stat")).replaceFirst("^.*\\) ", "").startsWith("Z");
        } catch (java.io.IOException e) {
            return true;
        }
    }
}
