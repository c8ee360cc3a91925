package io.jenkins.plugins.bbdc.core.provider;

/** What a provider can do; the engine refuses configurations that need a capability the provider lacks. */
public enum ProviderCapability {
    /** Can capture at an instant without Bitbucket being locked (block/volume snapshot, exported DB snapshot). */
    ZERO_DOWNTIME,
    /** Can capture under the maintenance lock. */
    LOCKED,
    /** Can copy a snapshot to another region/location. */
    COPY,
    /** Can recover to an arbitrary instant (the fence), e.g. RDS point-in-time restore or WAL recovery. */
    POINT_IN_TIME,
    /** Can restore. */
    RESTORE,
    /** Can restore into a scratch location for verification without touching the live target. */
    RESTORE_TO_SCRATCH
}
