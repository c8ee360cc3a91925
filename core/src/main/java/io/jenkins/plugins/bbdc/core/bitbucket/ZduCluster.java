package io.jenkins.plugins.bbdc.core.bitbucket;

import java.util.List;
import java.util.Optional;

/** {@code Cluster} of {@code /rest/zdu}: returned by {@code GET /cluster} and by every POST. */
public record ZduCluster(boolean upgradeModeEnabled, Boolean hasFinalizationTasks, String state,
                         String originalVersion, List<ZduNode> nodes, List<Link> links) {
    public ZduCluster {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        links = links == null ? List.of() : List.copyOf(links);
    }

    public ClusterState clusterState() {
        return ClusterState.parse(state);
    }

    /** The href of an allowed action ({@code start}, {@code cancel}, {@code approve}, {@code retryUpgrade}). */
    public Optional<String> link(String rel) {
        return links.stream().filter(l -> rel.equals(l.rel())).map(Link::href).findFirst();
    }

    public Optional<ZduNode> node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
    }
}
