package io.jenkins.plugins.bbdc.core.restorepoint;

import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One captured component of a restore point.
 *
 * @param role        {@code home}, {@code mesh-home:<node>}, {@code database} or {@code search}
 * @param provider    provider kind, e.g. {@code btrfs}
 * @param reference   what the provider needs to find, restore and delete the snapshot
 * @param capturedAt  the instant the capture fired
 * @param durableAt   when the snapshot was complete, or null
 * @param sizeBytes   size if known
 * @param copies      copies of the snapshot in other locations (another region), each with its own reference;
 *                    a copy whose {@code durableAt} is null was started but is not known to be complete
 * @param copyFailure why the configured copy is missing or incomplete, or null
 */
public record ComponentRecord(String role, String provider, SnapshotRef reference, Instant capturedAt,
                              Instant durableAt, Long sizeBytes, List<SnapshotRef> copies, String copyFailure) {
    public ComponentRecord {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(reference, "reference");
        copies = copies == null ? List.of() : List.copyOf(copies);
    }

    public static ComponentRecord of(SnapshotRef ref) {
        return new ComponentRecord(ref.role(), ref.provider(), ref, ref.capturedAt(), ref.durableAt(), ref.sizeBytes(),
                List.of(), null);
    }

    public ComponentRecord withCopies(List<SnapshotRef> c, String failure) {
        return new ComponentRecord(role, provider, reference, capturedAt, durableAt, sizeBytes, c, failure);
    }

    /** The complete copy in {@code region}, if any. */
    public Optional<SnapshotRef> copyIn(String region) {
        return copies.stream().filter(c -> c.durableAt() != null && region.equals(c.attribute("region")))
                .findFirst();
    }
}
