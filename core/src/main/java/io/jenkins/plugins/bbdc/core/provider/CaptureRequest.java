package io.jenkins.plugins.bbdc.core.provider;

/**
 * The instant itself. Providers name and tag what they create with {@link #snapshotName()} and the ids below, so a
 * lost catalog can be rebuilt from {@link SnapshotProvider#list}.
 */
public record CaptureRequest(String restorePointId, String instanceId, ComponentRole role, BackupMode mode) {

    /**
     * A name for the snapshot that is valid for every supported technology (lower case letters, digits and
     * hyphens): {@code bbdc-<instance>-<restorePointId>-<role slug>}.
     */
    public String snapshotName() {
        return ("bbdc-" + instanceId + "-" + restorePointId + "-" + role.slug()).toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9-]", "-");
    }
}
