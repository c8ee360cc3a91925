package io.jenkins.plugins.bbdc.jenkins.steps;

import io.jenkins.plugins.bbdc.core.upgrade.NodeAction;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeNodeContext;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The {@code nodeCommand} of {@code bitbucketRollingUpgrade} as an asynchronous node action: the command (which can
 * take as long as the node timeout) runs on a thread of its own, and the step's polls ({@link PollThreads}) only check
 * on it. So no poll thread is held for minutes, and a stop is never held up by a command.
 *
 * <p>Running commands are kept in memory under the step's owner id and the node id. After a controller restart the
 * command's process is gone with the agent connection, and the engine's state says the action had started: then the
 * node decides, as the engine does for an interrupted synchronous action — still ACTIVE on its original version
 * (untouched): the command runs again; otherwise the engine waits for the node instead of running the command twice.
 */
final class BackgroundNodeCommand implements NodeAction {
    /** How long a stop waits for an interrupted command to end before the upgrade is parked anyway. */
    static final Duration STOP_GRACE = Duration.ofMinutes(2);

    private static final ConcurrentMap<String, Running> RUNNING = new ConcurrentHashMap<>();

    /** Whether a node still looks untouched by the command (ACTIVE on its original version). */
    @FunctionalInterface
    interface NodeCheck {
        boolean untouched(UpgradeNodeContext node) throws Exception;
    }

    private static final class Running {
        final Thread thread;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile long interruptedAt;

        Running(NodeAction command, UpgradeNodeContext node) {
            this.thread = new Thread(() -> {
                try {
                    command.perform(node);
                    done.complete(null);
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                }
            }, "bbdc-node-command-" + node.nodeName());
            this.thread.setDaemon(true);
        }
    }

    private final String ownerId;
    private final NodeAction command;
    private final NodeCheck check;
    private final Consumer<String> log;

    /**
     * @param ownerId the step's owner id (unique to this run of the step)
     * @param command the synchronous command action run on the background thread
     * @param check   looks at the node when a command was lost to a restart
     * @param log     the build log
     */
    BackgroundNodeCommand(String ownerId, NodeAction command, NodeCheck check, Consumer<String> log) {
        this.ownerId = ownerId;
        this.command = command;
        this.check = check;
        this.log = log;
    }

    @Override
    public Progress perform(UpgradeNodeContext node) throws Exception {
        String key = key(ownerId, node.nodeId());
        Running r = RUNNING.get(key);
        if (r == null) {
            if (node.alreadyStarted()) {
                if (!check.untouched(node)) {
                    log.accept(Messages.BackgroundNodeCommand_lostWaiting(node.nodeName()));
                    return Progress.DONE;
                }
                log.accept(Messages.BackgroundNodeCommand_lostRerun(node.nodeName()));
            }
            r = new Running(command, node);
            RUNNING.put(key, r);
            r.thread.start();
            return Progress.IN_PROGRESS;
        }
        if (!r.done.isDone()) {
            return Progress.IN_PROGRESS;
        }
        RUNNING.remove(key, r);
        try {
            r.done.get();
            return Progress.DONE;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof Exception x ? x : new Exception(cause);
        }
    }

    @Override
    public boolean synchronous() {
        return false;
    }

    @Override
    public List<String> describe(UpgradeNodeContext node) {
        return command.describe(node);
    }

    /**
     * A stop: interrupts this step's running command (which kills its process) and tells whether to wait for it
     * a little longer before the engine parks the upgrade — so that the engine judges the node once the command
     * is really over.
     */
    static boolean stopping(String ownerId) {
        boolean wait = false;
        long now = System.nanoTime();
        for (var e : RUNNING.entrySet()) {
            if (!e.getKey().startsWith(ownerId + "/")) {
                continue;
            }
            Running r = e.getValue();
            if (!r.thread.isAlive()) {
                continue;
            }
            if (r.interruptedAt == 0) {
                r.interruptedAt = now;
                r.thread.interrupt();
            }
            if (now - r.interruptedAt < STOP_GRACE.toNanos()) {
                wait = true;
            }
        }
        return wait;
    }

    /** The step ended: no command of it may outlive it. */
    static void forget(String ownerId) {
        RUNNING.entrySet().removeIf(e -> {
            if (!e.getKey().startsWith(ownerId + "/")) {
                return false;
            }
            e.getValue().thread.interrupt();
            return true;
        });
    }

    /** True while a command of this step runs (tests). */
    static boolean running(String ownerId) {
        return RUNNING.entrySet().stream()
                .anyMatch(e -> e.getKey().startsWith(ownerId + "/") && e.getValue().thread.isAlive());
    }

    /** Forgets every command as a controller restart would (tests only). */
    static void forgetAllForTests() {
        RUNNING.clear();
    }

    private static String key(String ownerId, String nodeId) {
        return ownerId + "/" + nodeId;
    }
}
