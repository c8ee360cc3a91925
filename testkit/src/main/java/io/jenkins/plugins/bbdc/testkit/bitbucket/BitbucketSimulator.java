package io.jenkins.plugins.bbdc.testkit.bitbucket;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * An embeddable Bitbucket Data Center simulator implementing shared/docs/bitbucket-admin-api.md independently of the
 * engine: N application nodes, each on its own loopback port, and a load balancer in front of them.
 *
 * <p>CONTROL API — other modules' tests are written against exactly these signatures. The implementation (issue 2)
 * fills in the bodies; keep the signatures stable (add, do not rename).
 */
public final class BitbucketSimulator implements AutoCloseable {

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        Builder() {
        }

        /** Number of application nodes (default 3). Node ids are stable per simulator; names bb-node-1.. */
        public Builder nodes(int count) { throw new UnsupportedOperationException("TODO issue 2"); }

        /** Version every node runs at start (default 8.19.1). */
        public Builder version(String version) { throw new UnsupportedOperationException("TODO issue 2"); }

        /** A user; default users: admin/admin (sysadmin), user/user (not sysadmin). */
        public Builder user(String name, String password, boolean sysadmin) { throw new UnsupportedOperationException("TODO issue 2"); }

        /** false: every /rest/zdu call answers 403 "requires a clustered installation". */
        public Builder clustered(boolean clustered) { throw new UnsupportedOperationException("TODO issue 2"); }

        /** Time from the external backup start until both db-state and scm-state are DRAINED (default 200 ms). */
        public Builder drainTime(Duration d) { throw new UnsupportedOperationException("TODO issue 2"); }

        /** Time a stopping node spends in STOPPING before it is unreachable (default 100 ms). */
        public Builder stopTime(Duration d) { throw new UnsupportedOperationException("TODO issue 2"); }

        /** Time a starting node answers 503 STARTING before RUNNING/ACTIVE (default 300 ms). */
        public Builder startTime(Duration d) { throw new UnsupportedOperationException("TODO issue 2"); }

        /** Time finalization (RUNNING_FINALIZE_UPGRADE_TASKS) takes after approve (default 200 ms). */
        public Builder finalizationTime(Duration d) { throw new UnsupportedOperationException("TODO issue 2"); }

        /** How often the load balancer health-checks nodes' /status (default 100 ms). */
        public Builder healthCheckInterval(Duration d) { throw new UnsupportedOperationException("TODO issue 2"); }

        /** Number of Mesh nodes listed by the Mesh admin API (default 0); names mesh-1.. */
        public Builder meshNodes(int count) { throw new UnsupportedOperationException("TODO issue 2"); }

        public BitbucketSimulator start() { throw new UnsupportedOperationException("TODO issue 2"); }
    }

    /** The load balancer's base URL (what users configure as the Bitbucket URL). */
    public URI baseUrl() { throw new UnsupportedOperationException("TODO issue 2"); }

    /** The application nodes, in name order. */
    public List<SimNode> nodes() { throw new UnsupportedOperationException("TODO issue 2"); }

    public SimNode node(String idOrName) { throw new UnsupportedOperationException("TODO issue 2"); }

    /** Failure injection switches; all off by default. */
    public Faults faults() { throw new UnsupportedOperationException("TODO issue 2"); }

    public LoadBalancer loadBalancer() { throw new UnsupportedOperationException("TODO issue 2"); }

    /** Every HTTP call received by any node or the load balancer, in order. */
    public List<RecordedCall> calls() { throw new UnsupportedOperationException("TODO issue 2"); }

    /** Recorded calls whose method equals {@code method} and whose path starts with {@code pathPrefix}. */
    public List<RecordedCall> calls(String method, String pathPrefix) { throw new UnsupportedOperationException("TODO issue 2"); }

    public boolean isLocked() { throw new UnsupportedOperationException("TODO issue 2"); }

    /** The cluster state computed by the rules of section 4.5. */
    public String clusterState() { throw new UnsupportedOperationException("TODO issue 2"); }

    /** Percentages received by the progress endpoint, in order. */
    public List<Integer> progressReports() { throw new UnsupportedOperationException("TODO issue 2"); }

    @Override
    public void close() { throw new UnsupportedOperationException("TODO issue 2"); }

    /** One application node. */
    public interface SimNode {
        String id();
        String name();
        /** The node's own base URL (for /status and direct calls). */
        URI url();
        String version();
        /** ZDU node state name (ACTIVE, OFFLINE, STARTING, ERROR …). */
        String zduState();
        /** /status application state name, or null while unreachable. */
        String applicationState();
        void setLoad(int activeUsers, int tasks);
        /** STOPPING for stopTime, then unreachable (connection refused); ZDU OFFLINE. Returns immediately. */
        void stop();
        /** STARTING (503) for startTime, then RUNNING / ACTIVE on {@code version}. Returns immediately. */
        void start(String version);
        /** Pushes the node into ERROR (/status 500, ZDU ERROR). */
        void fail();
    }

    /** Failure injection. */
    public interface Faults {
        void drainNeverFinishes(boolean on);
        /** After {@code polls} polls of GET /mvc/maintenance, task.state becomes {@code state} (e.g. FAILED). */
        void taskStateAfterPolls(int polls, String state);
        /** The maintenance lock is held by someone else: POST /mvc/maintenance/lock answers 409. */
        void lockHeldElsewhere(boolean on);
        /** approve answers 500 (and changes nothing). */
        void approveFailsWith500(boolean on);
        /** The next {@code times} finalizations end in UPGRADE_TASKS_FAILED. */
        void finalizationFails(int times);
        /** Newer-plugin features: /retryUpgrade, hasFinalizationTasks, extra node states (default on). */
        void newerZduPlugin(boolean on);
        /** Enforce the XSRF rule on mutating /rest calls (default on). */
        void enforceXsrf(boolean on);
        /** The next response to {@code path} is a 200 HTML page (a proxy's login page). */
        void htmlLoginPageOnce(String path);
        /** Answers to every call are delayed by this long (read-timeout tests, realistic latency). */
        void latency(Duration d);
        /** An unknown enum value is injected in the next /rest/zdu/cluster node state. */
        void unknownNodeStateOnce(String value);
        /** The next {@code times} requests whose path starts with {@code pathPrefix} answer {@code status} (e.g. 503). */
        void failNext(String pathPrefix, int times, int status);
    }

    /** The load balancer in front of the nodes. */
    public interface LoadBalancer {
        URI url();
        /** Take a node out of rotation (the load-balancer hook's "out"). */
        void drain(String nodeId);
        /** Put a node back into rotation. */
        void enable(String nodeId);
        long answered();
        long failed();
        void resetCounters();
    }

    /**
     * One received call. {@code query} keeps token values redacted only in {@link #toString()};
     * {@code maintenanceHeader} tells whether X-Atlassian-Maintenance-Token was present.
     */
    public record RecordedCall(long atNanos, java.time.Instant at, String target, String method, String path,
                               String query, int status, String user, boolean maintenanceHeader,
                               String contentType, String xsrfHeader) {
    }
}
