package io.jenkins.plugins.bbdc.core.bitbucket;

import java.net.URI;
import java.util.List;

/**
 * Every Bitbucket Data Center admin call the engine makes (shared/docs/bitbucket-admin-api.md), one typed method per
 * call. The OkHttp implementation is {@link BitbucketAdminClient}. Reads are retried with backoff; a write only when
 * it provably never left this machine (its connection could not be made).
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

    /**
     * {@code POST /mvc/maintenance?token=<cancelToken>}: the backup was abandoned. Does not unlock. Tried at each of
     * {@link #maintenanceUrls()} in turn until one accepts it.
     */
    void cancelBackup(String cancelToken) throws BitbucketException;

    /**
     * {@code DELETE /mvc/maintenance/lock?token=}, tried at each of {@link #maintenanceUrls()} in turn until one
     * accepts it. When none does but one refused the token and a node's {@code /status} no longer says
     * {@code MAINTENANCE}, the lock is gone (an earlier attempt whose answer was lost, or an administrator): that is
     * success too.
     */
    void unlock(MaintenanceLock lock) throws BitbucketException;

    /** Where the unlock and the cancel are tried, in order (admin URL, base URL, each node's URL). */
    default List<URI> maintenanceUrls() {
        return List.of(baseUrl());
    }

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
