package io.jenkins.plugins.bbdc.core.provider.fs;

import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a snapshot belongs to, stored next to it (a {@code <name>.bbdc} file for btrfs and rsync). Names alone are
 * ambiguous across instances whose ids share a prefix ({@code bitbucket} and {@code bitbucket-staging}); the recorded
 * instance and restore point id, checked against the name, make listing exact.
 */
record SnapshotMetadata(String instanceId, String restorePointId, String role, Instant capturedAt) {

    static final String SUFFIX = ".bbdc";

    static SnapshotMetadata of(CaptureRequest request, Instant capturedAt) {
        return new SnapshotMetadata(request.instanceId(), request.restorePointId(), request.role().value(), capturedAt);
    }

    /** The snapshot name this metadata implies ({@link CaptureRequest#snapshotName()}). */
    String expectedName() {
        return new CaptureRequest(restorePointId, instanceId, ComponentRole.parse(role), null).snapshotName();
    }

    /** The start every snapshot name of {@code instanceId} has (also shared by instances whose id extends it). */
    static String namePrefix(String instanceId) {
        return ("bbdc-" + instanceId + "-").toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    }

    /** True when this describes snapshot {@code name} of {@code instanceId}'s component {@code role}. */
    boolean describes(String name, String instanceId, ComponentRole role) {
        return this.instanceId.equals(instanceId) && this.role.equals(role.value()) && expectedName().equals(name);
    }

    byte[] toBytes() {
        String text = "# written by Bitbucket DC Ops; identifies the snapshot of the same name\n"
                + "instance=" + instanceId + "\n"
                + "restorePoint=" + restorePointId + "\n"
                + "role=" + role + "\n"
                + "capturedAt=" + capturedAt + "\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Parses {@code key=value} lines; empty when a key is missing or malformed (the snapshot is then not ours). */
    static Optional<SnapshotMetadata> parse(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        text.lines().filter(l -> !l.startsWith("#") && l.contains("="))
                .forEach(l -> m.put(l.substring(0, l.indexOf('=')).strip(), l.substring(l.indexOf('=') + 1).strip()));
        try {
            String role = m.get("role");
            if (m.get("instance") == null || m.get("restorePoint") == null || role == null
                    || m.get("capturedAt") == null) {
                return Optional.empty();
            }
            ComponentRole.parse(role);
            return Optional.of(new SnapshotMetadata(m.get("instance"), m.get("restorePoint"), role,
                    Instant.parse(m.get("capturedAt"))));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
