package io.jenkins.plugins.bbdc.testkit.bitbucket;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The shared state of the simulated cluster: nodes, maintenance lock, rolling upgrade. Its monitor guards all of
 * it, so /status, admin/cluster and /rest/zdu always answer from one consistent state.
 */
final class SimCluster {
    final SimSettings settings;
    final SimFaults faults;
    final SimUsers users;
    final CallLog calls;
    final Maintenance maintenance;
    final ZduUpgrade zdu;
    final ScheduledExecutorService scheduler;
    /** The nodes that are part of the cluster now (replaced nodes have left); reassigned, never mutated. */
    volatile List<SimNodeImpl> nodes = List.of();
    /** Nodes that left through a replacement: still closed when the simulator closes. */
    final List<SimNodeImpl> departed = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile URI baseUrl;
    private volatile boolean closed;

    SimCluster(SimSettings settings, ScheduledExecutorService scheduler) {
        this.settings = settings;
        this.faults = new SimFaults();
        this.calls = new CallLog(settings.maxRecordedCalls);
        this.users = new SimUsers(settings.users, settings.accessTokens);
        this.maintenance = new Maintenance(settings, faults);
        this.zdu = new ZduUpgrade(this);
        this.scheduler = scheduler;
    }

    void baseUrl(URI url) {
        this.baseUrl = url;
    }

    /** The configured base URL (the load balancer's), without a trailing slash. */
    String baseUrl() {
        return baseUrl.toString();
    }

    void schedule(Duration delay, Runnable task) {
        if (closed) {
            return;
        }
        try {
            scheduler.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // Closing: timed transitions no longer matter.
        }
    }

    boolean isClosed() {
        return closed;
    }

    void markClosed() {
        closed = true;
    }
}
