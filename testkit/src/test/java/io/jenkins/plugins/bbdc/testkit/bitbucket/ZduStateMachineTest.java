package io.jenkins.plugins.bbdc.testkit.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator.SimNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.jenkins.plugins.bbdc.testkit.bitbucket.SimHttp.await;
import static io.jenkins.plugins.bbdc.testkit.bitbucket.SimHttp.errorMessage;
import static io.jenkins.plugins.bbdc.testkit.bitbucket.SimHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The rolling-upgrade resource of section 4: rules of 4.5, transitions of 4.6, links, finalization. */
class ZduStateMachineTest {
    private static final String OLD = "8.19.1";
    private static final String NEW = "8.19.2";

    private final SimHttp http = new SimHttp();
    private BitbucketSimulator sim;

    @AfterEach
    void closeSimulator() {
        if (sim != null) {
            sim.close();
        }
    }

    private BitbucketSimulator start(int nodes) {
        return start(nodes, Duration.ofMillis(60));
    }

    private BitbucketSimulator start(int nodes, Duration finalizationTime) {
        sim = BitbucketSimulator.builder().nodes(nodes).version(OLD).stopTime(Duration.ofMillis(20))
                .startTime(Duration.ofMillis(40)).finalizationTime(finalizationTime).start();
        return sim;
    }

