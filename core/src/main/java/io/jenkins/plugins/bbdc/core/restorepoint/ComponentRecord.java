package io.jenkins.plugins.bbdc.core.restorepoint;

import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import java.time.Instant;
import java.util.Objects;

/**
 * One captured component of a restore point.
 *
 * @param role       {@code home}, {@code mesh-home:<node>}, {@code database} or {@code search}
 * @param provider   provider kind, e.g. {@code btrfs}
 * @param reference  what the provider needs to find, restore and delete the snapshot
 * @param capturedAt the instant the capture fired
 * @param durableAt  when the snapshot was complete, or null
 * @param sizeBytes  size if known
 */
public record ComponentRecord(String role, String provider, SnapshotRef reference, Instant capturedAt,
                              Instant durableAt, Long sizeBytes) {
    public ComponentRecord {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(reference, "reference");
    }

    public static ComponentRecord of(SnapshotRef ref) {
        return new ComponentRecord(ref.role(), ref.provider(), ref, ref.capturedAt(), ref.durableAt(), ref.sizeBytes());
    }
}
