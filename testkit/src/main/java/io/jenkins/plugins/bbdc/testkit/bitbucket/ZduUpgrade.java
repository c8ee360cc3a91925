package io.jenkins.plugins.bbdc.testkit.bitbucket;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rolling-upgrade state machine of section 4: upgrade mode, the node snapshot, finalization, the ordered
 * cluster-state rules of 4.5 and the transitions of 4.6. Guarded by the cluster's monitor.
 */
final class ZduUpgrade {
    static final String STABLE = "STABLE";
    static final String READY_TO_UPGRADE = "READY_TO_UPGRADE";
    static final String MIXED = "MIXED";
    static final String READY_TO_RUN_UPGRADE_TASKS = "READY_TO_RUN_UPGRADE_TASKS";
    static final String RUNNING_UPGRADE_TASKS = "RUNNING_UPGRADE_TASKS";
    static final String UPGRADE_TASKS_FAILED = "UPGRADE_TASKS_FAILED";

    private final SimCluster cluster;
    private boolean enabled;
    private String originalVersion;
    private final Set<SimNodeImpl> snapshot = new LinkedHashSet<>();
    private boolean finalizing;
    private boolean finalizationFailed;
    private long finalizationRun;

    ZduUpgrade(SimCluster cluster) {
        this.cluster = cluster;
    }

    boolean enabled() {
        return enabled;
    }

    String originalVersion() {
        return originalVersion;
    }

    boolean hasFinalizationTasks() {
        return finalizing || finalizationFailed;
    }

    /** ZDU state of a node whose application is RUNNING, given where finalization stands. */
    String finalizationStateOfRunningNode() {
        if (finalizing) {
            return "RUNNING_FINALIZE_UPGRADE_TASKS";
        }
        return finalizationFailed ? "UPGRADE_TASKS_FAILED" : "ACTIVE";
    }

    /** The older plugin does not know the two finalization node states; it reports those nodes ACTIVE. */
    static String exposedNodeState(String internal, boolean newerPlugin) {
        if (!newerPlugin && ("RUNNING_FINALIZE_UPGRADE_TASKS".equals(internal)
                || "UPGRADE_TASKS_FAILED".equals(internal))) {
            return "ACTIVE";
        }
        return internal;
    }

    /** Nodes ZDU lists: the snapshot taken at start plus live nodes while upgrade mode is on; else live nodes. */
    List<SimNodeImpl> listedNodes() {
        Set<SimNodeImpl> listed = new LinkedHashSet<>();
        if (enabled) {
            listed.addAll(snapshot);
        }
        for (SimNodeImpl node : cluster.nodes) {
            if (node.life() != SimNodeImpl.Life.STOPPED) {
                listed.add(node);
            }
        }
        List<SimNodeImpl> sorted = new ArrayList<>(listed);
        sorted.sort(Comparator.comparing(SimNodeImpl::name));
        return sorted;
    }

