package io.jenkins.plugins.bbdc.core.backup;

import io.jenkins.plugins.bbdc.core.OperationOutcome;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;

/**
 * The result of a backup run or resume: the catalogued restore point and the final state ({@code lockHeldElsewhere}:
 * it failed because Bitbucket was already locked by someone else). A run that could not
 * release the maintenance lock says so in {@link #stillLocked()}; calling {@link BackupEngine#resume} with
 * {@link #state()} retries the unlock.
 */
public record BackupOutcome(RestorePoint point, BackupState state, boolean lockHeldElsewhere) {

    public BackupOutcome(RestorePoint point, BackupState state) {
        this(point, state, false);
    }

    /** How the backup ended, for the caller's exit code or build result. */
    public OperationOutcome outcome() {
        if (stillLocked()) {
            return OperationOutcome.NEEDS_MANUAL_ACTION;
        }
        if (point.status() != RestorePointStatus.COMPLETE) {
            return lockHeldElsewhere ? OperationOutcome.HELD_ELSEWHERE : OperationOutcome.FAILED_SAFE;
        }
        return copyFailures().isEmpty() ? OperationOutcome.SUCCEEDED : OperationOutcome.COPY_FAILED;
    }

    public boolean succeeded() {
        return point.status() == RestorePointStatus.COMPLETE && !stillLocked();
    }

    public boolean stillLocked() {
        return state.lockHeld();
    }

    /**
     * Component role → why its configured copy (to another region) is missing or incomplete. The restore point
     * itself is usable; callers report this as a warning that needs attention (the build is unstable, the command
     * exits non-zero).
     */
    public java.util.Map<String, String> copyFailures() {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        point.components().forEach(c -> {
            if (c.copyFailure() != null) {
                out.put(c.role(), c.copyFailure());
            }
        });
        return out;
    }
}
