package io.jenkins.plugins.bbdc.core.bitbucket;

/**
 * {@code GET /mvc/maintenance}: the drain states and the backup task state, kept raw so unknown values are reported.
 *
 * @param dbState   {@code db-state}: AVAILABLE, DRAINED (others possible)
 * @param scmState  {@code scm-state}
 * @param taskState {@code task.state}, null when no task member is present
 */
public record MaintenanceStatus(String dbState, String scmState, String taskState) {

    /** Both the database and SCM are DRAINED. */
    public boolean drained() {
        return "DRAINED".equals(dbState) && "DRAINED".equals(scmState);
    }

    /** The backup task left RUNNING: it failed or was cancelled, and the backup must be abandoned. */
    public boolean taskFailed() {
        return taskState != null && !"RUNNING".equals(taskState);
    }
}