    /** The ordered rules of section 4.5; the first match wins. */
    String clusterState() {
        List<SimNodeImpl> nodes = listedNodes();
        List<String> states = new ArrayList<>();
        for (SimNodeImpl node : nodes) {
            states.add(node.internalZduState());
        }
        if (states.contains("RUNNING_FINALIZE_UPGRADE_TASKS")) {
            return RUNNING_UPGRADE_TASKS;
        }
        if (!enabled) {
            return states.contains("UPGRADE_TASKS_FAILED") || finalizationFailed ? UPGRADE_TASKS_FAILED : STABLE;
        }
        if (states.contains("ERROR")) {
            return MIXED;
        }
        Set<String> versions = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (!"OFFLINE".equals(states.get(i))) {
                versions.add(nodes.get(i).version());
            }
        }
        if (versions.size() > 1) {
            return MIXED;
        }
        if (versions.isEmpty() || versions.contains(originalVersion)) {
            return READY_TO_UPGRADE;
        }
        return READY_TO_RUN_UPGRADE_TASKS;
    }

    /** Action rels allowed in {@code state}, in the order of the table in section 4.3. */
    List<String> allowedActions(String state, boolean newerPlugin) {
        switch (state) {
            case STABLE:
                return List.of("start");
            case READY_TO_UPGRADE:
                return List.of("cancel");
            case READY_TO_RUN_UPGRADE_TASKS:
                return List.of("approve");
            case UPGRADE_TASKS_FAILED:
                return newerPlugin ? List.of("retryUpgrade") : List.of();
            default:
                return List.of();
        }
    }

    /** POST /start: only from STABLE; records the original version and snapshots the node list. */
    boolean start() {
        if (!STABLE.equals(clusterState())) {
            return false;
        }
        List<SimNodeImpl> live = listedNodes();
        enabled = true;
        snapshot.clear();
        snapshot.addAll(live);
        originalVersion = live.isEmpty() ? cluster.settings.version : live.get(0).version();
        return true;
    }

    /** POST /cancel: only from READY_TO_UPGRADE. */
    boolean cancel() {
        if (!READY_TO_UPGRADE.equals(clusterState())) {
            return false;
        }
        disable();
        return true;
    }

    /** POST /approve: only from READY_TO_RUN_UPGRADE_TASKS; starts finalization. */
    boolean approve() {
        if (!READY_TO_RUN_UPGRADE_TASKS.equals(clusterState())) {
            return false;
        }
        disable();
        runFinalization();
        return true;
    }

    /** POST /retryUpgrade: only from UPGRADE_TASKS_FAILED; re-runs finalization. */
    boolean retry() {
        if (!UPGRADE_TASKS_FAILED.equals(clusterState())) {
            return false;
        }
        finalizationFailed = false;
        runFinalization();
        return true;
    }

    private void disable() {
        enabled = false;
        originalVersion = null;
        snapshot.clear();
    }

    private void runFinalization() {
        finalizing = true;
        long run = ++finalizationRun;
        cluster.schedule(cluster.settings.finalizationTime, () -> {
            synchronized (cluster) {
                if (run == finalizationRun && finalizing) {
                    finalizing = false;
                    finalizationFailed = cluster.faults.takeFinalizationFailure();
                }
            }
        });
    }

    /** Bitbucket's {@code Cluster} object as seen from {@code local}. */
    Map<String, Object> clusterDto(SimNodeImpl local, String injectedUnknownState) {
        boolean newer = cluster.faults.newerZduPlugin();
        String state = clusterState();
        List<Object> nodes = new ArrayList<>();
        for (SimNodeImpl node : listedNodes()) {
            Map<String, Object> dto = nodeDto(node, local);
            if (injectedUnknownState != null && nodes.isEmpty()) {
                dto.put("state", injectedUnknownState);
            }
            nodes.add(dto);
        }
        List<Object> links = new ArrayList<>();
        links.add(link("self", cluster.baseUrl() + "/rest/zdu/cluster"));
        for (String rel : allowedActions(state, newer)) {
            links.add(link(rel, cluster.baseUrl() + "/rest/zdu/" + rel));
        }
        Map<String, Object> dto = Json.obj("upgradeModeEnabled", enabled);
        if (newer) {
            dto.put("hasFinalizationTasks", hasFinalizationTasks());
        }
        dto.put("state", state);
        dto.put("originalVersion", originalVersion);
        dto.put("nodes", nodes);
        dto.put("links", links);
        return dto;
    }

    /** A {@code NodeInfoDTO}. */
    Map<String, Object> nodeDto(SimNodeImpl node, SimNodeImpl local) {
        boolean newer = cluster.faults.newerZduPlugin();
        Map<String, Object> dto = Json.obj(
                "id", node.id(),
                "name", node.name(),
                "ipAddress", "127.0.0.1",
                "state", exposedNodeState(node.internalZduState(), newer),
                "tasksTotal", node.tasks(),
                "activeUserCount", node.activeUsers(),
                "buildNumber", BuildNumbers.of(node.version()),
                "version", node.version(),
                "local", node == local);
        if (newer) {
            dto.put("finalization", null);
        } else {
            dto.put("portNumber", node.port());
        }
        dto.put("links", List.of(link("self", cluster.baseUrl() + "/rest/zdu/nodes/" + node.id())));
        return dto;
    }

    private static Map<String, Object> link(String rel, String href) {
        return Json.obj("rel", rel, "href", href);
    }
}
