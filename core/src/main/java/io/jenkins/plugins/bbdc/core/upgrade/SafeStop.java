package io.jenkins.plugins.bbdc.core.upgrade;

import io.jenkins.plugins.bbdc.core.bitbucket.ClusterState;
import io.jenkins.plugins.bbdc.core.bitbucket.NodeState;
import io.jenkins.plugins.bbdc.core.bitbucket.ZduCluster;
import io.jenkins.plugins.bbdc.core.bitbucket.ZduNode;
import java.util.List;

/**
 * Stops an upgrade without leaving the cluster worse than it is: before any node was upgraded, upgrade mode is
 * cancelled and nodes taken out go back in; afterwards the cluster stays in upgrade mode and keeps serving, and the
 * report says which node runs which version and how to resume.
 */
final class SafeStop {
    private final EngineContext ctx;

    SafeStop(EngineContext ctx) {
        this.ctx = ctx;
    }

    void stop(UpgradeState s, UpgradePhase terminal, String reason) {
        UpgradePhase stoppedIn = s.phase;
        ZduCluster cluster = observe();
        boolean cancelled = false;
        if (cluster != null && cancellable(s, cluster)) {
            putBackNodesTakenOut(s);
            try {
                ZduCluster after = ctx.admin().cancelUpgradeMode();
                cancelled = true;
                cluster = after;
                ctx.info("cancel", null, "upgrade mode cancelled: no node had been upgraded");
            } catch (Exception e) {
                ctx.error("cancel", null, "could not cancel upgrade mode: " + e.getMessage());
            }
        } else if (cluster != null) {
            putBackCurrentIfServing(s, cluster);
        }
        s.currentNode().ifPresent(n -> n.failure = reason);
        if (cluster != null) {
            s.clusterState = cluster.state();
            for (NodeRecord node : s.nodes) {
                cluster.node(node.id).ifPresent(z -> {
                    node.lastState = z.state();
                    node.lastVersion = z.version();
                });
            }
        }
        s.phase = terminal;
        s.failure = reason;
        s.finishedAt = ctx.now();
        s.waiting = false;
        s.report = UpgradeReport.stopped(s, stoppedIn, cluster, cancelled);
        List<String> left = ctx.action() == null ? List.of()
                : ctx.action().leftAfterStop(s.originalVersion, s.options.targetVersion());
        if (!left.isEmpty()) {
            s.report = s.report + "\n" + String.join("\n", left);
        }
        s.message = (terminal == UpgradePhase.ABORTED ? "aborted: " : "stopped: ") + reason;
        ctx.error(terminal == UpgradePhase.ABORTED ? "abort" : "failed", s.currentNode().orElse(null),
                s.report);
    }

    /**
     * Cancelling is only safe while every expected node still runs the original version and is ACTIVE: Bitbucket
     * itself would also accept cancel while an upgraded node is still OFFLINE (it ignores OFFLINE nodes), which would
     * leave that node to come back on a new version outside upgrade mode.
     */
    private static boolean cancellable(UpgradeState s, ZduCluster cluster) {
        if (cluster.clusterState() != ClusterState.READY_TO_UPGRADE || !cluster.upgradeModeEnabled()
                || s.originalVersion == null) {
            return false;
        }
        for (NodeRecord node : s.nodes) {
            ZduNode z = cluster.node(node.id).orElse(null);
            if (z == null || z.nodeState() != NodeState.ACTIVE || !s.originalVersion.equals(z.version())) {
                return false;
            }
        }
        return true;
    }

    private void putBackNodesTakenOut(UpgradeState s) {
        for (NodeRecord node : s.nodes) {
            if (node.outOfLoadBalancer) {
                putBack(s, node);
            }
        }
    }

    /** The current node goes back into the load balancer only if it is serving correctly again. */
    private void putBackCurrentIfServing(UpgradeState s, ZduCluster cluster) {
        NodeRecord node = s.currentNode().orElse(null);
        if (node == null || !node.outOfLoadBalancer) {
            return;
        }
        ZduNode z = cluster.node(node.id).orElse(null);
        if (z == null || z.nodeState() != NodeState.ACTIVE) {
            return;
        }
        boolean onExpectedVersion = s.options.targetVersion().equals(z.version())
                || (node.originalVersion.equals(z.version()) && !node.sawRestart);
        if (onExpectedVersion && ctx.status(node).ready()) {
            putBack(s, node);
        }
    }

    private void putBack(UpgradeState s, NodeRecord node) {
        try {
            ctx.loadBalancer().putBack(ctx.nodeContext(s, node));
            node.outOfLoadBalancer = false;
            ctx.info("node-in", node, node.label() + " put back into the load balancer");
        } catch (Exception e) {
            ctx.error("node-in", node, "could not put " + node.label() + " back into the load balancer: "
                    + e.getMessage());
        }
    }

    private ZduCluster observe() {
        try {
            return ctx.cluster();
        } catch (Exception e) {
            return null;
        }
    }
}
