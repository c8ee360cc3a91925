package io.jenkins.plugins.bbdc.core.bitbucket;

import java.util.List;

/**
 * {@code NodeInfoDTO} of {@code /rest/zdu}. {@code state} is kept raw; use {@link #nodeState()}.
 * Nullable: {@code tasksTotal}, {@code activeUserCount}, {@code portNumber}.
 */
public record ZduNode(String id, String name, String ipAddress, String state, Integer tasksTotal,
                      Integer activeUserCount, String buildNumber, String version, boolean local, Integer portNumber,
                      List<Link> links) {
    public ZduNode {
        links = links == null ? List.of() : List.copyOf(links);
    }

    public NodeState nodeState() {
        return NodeState.parse(state);
    }

    /** For the default node order: fewest active users plus tasks first. */
    public int load() {
        return (tasksTotal == null ? 0 : tasksTotal) + (activeUserCount == null ? 0 : activeUserCount);
    }
}
