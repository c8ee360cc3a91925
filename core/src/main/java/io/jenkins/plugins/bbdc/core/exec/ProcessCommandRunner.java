package io.jenkins.plugins.bbdc.core.exec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs commands on this host with {@link ProcessBuilder}; output is captured, the timeout kills the process tree. */
public final class ProcessCommandRunner implements CommandRunner {

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
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
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

    private static void destroyTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /** One thread per stream: the common pool may have a single thread on small machines and would deadlock. */
    private static CompletableFuture<byte[]> drain(InputStream in) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                in.transferTo(buf);
                result.complete(buf.toByteArray());
            } catch (IOException e) {
                result.completeExceptionally(new UncheckedIOException(e));
            }
        }, "command-output");
        t.setDaemon(true);
        t.start();
        return result;
    }
}
