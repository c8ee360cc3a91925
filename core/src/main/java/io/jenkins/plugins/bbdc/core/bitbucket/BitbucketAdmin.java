package io.jenkins.plugins.bbdc.core.bitbucket;

import java.net.URI;
import java.util.List;

/**
 * Every Bitbucket Data Center admin call the engine makes (shared/docs/bitbucket-admin-api.md), one typed method per
 * call. The OkHttp implementation is {@link BitbucketAdminClient}. Reads are retried with backoff; writes never are.
 */
public interface BitbucketAdmin {

    // --- maintenance lock and external backup (/mvc) ---

    /** {@code POST /mvc/maintenance/lock}. A lock already held answers {@link BitbucketException.Kind#CONFLICT}. */
    MaintenanceLock lock() throws BitbucketException;

    /** {@code POST /mvc/admin/backups?external=true}; returns the cancel token. */
    String startExternalBackup(MaintenanceLock lock) throws BitbucketException;

    /** {@code GET /mvc/maintenance}. */
    MaintenanceStatus maintenanceStatus(MaintenanceLock lock) throws BitbucketException;

    /** {@code POST /mvc/admin/backups/progress/client?token=&percentage=}; 100 only as the last call before unlock. */
    void reportProgress(MaintenanceLock lock, int percentage) throws BitbucketException;

    /** {@code POST /mvc/maintenance?token=<cancelToken>}: the backup was abandoned. Does not unlock. */
    void cancelBackup(String cancelToken) throws BitbucketException;

    /** {@code DELETE /mvc/maintenance/lock?token=}. */
    void unlock(MaintenanceLock lock) throws BitbucketException;

    // --- product and cluster ---

    /** {@code GET /rest/api/1.0/application-properties}. */
    ApplicationProperties applicationProperties() throws BitbucketException;

    /** {@code GET /rest/api/latest/admin/cluster}. */
    ClusterInfo adminCluster() throws BitbucketException;

    /** {@code GET <nodeUrl>/status}, directly on one node. Unreachable is an answer, not an exception. */
    NodeStatus nodeStatus(URI nodeUrl);

    /** {@code GET /rest/api/latest/admin/git/mesh/nodes} (bare array or paged {@code values}). */
    List<MeshNode> meshNodes() throws BitbucketException;

    /** {@code GET /rest/api/latest/admin/git/mesh/nodes/{id}}. */
    MeshNode meshNode(String id) throws BitbucketException;

    // --- rolling upgrade (/rest/zdu) ---

    /** {@code GET /rest/zdu/cluster}. */
    ZduCluster zduCluster() throws BitbucketException;

    /** {@code GET /rest/zdu/state}. */
    ZduStateResponse zduState() throws BitbucketException;

    /** {@code GET /rest/zdu/nodes/{id}}; 404 for an unknown id. */
    ZduNode zduNode(String nodeId) throws BitbucketException;

    /**
     * Enable upgrade mode (the {@code start} link, else {@code POST /rest/zdu/start}). On 409 the cluster is re-read:
     * if it is already {@code READY_TO_UPGRADE} that is success; otherwise the CONFLICT names the current state.
     */
    ZduCluster startUpgradeMode() throws BitbucketException;

    /** Disable upgrade mode ({@code cancel}); 409 unless {@code READY_TO_UPGRADE}. Same 409 rule. */
    ZduCluster cancelUpgradeMode() throws BitbucketException;

    /** Finalize ({@code approve}); 409 unless {@code READY_TO_RUN_UPGRADE_TASKS}; 500 possible. Same 409 rule. */
    ZduCluster approveUpgrade() throws BitbucketException;

    /** Retry failed finalization ({@code retryUpgrade}); 409 unless {@code UPGRADE_TASKS_FAILED}. */
    ZduCluster retryUpgrade() throws BitbucketException;

    /** The base URL calls go to (for messages). */
    URI baseUrl();
}
