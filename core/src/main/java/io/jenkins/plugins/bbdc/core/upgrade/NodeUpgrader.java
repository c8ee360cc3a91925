package io.jenkins.plugins.bbdc.core.upgrade;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketException;
import io.jenkins.plugins.bbdc.core.bitbucket.NodeState;
import io.jenkins.plugins.bbdc.core.bitbucket.NodeStatus;
import io.jenkins.plugins.bbdc.core.bitbucket.ZduCluster;
import io.jenkins.plugins.bbdc.core.bitbucket.ZduNode;
import io.jenkins.plugins.bbdc.core.event.OperationEvent;
import java.util.Optional;

/**
 * One small step of the node loop: out of the load balancer → node action → wait until ACTIVE on the target and
 * {@code /status} RUNNING → back in → health gate → next node. Each call does one step and records it in the state,
 * deciding from what it observes so that a resumed upgrade picks up where the cluster really is.
 */
final class NodeUpgrader {
    private static final String PHASE = "node";
    private final EngineContext ctx;
    private final NodeReplacements replacements;

    NodeUpgrader(EngineContext ctx) {
        this.ctx = ctx;
        this.replacements = new NodeReplacements(ctx);
    }

    void step(UpgradeState s) throws Exception {
        Optional<NodeRecord> next = s.nodes.stream().filter(n -> !n.step.upgraded()).findFirst();
        if (next.isEmpty()) {
            s.currentNodeId = null;
            s.phase = UpgradePhase.FINALIZE_CHECK;
            s.phaseStartedAt = ctx.now();
            s.message = "every node runs " + s.options.targetVersion() + "; checking the cluster before approving";
            ctx.info("finalize", null, s.message);
            return;
        }
        NodeRecord node = next.get();
        s.currentNodeId = node.id;
        switch (node.step) {
            case PENDING -> takeOut(s, node);
            case OUT -> beginAction(s, node);
            case ACTION -> runAction(s, node);
            case WAITING -> awaitReady(s, node);
            case BACK_IN -> healthGate(s, node);
            case FAILED -> retryFailedNode(s, node);
            default -> throw new IllegalStateException("unexpected node step " + node.step);
        }
    }

    private void takeOut(UpgradeState s, NodeRecord node) throws Exception {
        ZduCluster cluster = ctx.cluster();
        s.clusterState = cluster.state();
        requireNoError(cluster);
        ZduNode observed = cluster.node(node.id).orElse(null);
        if (observed != null && observed.nodeState() == NodeState.ACTIVE
                && s.options.targetVersion().equals(observed.version()) && ctx.status(node).ready()) {
            node.step = NodeStep.SKIPPED;
            node.lastVersion = observed.version();
            s.message = node.label() + " already runs " + observed.version() + ": skipped";
            ctx.info(PHASE, node, s.message);
            return;
        }
        long othersActive = cluster.nodes().stream()
                .filter(n -> !n.id().equals(node.id) && n.nodeState() == NodeState.ACTIVE).count();
        if (othersActive < Math.max(1, s.options.minActiveNodes())) {
            throw new UpgradeStoppedException("taking " + node.label() + " out would leave " + othersActive
                    + " active node(s), fewer than the " + Math.max(1, s.options.minActiveNodes())
                    + " that must keep serving; bring the other nodes back to ACTIVE first");
        }
        node.startedAt = ctx.now();
        ctx.info(PHASE, node, "upgrading " + node.label() + " (" + position(s, node) + ") from "
                + node.originalVersion + " to " + s.options.targetVersion());
        if (ctx.loadBalancer().configured()) {
            ctx.loadBalancer().takeOut(ctx.nodeContext(s, node));
            node.outOfLoadBalancer = true;
            s.message = node.label() + " is out of the load balancer";
        } else {
            s.message = node.label() + " was not taken out of the load balancer (no load-balancer hook configured):"
                    + " it serves until its node action stops Bitbucket, and the load balancer's own health check"
                    + " on /status decides when it gets requests";
        }
        node.outAt = ctx.now();
        node.step = NodeStep.OUT;
        ctx.emit(OperationEvent.Level.INFO, "node-out", node, node.outTime(),
                s.message);
    }

