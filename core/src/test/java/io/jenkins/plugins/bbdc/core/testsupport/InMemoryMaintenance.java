package io.jenkins.plugins.bbdc.core.testsupport;

import io.jenkins.plugins.bbdc.core.bitbucket.ApplicationProperties;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdmin;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketException;
import io.jenkins.plugins.bbdc.core.bitbucket.ClusterInfo;
import io.jenkins.plugins.bbdc.core.bitbucket.MaintenanceLock;
import io.jenkins.plugins.bbdc.core.bitbucket.MaintenanceStatus;
import io.jenkins.plugins.bbdc.core.bitbucket.MeshNode;
import io.jenkins.plugins.bbdc.core.bitbucket.NodeStatus;
import io.jenkins.plugins.bbdc.core.bitbucket.ZduCluster;
import io.jenkins.plugins.bbdc.core.bitbucket.ZduNode;
import io.jenkins.plugins.bbdc.core.bitbucket.ZduStateResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * An in-process implementation of the maintenance-lock contract of bitbucket-admin-api.md §3 (lock, external
 * backup, drain, progress, cancel, unlock, application properties), including its failure modes: 409 when locked,
 * 401 for a wrong token, a drain that never finishes, a task that leaves RUNNING. Used for fast engine tests; the
 * end-to-end tests use the testkit simulator over HTTP.
 */
public final class InMemoryMaintenance implements BitbucketAdmin {
    /** One received call: method and path (tokens never recorded), with the nano time. */
    public record Call(long atNanos, String what) {
    }

    private final Random random = new Random();
    private final List<Call> calls = new ArrayList<>();
    private final List<Integer> progress = new ArrayList<>();
    private String version = "8.19.1";
    private String unlockToken;
    private String cancelToken;
    private boolean lockHeldElsewhere;
    private int drainAfterPolls = 2;
    private boolean neverDrains;
    private int failTaskAfterPolls = -1;
    private String taskState;
    private int polls;
    private int failProgressCalls;
    private int failUnlockCalls;

    public synchronized InMemoryMaintenance version(String v) {
        this.version = v;
        return this;
    }

    public synchronized InMemoryMaintenance lockHeldElsewhere(boolean on) {
        this.lockHeldElsewhere = on;
        return this;
    }

    public synchronized InMemoryMaintenance drainAfterPolls(int n) {
        this.drainAfterPolls = n;
        return this;
    }

    public synchronized InMemoryMaintenance neverDrains() {
        this.neverDrains = true;
        return this;
    }

    public synchronized InMemoryMaintenance taskFailsAfterPolls(int n) {
        this.failTaskAfterPolls = n;
        return this;
    }

    public synchronized InMemoryMaintenance failProgressCalls(int n) {
        this.failProgressCalls = n;
        return this;
    }

