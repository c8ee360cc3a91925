package io.jenkins.plugins.bbdc.testkit.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;

/**
 * A real filesystem on a loop device for tests: a sparse image file, {@code losetup}, {@code mkfs} (btrfs or XFS),
 * mounted in a fresh temporary directory, optionally with a btrfs subvolume. {@link #close()} thaws (in case a test
 * left it frozen), unmounts, detaches the loop device and deletes the image and directories.
 *
 * <p>Needs root (or CAP_SYS_ADMIN), loop devices and the mkfs tools; {@link #assumeAvailable} skips a test with the
 * exact reason when the machine does not allow it (for example inside an unprivileged container).
 */
public final class LoopVolume implements AutoCloseable {

    /** The filesystems the testkit can create. */
    public enum FsType {
        BTRFS("mkfs.btrfs", 256L << 20),
        /** xfsprogs 5.19+ refuses filesystems smaller than 300 MiB. */
        XFS("mkfs.xfs", 320L << 20);

        private final String mkfs;
        private final long defaultSize;

        FsType(String mkfs, long defaultSize) {
            this.mkfs = mkfs;
            this.defaultSize = defaultSize;
        }

        public long defaultSizeBytes() {
            return defaultSize;
        }
    }

    private static final Map<FsType, Optional<String>> PROBES = new ConcurrentHashMap<>();
    private static final Set<LoopVolume> OPEN = Collections.newSetFromMap(new ConcurrentHashMap<>());

