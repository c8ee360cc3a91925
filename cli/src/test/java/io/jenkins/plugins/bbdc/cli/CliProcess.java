package io.jenkins.plugins.bbdc.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * bbdc-ops as a real process (its own JVM, as {@code scripts/bbdc-ops} starts it): exit code, stdout and stderr as
 * files, and stop signals (SIGTERM, SIGINT) the way cron, systemd or a terminal send them.
 */
final class CliProcess implements AutoCloseable {
    private final Process process;
    private final Path out;
    private final Path err;

    private CliProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code bbdc-ops args…}; its output goes to files in {@code dir}. */
    static CliProcess start(Path dir, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> argv = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                BbdcOps.class.getName()));
        argv.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "stdout", ".log");
        Path err = Files.createTempFile(dir, "stderr", ".log");
        Process p = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new CliProcess(p, out, err);
    }

    /** Runs {@code bbdc-ops args…} to its end (at most two minutes). */
    static CliTestSupport.Run run(Path dir, String... args) throws Exception {
        try (CliProcess p = start(dir, args)) {
            return p.await(Duration.ofMinutes(2));
        }
    }

    Process process() {
        return process;
    }

    /** Output so far (both streams). */
    String outputSoFar() throws IOException {
        return stdout() + stderr();
    }

    long pid() {
        return process.pid();
    }

    void sigterm() {
        process.destroy();
    }

    void sigint() throws Exception {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -INT failed");
        }
    }

    /** Waits until {@code condition} holds (polling), failing with the output so far after {@code timeout}. */
    void waitUntil(BooleanSupplier condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError("condition not reached (process " + (process.isAlive() ? "running"
                        : "exited " + process.exitValue()) + "); stderr:\n" + stderr() + "\nstdout:\n" + stdout()
                        + threads());
            }
            Thread.sleep(50);
        }
    }

    CliTestSupport.Run await(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("bbdc-ops did not end within " + timeout + "; stderr:\n" + stderr());
        }
        return new CliTestSupport.Run(process.exitValue(), stdout(), stderr());
    }

    /** The threads of a process that is still running (what it waits for), for failure messages. */
    private String threads() throws Exception {
        if (!process.isAlive()) {
            return "";
        }
        Process jstack = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jstack").toString(),
                Long.toString(process.pid())).redirectErrorStream(true).start();
        String dump = new String(jstack.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jstack.waitFor(30, TimeUnit.SECONDS);
        return "\nthreads:\n" + dump;
    }

    String stdout() throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    String stderr() throws IOException {
        return Files.readString(err, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
