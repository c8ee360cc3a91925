package io.jenkins.plugins.bbdc.core.bitbucket;

import static io.jenkins.plugins.bbdc.core.bitbucket.SimClients.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketException.Kind;
import io.jenkins.plugins.bbdc.core.bitbucket.SimClients.RecordingSleeper;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator.RecordedCall;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator.SimNode;
import java.io.IOException;
import java.time.Duration;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rolling-upgrade resource (bitbucket-admin-api.md 4, rules 4 and 5) against the simulator, over HTTP. */
class BitbucketAdminClientZduTest {
    private static final String OLD = "8.19.1";
    private static final String NEW = "8.19.2";

    private final RecordingSleeper sleeper = new RecordingSleeper();
    private BitbucketSimulator sim;
    private BitbucketAdminClient client;

    @BeforeEach
    void start() {
        sim = BitbucketSimulator.builder().nodes(2).version(OLD).stopTime(Duration.ofMillis(20))
                .startTime(Duration.ofMillis(40)).finalizationTime(Duration.ofMillis(60)).start();
        client = SimClients.client(sim, sleeper);
    }

    @AfterEach
    void close() {
        sim.close();
    }

    private BitbucketAdminClient clientWith(Interceptor interceptor) {
        return new BitbucketAdminClient(SimClients.options(sim, sleeper)
                .httpClient(new OkHttpClient.Builder().addInterceptor(interceptor).build()).build());
    }

    private void upgrade(SimNode node) {
        node.stop();
        await(node.name() + " OFFLINE", () -> "OFFLINE".equals(node.zduState()));
        node.start(NEW);
        await(node.name() + " ACTIVE", () -> "ACTIVE".equals(node.zduState()));
    }

    @Test
    void readsClusterStateAndNodes() throws Exception {
        ZduCluster cluster = client.zduCluster();
        assertThat(cluster.clusterState()).isEqualTo(ClusterState.STABLE);
        assertThat(cluster.upgradeModeEnabled()).isFalse();
        assertThat(cluster.nodes()).extracting(ZduNode::name).containsExactly("bb-node-1", "bb-node-2");
        assertThat(cluster.nodes()).allSatisfy(n -> {
            assertThat(n.nodeState()).isEqualTo(NodeState.ACTIVE);
            assertThat(n.version()).isEqualTo(OLD);
        });
        assertThat(cluster.link("start")).contains(sim.baseUrl() + "/rest/zdu/start");

        ZduStateResponse state = client.zduState();
        assertThat(state.clusterState()).isEqualTo(ClusterState.STABLE);
        assertThat(state.buildInfo().local()).isTrue();

        SimNode n2 = sim.node("bb-node-2");
        ZduNode node = client.zduNode(n2.id());
        assertThat(node.name()).isEqualTo("bb-node-2");
        assertThat(node.version()).isEqualTo(OLD);
    }

