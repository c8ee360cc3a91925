package io.jenkins.plugins.bbdc.core.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdminClient;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketClientOptions;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator.SimNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The restore preflight's "stopped everywhere" rule against the simulator over real HTTP. */
class BitbucketStoppedCheckTest {
    BitbucketSimulator sim;
    BitbucketAdminClient client;
    List<URI> nodeUrls;

    @BeforeEach
    void cluster() {
        sim = BitbucketSimulator.builder().nodes(3).stopTime(Duration.ofMillis(20))
                .healthCheckInterval(Duration.ofMillis(20)).start();
        client = new BitbucketAdminClient(BitbucketClientOptions.builder(sim.baseUrl()).basicAuth("admin", "admin")
                .connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(2)).build());
        nodeUrls = sim.nodes().stream().map(SimNode::url).toList();
    }

    @AfterEach
    void close() {
        sim.close();
    }

    @Test
    void aSingleRunningNodeIsNamed() throws Exception {
        sim.nodes().get(0).stop();
        sim.nodes().get(1).stop();
        awaitUnreachable(sim.nodes().get(0), sim.nodes().get(1));

        List<String> running = new BitbucketStoppedCheck().stillRunning(client, nodeUrls);

        assertThat(running).anyMatch(r -> r.contains(sim.nodes().get(2).url().toString()) && r.contains("RUNNING"));
        assertThat(running).noneMatch(r -> r.contains(sim.nodes().get(0).url().toString()));
    }

    @Test
    void everyNodeStoppedPasses() throws Exception {
        sim.nodes().forEach(SimNode::stop);
        awaitUnreachable(sim.nodes().toArray(SimNode[]::new));

        assertThat(new BitbucketStoppedCheck().stillRunning(client, nodeUrls)).isEmpty();
    }

    private void awaitUnreachable(SimNode... nodes) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (SimNode n : nodes) {
            while (client.nodeStatus(n.url()).reachable()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(n.name() + " still answers");
                }
                Thread.sleep(20);
            }
        }
    }
}
