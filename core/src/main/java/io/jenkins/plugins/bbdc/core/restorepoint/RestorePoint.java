package io.jenkins.plugins.bbdc.core.restorepoint;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The manifest of one restore point (stored as versioned JSON by {@link ManifestJson}).
 *
 * @param schemaVersion    manifest format version ({@link #SCHEMA_VERSION} when written by this code)
 * @param id               restore point id ({@link RestorePointId})
 * @param instance         Bitbucket instance id; catalogs and retention never mix instances
 * @param bitbucketVersion from {@code application-properties}, null when unknown
 * @param mode             backup mode; null for a point rebuilt from provider listings
 * @param status           COMPLETE, PARTIAL or FAILED
 * @param fence            the instant the set represents: when the captures fired (zero-downtime: the barrier
 *                         release; locked: the instant the captures started, Bitbucket being drained)
 * @param skewMillis       spread between the earliest and the latest component capture instant
 * @param lockWindowMillis locked mode: maintenance lock to unlock; null otherwise
 * @param startedAt        when the backup started
 * @param finishedAt       when it ended
 * @param components       the captured components (for FAILED: empty unless cleanup failed)
 * @param leftovers        snapshots that belong to this point but could not be deleted after a failure
 * @param failureReason    why the backup failed (or what is missing), null for COMPLETE
 * @param notes            plain remarks for operators (warnings, "rebuilt from provider listings" …)
 */
public record RestorePoint(int schemaVersion, String id, String instance, String bitbucketVersion, BackupMode mode,
                           RestorePointStatus status, Instant fence, Long skewMillis, Long lockWindowMillis,
                           Instant startedAt, Instant finishedAt, List<ComponentRecord> components,
                           List<SnapshotRef> leftovers, String failureReason, List<String> notes) {

    public static final int SCHEMA_VERSION = 1;

    public RestorePoint {
        RestorePointId.requireValid(id);
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(status, "status");
        components = components == null ? List.of() : List.copyOf(components);
        leftovers = leftovers == null ? List.of() : List.copyOf(leftovers);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    public Optional<ComponentRecord> component(String role) {
        return components.stream().filter(c -> c.role().equals(role)).findFirst();
    }

    /** Every snapshot reference this point holds: components, their copies in other regions, and leftovers. */
    public List<SnapshotRef> allRefs() {
        List<SnapshotRef> out = new java.util.ArrayList<>(components.size() + leftovers.size());
        components.forEach(c -> {
            out.add(c.reference());
            out.addAll(c.copies());
        });
        out.addAll(leftovers);
        return out;
    }

    /** The instant used to order points and to answer "newest at or before T": the fence, else the start. */
    public Instant effectiveFence() {
        if (fence != null) {
            return fence;
        }
        return startedAt != null ? startedAt : RestorePointId.instantOf(id);
    }

    @JsonIgnore
    public boolean isComplete() {
        return status == RestorePointStatus.COMPLETE;
    }

    public RestorePoint withStatus(RestorePointStatus s, String reason) {
        return new RestorePoint(schemaVersion, id, instance, bitbucketVersion, mode, s, fence, skewMillis,
                lockWindowMillis, startedAt, finishedAt, components, leftovers, reason, notes);
    }

    public RestorePoint withComponents(List<ComponentRecord> c, List<SnapshotRef> l) {
        return new RestorePoint(schemaVersion, id, instance, bitbucketVersion, mode, status, fence, skewMillis,
                lockWindowMillis, startedAt, finishedAt, c, l, failureReason, notes);
    }

    public RestorePoint withNote(String note) {
        List<String> n = new java.util.ArrayList<>(notes);
        n.add(note);
        return new RestorePoint(schemaVersion, id, instance, bitbucketVersion, mode, status, fence, skewMillis,
                lockWindowMillis, startedAt, finishedAt, components, leftovers, failureReason, n);
    }
}
