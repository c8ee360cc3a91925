package io.jenkins.plugins.bbdc.core.bitbucket;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * The four rolling-upgrade transitions: the link relation that offers each, its fixed fallback path, the only state
 * Bitbucket allows it in (bitbucket-admin-api.md 4.6), and the states that mean "already done" (rule 5).
 */
enum ZduAction {
    START("start", "enable rolling-upgrade mode", ClusterState.STABLE, Set.of(ClusterState.READY_TO_UPGRADE)),
    CANCEL("cancel", "cancel rolling-upgrade mode", ClusterState.READY_TO_UPGRADE, Set.of()),
    APPROVE("approve", "approve (finalize) the rolling upgrade", ClusterState.READY_TO_RUN_UPGRADE_TASKS,
            Set.of(ClusterState.RUNNING_UPGRADE_TASKS)),
    RETRY("retryUpgrade", "retry the failed finalization of the rolling upgrade", ClusterState.UPGRADE_TASKS_FAILED,
            Set.of(ClusterState.RUNNING_UPGRADE_TASKS));

    final String rel;
    final String purpose;
    final ClusterState allowedIn;
    private final Set<ClusterState> doneIn;

    ZduAction(String rel, String purpose, ClusterState allowedIn, Set<ClusterState> doneIn) {
        this.rel = rel;
        this.purpose = purpose;
        this.allowedIn = allowedIn;
        this.doneIn = doneIn;
    }

    /** The fixed path, used only when the cluster resource carries no links at all. */
    String fallbackPath() {
        return "rest/zdu/" + rel;
    }

    /**
     * The cluster already is where this call would have put it. Cancel's target is STABLE with upgrade mode off;
     * approve's and retry's is finalization running (STABLE afterwards cannot be told apart from "never started",
     * so it is left to the caller, who knows the versions).
     */
    boolean alreadyDone(ZduCluster c) {
        if (this == CANCEL) {
            return c.clusterState() == ClusterState.STABLE && !c.upgradeModeEnabled();
        }
        return doneIn.contains(c.clusterState());
    }

    /** "the cluster is MIXED (…nodes…). Bitbucket allows this only in STABLE. <advice>" */
    String refusal(ZduCluster c) {
        return "Cannot " + purpose + ": the cluster is " + describe(c) + ". Bitbucket allows this only when it is "
                + allowedIn + ". " + advice(c);
    }

    static String describe(ZduCluster c) {
        String nodes = c.nodes().stream()
                .map(n -> (n.name() == null ? n.id() : n.name()) + " " + n.state() + " " + n.version())
                .collect(Collectors.joining(", "));
        return (c.state() == null ? "in an unreported state" : c.state()) + " (upgrade mode "
                + (c.upgradeModeEnabled() ? "on" : "off")
                + (c.originalVersion() == null ? "" : ", original version " + c.originalVersion())
                + (nodes.isEmpty() ? "" : "; nodes: " + nodes) + ")";
    }

    private String advice(ZduCluster c) {
        switch (c.clusterState()) {
            case STABLE:
                return this == APPROVE || this == RETRY
                        ? "Upgrade mode is off: there is nothing to finalize (if an approval was just sent, the"
                        + " upgrade is complete — check that every node runs the target version)."
                        : "Upgrade mode is off.";
            case READY_TO_UPGRADE:
                return "Upgrade mode is on and no running node has a new version yet; it can still be cancelled.";
            case MIXED:
                return "Nodes run different versions (or one is in ERROR): bring every node to the same version"
                        + " before approving; cancelling is no longer possible.";
            case READY_TO_RUN_UPGRADE_TASKS:
                return "Every running node is on the new version: the next step is to approve (finalize).";
            case RUNNING_UPGRADE_TASKS:
                return "Finalization tasks are running: wait until the cluster is STABLE.";
            case UPGRADE_TASKS_FAILED:
                return "Finalization tasks failed: read atlassian-bitbucket.log, then retry the finalization.";
            default:
                return "Bitbucket reported a state this tool does not know ('" + c.state() + "'); check the cluster"
                        + " in Bitbucket's administration pages (Rolling upgrade).";
        }
    }
}
