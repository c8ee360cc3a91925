package io.jenkins.plugins.bbdc.core.backup;

import io.jenkins.plugins.bbdc.core.ops.OperationOutcome;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;

/**
 * The result of a backup run or resume: the catalogued restore point and the final state. A run that could not
 * release the maintenance lock says so in {@link #stillLocked()}; calling {@link BackupEngine#resume} with
 * {@link #state()} retries the unlock.
 */
public record BackupOutcome(RestorePoint point, BackupState state, boolean lockHeldElsewhere) {

    public BackupOutcome(RestorePoint point, BackupState state) {
        this(point, state, false);
    }

    public boolean succeeded() {
        return point.status() == RestorePointStatus.COMPLETE && !stillLocked();
    }

    /**
     * NOT_SAFE while Bitbucket is still locked, COPY_FAILED for a COMPLETE point whose copy failed, SUCCEEDED, HELD
     * (another operation held the maintenance lock; cleaned up), or FAILED (cleaned up).
     */
    public OperationOutcome outcome() {
        if (stillLocked()) {
            return OperationOutcome.NOT_SAFE;
        }
        if (point.status() != RestorePointStatus.COMPLETE) {
            return lockHeldElsewhere ? OperationOutcome.HELD : OperationOutcome.FAILED;
        }
        return copyFailures().isEmpty() ? OperationOutcome.SUCCEEDED : OperationOutcome.COPY_FAILED;
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