    @Test
    void anUnknownNodeIdIsNotFoundAndNamed() {
        assertThatThrownBy(() -> client.zduNode("no-such-node")).isInstanceOfSatisfying(BitbucketException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
                    assertThat(e.getMessage()).contains("no cluster node with id 'no-such-node'");
                });
    }

    @Test
    void aWholeRollingUpgradeThroughTheLinks() throws Exception {
        ZduCluster started = client.startUpgradeMode();
        assertThat(started.clusterState()).isEqualTo(ClusterState.READY_TO_UPGRADE);
        assertThat(started.originalVersion()).isEqualTo(OLD);

        upgrade(sim.node("bb-node-1"));
        assertThat(client.zduCluster().clusterState()).isEqualTo(ClusterState.MIXED);
        upgrade(sim.node("bb-node-2"));
        assertThat(client.zduCluster().clusterState()).isEqualTo(ClusterState.READY_TO_RUN_UPGRADE_TASKS);

        ZduCluster approved = client.approveUpgrade();
        assertThat(approved.clusterState()).isIn(ClusterState.RUNNING_UPGRADE_TASKS, ClusterState.STABLE);
        await("STABLE after finalization", () -> "STABLE".equals(sim.clusterState()));
        assertThat(client.zduCluster().nodes()).allSatisfy(n -> assertThat(n.version()).isEqualTo(NEW));

        assertThat(sim.calls("POST", "/rest/zdu/")).extracting(RecordedCall::path)
                .containsExactly("/rest/zdu/start", "/rest/zdu/approve");
        assertThat(sim.calls("POST", "/rest/zdu/")).allSatisfy(c -> {
            assertThat(c.contentType()).startsWith("application/json");
            assertThat(c.xsrfHeader()).isEqualTo("no-check");
            assertThat(c.status()).isEqualTo(200);
        });
    }

    @Test
    void cancelFromReadyToUpgradeReturnsToStable() throws Exception {
        client.startUpgradeMode();
        ZduCluster cancelled = client.cancelUpgradeMode();
        assertThat(cancelled.clusterState()).isEqualTo(ClusterState.STABLE);
        assertThat(sim.upgradeModeEnabled()).isFalse();
    }

    @Test
    void startingTwiceIsSuccessBecauseTheClusterIsAlreadyThere() throws Exception {
        client.startUpgradeMode();
        ZduCluster again = client.startUpgradeMode();
        assertThat(again.clusterState()).isEqualTo(ClusterState.READY_TO_UPGRADE);
        // rule 5 without a blind POST: the second call saw READY_TO_UPGRADE and did not post again
        assertThat(sim.calls("POST", "/rest/zdu/start")).hasSize(1);
    }

    @Test
    void a409WhenSomeoneElseStartedFirstIsSuccess() throws Exception {
        // another administrator enables upgrade mode between our read of the cluster and our POST
        BitbucketAdminClient racing = clientWith(chain -> {
            Request request = chain.request();
            if (request.method().equals("POST") && request.url().encodedPath().endsWith("/rest/zdu/start")) {
                otherAdminPosts("/rest/zdu/start");
            }
            return chain.proceed(request);
        });

        ZduCluster result = racing.startUpgradeMode();

        assertThat(result.clusterState()).isEqualTo(ClusterState.READY_TO_UPGRADE);
        assertThat(sim.calls("POST", "/rest/zdu/start")).extracting(RecordedCall::status).containsExactly(200, 409);
    }

    @Test
    void a409ThatLeavesTheClusterElsewhereNamesItsState() {
        sim.faults().failNext("/rest/zdu/start", 1, 409);
        assertThatThrownBy(client::startUpgradeMode).isInstanceOfSatisfying(BitbucketException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.CONFLICT);
            assertThat(e.httpStatus()).isEqualTo(409);
            assertThat(e.getMessage()).contains("Cannot enable rolling-upgrade mode").contains("the cluster is STABLE")
                    .contains("bb-node-1 ACTIVE 8.19.1").contains("HTTP 409 from POST");
        });
        // never retried blindly
        assertThat(sim.calls("POST", "/rest/zdu/start")).hasSize(1);
    }

    @Test
    void cancelInMixedIsRefusedFromTheLinksWithoutPosting() throws Exception {
        client.startUpgradeMode();
        upgrade(sim.node("bb-node-1"));
        assertThatThrownBy(client::cancelUpgradeMode).isInstanceOfSatisfying(BitbucketException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.CONFLICT);
            assertThat(e.getMessage()).contains("the cluster is MIXED").contains("upgrade mode on")
                    .contains("original version 8.19.1").contains("cancelling is no longer possible");
        });
        assertThat(sim.calls("POST", "/rest/zdu/cancel")).isEmpty();
    }

    @Test
    void approveAnsweringFiveHundredSaysSoAndNamesTheStateAfterwards() throws Exception {
        client.startUpgradeMode();
        upgrade(sim.node("bb-node-1"));
        upgrade(sim.node("bb-node-2"));
        sim.faults().approveFailsWith500(true);
        assertThatThrownBy(client::approveUpgrade).isInstanceOfSatisfying(BitbucketException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.SERVER_ERROR);
            assertThat(e.httpStatus()).isEqualTo(500);
            assertThat(e.getMessage()).contains("approve").contains("HTTP 500")
                    .contains("The cluster is now READY_TO_RUN_UPGRADE_TASKS").contains("not repeated");
        });
        assertThat(sim.calls("POST", "/rest/zdu/approve")).hasSize(1);
    }

    @Test
    void failedFinalizationIsRetriedThroughItsLink() throws Exception {
        client.startUpgradeMode();
        upgrade(sim.node("bb-node-1"));
        upgrade(sim.node("bb-node-2"));
        sim.faults().finalizationFails(1);
        client.approveUpgrade();
        await("UPGRADE_TASKS_FAILED", () -> "UPGRADE_TASKS_FAILED".equals(sim.clusterState()));
        assertThat(client.zduCluster().link("retryUpgrade")).isPresent();

        ZduCluster retried = client.retryUpgrade();

        assertThat(retried.clusterState()).isIn(ClusterState.RUNNING_UPGRADE_TASKS, ClusterState.STABLE);
        await("STABLE after the retry", () -> "STABLE".equals(sim.clusterState()));
    }

    @Test
    void anOlderPluginWithoutRetryIsRefusedWithoutPosting() throws Exception {
        client.startUpgradeMode();
        upgrade(sim.node("bb-node-1"));
        upgrade(sim.node("bb-node-2"));
        sim.faults().finalizationFails(1);
        client.approveUpgrade();
        await("UPGRADE_TASKS_FAILED", () -> "UPGRADE_TASKS_FAILED".equals(sim.clusterState()));
        sim.faults().newerZduPlugin(false);

        assertThatThrownBy(client::retryUpgrade).isInstanceOfSatisfying(BitbucketException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.CONFLICT);
            assertThat(e.getMessage()).contains("does not offer 'retryUpgrade'");
        });
        assertThat(sim.calls("POST", "/rest/zdu/retryUpgrade")).isEmpty();
    }

    @Test
    void theHrefTheServerGivesIsTheOneCalled() throws Exception {
        BitbucketAdminClient linked = clientWith(SimClients.rewriteZduCluster(c -> SimClients.setLink(c, "start",
                sim.baseUrl() + "/rest/zdu/start?via=link")));
        linked.startUpgradeMode();
        assertThat(sim.calls("POST", "/rest/zdu/start")).singleElement()
                .satisfies(c -> assertThat(c.query()).isEqualTo("via=link"));
    }

    @Test
    void aLinkToAnotherHostIsCalledOnTheConfiguredHostSoCredentialsStayHome() throws Exception {
        BitbucketAdminClient linked = clientWith(SimClients.rewriteZduCluster(c -> SimClients.setLink(c, "start",
                "http://elsewhere.invalid:1/rest/zdu/start?via=foreign")));
        ZduCluster started = linked.startUpgradeMode();
        assertThat(started.clusterState()).isEqualTo(ClusterState.READY_TO_UPGRADE);
        assertThat(sim.calls("POST", "/rest/zdu/start")).singleElement()
                .satisfies(c -> assertThat(c.query()).isEqualTo("via=foreign"));
    }

    @Test
    void withoutAnyLinksTheFixedPathIsUsed() throws Exception {
        BitbucketAdminClient unlinked = clientWith(SimClients.rewriteZduCluster(c -> c.remove("links")));
        ZduCluster started = unlinked.startUpgradeMode();
        assertThat(sim.upgradeModeEnabled()).isTrue();
        assertThat(sim.calls("POST", "/rest/zdu/start")).singleElement()
                .satisfies(c -> assertThat(c.query()).isNull());
        assertThat(started.clusterState()).isEqualTo(ClusterState.READY_TO_UPGRADE);
    }

    @Test
    void anUnknownNodeStateIsKeptAndDoesNotBreakTheClient() throws Exception {
        sim.faults().unknownNodeStateOnce("HIBERNATING");
        ZduCluster cluster = client.zduCluster();
        assertThat(cluster.nodes()).extracting(ZduNode::state).contains("HIBERNATING");
        assertThat(cluster.nodes()).filteredOn(n -> "HIBERNATING".equals(n.state()))
                .allSatisfy(n -> assertThat(n.nodeState()).isEqualTo(NodeState.UNKNOWN));
        assertThat(cluster.clusterState()).isNotNull();
    }

    /** A second administrator, with its own plain HTTP client. */
    private void otherAdminPosts(String path) throws IOException {
        Request other = new Request.Builder().url(sim.baseUrl() + path)
                .header("Authorization", okhttp3.Credentials.basic("admin", "admin"))
                .header("X-Atlassian-Token", "no-check")
                .post(RequestBody.create(new byte[0], okhttp3.MediaType.get("application/json"))).build();
        try (Response r = new OkHttpClient().newCall(other).execute()) {
            if (r.code() != 200) {
                throw new IOException("the other administrator's start failed: " + r.code());
            }
        }
    }
}
