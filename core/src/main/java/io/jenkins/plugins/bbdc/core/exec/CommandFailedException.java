package io.jenkins.plugins.bbdc.core.exec;

import java.io.IOException;

/** A command exited non-zero. The message names the program, the exit code and the last lines of stderr. */
public class CommandFailedException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient CommandResult result;

    public CommandFailedException(CommandResult result) {
        super(describe(result));
        this.result = result;
    }

    public CommandResult result() {
        return result;
    }

    private static String describe(CommandResult r) {
        String program = r.command().isEmpty() ? "?" : r.command().get(0);
        String err = r.stderr() == null ? "" : r.stderr().strip();
        String[] lines = err.split("\n");
        StringBuilder tail = new StringBuilder();
        for (int i = Math.max(0, lines.length - 5); i < lines.length; i++) {
            tail.append(lines[i]).append('\n');
        }
        return "'" + program + "' exited with code " + r.exitCode()
                + (tail.toString().isBlank() ? "" : ": " + tail.toString().strip());
    }
}
