package io.jenkins.plugins.bbdc.core.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketException.Kind;
import io.jenkins.plugins.bbdc.core.bitbucket.SimClients.RecordingSleeper;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator.SimNode;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every error class of the brief, each one produced by the simulator over real HTTP. */
class BitbucketAdminClientErrorsTest {
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private BitbucketSimulator sim;

    @AfterEach
    void close() {
        if (sim != null) {
            sim.close();
        }
    }

    private BitbucketSimulator start(BitbucketSimulator.Builder builder) {
        sim = builder.start();
        return sim;
    }

    private BitbucketAdminClient client() {
        return SimClients.client(sim, sleeper);
    }

    private BitbucketAdminClient client(BitbucketClientOptions.Builder options) {
        return new BitbucketAdminClient(options.build());
    }

    @Test
    void wrongPasswordIsAnAuthenticationErrorNamingTheUser() {
        start(BitbucketSimulator.builder().nodes(1));
        BitbucketAdminClient wrong = client(SimClients.options(sim, sleeper).basicAuth("admin", "not-the-password"));
        assertThatThrownBy(wrong::lock).isInstanceOfSatisfying(BitbucketException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.AUTHENTICATION);
            assertThat(e.httpStatus()).isEqualTo(401);
            assertThat(e.getMessage()).contains("rejected the credentials of user 'admin'")
                    .contains("system administrator").contains("POST " + sim.baseUrl() + "/mvc/maintenance/lock")
                    .doesNotContain("not-the-password");
        });
        assertThat(sim.isLocked()).isFalse();
    }

    @Test
    void aUserWithoutSysadminIsForbiddenAndToldWhy() {
        start(BitbucketSimulator.builder().nodes(2));
        BitbucketAdminClient user = client(SimClients.options(sim, sleeper).basicAuth("user", "user"));
        assertThatThrownBy(user::zduCluster).isInstanceOfSatisfying(BitbucketException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN);
            assertThat(e.httpStatus()).isEqualTo(403);
            assertThat(e.getMessage()).contains("user 'user' is not a Bitbucket system administrator")
                    .contains("System Admin");
        });
        // admin/cluster answers 401 "insufficient permissions" to the same user: still "not a sysadmin"
        assertThatThrownBy(user::adminCluster).isInstanceOfSatisfying(BitbucketException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN);
            assertThat(e.httpStatus()).isEqualTo(401);
            assertThat(e.getMessage()).contains("not a Bitbucket system administrator");
        });
    }

    @Test
    void aNonClusteredInstanceIsForbiddenWithItsOwnExplanation() {
        start(BitbucketSimulator.builder().nodes(1).clustered(false));
        assertThatThrownBy(() -> client().zduCluster()).isInstanceOfSatisfying(BitbucketException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN);
            assertThat(e.httpStatus()).isEqualTo(403);
            assertThat(e.getMessage()).contains("is not a clustered Data Center installation")
                    .contains("requires a clustered installation").doesNotContain("system administrator");
        });
    }

    @Test
    void aBearerTokenIsRefusedWithTheBasicAuthAdvice() {
        String token = "NjQ2ODc0MzY2OTk4OnR3b3Rva2VuMTIzNDU2";
        start(BitbucketSimulator.builder().nodes(2).accessToken("admin", token));
        BitbucketAdminClient bearer = client(SimClients.options(sim, sleeper).bearerToken(token));
        assertThatThrownBy(bearer::zduCluster).isInstanceOfSatisfying(BitbucketException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.AUTHENTICATION);
            assertThat(e.getMessage()).contains("admin endpoints need Basic auth with a sysadmin")
                    .doesNotContain(token);
        });
        assertThatThrownBy(bearer::lock).hasMessageContaining("admin endpoints need Basic auth with a sysadmin");
    }

    @Test
    void aRefusedConnectionNamesTheNodeAndTheUrl() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        start(BitbucketSimulator.builder().nodes(1));
        BitbucketAdminClient dead = client(SimClients.options(sim, sleeper)
                .adminUrl(URI.create("http://127.0.0.1:" + closedPort)));
        assertThatThrownBy(dead::lock).isInstanceOfSatisfying(BitbucketException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
            assertThat(e.httpStatus()).isZero();
            assertThat(e.getMessage()).contains("connection to 127.0.0.1:" + closedPort + " refused")
                    .contains("POST http://127.0.0.1:" + closedPort + "/mvc/maintenance/lock")
                    .contains("Is Bitbucket running on that node");
        });
        // a write whose connection could not be made provably never left: it is retried like a read
        assertThat(sleeper.waits).hasSize(2);
        sleeper.waits.clear();
        BitbucketAdminClient deadBase = client(BitbucketClientOptions.builder("http://127.0.0.1:" + closedPort)
                .basicAuth("admin", "admin").sleeper(sleeper)
                .retryPolicy(new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1), 0)));
        assertThatThrownBy(deadBase::zduCluster).hasMessageContaining("after 3 tries");
        assertThat(sleeper.waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void aStoppedSimulatorNodeIsUnreachable() {
        start(BitbucketSimulator.builder().nodes(2).stopTime(Duration.ZERO));
        SimNode node1 = sim.node("bb-node-1");
        node1.stop();
        SimClients.await("bb-node-1 unreachable", () -> node1.applicationState() == null);
        BitbucketAdminClient direct = client(SimClients.options(sim, sleeper).adminUrl(node1.url()));
        assertThatThrownBy(direct::lock).isInstanceOfSatisfying(BitbucketException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
            assertThat(e.getMessage()).contains(node1.url().getHost() + ":" + node1.url().getPort())
                    .contains(node1.url() + "/mvc/maintenance/lock");
        });
    }

    @Test
    void anHtmlLoginPageInsteadOfJsonIsRecognised() {
        start(BitbucketSimulator.builder().nodes(1));
        sim.faults().htmlLoginPageOnce("/rest/zdu/cluster");
        assertThatThrownBy(() -> client().zduCluster()).isInstanceOfSatisfying(BitbucketException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.UNEXPECTED_RESPONSE);
            assertThat(e.httpStatus()).isEqualTo(200);
            assertThat(e.getMessage()).contains("HTML page").contains("login page of a proxy")
                    .doesNotContain("<form").doesNotContain("Single sign-on");
        });
    }

    @Test
    void anHtmlPageAnsweringAWriteIsNotTakenForSuccess() throws Exception {
        start(BitbucketSimulator.builder().nodes(1));
        BitbucketAdminClient client = client();
        MaintenanceLock lock = client.lock();
        sim.faults().htmlLoginPageOnce("/mvc/maintenance/lock");
        assertThatThrownBy(() -> client.unlock(lock)).isInstanceOfSatisfying(BitbucketException.class,
                e -> assertThat(e.kind()).isEqualTo(Kind.UNEXPECTED_RESPONSE));
        assertThat(sim.isLocked()).isTrue();
        client.unlock(lock);
    }

    @Test
    void aSlowAnswerIsAReadTimeoutNamingTheLimit() {
        start(BitbucketSimulator.builder().nodes(1));
        sim.faults().latency(Duration.ofMillis(600));
        BitbucketAdminClient impatient = client(SimClients.options(sim, sleeper)
                .readTimeout(Duration.ofMillis(150)).retryPolicy(RetryPolicy.NONE));
        assertThatThrownBy(impatient::applicationProperties).isInstanceOfSatisfying(BitbucketException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
            assertThat(e.getMessage()).contains("did not answer within the read timeout of 150 ms")
                    .contains("GET " + sim.baseUrl() + "/rest/api/1.0/application-properties");
        });
        sim.faults().latency(Duration.ZERO);
    }

    @Test
    void aReadIsRetriedAfter503sAndSucceeds() throws Exception {
        start(BitbucketSimulator.builder().nodes(2));
        sim.faults().failNext("/rest/zdu/cluster", 2, 503);
        ZduCluster cluster = client().zduCluster();
        assertThat(cluster.clusterState()).isEqualTo(ClusterState.STABLE);
        assertThat(sim.calls("GET", "/rest/zdu/cluster")).extracting(c -> c.status()).containsExactly(503, 503, 200);
        assertThat(sleeper.waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void aReadThatKeepsFailingEndsAsAServerErrorAfterTheConfiguredTries() {
        start(BitbucketSimulator.builder().nodes(1));
        sim.faults().failNext("/rest/api/1.0/application-properties", 5, 503);
        assertThatThrownBy(() -> client().applicationProperties()).isInstanceOfSatisfying(BitbucketException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(Kind.SERVER_ERROR);
                    assertThat(e.httpStatus()).isEqualTo(503);
                    assertThat(e.getMessage()).contains("HTTP 503").contains("atlassian-bitbucket.log");
                });
        assertThat(sim.calls("GET", "/rest/api/1.0/application-properties")).hasSize(3);
    }

    @Test
    void aWriteIsNeverRetried() {
        start(BitbucketSimulator.builder().nodes(1));
        sim.faults().failNext("/mvc/maintenance/lock", 1, 503);
        assertThatThrownBy(() -> client().lock()).isInstanceOfSatisfying(BitbucketException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.SERVER_ERROR);
            assertThat(e.getMessage()).contains("not repeated");
        });
        assertThat(sim.calls("POST", "/mvc/maintenance/lock")).hasSize(1);
        assertThat(sleeper.waits).isEmpty();
        assertThat(sim.isLocked()).isFalse();
    }

    @Test
    void anXsrfRejectionSaysAProxyMayBeStrippingTheHeaders() {
        start(BitbucketSimulator.builder().nodes(2));
        // a proxy in front of Bitbucket that drops X-Atlassian-Token and Content-Type from every request
        okhttp3.Interceptor stripping = chain -> chain.proceed(chain.request().newBuilder()
                .removeHeader("X-Atlassian-Token")
                .method(chain.request().method(), chain.request().body() == null ? null
                        : okhttp3.RequestBody.create(new byte[0], null))
                .build());
        BitbucketAdminClient behindProxy = client(SimClients.options(sim, sleeper)
                .httpClient(new okhttp3.OkHttpClient.Builder().addInterceptor(stripping).build()));
        assertThatThrownBy(behindProxy::startUpgradeMode).isInstanceOfSatisfying(BitbucketException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN);
            assertThat(e.getMessage()).contains("XSRF protection rejected the request")
                    .contains("a proxy in front of Bitbucket may be removing them");
        });
        assertThat(sim.upgradeModeEnabled()).isFalse();
    }

    @Test
    void tooManyRequestsOnAReadIsRetriedToo() throws Exception {
        start(BitbucketSimulator.builder().nodes(1));
        sim.faults().failNext("/rest/api/latest/admin/cluster", 1, 429);
        assertThat(client().adminCluster().nodes()).hasSize(1);
        assertThat(sim.calls("GET", "/rest/api/latest/admin/cluster")).extracting(c -> c.status())
                .containsExactly(429, 200);
        assertThat(sleeper.waits).containsExactly(Duration.ofMillis(100));
    }
}