    /** Recorded (and persisted by the caller) before the action runs, so a restart knows the action had begun. */
    private void beginAction(UpgradeState s, NodeRecord node) {
        node.step = NodeStep.ACTION;
        node.actionStartedAt = ctx.now();
        s.message = "running the node action on " + node.label();
        ctx.info("node-action", node, s.message);
    }

    private void runAction(UpgradeState s, NodeRecord node) throws Exception {
        NodeAction action = ctx.action();
        if (action.synchronous() && node.actionCalls > 0) {
            // the process that ran the action died before it returned: decide from what the node shows
            ZduNode observed = ctx.cluster().node(node.id).orElse(null);
            boolean untouched = observed != null && observed.nodeState() == NodeState.ACTIVE
                    && node.originalVersion.equals(observed.version());
            if (!untouched) {
                ctx.warn("node-action", node, "the node action on " + node.label() + " was interrupted, but the node"
                        + " is " + (observed == null ? "not listed" : observed.state() + " on " + observed.version())
                        + ": waiting for it instead of running the action twice");
                finishAction(s, node);
                return;
            }
            ctx.warn("node-action", node, "the node action on " + node.label() + " was interrupted before it"
                    + " changed the node: running it again");
        }
        UpgradeNodeContext nodeContext = ctx.nodeContext(s, node);
        node.actionCalls++;
        NodeAction.Progress progress;
        try {
            progress = action.perform(nodeContext);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new UpgradeStoppedException("the node action failed on " + node.label() + ": " + e.getMessage());
        }
        if (progress == NodeAction.Progress.IN_PROGRESS) {
            s.waiting = true;
            s.message = "the node action on " + node.label() + " is still running";
            return;
        }
        finishAction(s, node);
    }

    private void finishAction(UpgradeState s, NodeRecord node) {
        node.actionEndedAt = ctx.now();
        node.step = NodeStep.WAITING;
        s.message = "waiting for " + node.label() + " to be ACTIVE on " + s.options.targetVersion()
                + " and RUNNING";
        ctx.emit(OperationEvent.Level.INFO, "node-action", node,
                node.actionTime(), "node action finished on " + node.label());
    }

    private void awaitReady(UpgradeState s, NodeRecord node) throws Exception {
        String target = s.options.targetVersion();
        ZduNode observed = null;
        ZduCluster cluster = null;
        try {
            cluster = ctx.cluster();
            s.clusterState = cluster.state();
            observed = cluster.node(node.id).orElse(null);
        } catch (BitbucketException e) {
            node.lastState = "unknown (" + e.getMessage() + ")";
        }
        NodeStatus status = ctx.status(node);
        if (s.options.replacesNodes() && cluster != null && !readyOnTarget(observed, status, target)) {
            Optional<NodeReplacements.Candidate> replacement = replacements.find(s, cluster);
            if (replacement.isPresent()) {
                replacements.adopt(s, node, replacement.get());
                observed = replacement.get().node();
                status = replacement.get().status();
            }
        }
        node.lastStatus = status.reachable() ? status.httpStatus() + " " + status.state() : "unreachable";
        if (observed != null) {
            node.lastState = observed.state();
            node.lastVersion = observed.version();
            if (observed.nodeState() != NodeState.ACTIVE) {
                node.sawRestart = true;
            }
            if (observed.nodeState() == NodeState.ERROR) {
                throw new UpgradeStoppedException(node.label() + " is in ERROR after its node action (version "
                        + observed.version() + "); look at its logs, fix it or shut it down gracefully");
            }
            boolean active = observed.nodeState() == NodeState.ACTIVE;
            if (active && target.equals(observed.version()) && status.ready()) {
                node.readyAt = ctx.now();
                ctx.emit(OperationEvent.Level.INFO, "node-wait", node,
                        node.waitTime(), node.label() + " is ACTIVE on " + target + " and RUNNING");
                ctx.loadBalancer().putBack(ctx.nodeContext(s, node));
                node.backInAt = ctx.now();
                node.outOfLoadBalancer = false;
                node.step = NodeStep.BACK_IN;
                s.message = ctx.loadBalancer().configured() ? node.label() + " is back in the load balancer"
                        : node.label() + " is serving again (no load-balancer hook configured: the load balancer's"
                        + " health check on /status sends it requests)";
                ctx.emit(OperationEvent.Level.INFO, "node-in", node,
                        node.backInTime(), s.message);
                return;
            }
            if (active && status.ready() && !target.equals(observed.version())
                    && (node.sawRestart || !node.originalVersion.equals(observed.version()))) {
                throw new UpgradeStoppedException(node.label() + " came back on " + observed.version()
                        + " instead of " + target + ": the node action did not install the target version; "
                        + (node.outOfLoadBalancer ? "it was left out of the load balancer"
                        : "it is ACTIVE and RUNNING, so it keeps serving on " + observed.version()
                        + " (no load-balancer hook configured to keep it out)"));
            }
        }
        if (ctx.expired(node.actionEndedAt, s.options.nodeTimeout())) {
            throw new UpgradeStoppedException(node.label() + " was not ACTIVE on " + target + " with /status"
                    + " RUNNING within " + s.options.nodeTimeout() + " (last seen: " + node.lastState + " on "
                    + node.lastVersion + ", /status " + node.lastStatus + ")"
                    + (node.sawRestart ? "" : "; it never went down, so the node action probably did not restart"
                    + " Bitbucket"));
        }
        s.waiting = true;
        s.message = "waiting for " + node.label() + ": " + node.lastState + " on " + node.lastVersion
                + ", /status " + node.lastStatus;
    }

