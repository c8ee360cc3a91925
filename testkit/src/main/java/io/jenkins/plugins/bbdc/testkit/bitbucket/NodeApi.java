package io.jenkins.plugins.bbdc.testkit.bitbucket;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator.RecordedCall;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything one node answers: the request pipeline (record, latency, injected faults, node lifecycle gate,
 * authentication) and the routes of /status, /mvc, /rest/api and /rest/zdu.
 */
final class NodeApi implements HttpHandler {
    /** Header the load balancer's own health checks carry; such calls are neither recorded nor delayed nor faulted. */
    static final String HEALTH_CHECK_HEADER = "X-Simulator-Health-Check";

    private static final Pattern REST_API = Pattern.compile("/rest/api/(?:1\\.0|latest)(/.*)");
    private static final Pattern MESH_NODE = Pattern.compile("/admin/git/mesh/nodes/([^/]+)");
    private static final Pattern ZDU_NODE = Pattern.compile("/rest/zdu/nodes/([^/]+)");
    private static final String LOGIN_PAGE = "<!DOCTYPE html><html><head><title>Log in - Single sign-on</title>"
            + "</head><body><form action=\"/login\" method=\"post\"><input name=\"username\"></form></body></html>";

    private final SimCluster cluster;
    private SimNodeImpl node;

    NodeApi(SimCluster cluster) {
        this.cluster = cluster;
    }

