package io.jenkins.plugins.bbdc.testkit.bitbucket;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator.RecordedCall;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One node's HTTP handler: the request pipeline (authentication, latency, injected faults, node lifecycle gate,
 * recording), /status, and dispatch to the /mvc, /rest/api and /rest/zdu resources.
 */
final class NodeApi implements HttpHandler {
    /** Header the load balancer's own health checks carry; such calls are neither recorded nor delayed nor faulted. */
    static final String HEALTH_CHECK_HEADER = "X-Simulator-Health-Check";

    private static final Pattern REST_API = Pattern.compile("/rest/api/(?:1\\.0|latest)(/.*)");
    private static final String LOGIN_PAGE = "<!DOCTYPE html><html><head><title>Log in - Single sign-on</title>"
            + "</head><body><form action=\"/login\" method=\"post\"><input name=\"username\"></form></body></html>";

    private final SimCluster cluster;
    private final MvcResource mvc;
    private SimNodeImpl node;
    private RestApiResource restApi;
    private ZduResource zdu;

    NodeApi(SimCluster cluster) {
        this.cluster = cluster;
        this.mvc = new MvcResource(cluster);
    }

    void attach(SimNodeImpl node) {
        this.node = node;
        this.restApi = new RestApiResource(cluster, node);
        this.zdu = new ZduResource(cluster, node);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long atNanos = System.nanoTime();
        Instant at = Instant.now();
        try {
            SimRequest request = HttpExchanges.read(exchange, cluster.settings.contextPath);
            boolean healthCheck = request.header(HEALTH_CHECK_HEADER) != null;
            SimUsers.Auth auth = cluster.users.authenticate(request.header("Authorization"));
            SimResponse response = answer(request, auth, healthCheck);
            if (!healthCheck) {
                cluster.calls.add(new RecordedCall(atNanos, at, node.name(), request.method, request.path,
                        request.query, response.status, auth.recordedName(),
                        request.header("X-Atlassian-Maintenance-Token") != null, request.header("Content-Type"),
                        request.header("X-Atlassian-Token")));
            }
            HttpExchanges.write(exchange, response);
        } catch (RuntimeException e) {
            HttpExchanges.write(exchange, SimResponse.error(500, "Simulator error: " + e));
        } finally {
            exchange.close();
        }
    }

    private SimResponse answer(SimRequest request, SimUsers.Auth auth, boolean healthCheck) {
        if (!healthCheck) {
            // Health checks are exempt, so a latency meant for a client's read timeout does not also take
            // every node out of the load balancer's rotation.
            sleep(cluster.faults.latency());
            if (cluster.faults.takeHtmlLoginPage(request.path)) {
                return SimResponse.html(200, LOGIN_PAGE);
            }
            int injected = cluster.faults.takeFailure(request.path);
            if (injected != 0) {
                return SimResponse.error(injected, "Injected failure (HTTP " + injected + ") by the simulator.");
            }
        }
        synchronized (cluster) {
            if ("/status".equals(request.path)) {
                return status(request);
            }
            SimResponse gate = lifecycleGate();
            return gate != null ? gate : route(request, auth);
        }
    }

    private SimResponse status(SimRequest request) {
        if (!"GET".equals(request.method) && !"HEAD".equals(request.method)) {
            return SimResponse.error(405, "Method " + request.method + " is not allowed on /status.");
        }
        String state = node.applicationState();
        if (state == null) {
            state = "STOPPING";
        }
        int code;
        switch (state) {
            case "STARTING":
            case "STOPPING":
                code = 503;
                break;
            case "ERROR":
                code = 500;
                break;
            default:
                code = 200;
        }
        return SimResponse.json(code, Json.obj("state", state));
    }

    /** A node that is not RUNNING answers only /status. */
    private SimResponse lifecycleGate() {
        switch (node.life()) {
            case RUNNING:
                return null;
            case ERROR:
                return SimResponse.error(500, "Bitbucket on " + node.name() + " failed to start (ERROR).");
            case STARTING:
                return SimResponse.error(503, "Bitbucket on " + node.name() + " is starting.");
            default:
                return SimResponse.error(503, "Bitbucket on " + node.name() + " is shutting down.");
        }
    }

    private SimResponse route(SimRequest request, SimUsers.Auth auth) {
        String path = request.path;
        if (path.startsWith("/mvc/")) {
            return mvc.answer(request, auth);
        }
        if (path.startsWith("/rest/zdu/")) {
            return zdu.answer(request, auth);
        }
        Matcher api = REST_API.matcher(path);
        if (api.matches()) {
            return restApi.answer(request, auth, api.group(1));
        }
        return SimResponse.notFound(request);
    }

    private static void sleep(Duration latency) {
        if (latency.isZero()) {
            return;
        }
        try {
            Thread.sleep(latency.toMillis(), latency.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
