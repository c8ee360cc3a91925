package io.jenkins.plugins.bbdc.core.provider.postgres;

import io.jenkins.plugins.bbdc.core.exec.CommandResult;
import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import io.jenkins.plugins.bbdc.core.exec.CommandSpec;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Runs commands for real and remembers every spec and result, in order. */
final class RecordingRunner implements CommandRunner {
    private final CommandRunner delegate = new ProcessCommandRunner();
    final List<CommandSpec> specs = new CopyOnWriteArrayList<>();
    final List<CommandResult> results = new CopyOnWriteArrayList<>();

    @Override
    public CommandResult run(CommandSpec spec) throws IOException, InterruptedException {
        specs.add(spec);
        CommandResult r = delegate.run(spec);
        results.add(r);
        return r;
    }

    /** The specs whose program name ends with {@code program}. */
    List<CommandSpec> ran(String program) {
        return specs.stream().filter(s -> s.command().get(0).endsWith(program)).toList();
    }
}
