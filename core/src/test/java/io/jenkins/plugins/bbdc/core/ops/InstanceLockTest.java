package io.jenkins.plugins.bbdc.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceLockTest {
    @TempDir
    Path dir;

    @Test
    void secondHolderInTheSameProcessIsRefusedWithTheHolderNamed() throws Exception {
        try (InstanceLock l = InstanceLock.acquire(dir, "prod", "backup", Instant.parse("2026-11-21T10:00:00Z"))) {
            assertThatThrownBy(() -> InstanceLock.acquire(dir, "prod", "restore", Instant.now()))
                    .isInstanceOf(InstanceLock.HeldException.class)
                    .hasMessageContaining("cannot start the restore of prod")
                    .hasMessageContaining("backup of prod")
                    .hasMessageContaining("since 2026-11-21T10:00:00Z");
        }
        InstanceLock.acquire(dir, "prod", "restore", Instant.now()).close();
    }

    @Test
    void anotherProcessHoldingTheLockIsNamedAndItsDeathReleasesTheLock() throws Exception {
        // a real second JVM takes the same POSIX lock on the same file and writes its holder line
        Path lockFile = dir.resolve(".run.lock");
        Path holder = dir.resolve("Holder.java");
        Files.writeString(holder, String.join("\n",
                "import java.nio.channels.FileChannel; import java.nio.file.*; import java.nio.ByteBuffer;",
                "public class Holder { public static void main(String[] a) throws Exception {",
                "  FileChannel ch = FileChannel.open(Path.of(a[0]), StandardOpenOption.CREATE,",
                "      StandardOpenOption.WRITE, StandardOpenOption.READ);",
                "  ch.lock(); ch.write(ByteBuffer.wrap(\"backup of prod on other-host (pid 4242)\".getBytes()), 0);",
                "  ch.force(true); Thread.sleep(30000); } }"));
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        Process other = new ProcessBuilder(List.of(javaBin, holder.toString(), lockFile.toString()))
                .redirectErrorStream(true).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((!Files.exists(lockFile) || Files.size(lockFile) == 0) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThatThrownBy(() -> InstanceLock.acquire(dir, "prod", "backup", Instant.now()))
                    .hasMessageContaining("other-host (pid 4242)");
        } finally {
            other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        // the kernel released the dead holder's lock
        InstanceLock.acquire(dir, "prod", "backup", Instant.now()).close();
        assertThat(new File(lockFile.toString())).exists();
    }
}
