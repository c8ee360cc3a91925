package io.jenkins.plugins.bbdc.core.backup;

import io.jenkins.plugins.bbdc.core.bitbucket.MaintenanceLock;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The small serializable state of one backup (JSON through {@code ManifestJson.mapper()}): enough for a restarted
 * caller — the Jenkins step after a controller restart, the CLI after a crash — to continue with
 * {@link BackupEngine#resume(BackupState)}.
 *
 * <p>The unlock and cancel tokens are persisted because a restarted caller needs them to unlock Bitbucket; they are
 * not secrets of the user, but {@link #toString()} redacts them so they never appear in full in a log.
 *
 * @param lockHeld           the maintenance lock is held (locked mode) and not yet released
 * @param bitbucketFinished  progress 100 was sent: Bitbucket's backup task is over, cancel is no longer needed
 * @param captured           every snapshot captured so far (with durable times once known)
 * @param copies             copies to other regions started so far (durable times once complete)
 * @param copyFailures       role → why its copy failed
 */
public record BackupState(int schemaVersion, String restorePointId, String instance, BackupMode mode,
                          BackupPhase phase, boolean lockHeld, String unlockToken, String cancelToken,
                          boolean bitbucketFinished, List<SnapshotRef> captured, String bitbucketVersion,
                          Instant startedAt, Instant lockedAt, Instant unlockedAt, Instant fence, Long skewMillis,
                          String failureReason, Instant updatedAt, List<SnapshotRef> copies,
                          Map<String, String> copyFailures) {

    public static final int SCHEMA_VERSION = 1;

    public BackupState {
        captured = captured == null ? List.of() : List.copyOf(captured);
        copies = copies == null ? List.of() : List.copyOf(copies);
        copyFailures = copyFailures == null ? Map.of() : Map.copyOf(new TreeMap<>(copyFailures));
    }

    static BackupState started(String id, String instance, BackupMode mode, String version, Instant now) {
        return new BackupState(SCHEMA_VERSION, id, instance, mode, BackupPhase.STARTED, false, null, null, false,
                List.of(), version, now, null, null, null, null, null, now, List.of(), Map.of());
    }

    BackupState phase(BackupPhase p, Instant now) {
        return new BackupState(schemaVersion, restorePointId, instance, mode, p, lockHeld, unlockToken, cancelToken,
                bitbucketFinished, captured, bitbucketVersion, startedAt, lockedAt, unlockedAt, fence, skewMillis,
                failureReason, now, copies, copyFailures);
    }

    BackupState locked(String token, Instant now) {
        return new BackupState(schemaVersion, restorePointId, instance, mode, BackupPhase.LOCKED, true, token, null,
                false, captured, bitbucketVersion, startedAt, now, null, fence, skewMillis, failureReason, now, copies,
                copyFailures);
    }

    BackupState cancelToken(String token, Instant now) {
        return new BackupState(schemaVersion, restorePointId, instance, mode, phase, lockHeld, unlockToken, token,
                bitbucketFinished, captured, bitbucketVersion, startedAt, lockedAt, unlockedAt, fence, skewMillis,
                failureReason, now, copies, copyFailures);
    }

    BackupState finishedInBitbucket(Instant now) {
        return new BackupState(schemaVersion, restorePointId, instance, mode, phase, lockHeld, unlockToken,
                cancelToken, true, captured, bitbucketVersion, startedAt, lockedAt, unlockedAt, fence, skewMillis,
                failureReason, now, copies, copyFailures);
    }

    BackupState unlocked(Instant now) {
        return new BackupState(schemaVersion, restorePointId, instance, mode, phase, false, null, null,
                bitbucketFinished, captured, bitbucketVersion, startedAt, lockedAt, now, fence, skewMillis,
                failureReason, now, copies, copyFailures);
    }

    BackupState fence(Instant f, Instant now) {
        return new BackupState(schemaVersion, restorePointId, instance, mode, BackupPhase.CAPTURING, lockHeld,
                unlockToken, cancelToken, bitbucketFinished, captured, bitbucketVersion, startedAt, lockedAt,
                unlockedAt, f, skewMillis, failureReason, now, copies, copyFailures);
    }

    BackupState withCaptured(List<SnapshotRef> refs, Long skew, Instant now) {
        return new BackupState(schemaVersion, restorePointId, instance, mode, phase, lockHeld, unlockToken,
                cancelToken, bitbucketFinished, new ArrayList<>(refs), bitbucketVersion, startedAt, lockedAt,
                unlockedAt, fence, skew, failureReason, now, copies, copyFailures);
    }

    BackupState failed(String reason, Instant now) {
        return new BackupState(schemaVersion, restorePointId, instance, mode, BackupPhase.FAILED, lockHeld,
                unlockToken, cancelToken, bitbucketFinished, captured, bitbucketVersion, startedAt, lockedAt,
                unlockedAt, fence, skewMillis, reason, now, copies, copyFailures);
    }

    BackupState withCopy(SnapshotRef copy, Instant now) {
        List<SnapshotRef> c = new ArrayList<>();
        for (SnapshotRef r : copies) {
            if (!r.role().equals(copy.role())) {
                c.add(r);
            }
        }
        c.add(copy);
        return new BackupState(schemaVersion, restorePointId, instance, mode, phase, lockHeld, unlockToken,
                cancelToken, bitbucketFinished, captured, bitbucketVersion, startedAt, lockedAt, unlockedAt, fence,
                skewMillis, failureReason, now, c, copyFailures);
    }

    BackupState withoutCopy(String role, String failure, Instant now) {
        List<SnapshotRef> c = copies.stream().filter(r -> !r.role().equals(role)).toList();
        Map<String, String> f = new TreeMap<>(copyFailures);
        f.put(role, failure);
        return new BackupState(schemaVersion, restorePointId, instance, mode, phase, lockHeld, unlockToken,
                cancelToken, bitbucketFinished, captured, bitbucketVersion, startedAt, lockedAt, unlockedAt, fence,
                skewMillis, failureReason, now, c, f);
    }

    BackupState copyFailed(String role, SnapshotRef keptCopy, String failure, Instant now) {
        BackupState s = withoutCopy(role, failure, now);
        return keptCopy == null ? s : s.withCopy(keptCopy, now);
    }

    /** The copy started for {@code role}, if any. */
    public java.util.Optional<SnapshotRef> copyOf(String role) {
        return copies.stream().filter(r -> r.role().equals(role)).findFirst();
    }

    /** True while this backup still holds something a safe ending must release or finish: the lock, or its point. */
    public boolean holdsSomething() {
        return lockHeld || !phase.terminal();
    }

    /** Lock window so far: lock to unlock (or null when never locked / not yet unlocked). */
    public Long lockWindowMillis() {
        return lockedAt == null || unlockedAt == null ? null : unlockedAt.toEpochMilli() - lockedAt.toEpochMilli();
    }

    @Override
    public String toString() {
        return "BackupState[" + restorePointId + " " + instance + " " + mode + " " + phase + (lockHeld ? " locked" : "")
                + " unlockToken=" + MaintenanceLock.redact(unlockToken) + " cancelToken="
                + MaintenanceLock.redact(cancelToken) + " captured=" + captured.size() + "]";
    }
}