    private JsonNode cluster() {
        HttpResponse<String> response = http.get(sim.baseUrl(), "/rest/zdu/cluster");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    private String state() {
        return cluster().get("state").asText();
    }

    private HttpResponse<String> action(String rel) {
        return http.post(sim.baseUrl(), "/rest/zdu/" + rel);
    }

    private List<String> actionRels(JsonNode cluster) {
        List<String> rels = new ArrayList<>();
        for (JsonNode link : cluster.get("links")) {
            if (!link.get("rel").asText().equals("self")) {
                rels.add(link.get("rel").asText());
                assertThat(link.get("href").asText()).isEqualTo(sim.baseUrl() + "/rest/zdu/" + link.get("rel").asText());
            }
        }
        return rels;
    }

    /** Out of the load balancer first, as the documented procedure does, so no test call lands on it. */
    private void stopOut(SimNode node) {
        sim.loadBalancer().drain(node.id());
        node.stop();
        await(node.name() + " OFFLINE", () -> "OFFLINE".equals(node.zduState()));
    }

    private void startIn(SimNode node) {
        node.start(NEW);
        await(node.name() + " ACTIVE", () -> "ACTIVE".equals(node.zduState()));
        sim.loadBalancer().enable(node.id());
        await(node.name() + " back in rotation", () -> sim.loadBalancer().inRotation(node.id()));
    }

    private void upgrade(SimNode node) {
        stopOut(node);
        startIn(node);
    }

    @Test
    void stableClusterOffersOnlyStartAndListsEveryNode() {
        start(3);
        JsonNode cluster = cluster();
        assertThat(cluster.get("state").asText()).isEqualTo("STABLE");
        assertThat(cluster.get("upgradeModeEnabled").asBoolean()).isFalse();
        assertThat(cluster.get("originalVersion").isNull()).isTrue();
        assertThat(cluster.get("nodes")).hasSize(3);
        assertThat(cluster.get("nodes").get(0).get("name").asText()).isEqualTo("bb-node-1");
        assertThat(cluster.get("nodes").get(0).get("links").get(0).get("href").asText())
                .isEqualTo(sim.baseUrl() + "/rest/zdu/nodes/" + sim.nodes().get(0).id());
        assertThat(actionRels(cluster)).containsExactly("start");
        assertThat(cluster.get("links").get(0).get("href").asText()).isEqualTo(sim.baseUrl() + "/rest/zdu/cluster");
    }

    @Test
    void fullRollingUpgradeWalksThroughEveryStateWithTheRightLinks() {
        start(2);
        JsonNode started = json(action("start"));
        assertThat(started.get("state").asText()).isEqualTo("READY_TO_UPGRADE");
        assertThat(started.get("originalVersion").asText()).isEqualTo(OLD);
        assertThat(actionRels(started)).containsExactly("cancel");

        SimNode first = sim.nodes().get(0);
        stopOut(first);
        // OFFLINE nodes are ignored: still READY_TO_UPGRADE, and the stopped node stays listed.
        JsonNode whileStopped = cluster();
        assertThat(whileStopped.get("state").asText()).isEqualTo("READY_TO_UPGRADE");
        assertThat(whileStopped.get("nodes")).hasSize(2);
        assertThat(whileStopped.get("nodes").get(0).get("state").asText()).isEqualTo("OFFLINE");

        startIn(first);
        JsonNode mixed = cluster();
        assertThat(mixed.get("state").asText()).isEqualTo("MIXED");
        assertThat(actionRels(mixed)).isEmpty();

        upgrade(sim.nodes().get(1));
        JsonNode ready = cluster();
        assertThat(ready.get("state").asText()).isEqualTo("READY_TO_RUN_UPGRADE_TASKS");
        assertThat(actionRels(ready)).containsExactly("approve");

        JsonNode approved = json(action("approve"));
        assertThat(approved.get("state").asText()).isEqualTo("RUNNING_UPGRADE_TASKS");
        assertThat(approved.get("upgradeModeEnabled").asBoolean()).isFalse();
        assertThat(approved.get("nodes").get(0).get("state").asText()).isEqualTo("RUNNING_FINALIZE_UPGRADE_TASKS");
        assertThat(actionRels(approved)).isEmpty();
        await("STABLE", () -> state().equals("STABLE"));
        assertThat(sim.clusterState()).isEqualTo("STABLE");
        assertThat(sim.nodes()).allSatisfy(node -> assertThat(node.version()).isEqualTo(NEW));
    }

    @Test
    void shuttingDownTheOldNodesLooksReadyToApprove() {
        start(3);
        action("start");
        upgrade(sim.nodes().get(0));
        assertThat(state()).isEqualTo("MIXED");
        stopOut(sim.nodes().get(1));
        stopOut(sim.nodes().get(2));
        JsonNode trap = cluster();
        assertThat(trap.get("state").asText()).isEqualTo("READY_TO_RUN_UPGRADE_TASKS");
        assertThat(trap.get("nodes")).hasSize(3);
        assertThat(trap.get("nodes").get(1).get("state").asText()).isEqualTo("OFFLINE");
        assertThat(trap.get("nodes").get(1).get("version").asText()).isEqualTo(OLD);
    }

    @Test
    void errorNodeMakesTheUpgradeMixed() {
        start(2);
        action("start");
        sim.nodes().get(1).fail();
        // Asked of the healthy node: the load balancer may still route to the failed one until its next check.
        java.net.URI healthy = sim.nodes().get(0).url();
        assertThat(json(http.get(healthy, "/rest/zdu/cluster")).get("state").asText()).isEqualTo("MIXED");
        assertThat(http.post(healthy, "/rest/zdu/cancel").statusCode()).isEqualTo(409);
        assertThat(http.get(sim.nodes().get(1).url(), "/rest/zdu/cluster").statusCode()).isEqualTo(500);
    }

    @Test
    void everyIllegalTransitionAnswers409WithAnEmptyBody() {
        // Long enough for the RUNNING_UPGRADE_TASKS checks below to happen inside the finalization.
        start(2, Duration.ofMillis(600));
        for (String rel : List.of("cancel", "approve", "retryUpgrade")) {
            assertEmpty409(rel, "STABLE");
        }
        action("start");
        for (String rel : List.of("start", "approve", "retryUpgrade")) {
            assertEmpty409(rel, "READY_TO_UPGRADE");
        }
        upgrade(sim.nodes().get(0));
        for (String rel : List.of("start", "cancel", "approve", "retryUpgrade")) {
            assertEmpty409(rel, "MIXED");
        }
        upgrade(sim.nodes().get(1));
        for (String rel : List.of("start", "cancel", "retryUpgrade")) {
            assertEmpty409(rel, "READY_TO_RUN_UPGRADE_TASKS");
        }
        sim.faults().finalizationFails(1);
        action("approve");
        for (String rel : List.of("start", "cancel", "approve", "retryUpgrade")) {
            assertEmpty409(rel, "RUNNING_UPGRADE_TASKS");
        }
        await("UPGRADE_TASKS_FAILED", () -> state().equals("UPGRADE_TASKS_FAILED"));
        for (String rel : List.of("start", "cancel", "approve")) {
            assertEmpty409(rel, "UPGRADE_TASKS_FAILED");
        }
    }

    private void assertEmpty409(String rel, String inState) {
        assertThat(state()).isEqualTo(inState);
        HttpResponse<String> response = action(rel);
        assertThat(response.statusCode()).as(rel + " in " + inState).isEqualTo(409);
        assertThat(response.body()).as(rel + " in " + inState).isEmpty();
        assertThat(state()).isEqualTo(inState);
    }

    @Test
    void cancelReturnsToStableBeforeAnyNodeIsUpgraded() {
        start(2);
        action("start");
        JsonNode cancelled = json(action("cancel"));
        assertThat(cancelled.get("state").asText()).isEqualTo("STABLE");
        assertThat(cancelled.get("upgradeModeEnabled").asBoolean()).isFalse();
        assertThat(cancelled.get("originalVersion").isNull()).isTrue();
    }

    @Test
    void failedFinalizationOffersRetryWhichCanSucceed() {
        start(2);
        action("start");
        upgrade(sim.nodes().get(0));
        upgrade(sim.nodes().get(1));
        sim.faults().finalizationFails(1);
        action("approve");
        await("UPGRADE_TASKS_FAILED", () -> state().equals("UPGRADE_TASKS_FAILED"));
        JsonNode failed = cluster();
        assertThat(actionRels(failed)).containsExactly("retryUpgrade");
        assertThat(failed.get("hasFinalizationTasks").asBoolean()).isTrue();
        assertThat(failed.get("nodes").get(0).get("state").asText()).isEqualTo("UPGRADE_TASKS_FAILED");

        JsonNode retried = json(action("retryUpgrade"));
        assertThat(retried.get("state").asText()).isEqualTo("RUNNING_UPGRADE_TASKS");
        await("STABLE", () -> state().equals("STABLE"));
        assertThat(cluster().get("hasFinalizationTasks").asBoolean()).isFalse();
    }

    @Test
    void approveCanAnswer500AndChangesNothing() {
        start(1);
        action("start");
        upgrade(sim.nodes().get(0));
        sim.faults().approveFailsWith500(true);
        HttpResponse<String> response = action("approve");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(state()).isEqualTo("READY_TO_RUN_UPGRADE_TASKS");
        sim.faults().approveFailsWith500(false);
        assertThat(action("approve").statusCode()).isEqualTo(200);
    }

    @Test
    void olderPluginHasNoRetryNorFinalizationFields() {
        start(1);
        sim.faults().newerZduPlugin(false);
        JsonNode cluster = cluster();
        assertThat(cluster.has("hasFinalizationTasks")).isFalse();
        assertThat(cluster.get("nodes").get(0).has("portNumber")).isTrue();
        assertThat(cluster.get("nodes").get(0).has("finalization")).isFalse();
        assertThat(action("retryUpgrade").statusCode()).isEqualTo(404);
    }

    @Test
    void stateAndNodeEndpointsAgreeWithTheCluster() {
        start(2);
        SimNode second = sim.nodes().get(1);
        HttpResponse<String> stateResponse = http.get(second.url(), "/rest/zdu/state");
        JsonNode state = json(stateResponse);
        assertThat(state.get("state").asText()).isEqualTo("STABLE");
        assertThat(state.get("buildInfo").get("id").asText()).isEqualTo(second.id());
        assertThat(state.get("buildInfo").get("local").asBoolean()).isTrue();
        assertThat(state.get("buildInfo").get("buildNumber").asText()).isEqualTo("8019001");

        JsonNode node = json(http.get(sim.baseUrl(), "/rest/zdu/nodes/" + second.id()));
        assertThat(node.get("name").asText()).isEqualTo("bb-node-2");
        assertThat(node.get("state").asText()).isEqualTo("ACTIVE");
        assertThat(http.get(sim.baseUrl(), "/rest/zdu/nodes/no-such-node").statusCode()).isEqualTo(404);
    }

    @Test
    void nonClusteredInstanceAnswers403OnEveryZduCall() {
        sim = BitbucketSimulator.builder().nodes(1).clustered(false).start();
        for (String path : List.of("/rest/zdu/cluster", "/rest/zdu/state")) {
            HttpResponse<String> response = http.get(sim.baseUrl(), path);
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(errorMessage(response)).isEqualTo("Rolling upgrades feature requires a clustered installation.");
        }
        assertThat(action("start").statusCode()).isEqualTo(403);
    }

    @Test
    void unknownNodeStateIsInjectedOnce() {
        start(2);
        sim.faults().unknownNodeStateOnce("HIBERNATING");
        assertThat(cluster().get("nodes").get(0).get("state").asText()).isEqualTo("HIBERNATING");
        assertThat(cluster().get("nodes").get(0).get("state").asText()).isEqualTo("ACTIVE");
    }
}
