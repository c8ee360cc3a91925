package io.jenkins.plugins.bbdc.core.upgrade;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketException;
import io.jenkins.plugins.bbdc.core.bitbucket.ClusterState;
import io.jenkins.plugins.bbdc.core.bitbucket.NodeState;
import io.jenkins.plugins.bbdc.core.bitbucket.NodeStatus;
import io.jenkins.plugins.bbdc.core.bitbucket.ZduCluster;
import io.jenkins.plugins.bbdc.core.bitbucket.ZduNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Finalization: approve only when every EXPECTED node is ACTIVE on the target and RUNNING — Bitbucket ignores OFFLINE
 * nodes, so its own READY_TO_RUN_UPGRADE_TASKS would also appear if an old node were simply shut down. Then wait for
 * STABLE through RUNNING_UPGRADE_TASKS, retrying failed finalization when Bitbucket offers it.
 */
final class Finalizer {
    private static final String PHASE = "finalize";
    private final EngineContext ctx;

    Finalizer(EngineContext ctx) {
        this.ctx = ctx;
    }

    void check(UpgradeState s) throws Exception {
        String target = s.options.targetVersion();
        ZduCluster cluster;
        try {
            cluster = ctx.cluster();
        } catch (BitbucketException e) {
            waitOrStop(s, "the cluster does not answer (" + e.getMessage() + ")");
            return;
        }
        s.clusterState = cluster.state();
        List<String> notReady = new ArrayList<>();
        for (NodeRecord node : s.nodes) {
            ZduNode observed = cluster.node(node.id).orElse(null);
            if (observed == null) {
                notReady.add(node.label() + " is no longer listed by Bitbucket");
                continue;
            }
            node.lastState = observed.state();
            node.lastVersion = observed.version();
            if (observed.nodeState() == NodeState.ERROR) {
                throw new UpgradeStoppedException("node " + node.label() + " is in ERROR; fix it or shut it down"
                        + " gracefully, start it on " + target + ", then resume");
            }
            NodeStatus status = ctx.status(node);
            node.lastStatus = status.reachable() ? status.httpStatus() + " " + status.state() : "unreachable";
            if (observed.nodeState() != NodeState.ACTIVE || !target.equals(observed.version()) || !status.ready()) {
                notReady.add(node.label() + " is " + observed.state() + " on " + observed.version() + " (/status "
                        + node.lastStatus + ")");
            }
        }
        ClusterState state = cluster.clusterState();
        if (notReady.isEmpty() && state == ClusterState.READY_TO_RUN_UPGRADE_TASKS) {
            s.phase = UpgradePhase.APPROVE;
            s.phaseStartedAt = ctx.now();
            s.message = "every expected node is ACTIVE on " + target + " and RUNNING; approving";
            ctx.info(PHASE, null, s.message);
            return;
        }
        if (notReady.isEmpty() && (state == ClusterState.RUNNING_UPGRADE_TASKS
                || state == ClusterState.UPGRADE_TASKS_FAILED || state == ClusterState.STABLE)) {
            // approved already (by an earlier run whose answer was lost, or by a person)
            toAwait(s, "finalization already started (" + state + ")");
            return;
        }
        String why = notReady.isEmpty()
                ? "Bitbucket reports " + state + ", not READY_TO_RUN_UPGRADE_TASKS"
                : String.join("; ", notReady)
                + (state == ClusterState.READY_TO_RUN_UPGRADE_TASKS
                ? " — Bitbucket reports READY_TO_RUN_UPGRADE_TASKS only because it ignores OFFLINE nodes; approving"
                + " now would finalize with a node left on the old version, so the upgrade does not approve" : "");
        waitOrStop(s, why);
    }

    private void waitOrStop(UpgradeState s, String why) throws UpgradeStoppedException {
        if (ctx.expired(s.phaseStartedAt, s.options.nodeTimeout())) {
            throw new UpgradeStoppedException("not approving: " + why + ". Start every node on "
                    + s.options.targetVersion() + " (or remove a node that is gone for good from the cluster),"
                    + " then resume");
        }
        s.waiting = true;
        s.message = "not approving yet: " + why;
    }

