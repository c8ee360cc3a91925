package io.jenkins.plugins.bbdc.core.bitbucket;

import java.util.List;

/** {@code GET /rest/api/latest/admin/cluster} ({@code RestClusterInformation}). */
public record ClusterInfo(boolean running, ClusterNode localNode, List<ClusterNode> nodes) {
    public ClusterInfo {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }

    /** {@code RestClusterNode}; {@code address}/{@code port} come from the nested address object. */
    public record ClusterNode(String id, String name, String address, Integer port, String buildVersion,
                              boolean local) {
    }
}
