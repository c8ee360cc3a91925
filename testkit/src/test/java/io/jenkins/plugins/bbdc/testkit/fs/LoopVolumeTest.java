package io.jenkins.plugins.bbdc.testkit.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LoopVolumeTest {

    @Test
    void btrfsVolumeIsMountedWithItsSubvolumeAndFullyRemovedOnClose() throws Exception {
        LoopVolume.assumeAvailable(LoopVolume.FsType.BTRFS);
        Path mnt;
        String device;
        try (LoopVolume v = LoopVolume.btrfs("home")) {
            mnt = v.mountPoint();
            device = v.device();
            assertThat(fsType(mnt)).isEqualTo("btrfs");
            assertThat(LoopVolume.isSubvolume(v.subvolume())).isTrue();
            Files.writeString(v.subvolume().resolve("f"), "data");
            Path plain = Files.createDirectories(mnt.resolve("plain"));
            assertThat(LoopVolume.isSubvolume(plain)).isFalse();
            assertThat(LoopVolume.isSubvolume(v.createSubvolume("second"))).isTrue();
        }
        assertThat(mnt).doesNotExist();
        assertThat(HostCommand.run("losetup", "-a").stdout()).doesNotContain(device + ":");
    }

    @Test
    void xfsVolumeIsMountedAndRemovedOnCloseEvenWhenLeftFrozen() throws Exception {
        LoopVolume.assumeAvailable(LoopVolume.FsType.XFS);
        Path mnt;
        try (LoopVolume v = LoopVolume.xfs()) {
            mnt = v.mountPoint();
            assertThat(fsType(mnt)).isEqualTo("xfs");
            HostCommand.run("fsfreeze", "-f", mnt.toString()).orThrow();
        }
        assertThat(mnt).doesNotExist();
    }

    private static String fsType(Path p) {
        return HostCommand.run("stat", "-f", "-c", "%T", p.toString()).orThrow().stdout().strip();
    }
}
