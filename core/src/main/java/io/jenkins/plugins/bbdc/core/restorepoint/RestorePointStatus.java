package io.jenkins.plugins.bbdc.core.restorepoint;

/** Whether a restore point can be restored. */
public enum RestorePointStatus {
    /** Every required component was captured and is durable: restorable. */
    COMPLETE,
    /** Some required component is missing (found by a catalog rebuild, or left after a partial retention delete). */
    PARTIAL,
    /** The backup failed; {@code leftovers} names any snapshot that could not be removed. Never restorable. */
    FAILED
}
