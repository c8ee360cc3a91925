package io.jenkins.plugins.bbdc.testkit.bitbucket;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator.LoadBalancer;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator.RecordedCall;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load balancer: forwards each request over HTTP to the next node in rotation (round robin). A node is in
 * rotation when it is not drained and its last health check of /status answered 200; health is learned only by
 * that periodic check, so a node stopped without being drained first keeps receiving (failing) requests until the
 * next check notices.
 */
final class SimLoadBalancer implements LoadBalancer {
    private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length", "transfer-encoding",
            "keep-alive", "expect", "upgrade", "proxy-connection", "te", "trailer", "date");
    private static final int CONNECT_TIMEOUT_MILLIS = 1_000;
    /** A refused connection fails at once whatever this is; only a slow accept on a loaded machine waits for it. */
    private static final int FORWARD_CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int FORWARD_READ_TIMEOUT_MILLIS = 120_000;

    private final SimCluster cluster;
    private final ExecutorService executor;
    private final HttpServer server;
    private final Set<String> drained = ConcurrentHashMap.newKeySet();
    /** Latest health-check result per node: the sequence number of the check that produced it, and the verdict. */
    private final Map<String, long[]> health = new ConcurrentHashMap<>();
    private final AtomicLong checkSequence = new AtomicLong();
    private final Set<String> checking = ConcurrentHashMap.newKeySet();
    /** Requests forwarded to each node and not yet answered; guarded by this. */
    private final Map<String, Integer> inFlight = new java.util.HashMap<>();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong roundRobin = new AtomicLong();
    private volatile boolean maintenanceIsDown;

    SimLoadBalancer(SimCluster cluster, ExecutorService executor) {
        this.cluster = cluster;
        this.executor = executor;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    cluster.settings.loadBalancerPort), 100);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a loopback port for the simulated load balancer", e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
    }

    void start(ScheduledExecutorService scheduler) {
        for (SimNodeImpl node : cluster.nodes) {
            check(node);
        }
        server.start();
        long interval = Math.max(1_000_000L, cluster.settings.healthCheckInterval.toNanos());
        scheduler.scheduleAtFixedRate(this::checkAll, interval, interval, TimeUnit.NANOSECONDS);
    }

    void stop() {
        server.stop(0);
    }

    @Override
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + cluster.settings.contextPath);
    }

    /**
     * Takes the node out of rotation, then waits (connection draining, at most 30 s) until the requests already
     * forwarded to it have been answered: once this returns the node receives nothing more.
     */
    @Override
    public void drain(String nodeId) {
        String id = known(nodeId).id();
        synchronized (this) {
            drained.add(id);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (inFlight.getOrDefault(id, 0) > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
    }

    @Override
    public void enable(String nodeId) {
        drained.remove(known(nodeId).id());
    }

    @Override
    public boolean inRotation(String nodeId) {
        return inRotation(known(nodeId));
    }

    @Override
    public boolean awaitInRotation(String nodeId, java.time.Duration timeout) throws InterruptedException {
        SimNodeImpl node = known(nodeId);
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = Math.max(1, Math.min(20, cluster.settings.healthCheckInterval.toMillis() / 2));
        while (!inRotation(node)) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(pause);
        }
        return true;
    }

    private boolean inRotation(SimNodeImpl node) {
        long[] verdict = health.get(node.id());
        return !drained.contains(node.id()) && verdict != null && verdict[1] == 1;
    }

    /** With {@link #maintenanceIsDown}: every node reports MAINTENANCE now, so none passes the health check. */
    private boolean allDownForMaintenance() {
        if (!maintenanceIsDown) {
            return false;
        }
        synchronized (cluster) {
            return cluster.maintenance.active();
        }
    }

    @Override
    public void maintenanceIsDown(boolean on) {
        maintenanceIsDown = on;
    }

    @Override
    public long answered() {
        return answered.get();
    }

    @Override
    public long failed() {
        return failed.get();
    }

    @Override
    public void resetCounters() {
        answered.set(0);
        failed.set(0);
    }

    private SimNodeImpl known(String nodeId) {
        for (SimNodeImpl node : cluster.nodes) {
            if (node.id().equals(nodeId) || node.name().equals(nodeId)) {
                return node;
            }
        }
        throw new IllegalArgumentException("no simulated node with id or name " + nodeId);
    }

    @Override
    public void checkNow() {
        for (SimNodeImpl node : cluster.nodes) {
            check(node);
        }
    }

    private void checkAll() {
        for (SimNodeImpl node : cluster.nodes) {
            if (checking.add(node.id())) {
                try {
                    executor.execute(() -> {
                        try {
                            check(node);
                        } finally {
                            checking.remove(node.id());
                        }
                    });
                } catch (RejectedExecutionException e) {
                    checking.remove(node.id());
                }
            }
        }
    }

    private void check(SimNodeImpl node) {
        long sequence = checkSequence.incrementAndGet();
        boolean ok;
        try {
            RawHttp.Response response = RawHttp.send(node.port(), "GET", cluster.settings.contextPath + "/status",
                    List.of(Map.entry(NodeApi.HEALTH_CHECK_HEADER, "true")), new byte[0], CONNECT_TIMEOUT_MILLIS,
                    (int) Math.max(1_000, 5 * cluster.settings.healthCheckInterval.toMillis()));
            ok = response.status() == 200;
        } catch (IOException | RuntimeException e) {
            ok = false;
        }
        long[] verdict = {sequence, ok ? 1 : 0};
        // A slow check must not overwrite the verdict of a check that started after it (checkNow vs periodic).
        health.merge(node.id(), verdict, (previous, latest) -> latest[0] > previous[0] ? latest : previous);
    }

    /** Picks the next node in rotation and counts the request as in flight to it (atomically with drain). */
    private synchronized SimNodeImpl choose() {
        List<SimNodeImpl> candidates = new ArrayList<>();
        for (SimNodeImpl node : cluster.nodes) {
            if (inRotation(node)) {
                candidates.add(node);
            }
        }
        if (candidates.isEmpty()) {
            return null;
        }
        SimNodeImpl chosen = candidates.get((int) Math.floorMod(roundRobin.getAndIncrement(),
                (long) candidates.size()));
        inFlight.merge(chosen.id(), 1, Integer::sum);
        return chosen;
    }

    private synchronized void answeredBy(SimNodeImpl node) {
        inFlight.merge(node.id(), -1, Integer::sum);
        notifyAll();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long atNanos = System.nanoTime();
        Instant at = Instant.now();
        try {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            URI uri = exchange.getRequestURI();
            String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            SimNodeImpl node = allDownForMaintenance() ? null : choose();
            if (node == null) {
                failed.incrementAndGet();
                answerItself(exchange, atNanos, at, body, 503, "No Bitbucket node is in the load balancer's "
                        + "rotation.");
                return;
            }
            RawHttp.Response response;
            try {
                response = forward(exchange, node, method, target, body);
            } catch (IOException e) {
                failed.incrementAndGet();
                answerItself(exchange, atNanos, at, body, 502, "Bad gateway: " + node.name()
                        + " did not answer (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ").");
                return;
            } finally {
                answeredBy(node);
            }
            if (response.status() >= 500) {
                failed.incrementAndGet();
            } else {
                answered.incrementAndGet();
            }
            relay(exchange, response);
        } finally {
            exchange.close();
        }
    }

    private static RawHttp.Response forward(HttpExchange exchange, SimNodeImpl node, String method, String target,
                                            byte[] body) throws IOException {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> headers.add(Map.entry(name, value)));
            }
        });
        headers.add(Map.entry("X-Forwarded-For", exchange.getRemoteAddress().getAddress().getHostAddress()));
        return RawHttp.send(node.port(), method, target, headers, body, FORWARD_CONNECT_TIMEOUT_MILLIS,
                FORWARD_READ_TIMEOUT_MILLIS);
    }

    private void relay(HttpExchange exchange, RawHttp.Response response) throws IOException {
        for (Map.Entry<String, String> header : response.headers()) {
            if (!HOP_BY_HOP.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                exchange.getResponseHeaders().add(header.getKey(), header.getValue());
            }
        }
        byte[] body = response.body();
        boolean noBody = body.length == 0 || "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
        exchange.sendResponseHeaders(response.status(), noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** An answer of the load balancer itself (no node reached); recorded with target "lb". */
    private void answerItself(HttpExchange exchange, long atNanos, Instant at, byte[] body, int status,
                              String message) throws IOException {
        URI uri = exchange.getRequestURI();
        String path = uri.getRawPath();
        String contextPath = cluster.settings.contextPath;
        if (!contextPath.isEmpty() && path.startsWith(contextPath)) {
            path = path.substring(contextPath.length());
        }
        SimRequest request = new SimRequest(exchange.getRequestMethod().toUpperCase(Locale.ROOT), path,
                uri.getRawQuery(), exchange.getRequestHeaders(), body);
        cluster.calls.add(new RecordedCall(atNanos, at, "lb", request.method, request.path, request.query, status,
                cluster.users.authenticate(request.header("Authorization")).recordedName(),
                request.header("X-Atlassian-Maintenance-Token") != null, request.header("Content-Type"),
                request.header("X-Atlassian-Token")));
        HttpExchanges.write(exchange, SimResponse.error(status, message));
    }
}
