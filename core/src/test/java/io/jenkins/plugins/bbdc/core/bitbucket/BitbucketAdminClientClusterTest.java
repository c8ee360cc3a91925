package io.jenkins.plugins.bbdc.core.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketException.Kind;
import io.jenkins.plugins.bbdc.core.bitbucket.SimClients.RecordingSleeper;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator.SimNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Version, cluster membership, per-node /status and Mesh nodes against the simulator, over HTTP. */
class BitbucketAdminClientClusterTest {
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private BitbucketSimulator sim;
    private BitbucketAdminClient client;

    @BeforeEach
    void start() {
        sim = BitbucketSimulator.builder().nodes(3).version("8.19.1").meshNodes(2).stopTime(Duration.ZERO)
                .startTime(Duration.ofSeconds(30)).start();
        client = SimClients.client(sim, sleeper);
    }

    @AfterEach
    void close() {
        sim.close();
    }

    @Test
    void applicationPropertiesGiveTheVersion() throws Exception {
        ApplicationProperties props = client.applicationProperties();
        assertThat(props.version()).isEqualTo("8.19.1");
        assertThat(props.parsedVersion()).isEqualTo(BitbucketVersion.parse("8.19.1"));
        assertThat(props.displayName()).isEqualTo("Bitbucket");
        assertThat(sim.calls("GET", "/rest/api/1.0/application-properties")).singleElement()
                .satisfies(c -> assertThat(c.user()).isEqualTo("admin"));
    }

    @Test
    void adminClusterListsTheRunningNodes() throws Exception {
        ClusterInfo info = client.adminCluster();
        assertThat(info.running()).isTrue();
        assertThat(info.nodes()).extracting(ClusterInfo.ClusterNode::name)
                .containsExactlyInAnyOrder("bb-node-1", "bb-node-2", "bb-node-3");
        assertThat(info.nodes()).allSatisfy(n -> {
            assertThat(n.buildVersion()).isEqualTo("8.19.1");
            assertThat(n.address()).isEqualTo("127.0.0.1");
            assertThat(n.port()).isNotNull();
        });
        assertThat(info.localNode()).isNotNull();
        assertThat(info.localNode().local()).isTrue();
    }

    @Test
    void nodeStatusOfARunningNodeIsReady() {
        SimNode node = sim.node("bb-node-1");
        NodeStatus status = client.nodeStatus(node.url());
        assertThat(status.ready()).isTrue();
        assertThat(status.httpStatus()).isEqualTo(200);
        assertThat(status.applicationState()).isEqualTo(ApplicationState.RUNNING);
        assertThat(status.error()).isNull();
        // /status is unauthenticated: no credentials are sent to it
        assertThat(sim.calls("GET", "/status")).singleElement()
                .satisfies(c -> assertThat(c.user()).isIn(null, "", "anonymous"));
    }

    @Test
    void nodeStatusWhileLockedIsMaintenanceAndNotReady() throws Exception {
        MaintenanceLock lock = client.lock();
        NodeStatus status = client.nodeStatus(sim.node("bb-node-2").url());
        assertThat(status.httpStatus()).isEqualTo(200);
        assertThat(status.applicationState()).isEqualTo(ApplicationState.MAINTENANCE);
        assertThat(status.ready()).isFalse();
        client.unlock(lock);
        assertThat(client.nodeStatus(sim.node("bb-node-2").url()).ready()).isTrue();
    }

    @Test
    void nodeStatusOfAStoppedNodeIsAnAnswerNotAnException() {
        SimNode node = sim.node("bb-node-3");
        node.stop();
        SimClients.await("bb-node-3 unreachable", () -> node.applicationState() == null);
        NodeStatus status = client.nodeStatus(node.url());
        assertThat(status.reachable()).isFalse();
        assertThat(status.ready()).isFalse();
        assertThat(status.httpStatus()).isZero();
        assertThat(status.error()).contains("refused").contains(node.url() + "/status");
    }

    @Test
    void nodeStatusOfAStartingNodeIs503Starting() {
        SimNode node = sim.node("bb-node-3");
        node.stop();
        SimClients.await("bb-node-3 unreachable", () -> node.applicationState() == null);
        node.start("8.19.2");
        SimClients.await("bb-node-3 starting", () -> "STARTING".equals(node.applicationState()));
        NodeStatus status = client.nodeStatus(node.url());
        assertThat(status.httpStatus()).isEqualTo(503);
        assertThat(status.applicationState()).isEqualTo(ApplicationState.STARTING);
        assertThat(status.ready()).isFalse();
    }

    @Test
    void nodeStatusNeverThrowsEvenForNonsense() {
        assertThat(client.nodeStatus(URI.create("ftp://example.invalid/")).error()).contains("not an http(s) URL");
        assertThat(client.nodeStatus(null).reachable()).isFalse();
        NodeStatus unknownHost = client.nodeStatus(URI.create("http://no-such-host.invalid:7990"));
        assertThat(unknownHost.reachable()).isFalse();
        assertThat(unknownHost.error()).isNotBlank();
    }

    @Test
    void meshNodesFromThePagedList() throws Exception {
        List<MeshNode> mesh = client.meshNodes();
        assertThat(mesh).extracting(MeshNode::name).containsExactly("mesh-1", "mesh-2");
        assertThat(mesh).extracting(MeshNode::id).containsExactly("1", "2");
        assertThat(mesh).allSatisfy(m -> {
            assertThat(m.meshState()).isEqualTo(MeshNodeState.AVAILABLE);
            assertThat(m.offline()).isFalse();
            assertThat(m.lastSeenDate()).isPositive();
            assertThat(m.rpcUrl()).startsWith("https://");
        });
    }

    @Test
    void oneMeshNodeAndAnUnknownOne() throws Exception {
        MeshNode two = client.meshNode("2");
        assertThat(two.name()).isEqualTo("mesh-2");
        assertThatThrownBy(() -> client.meshNode("9")).isInstanceOfSatisfying(BitbucketException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
            assertThat(e.getMessage()).contains("no Mesh node with id '9'");
        });
    }
}
