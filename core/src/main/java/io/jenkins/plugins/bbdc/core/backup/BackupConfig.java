package io.jenkins.plugins.bbdc.core.backup;

import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import java.time.Duration;
import java.util.Objects;

/**
 * What to back up and how.
 *
 * @param instanceId          the Bitbucket instance (scopes catalog, snapshot names, retention and the run lock)
 * @param components          role → provider
 * @param mode                ZERO_DOWNTIME or LOCKED
 * @param drainPollInterval   locked mode: pause between drain polls (default 1 s; at least 10 ms — never a busy loop)
 * @param drainTimeout        locked mode: give up draining after this long, then cancel and unlock (default 10 min)
 * @param captureStartTimeout how long every capture thread may take to reach the start barrier (default 30 s)
 */
public record BackupConfig(String instanceId, Components components, BackupMode mode, Duration drainPollInterval,
                           Duration drainTimeout, Duration captureStartTimeout) {

    public static final Duration DEFAULT_DRAIN_POLL_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofMinutes(10);
    public static final Duration DEFAULT_CAPTURE_START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MIN_POLL = Duration.ofMillis(10);

    public BackupConfig {
        FileCatalog.requireInstance(instanceId);
        Objects.requireNonNull(components, "components");
        Objects.requireNonNull(mode, "mode: ZERO_DOWNTIME or LOCKED");
        drainPollInterval = drainPollInterval == null ? DEFAULT_DRAIN_POLL_INTERVAL : drainPollInterval;
        drainTimeout = drainTimeout == null ? DEFAULT_DRAIN_TIMEOUT : drainTimeout;
        captureStartTimeout = captureStartTimeout == null ? DEFAULT_CAPTURE_START_TIMEOUT : captureStartTimeout;
        if (drainPollInterval.compareTo(MIN_POLL) < 0) {
            throw new IllegalArgumentException("drainPollInterval " + drainPollInterval + " is too short: use at least"
                    + " 10 ms (default 1 s) so Bitbucket is not flooded with polls");
        }
        if (drainTimeout.isNegative() || drainTimeout.isZero()) {
            throw new IllegalArgumentException("drainTimeout must be positive (default 10 minutes)");
        }
        if (captureStartTimeout.isNegative() || captureStartTimeout.isZero()) {
            throw new IllegalArgumentException("captureStartTimeout must be positive (default 30 seconds)");
        }
    }

    public static BackupConfig of(String instanceId, Components components, BackupMode mode) {
        return new BackupConfig(instanceId, components, mode, null, null, null);
    }

    public BackupConfig withDrain(Duration pollInterval, Duration timeout) {
        return new BackupConfig(instanceId, components, mode, pollInterval, timeout, captureStartTimeout);
    }
}
