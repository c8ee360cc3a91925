package io.jenkins.plugins.bbdc.core.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands on this host with {@link ProcessBuilder}. Output is captured, bounded: the last
 * {@link #STDOUT_LIMIT} bytes of stdout and {@link #STDERR_LIMIT} bytes of stderr are kept (a first line says how much
 * was dropped). A timeout or an interrupt (a stop signal) ends the whole process tree: SIGTERM to the command and
 * every descendant, SIGKILL to what is still alive after {@link #STOP_GRACE}.
 */
public final class ProcessCommandRunner implements CommandRunner {
    /** Bytes of a command's stdout kept in memory (its end). */
    public static final int STDOUT_LIMIT = 4 * 1024 * 1024;
    /** Bytes of a command's stderr kept in memory (its end: where the error is). */
    public static final int STDERR_LIMIT = 256 * 1024;
    /** How long a stopped command and its descendants get between SIGTERM and SIGKILL. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(10);

    @Override
    public CommandResult run(CommandSpec spec) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        if (spec.runAsUser() != null && !spec.runAsUser().equals(System.getProperty("user.name"))) {
            // runuser keeps the argument list intact (no shell) and, without -l, passes the environment on (it only
            // resets HOME, SHELL, USER, LOGNAME). Environment values must not go into the argument list: any user on
            // the host can read a process's arguments, and PGPASSWORD & co would show there.
            argv.add("runuser");
            argv.add("-u");
            argv.add(spec.runAsUser());
            argv.add("--");
        }
        argv.addAll(spec.command());
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().putAll(spec.environment());
        if (spec.workingDirectory() != null) {
            pb.directory(spec.workingDirectory().toFile());
        }
        long start = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("could not start '" + spec.command().get(0) + "': " + e.getMessage()
                    + " (is it installed and on the PATH?)", e);
        }
        CompletableFuture<byte[]> out = drain(p.getInputStream(), STDOUT_LIMIT);
        CompletableFuture<byte[]> err = drain(p.getErrorStream(), STDERR_LIMIT);
        try (OutputStream in = p.getOutputStream()) {
            if (spec.stdin() != null) {
                in.write(spec.stdin());
            }
        } catch (IOException ignored) {
            // the process may exit without reading stdin; its exit code tells the story
        }
        boolean finished;
        try {
            finished = p.waitFor(spec.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            destroyTree(p);
            throw e;
        }
        if (!finished) {
            destroyTree(p);
            throw new IOException("'" + spec.command().get(0) + "' did not finish within " + spec.timeout()
                    + " and was killed");
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        return new CommandResult(spec.command(), p.exitValue(),
                spec.mask(new String(out.join(), StandardCharsets.UTF_8)),
                spec.mask(new String(err.join(), StandardCharsets.UTF_8)), millis);
    }

    /**
     * SIGTERM to the command and all its descendants (collected first: once the command exits they are re-parented
     * and no longer its descendants), SIGKILL to whatever is alive after the grace period. Keeps the thread's
     * interrupt status.
     */
    static void destroyTree(Process p) {
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        tree.add(p.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (ProcessHandle h : tree) {
            long left = deadline - System.nanoTime();
            while (h.isAlive() && left > 0) {
                try {
                    h.onExit().get(left, TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                    break;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                left = deadline - System.nanoTime();
            }
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** One thread per stream: the common pool may have a single thread on small machines and would deadlock. */
    private static CompletableFuture<byte[]> drain(InputStream in, int limit) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                TailBuffer buf = new TailBuffer(limit);
                byte[] chunk = new byte[8192];
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    buf.write(chunk, n);
                }
                result.complete(buf.toByteArray());
            } catch (IOException e) {
                result.completeExceptionally(new UncheckedIOException(e));
            }
        }, "command-output");
        t.setDaemon(true);
        t.start();
        return result;
    }

    /** The last {@code limit} bytes written, and how many came before them. */
    static final class TailBuffer {
        private final int limit;
        private byte[] data = new byte[1024];
        private int start;
        private int size;
        private long total;

        TailBuffer(int limit) {
            this.limit = limit;
        }

        void write(byte[] b, int n) {
            for (int i = 0; i < n; i++) {
                put(b[i]);
            }
            total += n;
        }

        private void put(byte v) {
            if (size < data.length) {
                data[(start + size) % data.length] = v;
                size++;
                return;
            }
            if (data.length < limit) {
                byte[] bigger = new byte[Math.min(limit, data.length * 2)];
                for (int i = 0; i < size; i++) {
                    bigger[i] = data[(start + i) % data.length];
                }
                data = bigger;
                start = 0;
                data[size++] = v;
                return;
            }
            data[start] = v; // full: overwrite the oldest byte
            start = (start + 1) % data.length;
        }

        byte[] toByteArray() {
            byte[] kept = new byte[size];
            for (int i = 0; i < size; i++) {
                kept[i] = data[(start + i) % data.length];
            }
            long dropped = total - size;
            if (dropped == 0) {
                return kept;
            }
            byte[] note = ("[bbdc-ops kept only the last " + size + " bytes of this output; " + dropped
                    + " earlier bytes were dropped]\n").getBytes(StandardCharsets.UTF_8);
            byte[] outBytes = new byte[note.length + kept.length];
            System.arraycopy(note, 0, outBytes, 0, note.length);
            System.arraycopy(kept, 0, outBytes, note.length, kept.length);
            return outBytes;
        }
    }
}