    private static boolean readyOnTarget(ZduNode observed, NodeStatus status, String target) {
        return observed != null && observed.nodeState() == NodeState.ACTIVE && target.equals(observed.version())
                && status.ready();
    }

    private void healthGate(UpgradeState s, NodeRecord node) throws Exception {
        ZduCluster cluster;
        try {
            cluster = ctx.cluster();
        } catch (BitbucketException e) {
            throw new UpgradeStoppedException("health gate after " + node.label() + ": the cluster does not answer ("
                    + e.getMessage() + ")");
        }
        s.clusterState = cluster.state();
        requireNoError(cluster);
        ZduNode observed = cluster.node(node.id).orElse(null);
        if (observed == null || observed.nodeState() != NodeState.ACTIVE
                || !s.options.targetVersion().equals(observed.version())) {
            throw new UpgradeStoppedException("health gate after " + node.label() + ": the node is "
                    + (observed == null ? "no longer listed" : observed.state() + " on " + observed.version())
                    + " right after it was back");
        }
        node.doneAt = ctx.now();
        node.step = NodeStep.DONE;
        s.currentNodeId = null;
        s.message = node.label() + " upgraded to " + s.options.targetVersion() + " in " + node.totalTime();
        ctx.emit(OperationEvent.Level.INFO, "node-done", node, node.totalTime(),
                s.message + " (out " + node.outTime() + ", action " + node.actionTime() + ", wait " + node.waitTime()
                        + ", back in " + node.backInTime() + ")");
    }

    /** A node marked FAILED by an earlier run that was then resumed: start it over from observation. */
    private void retryFailedNode(UpgradeState s, NodeRecord node) {
        node.step = NodeStep.PENDING;
        node.failure = null;
        s.message = "retrying " + node.label();
    }

    private static void requireNoError(ZduCluster cluster) throws UpgradeStoppedException {
        for (ZduNode n : cluster.nodes()) {
            if (n.nodeState() == NodeState.ERROR) {
                throw new UpgradeStoppedException("node " + Preflight.label(n) + " is in ERROR (version "
                        + n.version() + "): look at its logs, fix it or shut it down gracefully, then resume");
            }
        }
    }

    private static String position(UpgradeState s, NodeRecord node) {
        return (s.nodes.indexOf(node) + 1) + "/" + s.nodes.size();
    }
}
