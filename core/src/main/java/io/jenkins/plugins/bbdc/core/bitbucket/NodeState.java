package io.jenkins.plugins.bbdc.core.bitbucket;

/** Rolling-upgrade node state ({@code NodeInfoDTO.state}). Unknown values map to {@link #UNKNOWN}. */
public enum NodeState {
    STARTING, ACTIVE, DRAINING, TERMINATING, OFFLINE, ERROR, RUNNING_FINALIZE_UPGRADE_TASKS, UPGRADE_TASKS_FAILED,
    UNKNOWN;

    public static NodeState parse(String raw) {
        return Enums.parse(NodeState.class, raw, UNKNOWN);
    }
}