    void attach(SimNodeImpl node) {
        this.node = node;
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
            return mvc(request, auth);
        }
        if (path.startsWith("/rest/zdu/")) {
            return zdu(request, auth);
        }
        Matcher api = REST_API.matcher(path);
        if (api.matches()) {
            return restApi(request, auth, api.group(1));
        }
        return notFound(request);
    }

    // ---- /mvc (section 3) ----

    private SimResponse mvc(SimRequest request, SimUsers.Auth auth) {
        String path = request.path;
        String method = request.method;
        SimResponse denied = AccessRules.sysadmin(auth, 403, AccessRules.NOT_SYSADMIN);
        boolean known = path.equals("/mvc/maintenance/lock") || path.equals("/mvc/admin/backups")
                || path.equals("/mvc/admin/backups/progress/client") || path.equals("/mvc/maintenance");
        if (!known) {
            return notFound(request);
        }
        if (denied != null) {
            return denied;
        }
        Maintenance maintenance = cluster.maintenance;
        switch (path) {
            case "/mvc/maintenance/lock":
                if (method.equals("POST")) {
                    return maintenance.lock();
                }
                if (method.equals("DELETE")) {
                    return maintenance.unlock(request);
                }
                break;
            case "/mvc/admin/backups":
                if (method.equals("POST")) {
                    return maintenance.startBackup(request);
                }
                break;
            case "/mvc/admin/backups/progress/client":
                if (method.equals("POST")) {
                    return maintenance.progress(request);
                }
                break;
            default:
                if (method.equals("GET")) {
                    return maintenance.poll(request);
                }
                if (method.equals("POST")) {
                    return maintenance.cancel(request);
                }
        }
        return methodNotAllowed(request);
    }

    // ---- /rest/api (sections 5, 7, 8.1 and the user-traffic endpoint) ----

    private SimResponse restApi(SimRequest request, SimUsers.Auth auth, String resource) {
        SimResponse xsrf = AccessRules.xsrf(request, cluster.faults.enforceXsrf());
        if (resource.equals("/application-properties")) {
            SimResponse denied = AccessRules.anyone(auth);
            return denied != null ? denied : onlyGet(request, () -> applicationProperties());
        }
        if (resource.equals("/projects")) {
            SimResponse denied = AccessRules.anyone(auth);
            return denied != null ? denied : onlyGet(request, this::projects);
        }
        if (resource.equals("/admin/cluster")) {
            SimResponse denied = AccessRules.sysadmin(auth, 401, AccessRules.CLUSTER_INFO_DENIED);
            return denied != null ? denied : onlyGet(request, this::adminCluster);
        }
        if (resource.equals("/admin/git/mesh/nodes")) {
            SimResponse denied = AccessRules.sysadmin(auth, 403, AccessRules.NOT_SYSADMIN);
            if (denied == null) {
                denied = xsrf;
            }
            return denied != null ? denied : onlyGet(request, this::meshNodes);
        }
        Matcher mesh = MESH_NODE.matcher(resource);
        if (mesh.matches()) {
            SimResponse denied = AccessRules.sysadmin(auth, 403, AccessRules.NOT_SYSADMIN);
            if (denied == null) {
                denied = xsrf;
            }
            return denied != null ? denied : onlyGet(request, () -> meshNode(mesh.group(1)));
        }
        return notFound(request);
    }

    private SimResponse applicationProperties() {
        String version = node.version();
        return SimResponse.json(200, Json.obj("version", version, "buildNumber", BuildNumbers.of(version),
                "buildDate", "1712345678901", "displayName", "Bitbucket"));
    }

    private SimResponse projects() {
        if (cluster.maintenance.active()) {
            return SimResponse.error(503, "Bitbucket is locked for maintenance; try again later.");
        }
        Map<String, Object> project = Json.obj("key", "PRJ", "id", 1, "name", "Project", "public", false,
                "type", "NORMAL");
        return SimResponse.json(200, Json.obj("size", 1, "limit", 25, "isLastPage", true,
                "values", List.of(project), "start", 0));
    }

    private SimResponse adminCluster() {
        List<Object> members = new ArrayList<>();
        for (SimNodeImpl member : cluster.nodes) {
            if (member.life() != SimNodeImpl.Life.STOPPED) {
                members.add(clusterNode(member));
            }
        }
        return SimResponse.json(200, Json.obj("running", true, "localNode", clusterNode(node), "nodes", members));
    }

    private Map<String, Object> clusterNode(SimNodeImpl member) {
        return Json.obj("id", member.id(), "name", member.name(),
                "address", Json.obj("address", "127.0.0.1", "port", 5700 + member.index),
                "buildVersion", member.version(), "local", member == node);
    }

    private SimResponse meshNodes() {
        List<Object> values = new ArrayList<>();
        for (int i = 1; i <= cluster.settings.meshNodes; i++) {
            values.add(meshNodeDto(i));
        }
        return SimResponse.json(200, Json.obj("size", values.size(), "limit", 25, "isLastPage", true,
                "values", values, "start", 0));
    }

    private SimResponse meshNode(String id) {
        int index;
        try {
            index = Integer.parseInt(id);
        } catch (NumberFormatException e) {
            index = -1;
        }
        if (index < 1 || index > cluster.settings.meshNodes) {
            return SimResponse.error(404, "Mesh node " + id + " does not exist.");
        }
        return SimResponse.json(200, meshNodeDto(index));
    }

    private static Map<String, Object> meshNodeDto(int index) {
        return Json.obj("id", index, "name", "mesh-" + index, "rpcId", String.format("%08x", 0x5c1e0f00 + index),
                "rpcUrl", "https://mesh-" + index + ".bbdc-simulator.invalid:7777",
                "availabilityZone", "zone-" + (char) ('a' + (index - 1) % 3),
                "lastSeenDate", System.currentTimeMillis(), "offline", false, "state", "AVAILABLE");
    }

    // ---- /rest/zdu (section 4) ----

    private SimResponse zdu(SimRequest request, SimUsers.Auth auth) {
        SimResponse denied = AccessRules.sysadmin(auth, 403, AccessRules.NOT_SYSADMIN);
        if (denied == null) {
            denied = AccessRules.xsrf(request, cluster.faults.enforceXsrf());
        }
        if (denied == null && !cluster.settings.clustered) {
            denied = SimResponse.error(403, AccessRules.NOT_CLUSTERED);
        }
        if (denied != null) {
            return denied;
        }
        ZduUpgrade zdu = cluster.zdu;
        String path = request.path;
        if (request.method.equals("GET")) {
            if (path.equals("/rest/zdu/cluster")) {
                return SimResponse.json(200, zdu.clusterDto(node, cluster.faults.takeUnknownNodeState()));
            }
            if (path.equals("/rest/zdu/state")) {
                return SimResponse.json(200, Json.obj("state", zdu.clusterState(), "buildInfo",
                        zdu.nodeDto(node, node)));
            }
            Matcher one = ZDU_NODE.matcher(path);
            if (one.matches()) {
                for (SimNodeImpl listed : zdu.listedNodes()) {
                    if (listed.id().equals(one.group(1))) {
                        return SimResponse.json(200, zdu.nodeDto(listed, node));
                    }
                }
                return SimResponse.error(404, "No cluster node with id " + one.group(1) + ".");
            }
        }
        boolean newer = cluster.faults.newerZduPlugin();
        boolean action = path.equals("/rest/zdu/start") || path.equals("/rest/zdu/cancel")
                || path.equals("/rest/zdu/approve") || (newer && path.equals("/rest/zdu/retryUpgrade"));
        if (!action) {
            boolean knownGet = path.equals("/rest/zdu/cluster") || path.equals("/rest/zdu/state")
                    || ZDU_NODE.matcher(path).matches();
            return knownGet ? methodNotAllowed(request) : notFound(request);
        }
        if (!request.method.equals("POST")) {
            return methodNotAllowed(request);
        }
        SimResponse unsupported = AccessRules.jsonOnly(request);
        if (unsupported != null) {
            return unsupported;
        }
        boolean done;
        switch (path) {
            case "/rest/zdu/start":
                done = zdu.start();
                break;
            case "/rest/zdu/cancel":
                done = zdu.cancel();
                break;
            case "/rest/zdu/approve":
                if (ZduUpgrade.READY_TO_RUN_UPGRADE_TASKS.equals(zdu.clusterState())
                        && cluster.faults.approveFailsWith500()) {
                    return SimResponse.error(500, "Finalizing the upgrade failed (injected by the simulator).");
                }
                done = zdu.approve();
                break;
            default:
                done = zdu.retry();
        }
        return done ? SimResponse.json(200, zdu.clusterDto(node, null)) : SimResponse.empty(409);
    }

    // ---- helpers ----

    private interface Answer {
        SimResponse get();
    }

    private static SimResponse onlyGet(SimRequest request, Answer answer) {
        return request.method.equals("GET") || request.method.equals("HEAD") ? answer.get()
                : methodNotAllowed(request);
    }

    private static SimResponse notFound(SimRequest request) {
        return SimResponse.error(404, "No resource at " + request.path + " in the Bitbucket simulator.");
    }

    private static SimResponse methodNotAllowed(SimRequest request) {
        return SimResponse.error(405, "Method " + request.method + " is not allowed on " + request.path + ".");
    }

    private static void sleep(Duration latency) {
        if (latency.isZero()) {
            return;
        }
        try {
            Thread.sleep(latency.toMillis(), (int) (latency.toNanosPart() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
