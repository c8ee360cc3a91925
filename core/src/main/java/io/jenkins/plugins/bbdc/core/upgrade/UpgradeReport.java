package io.jenkins.plugins.bbdc.core.upgrade;

import io.jenkins.plugins.bbdc.core.bitbucket.ZduCluster;
import io.jenkins.plugins.bbdc.core.bitbucket.ZduNode;

/** The text a user reads when an upgrade stopped: what happened, which node runs what, and how to continue. */
final class UpgradeReport {
    private UpgradeReport() {
    }

    static String stopped(UpgradeState s, UpgradePhase stoppedIn, ZduCluster cluster, boolean cancelled) {
        String target = s.options.targetVersion();
        StringBuilder r = new StringBuilder();
        r.append("Rolling upgrade to ").append(target).append(' ')
                .append(s.phase == UpgradePhase.ABORTED ? "aborted" : "stopped").append(" during ")
                .append(stoppedIn).append(": ").append(s.failure).append('\n');
        if (cluster == null) {
            r.append("Bitbucket did not answer, so the cluster state is unknown; check it on the rolling upgrade page"
                    + " of Bitbucket's administration.\n");
        } else {
            r.append("Cluster: ").append(cluster.state()).append(cluster.upgradeModeEnabled()
                    ? ", upgrade mode on" : ", upgrade mode off").append(cluster.originalVersion() == null ? ""
                    : ", original version " + cluster.originalVersion()).append('\n');
        }
        r.append("Nodes:\n");
        for (NodeRecord n : s.nodes) {
            ZduNode z = cluster == null ? null : cluster.node(n.id).orElse(null);
            String version = z != null ? z.version() : n.lastVersion;
            String state = z != null ? z.state() : n.lastState;
            r.append("  ").append(n.label()).append(": ").append(version).append(", ").append(state)
                    .append(" — ").append(describe(n, target));
            if (n.replacedId != null) {
                r.append("; replaces ").append(n.replacedLabel()).append(" (id ").append(n.replacedId).append(')');
            }
            if (n.outOfLoadBalancer) {
                r.append("; OUT of the load balancer");
            }
            r.append('\n');
        }
        if (cancelled) {
            r.append("Upgrade mode was cancelled and every node still runs ").append(s.originalVersion)
                    .append(": the cluster is as it was. When the cause is fixed, start again: ")
                    .append(s.options.resumeInstruction()).append('\n');
        } else if (cluster != null && !cluster.upgradeModeEnabled() && s.nothingUpgradedYet()) {
            r.append("Upgrade mode is off and no node was touched: nothing was changed. When the cause is fixed,"
                    + " start again: ").append(s.options.resumeInstruction()).append('\n');
        } else {
            r.append("Bitbucket keeps serving from its ACTIVE nodes. ");
            if (cluster != null && cluster.upgradeModeEnabled()) {
                r.append("Upgrade mode stays on (Bitbucket refuses to cancel it once a node may run the new"
                        + " version). ");
            }
            r.append("To continue: fix the cause above, then ").append(s.options.resumeInstruction())
                    .append(" — nodes already on ").append(target).append(" are skipped and finalization happens"
                            + " only when every node runs ").append(target).append(".\n");
        }
        return r.toString().strip();
    }

    private static String describe(NodeRecord n, String target) {
        return switch (n.step) {
            case DONE -> "upgraded";
            case SKIPPED -> "already on " + target;
            case PENDING -> "not started";
            case OUT -> "taken out, node action not started";
            case ACTION -> "node action started, not finished";
            case WAITING -> "node action finished, not back on " + target;
            case BACK_IN -> "back on " + target + ", health gate not passed";
            case FAILED -> "failed" + (n.failure == null ? "" : ": " + n.failure);
        };
    }
}
