package io.jenkins.plugins.bbdc.testkit.bitbucket;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * An embeddable Bitbucket Data Center simulator implementing shared/docs/bitbucket-admin-api.md independently of the
 * engine: N application nodes, each on its own loopback port, and a load balancer in front of them.
 *
 * <p>CONTROL API — other modules' tests are written against exactly these signatures; keep them stable (add, do
 * not rename). Knobs, defaults and faults are documented in docs/testkit.md.
 */
public final class BitbucketSimulator implements AutoCloseable {
    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY every answer waits for the
        // peer's delayed ACK (~40 ms). Must be set before the first HttpServer is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final SimCluster cluster;
    private SimLoadBalancer loadBalancer;
    private final ScheduledThreadPoolExecutor scheduler;
    private final ExecutorService nodePool;
    private final ExecutorService lbPool;

    private BitbucketSimulator(SimSettings settings) {
        scheduler = new ScheduledThreadPoolExecutor(1, new DaemonThreads("bbdc-sim-scheduler"));
        scheduler.setRemoveOnCancelPolicy(true);
        nodePool = Executors.newCachedThreadPool(new DaemonThreads("bbdc-sim-node"));
        lbPool = Executors.newCachedThreadPool(new DaemonThreads("bbdc-sim-lb"));
        cluster = new SimCluster(settings, scheduler);
        try {
            List<SimNodeImpl> nodes = new ArrayList<>();
            for (int i = 1; i <= settings.nodeCount; i++) {
                NodeApi api = new NodeApi(cluster);
                SimNodeImpl node = new SimNodeImpl(cluster, i, settings.version,
                        new NodeServer(settings.contextPath, api, nodePool));
                api.attach(node);
                nodes.add(node);
            }
            cluster.nodes = List.copyOf(nodes);
            for (SimNodeImpl node : nodes) {
                node.server.open();
            }
            loadBalancer = new SimLoadBalancer(cluster, lbPool);
            cluster.baseUrl(loadBalancer.url());
            loadBalancer.start(scheduler);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final SimSettings settings = new SimSettings();

        Builder() {
        }

        /** Number of application nodes (default 3). Node ids are stable per simulator; names bb-node-1.. */
        public Builder nodes(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("a simulated cluster needs at least one node, not " + count);
            }
            settings.nodeCount = count;
            return this;
        }

        /** Version every node runs at start (default 8.19.1). */
        public Builder version(String version) {
            if (version == null || !version.matches("\\d+(\\.\\d+)*([.-].*)?")) {
                throw new IllegalArgumentException("version must look like 8.19.1, not " + version);
            }
            settings.version = version;
            return this;
        }

        /** A user; default users: admin/admin (sysadmin), user/user (not sysadmin). */
        public Builder user(String name, String password, boolean sysadmin) {
            if (name == null || name.isBlank() || password == null) {
                throw new IllegalArgumentException("a user needs a non-blank name and a password");
            }
            settings.users.put(name, new SimUsers.User(name, password, sysadmin));
            return this;
        }

        /**
         * An access token of an existing user, accepted as {@code Authorization: Bearer <token>} or as the Basic
         * password — but never on admin endpoints (401 "admin endpoints need Basic").
         */
        public Builder accessToken(String userName, String token) {
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("an access token must not be blank");
            }
            settings.accessTokens.put(token, userName);
            return this;
        }

        /** false: every /rest/zdu call answers 403 "requires a clustered installation". */
        public Builder clustered(boolean clustered) {
            settings.clustered = clustered;
            return this;
        }

        /** Time from the external backup start until both db-state and scm-state are DRAINED (default 200 ms). */
        public Builder drainTime(Duration d) {
            settings.drainTime = nonNegative(d, "drainTime");
            return this;
        }

        /** Time a stopping node spends in STOPPING before it is unreachable (default 100 ms). */
        public Builder stopTime(Duration d) {
            settings.stopTime = nonNegative(d, "stopTime");
            return this;
        }

        /** Time a starting node answers 503 STARTING before RUNNING/ACTIVE (default 300 ms). */
        public Builder startTime(Duration d) {
            settings.startTime = nonNegative(d, "startTime");
            return this;
        }

        /** Time finalization (RUNNING_FINALIZE_UPGRADE_TASKS) takes after approve (default 200 ms). */
        public Builder finalizationTime(Duration d) {
            settings.finalizationTime = nonNegative(d, "finalizationTime");
            return this;
        }