    static {
        // a test JVM that dies before close() must not leave loop devices and mounts behind on a shared machine
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(LoopVolume::close), "loop-volume-cleanup"));
    }

    private final FsType type;
    private final Path workDir;
    private final Path image;
    private final Path mountPoint;
    private final String device;
    private final Path subvolume;
    private volatile boolean closed;

    private LoopVolume(FsType type, Path workDir, Path image, Path mountPoint, String device, Path subvolume) {
        this.type = type;
        this.workDir = workDir;
        this.image = image;
        this.mountPoint = mountPoint;
        this.device = device;
        this.subvolume = subvolume;
    }

    /** A btrfs volume of the default size with a subvolume named {@code subvolumeName} (null: none). */
    public static LoopVolume btrfs(String subvolumeName) {
        return create(FsType.BTRFS, FsType.BTRFS.defaultSizeBytes(), subvolumeName);
    }

    /** An XFS volume of the default size. */
    public static LoopVolume xfs() {
        return create(FsType.XFS, FsType.XFS.defaultSizeBytes(), null);
    }

    /**
     * Creates, formats and mounts a volume. {@code subvolumeName} is only valid for btrfs.
     *
     * @throws IllegalStateException naming the failed step; everything already set up is undone first
     */
    public static LoopVolume create(FsType type, long sizeBytes, String subvolumeName) {
        if (subvolumeName != null && type != FsType.BTRFS) {
            throw new IllegalArgumentException("subvolumes exist only on btrfs, not on " + type);
        }
        Path work;
        try {
            work = Files.createTempDirectory("bbdc-loop-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path image = work.resolve("volume.img");
        Path mnt = work.resolve("mnt");
        String device = null;
        boolean mounted = false;
        try {
            Files.createDirectories(mnt);
            HostCommand.run("truncate", "-s", Long.toString(sizeBytes), image.toString()).orThrow();
            device = HostCommand.run("losetup", "--find", "--show", image.toString()).orThrow().stdout().strip();
            if (type == FsType.BTRFS) {
                HostCommand.run("mkfs.btrfs", "-q", "-f", device).orThrow();
            } else {
                HostCommand.run("mkfs.xfs", "-q", "-f", device).orThrow();
            }
            HostCommand.run("mount", device, mnt.toString()).orThrow();
            mounted = true;
            Path sub = null;
            if (subvolumeName != null) {
                sub = mnt.resolve(subvolumeName);
                HostCommand.run("btrfs", "subvolume", "create", sub.toString()).orThrow();
            }
            LoopVolume v = new LoopVolume(type, work, image, mnt, device, sub);
            OPEN.add(v);
            return v;
        } catch (RuntimeException | IOException e) {
            if (mounted) {
                HostCommand.run("umount", mnt.toString());
            }
            if (device != null) {
                HostCommand.run("losetup", "-d", device);
            }
            deleteTree(work);
            throw new IllegalStateException("could not create a " + type + " loop volume: " + e.getMessage(), e);
        }
    }

    /**
     * Why loop-mounted {@code type} volumes cannot be used here, or empty when they can. The probe really creates,
     * mounts and removes a small volume once per type and JVM.
     */
    public static Optional<String> unavailableReason(FsType type) {
        return PROBES.computeIfAbsent(type, LoopVolume::probe);
    }

    /** Skips the calling test (JUnit assumption) with the reason when {@code type} loop volumes are not available. */
    public static void assumeAvailable(FsType type) {
        Optional<String> reason = unavailableReason(type);
        Assumptions.assumeTrue(reason.isEmpty(), () -> "loop-mounted " + type + " is not available on this machine: "
                + reason.orElse("") + " (needs root, /dev/loop-control, losetup and " + type.mkfs + ")");
    }

    private static Optional<String> probe(FsType type) {
        for (String tool : new String[] {"losetup", "mount", "umount", type.mkfs}) {
            HostCommand.Result r = HostCommand.run("sh", "-c", "command -v \"$1\"", "probe", tool);
            if (!r.ok()) {
                return Optional.of(tool + " is not installed");
            }
        }
        try (LoopVolume v = create(type, type.defaultSizeBytes(), null)) {
            Files.writeString(v.mountPoint().resolve("probe"), "ok");
            return Optional.empty();
        } catch (RuntimeException | IOException e) {
            return Optional.of(e.getMessage());
        }
    }

    public FsType type() {
        return type;
    }

    /** Where the filesystem is mounted. */
    public Path mountPoint() {
        return mountPoint;
    }

    /** The loop device, e.g. {@code /dev/loop3}. */
    public String device() {
        return device;
    }

    /** The btrfs subvolume created at start, or null. */
    public Path subvolume() {
        return subvolume;
    }

    /** Creates another btrfs subvolume at {@code relative} below the mount point. */
    public Path createSubvolume(String relative) {
        if (type != FsType.BTRFS) {
            throw new IllegalStateException("subvolumes exist only on btrfs");
        }
        Path p = mountPoint.resolve(relative);
        HostCommand.run("btrfs", "subvolume", "create", p.toString()).orThrow();
        return p;
    }

    /** Whether {@code path} is a btrfs subvolume (as opposed to a plain directory). */
    public static boolean isSubvolume(Path path) {
        return HostCommand.run("btrfs", "subvolume", "show", path.toString()).ok();
    }

    /** Whether {@code path} is a read-only btrfs subvolume. */
    public static boolean isReadOnlySubvolume(Path path) {
        HostCommand.Result r = HostCommand.run("btrfs", "property", "get", "-ts", path.toString(), "ro");
        return r.ok() && r.stdout().strip().equals("ro=true");
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        OPEN.remove(this);
        if (type == FsType.XFS) {
            HostCommand.run(10, "fsfreeze", "-u", mountPoint.toString()); // a frozen filesystem cannot be unmounted
        }
        HostCommand.Result u = HostCommand.run("umount", mountPoint.toString());
        for (int i = 0; !u.ok() && i < 20; i++) {
            sleepQuietly(100); // a process of the test may still hold a file open for a moment
            u = HostCommand.run("umount", mountPoint.toString());
        }
        if (!u.ok()) {
            HostCommand.run("umount", "-l", mountPoint.toString());
        }
        HostCommand.run("losetup", "-d", device);
        deleteTree(workDir);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // best effort: a still-mounted directory cannot be removed; it lives under the temp directory
        }
    }

    @Override
    public String toString() {
        return type + " on " + device + " at " + mountPoint;
    }
}
