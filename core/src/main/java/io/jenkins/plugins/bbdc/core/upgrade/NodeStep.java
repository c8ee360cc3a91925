package io.jenkins.plugins.bbdc.core.upgrade;

/** Where one node is in its upgrade. */
public enum NodeStep {
    /** Not touched yet. */
    PENDING,
    /** Taken out of the load balancer; the action has not started. */
    OUT,
    /** The node action started and has not reported completion. */
    ACTION,
    /** The action finished; waiting for ACTIVE on the target and /status RUNNING. */
    WAITING,
    /** Healthy on the target and back in the load balancer; the health gate is next. */
    BACK_IN,
    /** Upgraded and health-gated. */
    DONE,
    /** Already on the target when this run started (an earlier run upgraded it). */
    SKIPPED,
    /** The upgrade stopped on this node. */
    FAILED;

    /** The node runs the target version as far as this upgrade is concerned. */
    public boolean upgraded() {
        return this == DONE || this == SKIPPED;
    }

    /** The node action has been started on this node (it may have changed the node). */
    public boolean touched() {
        return this == ACTION || this == WAITING || this == BACK_IN || this == DONE;
    }
}
