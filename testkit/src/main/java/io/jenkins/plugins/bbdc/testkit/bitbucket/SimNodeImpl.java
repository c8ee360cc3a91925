package io.jenkins.plugins.bbdc.testkit.bitbucket;

import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator.SimNode;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;

/**
 * One application node and its lifecycle. State is guarded by the cluster's monitor; opening and closing the
 * listener is serialized by {@code serverLock}, always taken before the cluster monitor.
 */
final class SimNodeImpl implements SimNode {
    enum Life { RUNNING, STOPPING, STOPPED, STARTING, ERROR }

    /** Only states that do not contradict /status RUNNING (ERROR, STARTING, OFFLINE come from fail/start/stop). */
    private static final Set<String> FORCEABLE_ZDU_STATES = Set.of("DRAINING", "TERMINATING");

    private final SimCluster cluster;
    final int index;
    private final String id;
    private final String name;
    final NodeServer server;
    private final Object serverLock = new Object();

    private Life life = Life.RUNNING;
    private String version;
    private int activeUsers;
    private int tasks;
    private String zduOverride;
    private long generation;
    private String pendingStartVersion;

    SimNodeImpl(SimCluster cluster, int index, String version, NodeServer server) {
        this.cluster = cluster;
        this.index = index;
        this.name = "bb-node-" + index;
        this.id = UUID.nameUUIDFromBytes(("bbdc-simulator/" + name).getBytes(StandardCharsets.UTF_8)).toString();
        this.version = version;
        this.server = server;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.port() + cluster.settings.contextPath);
    }

    int port() {
        return server.port();
    }

    @Override
    public String version() {
        synchronized (cluster) {
            return version;
        }
    }

    Life life() {
        synchronized (cluster) {
            return life;
        }
    }

    int activeUsers() {
        synchronized (cluster) {
            return activeUsers;
        }
    }

    int tasks() {
        synchronized (cluster) {
            return tasks;
        }
    }

    @Override
    public String zduState() {
        synchronized (cluster) {
            return ZduUpgrade.exposedNodeState(internalZduState(), cluster.faults.newerZduPlugin());
        }
    }

    /** The ZDU node state including the newer plugin's finalization states. Caller holds the cluster monitor. */
    String internalZduState() {
        if (life == Life.STOPPED) {
            return "OFFLINE";
        }
        if (zduOverride != null) {
            return zduOverride;
        }
        switch (life) {
            case STOPPING:
                return "TERMINATING";
            case STARTING:
                return "STARTING";
            case ERROR:
                return "ERROR";
            default:
                return cluster.zdu.finalizationStateOfRunningNode();
        }
    }

    @Override
    public String applicationState() {
        synchronized (cluster) {
            switch (life) {
                case STOPPED:
                    return null;
                case RUNNING:
                    return cluster.maintenance.active() ? "MAINTENANCE" : "RUNNING";
                default:
                    return life.name();
            }
        }
    }

    @Override
    public void setLoad(int activeUsers, int tasks) {
        if (activeUsers < 0 || tasks < 0) {
            throw new IllegalArgumentException("setLoad needs activeUsers >= 0 and tasks >= 0");
        }
        synchronized (cluster) {
            this.activeUsers = activeUsers;
            this.tasks = tasks;
        }
    }

    @Override
    public void forceZduState(String state) {
        if (state != null && !FORCEABLE_ZDU_STATES.contains(state)) {
            throw new IllegalArgumentException("forceZduState accepts DRAINING, TERMINATING or null, not " + state
                    + "; use fail() for ERROR, start(version) for STARTING and stop() for OFFLINE");
        }
        synchronized (cluster) {
            zduOverride = state;
        }
    }

    @Override
    public void stop() {
        synchronized (cluster) {
            pendingStartVersion = null;
            if (life == Life.STOPPED || life == Life.STOPPING) {
                return;
            }
            life = Life.STOPPING;
            long gen = ++generation;
            cluster.schedule(cluster.settings.stopTime, () -> finishStop(gen));
        }
    }

    private void finishStop(long gen) {
        String restartOn;
        synchronized (serverLock) {
            synchronized (cluster) {
                if (generation != gen) {
                    return;
                }
                life = Life.STOPPED;
                zduOverride = null;
                restartOn = pendingStartVersion;
                pendingStartVersion = null;
            }
            server.close();
        }
        if (restartOn != null) {
            start(restartOn);
        }
    }

    @Override
    public void start(String newVersion) {
        if (newVersion == null || newVersion.isBlank()) {
            throw new IllegalArgumentException("start needs the version the node should run, e.g. 8.19.2");
        }
        synchronized (serverLock) {
            synchronized (cluster) {
                switch (life) {
                    case RUNNING:
                    case STARTING:
                        throw new IllegalStateException("node " + name + " is " + life
                                + "; stop it before starting it again");
                    case STOPPING:
                        // Starts as soon as the stop completes, like a restart script waiting for the old process.
                        pendingStartVersion = newVersion;
                        return;
                    default:
                        break;
                }
            }
            if (cluster.isClosed()) {
                throw new IllegalStateException("the simulator is closed");
            }
            server.open();
            synchronized (cluster) {
                life = Life.STARTING;
                version = newVersion;
                zduOverride = null;
                long gen = ++generation;
                cluster.schedule(cluster.settings.startTime, () -> finishStart(gen));
            }
        }
    }

    /** A brand-new node joining the cluster: its listener opens and it is STARTING for startTime. */
    void joinStarting(String newVersion) {
        synchronized (cluster) {
            life = Life.STOPPED;
        }
        start(newVersion);
    }

    private void finishStart(long gen) {
        synchronized (cluster) {
            if (generation == gen) {
                life = Life.RUNNING;
            }
        }
    }

    @Override
    public void fail() {
        synchronized (cluster) {
            if (life == Life.STOPPED) {
                throw new IllegalStateException("node " + name + " is stopped; start it before pushing it into ERROR");
            }
            life = Life.ERROR;
            pendingStartVersion = null;
            generation++;
        }
    }

    @Override
    public String toString() {
        return name + " (" + id + ")";
    }
}
