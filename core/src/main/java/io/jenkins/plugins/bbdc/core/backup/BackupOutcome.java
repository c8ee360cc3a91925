package io.jenkins.plugins.bbdc.core.backup;

import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;

/**
 * The result of a backup run or resume: the catalogued restore point and the final state. A run that could not
 * release the maintenance lock says so in {@link #stillLocked()}; calling {@link BackupEngine#resume} with
 * {@link #state()} retries the unlock.
 */
public record BackupOutcome(RestorePoint point, BackupState state) {

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
