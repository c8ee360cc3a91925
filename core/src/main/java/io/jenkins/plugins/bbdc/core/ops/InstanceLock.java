package io.jenkins.plugins.bbdc.core.ops;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One backup, restore, restore test, retention or catalog rebuild at a time per Bitbucket instance (an upgrade does
 * not take it: its optional backup first does). An OS file lock on
 * {@code <catalog>/<instance>/.run.lock}: released by the kernel when the holder dies, so a crashed run never leaves
 * a stale lock. The file also records who holds it (operation, host, pid, since) so a refusal names the holder.
 */
public final class InstanceLock implements AutoCloseable {
    /** Locks held by this JVM: the OS lock alone cannot tell two threads of one process apart. */
    private static final Map<Path, String> HELD_HERE = new ConcurrentHashMap<>();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private InstanceLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Thrown when another operation holds the instance. */
    public static final class HeldException extends IllegalStateException implements OperationOutcome.Classified {
        private static final long serialVersionUID = 1L;

        public HeldException(String message) {
            super(message);
        }

        @Override
        public OperationOutcome outcome() {
            return OperationOutcome.HELD;
        }
    }

    /**
     * Takes the run lock of {@code instance} in {@code instanceDirectory} for {@code operation} (e.g.
     * {@code backup}); fails at once with a message naming the current holder.
     */
    public static InstanceLock acquire(Path instanceDirectory, String instance, String operation, Instant now)
            throws IOException {
        Files.createDirectories(instanceDirectory);
        Path file = instanceDirectory.resolve(".run.lock").toAbsolutePath();
        String holder = operation + " of " + instance + " on " + host() + " (pid " + ProcessHandle.current().pid()
                + ", thread " + Thread.currentThread().getName() + ") since " + now;
        if (HELD_HERE.putIfAbsent(file, holder) != null) {
            throw held(instance, operation, HELD_HERE.get(file));
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                String other = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
                ch.close();
                HELD_HERE.remove(file);
                throw held(instance, operation, other.isEmpty() ? "another process" : other);
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(false);
            return new InstanceLock(file, ch, l);
        } catch (IOException | RuntimeException e) {
            if (!(e instanceof HeldException)) {
                HELD_HERE.remove(file);
                if (ch != null) {
                    ch.close();
                }
            }
            throw e;
        }
    }

    private static HeldException held(String instance, String operation, String holder) {
        return new HeldException("cannot start the " + operation + " of " + instance + ": another operation is"
                + " running on this instance — " + holder + ". Wait for it to finish (one backup, restore, restore test,"
                + " retention or catalog rebuild runs per instance at a time).");
    }

    private static volatile String host;

    private static String host() {
        String h = host;
        if (h == null) {
            // no DNS lookup (it can hang for seconds on badly configured hosts)
            h = System.getenv("HOSTNAME");
            if (h == null || h.isBlank()) {
                try {
                    h = Files.readString(Path.of("/etc/hostname")).trim();
                } catch (IOException | RuntimeException e) {
                    h = ManagementFactory.getRuntimeMXBean().getName();
                }
            }
            host = h;
        }
        return h;
    }

    @Override
    public void close() {
        try {
            channel.truncate(0);
        } catch (IOException ignored) {
            // the lock itself is what matters
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // closing the channel releases the lock in any case
        } finally {
            HELD_HERE.remove(file);
        }
    }
}
