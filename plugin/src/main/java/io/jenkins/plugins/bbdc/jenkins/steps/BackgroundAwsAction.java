package io.jenkins.plugins.bbdc.jenkins.steps;

import io.jenkins.plugins.bbdc.core.upgrade.NodeAction;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeNodeContext;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.upgrade.CloudFormationUpgrade;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The {@code cloudFormation} option of {@code bitbucketRollingUpgrade} as the step's node action. The engine's
 * {@code CloudFormationNodeAction} does one short AWS step per call (update the stack, terminate the node's instance,
 * look at the group), but an AWS call can still take seconds (or a timeout): so each call runs on a thread of this
 * step, and the step's polls ({@link PollThreads}) only start the next call and pick up the answer.
 *
 * <p>The action remembers what it did (the stack update it issued, the instance it terminated, when) only in memory,
 * so it is kept, with its AWS clients, under the step's owner id for the whole upgrade and closed when the step ends.
 * After a controller restart it is gone: a new one is built from the persisted settings and, because the engine's
 * state says the node's action had started, it decides from what AWS shows — it waits for a stack update under way,
 * and does not terminate an instance that is already terminating or gone, but waits for its replacement.
 */
final class BackgroundAwsAction implements NodeAction {
    /** How long a stop waits for an AWS call in flight before the upgrade is parked anyway. */
    static final Duration STOP_GRACE = Duration.ofMinutes(2);

    private static final ConcurrentMap<String, Live> LIVE = new ConcurrentHashMap<>();

    /** Builds the engine action when the step has none in memory (first node, or after a restart). */
    @FunctionalInterface
    interface Opener {
        CloudFormationUpgrade.EngineAction open() throws Exception;
    }

    /** The action of one running step, its thread and the call in flight. */
    private static final class Live {
        final CloudFormationUpgrade.EngineAction engine;
        final ExecutorService thread;
        final Set<String> announced = new HashSet<>();
        Future<Progress> call;
        String callNode;
        long callStartedAt;

        Live(CloudFormationUpgrade.EngineAction engine, String ownerId) {
            this.engine = engine;
            this.thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "bbdc-aws-node-action " + ownerId);
                t.setDaemon(true);
                return t;
            });
        }

        void close() {
            thread.shutdownNow();
            engine.close();
        }
    }

    private final String ownerId;
    private final Opener opener;
    private final Consumer<String> log;

    /**
     * @param ownerId the step's owner id (unique to this run of the step, kept across restarts)
     * @param opener  builds the engine action from the step's settings, resolving credentials as the build
     * @param log     the build log
     */
    BackgroundAwsAction(String ownerId, Opener opener, Consumer<String> log) {
        this.ownerId = ownerId;
        this.opener = opener;
        this.log = log;
    }

    @Override
    public Progress perform(UpgradeNodeContext node) throws Exception {
        Live live = live();
        synchronized (live) {
            if (live.call != null && !live.call.isDone()) {
                return Progress.IN_PROGRESS;
            }
            if (live.call != null && node.nodeId().equals(live.callNode)) {
                Future<Progress> done = live.call;
                live.call = null;
                if (answer(done) == Progress.DONE) {
                    log.accept(live.engine.action().replacementOf(node.nodeId())
                            .map(id -> Messages.BackgroundAwsAction_replaced(node.nodeName(), id))
                            .orElse(Messages.BackgroundAwsAction_replacedUnknown(node.nodeName())));
                    return Progress.DONE;
                }
            }
            if (live.announced.add(node.nodeId())) {
                if (node.alreadyStarted()) {
                    log.accept(Messages.BackgroundAwsAction_resumed(node.nodeName()));
                } else {
                    live.engine.action().describe(node)
                            .forEach(line -> log.accept(Messages.BackgroundAwsAction_step(node.nodeName(), line)));
                }
            }
            NodeAction action = live.engine.action();
            live.call = live.thread.submit(() -> action.perform(node));
            live.callNode = node.nodeId();
            live.callStartedAt = System.nanoTime();
            return Progress.IN_PROGRESS;
        }
    }

    private Live live() throws Exception {
        Live live = LIVE.get(ownerId);
        if (live != null) {
            return live;
        }
        Live fresh = new Live(opener.open(), ownerId);
        Live raced = LIVE.putIfAbsent(ownerId, fresh);
        if (raced != null) {
            fresh.close();
            return raced;
        }
        return fresh;
    }

    private static Progress answer(Future<Progress> done) throws Exception {
        try {
            return done.get();
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
    public List<String> leftAfterStop(String originalVersion, String targetVersion) {
        Live live = LIVE.get(ownerId);
        return live == null ? List.of() : live.engine.action().leftAfterStop(originalVersion, targetVersion);
    }

    @Override
    public List<String> describe(UpgradeNodeContext node) {
        Live live = LIVE.get(ownerId);
        return live == null ? List.of(Messages.BackgroundAwsAction_describe(node.nodeName()))
                : live.engine.action().describe(node);
    }

    /**
     * A stop: whether to wait a little before the engine parks the upgrade, because an AWS call of this step is
     * still in flight. The call is not interrupted — whether AWS received it would be unknown — but awaited, so that
     * the engine judges the cluster once AWS has answered.
     */
    static boolean stopping(String ownerId) {
        Live live = LIVE.get(ownerId);
        if (live == null) {
            return false;
        }
        synchronized (live) {
            return live.call != null && !live.call.isDone()
                    && System.nanoTime() - live.callStartedAt < STOP_GRACE.toNanos();
        }
    }

    /** The step ended: its thread and AWS clients go. */
    static void forget(String ownerId) {
        Live live = LIVE.remove(ownerId);
        if (live != null) {
            live.close();
        }
    }

    /** Forgets every action as a controller restart would (tests only). */
    static void forgetAllForTests() {
        LIVE.keySet().forEach(BackgroundAwsAction::forget);
    }
}
