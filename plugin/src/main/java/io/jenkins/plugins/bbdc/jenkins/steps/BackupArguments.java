package io.jenkins.plugins.bbdc.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.jenkins.config.BackupModes;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.config.RetentionRules;
import java.io.Serializable;
import java.time.Duration;

/** The backup step's arguments as plain values, kept by the running step. */
public final class BackupArguments implements Serializable {
    private static final long serialVersionUID = 1L;

    final String mode;
    final ComponentChoice components;
    final int drainTimeoutMinutes;
    /** The step's retention rules; null: the instance's keepLast. */
    final RetentionRules retention;

    BackupArguments(@CheckForNull String mode, ComponentChoice components, int drainTimeoutMinutes) {
        this(mode, components, drainTimeoutMinutes, null);
    }

    BackupArguments(@CheckForNull String mode, ComponentChoice components, int drainTimeoutMinutes,
                    @CheckForNull RetentionRules retention) {
        this.mode = mode;
        this.components = components;
        this.drainTimeoutMinutes = drainTimeoutMinutes;
        this.retention = retention;
    }

    /** The step's mode, else the instance's default. */
    BackupMode mode(BitbucketInstance instance) {
        return BackupModes.parse(mode != null ? mode : instance.getBackupMode());
    }

    Duration drainTimeout() {
        return Duration.ofMinutes(Math.max(1, drainTimeoutMinutes));
    }
}
