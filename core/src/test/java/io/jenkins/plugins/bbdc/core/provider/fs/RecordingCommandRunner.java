package io.jenkins.plugins.bbdc.core.provider.fs;

import io.jenkins.plugins.bbdc.core.exec.CommandResult;
import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import io.jenkins.plugins.bbdc.core.exec.CommandSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Stands in for hosts with tools this machine lacks (LVM, ZFS): every command must be exactly the next expected one
 * (program and every argument, in order); it answers with the exit code and output the real tool gives in that
 * situation. An unexpected command fails the test at once, naming both commands; {@link #assertAllRan()} fails when
 * an expected command never ran.
 */
final class RecordingCommandRunner implements CommandRunner {
    private record Expected(List<String> command, int exitCode, String stdout, String stderr) { }

    private final Deque<Expected> expected = new ArrayDeque<>();
    private final List<List<String>> ran = new ArrayList<>();

    /** The next command must be {@code command}; it succeeds and prints {@code stdout}. */
    RecordingCommandRunner expect(String stdout, String... command) {
        expected.add(new Expected(List.of(command), 0, stdout, ""));
        return this;
    }

    /** The next command must be {@code command}; it exits with {@code exitCode} and prints {@code stderr}. */
    RecordingCommandRunner expectFailure(int exitCode, String stderr, String... command) {
        expected.add(new Expected(List.of(command), exitCode, "", stderr));
        return this;
    }

    /** The next command must be {@code command}; it exits with {@code exitCode}, printing both streams. */
    RecordingCommandRunner expect(int exitCode, String stdout, String stderr, String... command) {
        expected.add(new Expected(List.of(command), exitCode, stdout, stderr));
        return this;
    }

    List<List<String>> ran() {
        return List.copyOf(ran);
    }

    void assertAllRan() {
        if (!expected.isEmpty()) {
            throw new AssertionError("expected commands that never ran: " + expected.stream()
                    .map(e -> String.join(" ", e.command())).toList() + "; ran: " + ran);
        }
    }

    @Override
    public synchronized CommandResult run(CommandSpec spec) {
        ran.add(spec.command());
        Expected next = expected.poll();
        if (next == null) {
            throw new AssertionError("unexpected command (no more expected): " + spec.display());
        }
        if (!next.command().equals(spec.command())) {
            throw new AssertionError("unexpected command\n  expected: " + String.join(" ", next.command())
                    + "\n  but ran:  " + String.join(" ", spec.command()));
        }
        return new CommandResult(spec.command(), next.exitCode(), next.stdout(), next.stderr(), 1);
    }
}