    void approve(UpgradeState s) throws Exception {
        ZduCluster before = ctx.cluster();
        if (before.clusterState() != ClusterState.READY_TO_RUN_UPGRADE_TASKS) {
            if (!before.upgradeModeEnabled()) {
                toAwait(s, "already approved (" + before.state() + ")");
                return;
            }
            s.phase = UpgradePhase.FINALIZE_CHECK;
            s.phaseStartedAt = ctx.now();
            s.message = "the cluster changed to " + before.state() + " before approve; checking again";
            return;
        }
        ctx.info(PHASE, null, "approving: POST approve");
        try {
            ZduCluster after = ctx.admin().approveUpgrade();
            s.clusterState = after.state();
        } catch (BitbucketException e) {
            ZduCluster now = ctx.cluster();
            if (!now.upgradeModeEnabled() || now.clusterState() == ClusterState.RUNNING_UPGRADE_TASKS) {
                ctx.warn(PHASE, null, "approve answered an error (" + e.getMessage() + ") but the cluster is now "
                        + now.state() + ": finalization started");
            } else {
                throw new UpgradeStoppedException("approve failed (" + e.getMessage() + "); the cluster is still "
                        + now.state() + ". Approve is never repeated automatically: check Bitbucket's logs, then"
                        + " resume to approve again");
            }
        }
        toAwait(s, "approved");
    }

    private void toAwait(UpgradeState s, String why) {
        s.phase = UpgradePhase.AWAIT_FINALIZATION;
        s.phaseStartedAt = ctx.now();
        s.message = why + "; waiting for the cluster to be STABLE";
        ctx.info(PHASE, null, s.message);
    }

    void await(UpgradeState s) throws Exception {
        ZduCluster cluster;
        try {
            cluster = ctx.cluster();
        } catch (BitbucketException e) {
            keepWaiting(s, "the cluster does not answer (" + e.getMessage() + ")");
            return;
        }
        s.clusterState = cluster.state();
        ClusterState state = cluster.clusterState();
        String target = s.options.targetVersion();
        if (state == ClusterState.STABLE && !cluster.upgradeModeEnabled()) {
            List<String> off = cluster.nodes().stream().filter(n -> !target.equals(n.version()))
                    .map(n -> Preflight.label(n) + " runs " + n.version()).toList();
            if (!off.isEmpty()) {
                throw new UpgradeStoppedException("the cluster is STABLE but " + String.join(", ", off)
                        + " instead of " + target);
            }
            for (NodeRecord node : s.nodes) {
                cluster.node(node.id).ifPresent(n -> {
                    node.lastState = n.state();
                    node.lastVersion = n.version();
                });
            }
            s.phase = UpgradePhase.DONE;
            s.finalVersion = target;
            s.finishedAt = ctx.now();
            s.message = "rolling upgrade finished: every node runs " + target + " and the cluster is STABLE";
            ctx.info("done", null, s.message);
            return;
        }
        if (state == ClusterState.UPGRADE_TASKS_FAILED) {
            boolean offered = cluster.link("retryUpgrade").isPresent();
            if (offered && s.finalizationRetries < s.options.maxFinalizationRetries()) {
                s.finalizationRetries++;
                ctx.warn(PHASE, null, "finalization failed (UPGRADE_TASKS_FAILED); retrying (" + s.finalizationRetries
                        + "/" + s.options.maxFinalizationRetries() + ")");
                ZduCluster after = ctx.admin().retryUpgrade();
                s.clusterState = after.state();
                s.phaseStartedAt = ctx.now();
                s.waiting = true;
                s.message = "finalization retried";
                return;
            }
            throw new UpgradeStoppedException("finalization failed: Bitbucket reports UPGRADE_TASKS_FAILED"
                    + (offered ? " after " + s.finalizationRetries + " retr" + (s.finalizationRetries == 1 ? "y" : "ies")
                    : " and offers no retryUpgrade") + ". Every node runs " + target + "; look at Bitbucket's"
                    + " logs for the failed upgrade task, fix it, then resume (it retries finalization)");
        }
        keepWaiting(s, "the cluster is " + state);
    }

    private void keepWaiting(UpgradeState s, String why) throws UpgradeStoppedException {
        if (ctx.expired(s.phaseStartedAt, s.options.finalizationTimeout())) {
            throw new UpgradeStoppedException("finalization did not finish within " + s.options.finalizationTimeout()
                    + ": " + why);
        }
        s.waiting = true;
        s.message = "finalizing: " + why;
    }
}
