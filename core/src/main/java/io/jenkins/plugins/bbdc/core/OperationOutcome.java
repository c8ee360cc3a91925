package io.jenkins.plugins.bbdc.core;

/**
 * How an operation of the engine ended, for a caller to map onto its own signals (bbdc-ops exit codes, a Jenkins
 * build result) without reading messages.
 */
public enum OperationOutcome {
    /** Done as asked. */
    SUCCEEDED,
    /** Failed; everything it held was released and what it made was cleaned up or recorded. */
    FAILED_SAFE,
    /** Refused before anything changed (checks, capability, version, an unreadable state). */
    REFUSED,
    /** The instance is held by another operation: its run lock is busy, or Bitbucket is locked by someone else. */
    HELD_ELSEWHERE,
    /** The restore point is complete and usable, but a copy to another region failed. */
    COPY_FAILED,
    /** Failed and NOT left safe (Bitbucket is still locked): the message says exactly what to do by hand. */
    NEEDS_MANUAL_ACTION
}
