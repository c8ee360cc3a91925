package io.jenkins.plugins.bbdc.core.bitbucket;

/** {@code RestMeshNode}. {@code id} and {@code rpcId} are kept as strings whatever JSON type they arrive in. */
public record MeshNode(String id, String name, String rpcId, String rpcUrl, String availabilityZone,
                       Long lastSeenDate, boolean offline, String state) {
    public MeshNodeState meshState() {
        return MeshNodeState.parse(state);
    }
}
