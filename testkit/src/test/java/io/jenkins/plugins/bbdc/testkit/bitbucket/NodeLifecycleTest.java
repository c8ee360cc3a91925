package io.jenkins.plugins.bbdc.testkit.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator.SimNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.jenkins.plugins.bbdc.testkit.bitbucket.SimHttp.await;
import static io.jenkins.plugins.bbdc.testkit.bitbucket.SimHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Node stop / start / error as /status, admin/cluster, application-properties and /rest/zdu report them. */
class NodeLifecycleTest {
    private final SimHttp http = new SimHttp();
    private BitbucketSimulator sim;

    @BeforeEach
    void startSimulator() {
        // long enough that the STARTING window survives a few HTTP round trips on a loaded machine
        sim = BitbucketSimulator.builder().nodes(2).version("8.19.1").stopTime(Duration.ofMillis(150))
                .startTime(Duration.ofMillis(1500)).start();
    }

    @AfterEach
    void closeSimulator() {
        sim.close();
    }

    private HttpResponse<String> status(SimNode node) {
        return http.get(node.url(), "/status");
    }

    private List<String> adminClusterNames(SimNode askedNode) {
        JsonNode cluster = json(http.get(askedNode.url(), "/rest/api/latest/admin/cluster"));
        List<String> names = new ArrayList<>();
        cluster.get("nodes").forEach(node -> names.add(node.get("name").asText()));
        return names;
    }

    private String zduStateOf(SimNode node, SimNode askedNode) {
        return json(http.get(askedNode.url(), "/rest/zdu/nodes/" + node.id())).get("state").asText();
    }

    @Test
    void runningNodesAgreeEverywhere() {
        SimNode first = sim.nodes().get(0);
        HttpResponse<String> status = status(first);
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(json(status).get("state").asText()).isEqualTo("RUNNING");
        JsonNode cluster = json(http.get(first.url(), "/rest/api/1.0/admin/cluster"));
        assertThat(cluster.get("running").asBoolean()).isTrue();
        assertThat(cluster.get("localNode").get("id").asText()).isEqualTo(first.id());
        assertThat(cluster.get("localNode").get("local").asBoolean()).isTrue();
        assertThat(cluster.get("localNode").get("buildVersion").asText()).isEqualTo("8.19.1");
        assertThat(adminClusterNames(first)).containsExactly("bb-node-1", "bb-node-2");
        assertThat(zduStateOf(sim.nodes().get(1), first)).isEqualTo("ACTIVE");
        JsonNode properties = json(http.get(first.url(), "/rest/api/1.0/application-properties"));
        assertThat(properties.get("version").asText()).isEqualTo("8.19.1");
        assertThat(properties.get("buildNumber").asText()).isEqualTo("8019001");
        assertThat(properties.get("displayName").asText()).isEqualTo("Bitbucket");
    }

    @Test
    void stoppedNodeIsStoppingThenRefusesConnectionsAndLeavesTheCluster() {
        SimNode first = sim.nodes().get(0);
        SimNode second = sim.nodes().get(1);
        URI firstUrl = first.url();
        first.stop();
        HttpResponse<String> stopping = status(first);
        assertThat(stopping.statusCode()).isEqualTo(503);
        assertThat(json(stopping).get("state").asText()).isEqualTo("STOPPING");
        assertThat(first.applicationState()).isEqualTo("STOPPING");

        await("unreachable", () -> first.applicationState() == null);
        assertThatThrownBy(() -> http.get(firstUrl, "/status"))
                .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(ConnectException.class);
        assertThat(first.zduState()).isEqualTo("OFFLINE");
        assertThat(adminClusterNames(second)).containsExactly("bb-node-2");
        // Upgrade mode is off: ZDU lists live members only.
        assertThat(json(http.get(second.url(), "/rest/zdu/cluster")).get("nodes")).hasSize(1);
    }

    @Test
    void startedNodeAnswers503StartingThenRunsTheNewVersionOnTheSamePort() {
        SimNode first = sim.nodes().get(0);
        URI before = first.url();
        first.stop();
        await("unreachable", () -> first.applicationState() == null);
        first.start("8.19.2");
        assertThat(first.url()).isEqualTo(before);
        HttpResponse<String> starting = status(first);
        assertThat(starting.statusCode()).isEqualTo(503);
        assertThat(json(starting).get("state").asText()).isEqualTo("STARTING");
        assertThat(zduStateOf(first, sim.nodes().get(1))).isEqualTo("STARTING");
        assertThat(http.get(first.url(), "/rest/api/1.0/application-properties").statusCode()).isEqualTo(503);

        await("RUNNING", () -> "RUNNING".equals(first.applicationState()));
        assertThat(json(status(first)).get("state").asText()).isEqualTo("RUNNING");
        assertThat(zduStateOf(first, sim.nodes().get(1))).isEqualTo("ACTIVE");
        assertThat(json(http.get(first.url(), "/rest/api/latest/application-properties")).get("version").asText())
                .isEqualTo("8.19.2");
        assertThat(json(http.get(sim.nodes().get(1).url(), "/rest/api/latest/application-properties"))
                .get("version").asText()).isEqualTo("8.19.1");
        JsonNode cluster = json(http.get(sim.nodes().get(1).url(), "/rest/api/latest/admin/cluster"));
        assertThat(cluster.get("nodes").get(0).get("buildVersion").asText()).isEqualTo("8.19.2");
    }

    @Test
    void startWhileStoppingRestartsOnceStopped() {
        SimNode first = sim.nodes().get(0);
        first.stop();
        first.start("8.19.2");
        await("restarted", () -> "RUNNING".equals(first.applicationState()));
        assertThat(first.version()).isEqualTo("8.19.2");
        assertThatThrownBy(() -> first.start("8.19.3")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stop it");
    }

    @Test
    void failedNodeAnswers500ErrorEverywhereAndCanBeRestarted() {
        SimNode first = sim.nodes().get(0);
        first.fail();
        HttpResponse<String> status = status(first);
        assertThat(status.statusCode()).isEqualTo(500);
        assertThat(json(status).get("state").asText()).isEqualTo("ERROR");
        assertThat(zduStateOf(first, sim.nodes().get(1))).isEqualTo("ERROR");
        assertThat(adminClusterNames(sim.nodes().get(1))).contains("bb-node-1");
        first.start("8.19.1");
        await("RUNNING", () -> "RUNNING".equals(first.applicationState()));
    }

    @Test
    void forcedZduStateAndLoadShowInTheNodeInfo() {
        SimNode first = sim.nodes().get(0);
        first.setLoad(14, 2);
        first.forceZduState("DRAINING");
        JsonNode node = json(http.get(sim.nodes().get(1).url(), "/rest/zdu/nodes/" + first.id()));
        assertThat(node.get("state").asText()).isEqualTo("DRAINING");
        assertThat(node.get("activeUserCount").asInt()).isEqualTo(14);
        assertThat(node.get("tasksTotal").asInt()).isEqualTo(2);
        assertThat(node.get("local").asBoolean()).isFalse();
        first.forceZduState(null);
        assertThat(first.zduState()).isEqualTo("ACTIVE");
        assertThatThrownBy(() -> first.forceZduState("OFFLINE")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stop()");
    }
}