    public synchronized InMemoryMaintenance failUnlockCalls(int n) {
        this.failUnlockCalls = n;
        return this;
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    public synchronized List<String> callNames() {
        return calls.stream().map(Call::what).toList();
    }

    public synchronized List<Integer> progressReports() {
        return List.copyOf(progress);
    }

    public synchronized boolean isLocked() {
        return unlockToken != null || lockHeldElsewhere;
    }

    private void record(String what) {
        calls.add(new Call(System.nanoTime(), what));
    }

    @Override
    public synchronized MaintenanceLock lock() throws BitbucketException {
        record("POST /mvc/maintenance/lock");
        if (lockHeldElsewhere || unlockToken != null) {
            throw new BitbucketException(BitbucketException.Kind.CONFLICT, 409,
                    "Bitbucket is already locked for maintenance (409)");
        }
        unlockToken = HexFormat.of().formatHex(bytes(20));
        taskState = null;
        polls = 0;
        return new MaintenanceLock(unlockToken);
    }

    @Override
    public synchronized String startExternalBackup(MaintenanceLock lock) throws BitbucketException {
        record("POST /mvc/admin/backups?external=true");
        requireToken(lock);
        cancelToken = HexFormat.of().formatHex(bytes(20));
        taskState = "RUNNING";
        return cancelToken;
    }

    @Override
    public synchronized MaintenanceStatus maintenanceStatus(MaintenanceLock lock) throws BitbucketException {
        record("GET /mvc/maintenance");
        requireToken(lock);
        polls++;
        if (failTaskAfterPolls >= 0 && polls >= failTaskAfterPolls) {
            taskState = "FAILED";
        }
        boolean drained = !neverDrains && polls >= drainAfterPolls;
        String s = drained ? "DRAINED" : "AVAILABLE";
        return new MaintenanceStatus("DRAINED", s, taskState);
    }

    @Override
    public synchronized void reportProgress(MaintenanceLock lock, int percentage) throws BitbucketException {
        record("POST /mvc/admin/backups/progress/client percentage=" + percentage);
        if (failProgressCalls > 0) {
            failProgressCalls--;
            throw new BitbucketException(BitbucketException.Kind.SERVER_ERROR, 503, "progress call failed (503)");
        }
        requireToken(lock);
        progress.add(percentage);
    }

    @Override
    public synchronized void cancelBackup(String token) throws BitbucketException {
        record("POST /mvc/maintenance?token=cancel");
        if (cancelToken == null || !cancelToken.equals(token)) {
            throw new BitbucketException(BitbucketException.Kind.AUTHENTICATION, 401, "wrong cancel token (401)");
        }
        taskState = "CANCELED";
    }

    @Override
    public synchronized void unlock(MaintenanceLock lock) throws BitbucketException {
        record("DELETE /mvc/maintenance/lock");
        if (failUnlockCalls > 0) {
            failUnlockCalls--;
            throw new BitbucketException(BitbucketException.Kind.UNREACHABLE, 0, "connection refused");
        }
        requireToken(lock);
        unlockToken = null;
        cancelToken = null;
        taskState = null;
    }

    @Override
    public synchronized ApplicationProperties applicationProperties() {
        record("GET /rest/api/1.0/application-properties");
        return new ApplicationProperties(version, "1", "0", "Bitbucket");
    }

    private void requireToken(MaintenanceLock lock) throws BitbucketException {
        if (unlockToken == null || lock == null || !unlockToken.equals(lock.unlockToken())) {
            throw new BitbucketException(BitbucketException.Kind.AUTHENTICATION, 401, "wrong maintenance token (401)");
        }
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    // --- not part of the maintenance contract

    @Override
    public ClusterInfo adminCluster() {
        throw new UnsupportedOperationException("not used by backups");
    }

    @Override
    public NodeStatus nodeStatus(URI nodeUrl) {
        throw new UnsupportedOperationException("not used by backups");
    }

    @Override
    public List<MeshNode> meshNodes() {
        throw new UnsupportedOperationException("not used by backups");
    }

    @Override
    public MeshNode meshNode(String id) {
        throw new UnsupportedOperationException("not used by backups");
    }

    @Override
    public ZduCluster zduCluster() {
        throw new UnsupportedOperationException("not used by backups");
    }

    @Override
    public ZduStateResponse zduState() {
        throw new UnsupportedOperationException("not used by backups");
    }

    @Override
    public ZduNode zduNode(String nodeId) {
        throw new UnsupportedOperationException("not used by backups");
    }

    @Override
    public ZduCluster startUpgradeMode() {
        throw new UnsupportedOperationException("not used by backups");
    }

    @Override
    public ZduCluster cancelUpgradeMode() {
        throw new UnsupportedOperationException("not used by backups");
    }

    @Override
    public ZduCluster approveUpgrade() {
        throw new UnsupportedOperationException("not used by backups");
    }

    @Override
    public ZduCluster retryUpgrade() {
        throw new UnsupportedOperationException("not used by backups");
    }

    @Override
    public URI baseUrl() {
        return URI.create("http://in-memory.invalid");
    }
}
