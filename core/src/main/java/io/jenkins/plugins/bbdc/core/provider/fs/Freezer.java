package io.jenkins.plugins.bbdc.core.provider.fs;

import io.jenkins.plugins.bbdc.core.exec.CommandResult;
import io.jenkins.plugins.bbdc.core.exec.CommandSpec;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Freezes filesystems with {@code fsfreeze} behind a watchdog that runs on the host itself: before each freeze a
 * detached process ({@code setsid}) is started that thaws the mount after a bounded time, so a controller, agent
 * connection or CLI that dies while the filesystem is frozen cannot leave Bitbucket hanging. After the normal thaw
 * the watchdog is cancelled.
 */
final class Freezer {
    /** The watchdog itself: the delay and the mount point are positional parameters, never part of the script. */
    static final String WATCHDOG_SCRIPT = "sleep \"$1\"; fsfreeze -u \"$2\"";
    /**
     * Starts the watchdog in its own session, detached from our output, and prints its pid (which is also its
     * process group). The starter waits for nothing else, so the pid is printed before it exits: output a detached
     * grandchild writes after its parent exited may be lost by the runner.
     */
    static final String START_SCRIPT =
            "setsid sh -c \"$1\" bbdc-thaw \"$2\" \"$3\" </dev/null >/dev/null 2>&1 & echo $!";
    /** Kills a watchdog's process group, but only if that pid still is a watchdog (never a recycled pid). */
    static final String CANCEL_SCRIPT =
            "case \"$(tr '\\0' ' ' < /proc/\"$1\"/cmdline 2>/dev/null)\" in *bbdc-thaw*) kill -TERM \"-$1\";; esac";

    private final Commands commands;
    private final Duration maxFreeze;

    Freezer(String kind, ProviderContext ctx, Duration maxFreeze) {
        this.commands = new Commands(kind, ctx);
        this.maxFreeze = maxFreeze;
    }

    /** The watchdog command for one mount. */
    static List<String> watchdogCommand(String mount, Duration after) {
        // env -u: Jenkins kills processes carrying the build's cookie when a build ends; the watchdog must outlive it
        return List.of("env", "-u", "JENKINS_NODE_COOKIE", "-u", "BUILD_ID", "sh", "-c", START_SCRIPT,
                "bbdc-watchdog", WATCHDOG_SCRIPT, seconds(after), mount);
    }

    static String seconds(Duration d) {
        long millis = Math.max(1, d.toMillis());
        return String.format(java.util.Locale.ROOT, "%d.%03d", millis / 1000, millis % 1000);
    }

    /** One frozen mount and its watchdog's pid. */
    record Frozen(String mount, String watchdogPid) { }

    /**
     * Freezes every mount in order, each behind its own watchdog. If one cannot be frozen, the ones already frozen
     * are thawed again before the exception is thrown.
     */
    List<Frozen> freeze(List<String> mounts) throws ProviderException, InterruptedException {
        List<Frozen> frozen = new ArrayList<>();
        try {
            for (String mount : mounts) {
                CommandResult w = commands.require("start the automatic thaw of " + mount,
                        CommandSpec.of(watchdogCommand(mount, maxFreeze)).timeout(Duration.ofSeconds(30)).build());
                String pid = w.stdout().strip();
                if (!pid.matches("[0-9]+")) {
                    throw new ProviderException("fsfreeze: the automatic thaw of " + mount + " did not report its "
                            + "process id (got '" + pid + "'); not freezing without it");
                }
                try {
                    commands.require("freeze " + mount, CommandSpec.of("fsfreeze", "-f", mount)
                            .timeout(maxFreeze.plusSeconds(30)).build());
                } catch (ProviderException e) {
                    cancelWatchdog(pid);
                    throw e;
                }
                frozen.add(new Frozen(mount, pid));
            }
            return frozen;
        } catch (ProviderException | InterruptedException | RuntimeException e) {
            List<String> stuck = thaw(frozen);
            if (!stuck.isEmpty() && e instanceof ProviderException pe) {
                throw new ProviderException(pe.getMessage() + "; also: " + String.join("; ", stuck), pe);
            }
            throw e;
        }
    }

    /**
     * Thaws every mount (all of them, whatever fails) and cancels the watchdog of each one thawed. Returns one
     * message per mount that could not be thawed; its watchdog is left running so it still thaws it in time.
     */
    List<String> thaw(List<Frozen> frozen) {
        // an interrupted caller must still thaw: clear the flag for the commands, restore it afterwards
        boolean interrupted = Thread.interrupted();
        List<String> problems = new ArrayList<>();
        try {
            for (Frozen f : frozen) {
                String fallback = "; its automatic thaw (pid " + f.watchdogPid() + ") will thaw it within "
                        + maxFreeze + ", or run now: fsfreeze -u " + f.mount();
                try {
                    CommandResult r = commands.run(CommandSpec.of("fsfreeze", "-u", f.mount())
                            .timeout(Duration.ofSeconds(60)).build());
                    if (r.succeeded()) {
                        cancelWatchdog(f.watchdogPid());
                    } else {
                        problems.add(f.mount() + " could not be thawed (" + r.stderr().strip() + ")" + fallback);
                    }
                } catch (ProviderException e) {
                    problems.add(f.mount() + ": " + e.getMessage() + fallback);
                } catch (InterruptedException e) {
                    interrupted = true;
                    problems.add(f.mount() + ": interrupted while thawing" + fallback);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return problems;
    }

    private void cancelWatchdog(String pid) throws InterruptedException {
        try {
            // a watchdog that already fired is gone: nothing to cancel, not an error
            commands.run(CommandSpec.of("sh", "-c", CANCEL_SCRIPT, "bbdc-cancel", pid).build());
        } catch (ProviderException e) {
            // the watchdog then fires later and thaws an already thawed filesystem, which is harmless
        }
    }
}
