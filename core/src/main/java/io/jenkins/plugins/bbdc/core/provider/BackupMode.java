package io.jenkins.plugins.bbdc.core.provider;

/** How a backup keeps its components consistent. */
public enum BackupMode {
    /** No maintenance lock: every component is captured at one instant (the fence). Needs Bitbucket 4.8+. */
    ZERO_DOWNTIME,
    /** Maintenance lock, drain, capture, unlock. */
    LOCKED
}
