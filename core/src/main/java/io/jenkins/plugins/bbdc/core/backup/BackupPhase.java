package io.jenkins.plugins.bbdc.core.backup;

/** Where a backup stands; persisted in {@link BackupState} so a restarted caller knows what is held. */
public enum BackupPhase {
    /** Run lock taken; providers checked and preparing. Nothing in Bitbucket or the providers is held yet. */
    STARTED,
    /** Locked mode: the maintenance lock is held (external backup started / draining). */
    LOCKED,
    /** Captures are firing: snapshots may exist beyond those recorded in {@code captured}. */
    CAPTURING,
    /** Every capture fired; waiting until the snapshots are complete (a dump runs here). Bitbucket is unlocked. */
    AWAITING_DURABLE,
    /**
     * The restore point is COMPLETE and catalogued; its snapshots are being copied to the configured other
     * locations (regions). A failed copy does not change the point's status: it is recorded in the manifest.
     */
    COPYING,
    /** The restore point is COMPLETE and catalogued (with its copies, if any were configured). */
    COMPLETE,
    /** The backup failed; snapshots were deleted (or named as leftovers) and Bitbucket unlocked. */
    FAILED;

    public boolean terminal() {
        return this == COMPLETE || this == FAILED;
    }
}
