package io.jenkins.plugins.bbdc.core.bitbucket;

/** Rolling-upgrade cluster state ({@code /rest/zdu}). Unknown values map to {@link #UNKNOWN}. */
public enum ClusterState {
    STABLE, READY_TO_UPGRADE, MIXED, READY_TO_RUN_UPGRADE_TASKS, RUNNING_UPGRADE_TASKS, UPGRADE_TASKS_FAILED, UNKNOWN;

    public static ClusterState parse(String raw) {
        return Enums.parse(ClusterState.class, raw, UNKNOWN);
    }
}
