package io.jenkins.plugins.bbdc.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * bbdc-ops as a real process (its own JVM, signals, exit code, files), started with this test's class path: what a
 * cron job runs. Standard output and error go to files next to each other in {@code dir}.
 */
final class CliProcess {
    /** A finished run: exit code, standard output, standard error. */
    record Result(int exitCode, String out, String err) {
        /** Both streams, for assertion messages. */
        String all() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private final Process process;
    private final Path out;
    private final Path err;

    private CliProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code bbdc-ops <args>}; its output goes to {@code dir/<name>.out} and {@code dir/<name>.err}. */
    static CliProcess start(Path dir, String name, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                BbdcOps.class.getName()));
        command.addAll(List.of(args));
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new CliProcess(p, out, err);
    }

    /** Runs {@code bbdc-ops <args>} to its end (at most two minutes). */
    static Result run(Path dir, String name, String... args) throws IOException, InterruptedException {
        return start(dir, name, args).await();
    }

    Process process() {
        return process;
    }

    /** Output so far (both streams). */
    String outputSoFar() throws IOException {
        return Files.readString(out) + Files.readString(err);
    }

    Result await() throws IOException, InterruptedException {
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                throw new AssertionError("bbdc-ops did not end within two minutes:\n" + outputSoFar());
            }
        } finally {
            process.destroyForcibly();
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