        /** How often the load balancer health-checks nodes' /status (default 100 ms). */
        public Builder healthCheckInterval(Duration d) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException("healthCheckInterval must be positive");
            }
            settings.healthCheckInterval = d;
            return this;
        }

        /** Number of Mesh nodes listed by the Mesh admin API (default 0); names mesh-1.. */
        public Builder meshNodes(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("meshNodes must be >= 0");
            }
            settings.meshNodes = count;
            return this;
        }

        /** Context path every node and the load balancer serve under, e.g. "/bitbucket" (default none). */
        public Builder contextPath(String contextPath) {
            if (contextPath == null || contextPath.isEmpty() || contextPath.equals("/")) {
                settings.contextPath = "";
            } else if (!contextPath.startsWith("/") || contextPath.endsWith("/")) {
                throw new IllegalArgumentException("contextPath must start with / and not end with /, e.g. /bitbucket");
            } else {
                settings.contextPath = contextPath;
            }
            return this;
        }

        /** Fixed port for the load balancer (default 0: any free port), e.g. for a sandbox users connect to. */
        public Builder loadBalancerPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("loadBalancerPort must be 0 (any free port) or 1..65535");
            }
            settings.loadBalancerPort = port;
            return this;
        }

        /**
         * How many calls {@link BitbucketSimulator#calls()} keeps (default 100000); beyond that the oldest are
         * dropped, so long benchmark or sandbox runs do not grow without bound.
         */
        public Builder maxRecordedCalls(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxRecordedCalls must be >= 1");
            }
            settings.maxRecordedCalls = max;
            return this;
        }

        public BitbucketSimulator start() {
            return new BitbucketSimulator(settings);
        }

        private static Duration nonNegative(Duration d, String what) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException(what + " must be zero or positive");
            }
            return d;
        }
    }

    /** The load balancer's base URL (what users configure as the Bitbucket URL). */
    public URI baseUrl() {
        return loadBalancer.url();
    }

    /** The application nodes, in name order. */
    public List<SimNode> nodes() {
        return List.copyOf(cluster.nodes);
    }

    /** A node of the cluster, or one that left it through {@link #replaceNode(String, String)}. */
    public SimNode node(String idOrName) {
        SimNodeImpl node = find(cluster.nodes, idOrName);
        if (node == null) {
            node = find(cluster.departed, idOrName);
        }
        if (node == null) {
            throw new IllegalArgumentException("no simulated node with id or name " + idOrName);
        }
        return node;
    }

    /**
     * Replaces a node the way an Auto Scaling group does after its instance was terminated: the old node stops and
     * leaves the cluster (while upgrade mode is on, /rest/zdu/cluster keeps listing it OFFLINE, per the node
     * snapshot rule of section 4.5), and a new node with a new id, name (bb-node-N+1…) and port starts on
     * {@code version}: STARTING for startTime, then RUNNING / ACTIVE. It joins /rest/zdu/cluster, admin/cluster,
     * the load balancer's rotation (once its health check passes) and {@link #nodes()}. Returns immediately.
     */
    public SimNode replaceNode(String oldIdOrName, String version) {
        return replaceNode(oldIdOrName, version, 0);
    }

    /** As {@link #replaceNode(String, String)}, with the new node listening on {@code port} (0 = any free port). */
    public SimNode replaceNode(String oldIdOrName, String version, int port) {
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("replaceNode needs the version the new node runs, e.g. 8.19.2");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (any free port) or 1..65535");
        }
        SimNodeImpl old = find(cluster.nodes, oldIdOrName);
        if (old == null) {
            throw new IllegalArgumentException("no node with id or name " + oldIdOrName + " is part of the cluster"
                    + " (a node that was already replaced cannot be replaced again)");
        }
        NodeApi api = new NodeApi(cluster);
        SimNodeImpl fresh;
        synchronized (cluster) {
            int index = 1 + cluster.departed.size() + cluster.nodes.size();
            fresh = new SimNodeImpl(cluster, index, version, new NodeServer(cluster.settings.contextPath, api,
                    nodePool, port));
        }
        api.attach(fresh);
        old.stop();
        fresh.joinStarting(version);
        synchronized (cluster) {
            List<SimNodeImpl> members = new ArrayList<>(cluster.nodes);
            members.remove(old);
            members.add(fresh);
            cluster.departed.add(old);
            cluster.nodes = List.copyOf(members);
        }
        return fresh;
    }

    private static SimNodeImpl find(List<SimNodeImpl> nodes, String idOrName) {
        for (SimNodeImpl node : nodes) {
            if (node.id().equals(idOrName) || node.name().equals(idOrName)) {
                return node;
            }
        }
        return null;
    }

    /** Failure injection switches; all off by default. */
    public Faults faults() {
        return cluster.faults;
    }

    public LoadBalancer loadBalancer() {
        return loadBalancer;
    }

    /** Every HTTP call received by any node or the load balancer, in order. */
    public List<RecordedCall> calls() {
        return cluster.calls.all();
    }

    /** Recorded calls whose method equals {@code method} and whose path starts with {@code pathPrefix}. */
    public List<RecordedCall> calls(String method, String pathPrefix) {
        return cluster.calls.matching(method, pathPrefix);
    }

    /** Forgets the recorded calls (for example after a test's setup). */
    public void clearCalls() {
        cluster.calls.clear();
    }

    /** Whether the maintenance lock taken through the API is held (the lockHeldElsewhere fault does not count). */
    public boolean isLocked() {
        synchronized (cluster) {
            return cluster.maintenance.locked();
        }
    }

    /** Whether rolling-upgrade mode is on. */
    public boolean upgradeModeEnabled() {
        synchronized (cluster) {
            return cluster.zdu.enabled();
        }
    }

    /** The cluster state computed by the rules of section 4.5. */
    public String clusterState() {
        synchronized (cluster) {
            return cluster.zdu.clusterState();
        }
    }

    /** Percentages received by the progress endpoint, in order. */
    public List<Integer> progressReports() {
        synchronized (cluster) {
            return cluster.maintenance.progress();
        }
    }

    /** Stops every server and scheduler; leaves no thread behind. Idempotent. */
    @Override
    public void close() {
        cluster.markClosed();
        scheduler.shutdownNow();
        if (loadBalancer != null) {
            loadBalancer.stop();
        }
        for (SimNodeImpl node : cluster.nodes) {
            node.server.shutDown();
        }
        for (SimNodeImpl node : cluster.departed) {
            node.server.shutDown();
        }
        nodePool.shutdownNow();
        lbPool.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
            nodePool.awaitTermination(5, TimeUnit.SECONDS);
            lbPool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

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
        /**
         * STARTING (503) for startTime, then RUNNING / ACTIVE on {@code version}. Returns immediately. Allowed on
         * a stopped node or a node in ERROR; on a STOPPING node it starts once the stop completes.
         */
        void start(String version);
        /** Pushes the node into ERROR (/status 500, ZDU ERROR). */
        void fail();
        /**
         * Overrides the ZDU node state of a RUNNING node with DRAINING or TERMINATING; null clears it. ERROR,
         * STARTING and OFFLINE come from {@link #fail()}, {@link #start(String)} and {@link #stop()}.
         */
        void forceZduState(String state);
    }

    /** Failure injection. */
    public interface Faults {
        void drainNeverFinishes(boolean on);
        /**
         * From poll number {@code polls} of GET /mvc/maintenance on, task.state is {@code state} (e.g. FAILED).
         * Hits the next backup task that reaches that poll (the running one, if any), then disarms itself.
         */
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
        /**
         * Answers to every call are delayed by this long (read-timeout tests, realistic latency); the load
         * balancer's own health checks are not delayed.
         */
        void latency(Duration d);
        /** An unknown enum value is injected in the next /rest/zdu/cluster node state. */
        void unknownNodeStateOnce(String value);
        /** The next {@code times} requests whose path starts with {@code pathPrefix} answer {@code status} (e.g. 503). */
        void failNext(String pathPrefix, int times, int status);
        /**
         * Drain by poll count instead of time: db-state is DRAINED from poll {@code dbPolls}, scm-state from poll
         * {@code scmPolls} (1-based; a value <= 0 keeps the time-based default for that field).
         */
        void drainAfterPolls(int dbPolls, int scmPolls);
        /** Drain by time per field: db-state DRAINED {@code db} after the backup start, scm-state after {@code scm}. */
        void drainTimes(Duration db, Duration scm);
        /** Status of a successful lock POST (default 202). */
        void lockStatus(int status);
        /** Status of a progress POST (default 202). */
        void progressStatus(int status);
    }

    /** The load balancer in front of the nodes. */
    public interface LoadBalancer {
        URI url();
        /** Take a node out of rotation (the load-balancer hook's "out"). */
        void drain(String nodeId);
        /** Put a node back into rotation. */
        void enable(String nodeId);
        /** Whether the node receives traffic now: not drained, and its last health check answered 200. */
        boolean inRotation(String nodeId);
        /**
         * Waits until the node receives traffic (a health check after it was enabled answered 200), like a real load
         * balancer's "wait until the target is in service"; false when the timeout passes first.
         */
        boolean awaitInRotation(String nodeId, java.time.Duration timeout) throws InterruptedException;
        /** Health-checks every node now (synchronously), instead of waiting for the next periodic check. */
        void checkNow();
        /**
         * {@code true}: the health check counts a node in {@code MAINTENANCE} as down, as some load balancers'
         * checks do — so while Bitbucket is locked no node is in rotation and every request through the load
         * balancer gets its own 503. Learned at once (not at the next periodic check), so tests are deterministic.
         */
        void maintenanceIsDown(boolean on);
        long answered();
        long failed();
        void resetCounters();
    }

    /**
     * One received call. {@code query} keeps token values redacted only in {@link #toString()};
     * {@code maintenanceHeader} tells whether X-Atlassian-Maintenance-Token was present. {@code target} is the
     * node's name, or "lb" when the load balancer answered by itself (no node in rotation, node unreachable).
     */
    public record RecordedCall(long atNanos, java.time.Instant at, String target, String method, String path,
                               String query, int status, String user, boolean maintenanceHeader,
                               String contentType, String xsrfHeader) {
        @Override
        public String toString() {
            String shownQuery = query == null ? "" : "?" + query.replaceAll("(?i)(token=)[^&]*", "$1****");
            return at + " " + target + " " + method + " " + path + shownQuery + " -> " + status + " user=" + user
                    + (maintenanceHeader ? " maintenance-header" : "") + " content-type=" + contentType
                    + " x-atlassian-token=" + xsrfHeader;
        }
    }
}
