package io.jenkins.plugins.bbdc.testkit.bitbucket;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The /rest/zdu resource of section 4 as one node answers it. Caller holds the cluster monitor. */
final class ZduResource {
    private static final Pattern ZDU_NODE = Pattern.compile("/rest/zdu/nodes/([^/]+)");

    private final SimCluster cluster;
    private final SimNodeImpl node;

    ZduResource(SimCluster cluster, SimNodeImpl node) {
        this.cluster = cluster;
        this.node = node;
    }

    SimResponse answer(SimRequest request, SimUsers.Auth auth) {
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
            return knownGet ? SimResponse.methodNotAllowed(request) : SimResponse.notFound(request);
        }
        if (!request.method.equals("POST")) {
            return SimResponse.methodNotAllowed(request);
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
}
