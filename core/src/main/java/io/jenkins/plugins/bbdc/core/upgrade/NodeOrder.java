package io.jenkins.plugins.bbdc.core.upgrade;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The order nodes are upgraded in: the user's order (by node name or id) first, then every other node with the
 * fewest active users plus tasks first (Atlassian's advice: disturb as few users as possible).
 */
final class NodeOrder {
    private NodeOrder() {
    }

    static List<NodeRecord> order(List<NodeRecord> nodes, List<String> explicit, List<String> refusals) {
        List<NodeRecord> byLoad = new ArrayList<>(nodes);
        byLoad.sort(Comparator.comparingInt((NodeRecord n) -> n.load)
                .thenComparing(n -> n.name == null ? "" : n.name).thenComparing(n -> n.id));
        List<NodeRecord> result = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String wanted : explicit) {
            NodeRecord match = nodes.stream()
                    .filter(n -> wanted.equals(n.name) || wanted.equals(n.id)).findFirst().orElse(null);
            if (match == null) {
                refusals.add("the node order names '" + wanted + "', which is not a node of this cluster; nodes are "
                        + String.join(", ", nodes.stream().map(n -> n.name + " (" + n.id + ")").toList()));
            } else if (!seen.add(match.id)) {
                refusals.add("the node order names " + match.label() + " twice");
            } else {
                result.add(match);
            }
        }
        for (NodeRecord n : byLoad) {
            if (seen.add(n.id)) {
                result.add(n);
            }
        }
        return result;
    }
}
