package io.jenkins.plugins.bbdc.core.exec;

import java.util.List;

/** What a finished command produced. {@code stdout} and {@code stderr} are decoded as UTF-8. */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr, long durationMillis) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Throws a {@link CommandFailedException} naming the command (masked) and the end of stderr unless exit code 0. */
    public CommandResult orThrow() throws CommandFailedException {
        if (!succeeded()) {
            throw new CommandFailedException(this);
        }
        return this;
    }
}
