package io.jenkins.plugins.bbdc.jenkins.runtime;

import hudson.Launcher;
import hudson.Proc;
import hudson.model.TaskListener;
import io.jenkins.plugins.bbdc.core.exec.CommandResult;
import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import io.jenkins.plugins.bbdc.core.exec.CommandSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the engine's commands on the build's agent through its {@link Launcher}: an argument list (never a shell
 * string), the environment (where secrets travel), stdin, the working directory and the timeout of the
 * {@link CommandSpec}. The command line is echoed with secrets masked; output is captured and masked too.
 */
public final class LauncherCommandRunner implements CommandRunner {
    private final Launcher launcher;
    private final TaskListener listener;

    public LauncherCommandRunner(Launcher launcher, TaskListener listener) {
        this.launcher = launcher;
        this.listener = listener;
    }

    @Override
    public CommandResult run(CommandSpec spec) throws IOException, InterruptedException {
        List<String> argv = argv(spec);
        listener.getLogger().println("$ " + spec.display());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Launcher.ProcStarter starter = launcher.launch().cmds(argv).envs(spec.environment()).quiet(true)
                .stdout(out).stderr(err);
        if (spec.workingDirectory() != null) {
            starter.pwd(spec.workingDirectory().toString());
        }
        if (spec.stdin() != null) {
            starter.stdin(new ByteArrayInputStream(spec.stdin()));
        }
        long start = System.nanoTime();
        Proc proc = starter.start();
        int exit = proc.joinWithTimeout(Math.max(1, spec.timeout().toSeconds()), TimeUnit.SECONDS, listener);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        return new CommandResult(spec.command(), exit, spec.mask(out.toString(StandardCharsets.UTF_8)),
                spec.mask(err.toString(StandardCharsets.UTF_8)), millis);
    }

    /** The argument list, prefixed with {@code runuser} when the spec asks for another OS user. */
    static List<String> argv(CommandSpec spec) {
        List<String> argv = new ArrayList<>();
        if (spec.runAsUser() != null) {
            argv.add("runuser");
            argv.add("-u");
            argv.add(spec.runAsUser());
            argv.add("--");
        }
        argv.addAll(spec.command());
        return argv;
    }
}
