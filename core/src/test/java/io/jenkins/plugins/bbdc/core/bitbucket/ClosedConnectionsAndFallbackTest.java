package io.jenkins.plugins.bbdc.core.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketException.Kind;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import io.jenkins.plugins.bbdc.testkit.proxy.ClosingFrontEnd;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Writes behind front ends that close keep-alive connections (an idle timeout, an HTTP/1.0 proxy), a write that may
 * have reached Bitbucket, one that provably did not, and the unlock's fallback over the maintenance URLs — real HTTP
 * against the simulator.
 */
class ClosedConnectionsAndFallbackTest {
    private BitbucketSimulator sim;
    private final SimClients.RecordingSleeper sleeper = new SimClients.RecordingSleeper();

    @BeforeEach
    void start() {
        sim = BitbucketSimulator.builder().nodes(2).start();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private BitbucketAdminClient through(URI url) {
        return new BitbucketAdminClient(BitbucketClientOptions.builder(url).basicAuth("admin", "admin")
                .retryPolicy(new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1), 0))
                .sleeper(sleeper).build());
    }

    @Test
    void aWriteAfterTheFrontEndClosedTheIdleConnectionSucceeds() throws Exception {
        try (ClosingFrontEnd lb = ClosingFrontEnd.idleTimeout(sim.baseUrl(), Duration.ofMillis(400))) {
            BitbucketAdminClient client = through(lb.url());
            client.applicationProperties();
            Thread.sleep(1_000); // longer than the front end's idle timeout, shorter than OkHttp's 10 s health probe

            MaintenanceLock lock = client.lock();
            client.startExternalBackup(lock);
            client.unlock(lock);

            assertThat(lb.closedIdle()).isGreaterThanOrEqualTo(1);
            assertThat(sim.isLocked()).isFalse();
            assertThat(sim.calls("POST", "/mvc/maintenance/lock")).hasSize(1);
        }
    }

    @Test
    void writesBehindAnHttp10ProxyThatClosesAfterEveryAnswerSucceed() throws Exception {
        try (ClosingFrontEnd lb = ClosingFrontEnd.closeAfterEachAnswer(sim.baseUrl())) {
            BitbucketAdminClient client = through(lb.url());
            client.applicationProperties();
            MaintenanceLock lock = client.lock();
            client.startExternalBackup(lock);
            client.maintenanceStatus(lock);
            client.reportProgress(lock, 100);
            client.unlock(lock);

            assertThat(sim.isLocked()).isFalse();
            assertThat(sim.calls("POST", "/mvc/maintenance/lock")).hasSize(1);
            assertThat(sim.calls("DELETE", "/mvc/maintenance/lock")).hasSize(1);
        }
    }

    @Test
    void aWriteThatMayHaveReachedBitbucketIsNeverSentAgain() {
        try (ClosingFrontEnd lb = ClosingFrontEnd.idleTimeout(sim.baseUrl(), Duration.ofSeconds(5))) {
            BitbucketAdminClient client = through(lb.url());
            lb.swallowNextAnswer();

            assertThatThrownBy(client::lock).isInstanceOfSatisfying(BitbucketException.class, e -> {
                assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
                assertThat(e.getMessage()).contains("may have reached Bitbucket", "was not repeated");
            });
            assertThat(sim.calls("POST", "/mvc/maintenance/lock")).hasSize(1);
            assertThat(sim.isLocked()).as("it did reach Bitbucket").isTrue();
        }
    }

    @Test
    void aWriteWhoseConnectionCouldNotBeMadeIsTriedAgain() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        BitbucketAdminClient client = through(URI.create("http://127.0.0.1:" + closedPort));

        assertThatThrownBy(client::lock).isInstanceOfSatisfying(BitbucketException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
            assertThat(e.getMessage()).contains("refused after 3 tries").doesNotContain("may have reached");
        });
        assertThat(sleeper.waits).hasSize(2);
    }

    @Test
    void theUnlockAndTheCancelFallBackToTheNodesWhenTheLoadBalancerRefusesWhileLocked() throws Exception {
        sim.loadBalancer().maintenanceIsDown(true);
        BitbucketAdminClient client = new BitbucketAdminClient(BitbucketClientOptions.builder(sim.baseUrl())
                .basicAuth("admin", "admin").sleeper(sleeper)
                .nodeUrls(List.of(sim.node("bb-node-1").url(), sim.node("bb-node-2").url())).build());
        assertThat(client.maintenanceUrls()).containsExactly(sim.baseUrl(), sim.node("bb-node-1").url(),
                sim.node("bb-node-2").url());
        MaintenanceLock lock = client.lock();
        assertThatThrownBy(() -> client.startExternalBackup(lock)).hasMessageContaining("503");

        client.unlock(lock);

        assertThat(sim.isLocked()).isFalse();
        assertThat(sim.calls("DELETE", "/mvc/maintenance/lock")).extracting(c -> c.target() + " " + c.status())
                .containsExactly("lb 503", "bb-node-1 200");
    }

    @Test
    void anUnlockWhoseLockIsAlreadyGoneSucceedsOnlyWhenBitbucketIsNoLongerInMaintenance() throws Exception {
        BitbucketAdminClient client = through(sim.baseUrl());
        MaintenanceLock lock = client.lock();
        client.unlock(lock);

        client.unlock(lock); // refused token (401), and /status says RUNNING: the lock is released

        sim.faults().lockHeldElsewhere(true);
        assertThatThrownBy(() -> client.unlock(lock)).isInstanceOfSatisfying(BitbucketException.class,
                e -> assertThat(e.httpStatus()).isEqualTo(401));
    }
}
