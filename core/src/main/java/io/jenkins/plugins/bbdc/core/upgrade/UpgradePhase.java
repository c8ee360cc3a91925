package io.jenkins.plugins.bbdc.core.upgrade;

/** Where an upgrade is. The last four are terminal. */
public enum UpgradePhase {
    /** Read the cluster, check the rules, build the expected node list and the order. */
    PREFLIGHT,
    /** Take a restore point (when asked to). */
    BACKUP,
    /** POST start: upgrade mode on. */
    ENABLE_UPGRADE_MODE,
    /** One node at a time: out, action, wait, back in, health gate. */
    UPGRADE_NODES,
    /** Every expected node must be ACTIVE on the target and RUNNING before approve (the OFFLINE trap). */
    FINALIZE_CHECK,
    /** POST approve. */
    APPROVE,
    /** Finalization tasks run until STABLE; retryUpgrade on UPGRADE_TASKS_FAILED. */
    AWAIT_FINALIZATION,
    /** Every node runs the target and the cluster is STABLE. */
    DONE,
    /** Refused by the preflight: nothing was changed. */
    REFUSED,
    /** Stopped on an error; the report says which node runs which version and how to resume. */
    FAILED,
    /** Stopped at the user's request; same report. */
    ABORTED;

    public boolean terminal() {
        return this == DONE || this == REFUSED || this == FAILED || this == ABORTED;
    }
}
