package io.jenkins.plugins.bbdc.testkit.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator.SimNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.jenkins.plugins.bbdc.testkit.bitbucket.SimHttp.await;
import static io.jenkins.plugins.bbdc.testkit.bitbucket.SimHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** replaceNode: an Auto Scaling replacement — the old node leaves, a new node with a new id and port joins. */
class NodeReplacementTest {
    private final SimHttp http = new SimHttp();
    private BitbucketSimulator sim;

    @BeforeEach
    void startSimulator() {
        sim = BitbucketSimulator.builder().nodes(2).version("8.19.1").stopTime(Duration.ofMillis(80))
                .startTime(Duration.ofMillis(150)).healthCheckInterval(Duration.ofMillis(30)).start();
    }

    @AfterEach
    void closeSimulator() {
        sim.close();
    }

    private List<String> zduNodes() {
        List<String> nodes = new ArrayList<>();
        json(http.get(sim.baseUrl(), "/rest/zdu/cluster")).get("nodes").forEach(n -> nodes.add(
                n.get("name").asText() + "=" + n.get("state").asText() + "/" + n.get("version").asText()));
        return nodes;
    }

    @Test
    void duringUpgradeModeTheReplacedNodeStaysListedOfflineAndTheNewNodeJoinsOnTheNewVersion() {
        assertThat(http.post(sim.baseUrl(), "/rest/zdu/start").statusCode()).isEqualTo(200);
        SimNode old = sim.node("bb-node-1");
        SimNode fresh = sim.replaceNode("bb-node-1", "8.19.2");

        assertThat(fresh.id()).isNotEqualTo(old.id());
        assertThat(fresh.name()).isEqualTo("bb-node-3");
        assertThat(fresh.url()).isNotEqualTo(old.url());
        assertThat(fresh.zduState()).isEqualTo("STARTING");
        assertThat(http.get(fresh.url(), "/status").statusCode()).isEqualTo(503);

        await("the new node is ACTIVE", () -> "ACTIVE".equals(fresh.zduState()));
        await("the old node is OFFLINE", () -> "OFFLINE".equals(old.zduState()));
        assertThat(json(http.get(fresh.url(), "/status")).get("state").asText()).isEqualTo("RUNNING");
        assertThat(zduNodes()).containsExactly("bb-node-1=OFFLINE/8.19.1", "bb-node-2=ACTIVE/8.19.1",
                "bb-node-3=ACTIVE/8.19.2");
        assertThat(sim.clusterState()).isEqualTo("MIXED");
        assertThat(sim.nodes()).extracting(SimNode::name).containsExactly("bb-node-2", "bb-node-3");
        JsonNode admin = json(http.get(fresh.url(), "/rest/api/1.0/admin/cluster"));
        List<String> members = new ArrayList<>();
        admin.get("nodes").forEach(n -> members.add(n.get("name").asText()));
        assertThat(members).containsExactly("bb-node-2", "bb-node-3");

        sim.loadBalancer().checkNow();
        assertThat(sim.loadBalancer().inRotation(fresh.id())).isTrue();
        assertThat(sim.node(old.id())).isSameAs(old);
        assertThatThrownBy(() -> sim.replaceNode(old.id(), "8.19.2"))
                .hasMessageContaining("already replaced");

        SimNode second = sim.replaceNode("bb-node-2", "8.19.2");
        await("every replacement is ACTIVE", () -> "ACTIVE".equals(second.zduState()));
        await("the replaced node is OFFLINE", () -> "OFFLINE".equals(sim.node("bb-node-2").zduState()));
        assertThat(sim.clusterState()).isEqualTo("READY_TO_RUN_UPGRADE_TASKS");
    }

    @Test
    void outsideUpgradeModeTheReplacedNodeDisappearsAndANewNodeCanListenOnAGivenPort() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        SimNode fresh = sim.replaceNode("bb-node-2", "8.19.1", port);
        assertThat(fresh.url().getPort()).isEqualTo(port);
        await("the new node is ACTIVE", () -> "ACTIVE".equals(fresh.zduState()));
        await("the old node left", () -> zduNodes().equals(List.of("bb-node-1=ACTIVE/8.19.1",
                "bb-node-3=ACTIVE/8.19.1")));
        assertThat(sim.clusterState()).isEqualTo("STABLE");
    }
}
