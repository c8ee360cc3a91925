package io.jenkins.plugins.bbdc.testkit.bitbucket;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The /rest/api endpoints of sections 5, 7 and 8.1 plus the "user traffic" page, as one node answers them. Caller
 * holds the cluster monitor.
 */
final class RestApiResource {
    private static final Pattern MESH_NODE = Pattern.compile("/admin/git/mesh/nodes/([^/]+)");

    private final SimCluster cluster;
    private final SimNodeImpl node;

    RestApiResource(SimCluster cluster, SimNodeImpl node) {
        this.cluster = cluster;
        this.node = node;
    }

    SimResponse answer(SimRequest request, SimUsers.Auth auth, String resource) {
        SimResponse xsrf = AccessRules.xsrf(request, cluster.faults.enforceXsrf());
        if (resource.equals("/application-properties")) {
            SimResponse denied = AccessRules.anyone(auth);
            return denied != null ? denied : onlyGet(request, this::applicationProperties);
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
        return SimResponse.notFound(request);
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

    private static SimResponse onlyGet(SimRequest request, Supplier<SimResponse> answer) {
        return request.method.equals("GET") || request.method.equals("HEAD") ? answer.get()
                : SimResponse.methodNotAllowed(request);
    }
}
