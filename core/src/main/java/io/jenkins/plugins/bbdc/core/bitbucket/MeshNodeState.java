package io.jenkins.plugins.bbdc.core.bitbucket;

/** {@code RestMeshNodeState}. Unknown values map to {@link #UNKNOWN}. */
public enum MeshNodeState {
    AVAILABLE, DELETING, DISABLED, DRAINING, OFFLINE, UNKNOWN;

    public static MeshNodeState parse(String raw) {
        return Enums.parse(MeshNodeState.class, raw, UNKNOWN);
    }
}
