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
}
