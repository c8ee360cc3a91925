package io.jenkins.plugins.bbdc.core.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdminClient;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketClientOptions;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator.SimNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Plain node URLs are matched to nodes by asking each URL for its local node, over real HTTP. */
class NodeUrlDiscoveryTest {
    private final BitbucketSimulator sim = BitbucketSimulator.builder().nodes(3).version("8.19.1").start();

    @AfterEach
    void close() {
        sim.close();
    }

    private NodeUrlDiscovery.NodeClients clients(String password) {
        return url -> new BitbucketAdminClient(BitbucketClientOptions.builder(java.net.URI.create(url))
                .basicAuth("admin", password).connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(5))
                .retryPolicy(io.jenkins.plugins.bbdc.core.bitbucket.RetryPolicy.NONE).build());
    }

    @Test
    void eachUrlIsKeyedByTheNodeThatAnswersIt() throws Exception {
        List<SimNode> nodes = sim.nodes();
        // listed in another order than the cluster's
        Map<String, String> byId = NodeUrlDiscovery.byNodeId(List.of(nodes.get(2).url().toString(),
                nodes.get(0).url().toString(), nodes.get(1).url().toString()), clients("admin"));

        assertThat(byId).hasSize(3);
        for (SimNode n : nodes) {
            assertThat(byId).containsEntry(n.id(), n.url().toString());
        }
    }

    @Test
    void aStoppedNodeATwiceListedNodeAndWrongCredentialsAreNamed() throws Exception {
        SimNode first = sim.nodes().get(0);
        SimNode second = sim.nodes().get(1);
        second.stop();
        awaitStopped(second);

        assertThatThrownBy(() -> NodeUrlDiscovery.byNodeId(List.of(first.url().toString(),
                first.url() + "/", second.url().toString()), clients("admin")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(second.url() + " did not say which node it is")
                .hasMessageContaining("both reach node " + first.name())
                .hasMessageContaining("remove it from the instance's node URLs");

        assertThatThrownBy(() -> NodeUrlDiscovery.byNodeId(List.of(first.url().toString()), clients("wrong")))
                .hasMessageContaining(first.url().toString()).hasMessageNotContaining("wrong");
    }

    private static void awaitStopped(SimNode node) throws InterruptedException {
        for (int i = 0; i < 500 && node.applicationState() != null; i++) {
            Thread.sleep(10);
        }
        assertThat(node.applicationState()).as("stopped").isNull();
    }
}
