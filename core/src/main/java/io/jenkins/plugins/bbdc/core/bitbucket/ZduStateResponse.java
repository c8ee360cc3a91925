package io.jenkins.plugins.bbdc.core.bitbucket;

/** {@code GET /rest/zdu/state}: the cluster state and the node that answered. */
public record ZduStateResponse(String state, ZduNode buildInfo) {
    public ClusterState clusterState() {
        return ClusterState.parse(state);
    }
}
