package io.jenkins.plugins.bbdc.testkit.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import static io.jenkins.plugins.bbdc.testkit.bitbucket.SimHttp.await;
import static io.jenkins.plugins.bbdc.testkit.bitbucket.SimHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Request-level faults, Mesh listing, context path, and that close() leaves nothing behind. */
class FaultsAndLifecycleTest {
    private final SimHttp http = new SimHttp();

    @Test
    void failNextAnswersTheInjectedStatusTheGivenNumberOfTimes() {
        try (BitbucketSimulator sim = BitbucketSimulator.builder().nodes(1).start()) {
            sim.faults().failNext("/rest/zdu/", 2, 503);
            assertThat(http.get(sim.baseUrl(), "/rest/zdu/cluster").statusCode()).isEqualTo(503);
            assertThat(http.get(sim.baseUrl(), "/rest/api/1.0/application-properties").statusCode()).isEqualTo(200);
            assertThat(http.get(sim.baseUrl(), "/rest/zdu/state").statusCode()).isEqualTo(503);
            assertThat(http.get(sim.baseUrl(), "/rest/zdu/cluster").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void htmlLoginPageIsServedOnceWith200() {
        try (BitbucketSimulator sim = BitbucketSimulator.builder().nodes(1).start()) {
            sim.faults().htmlLoginPageOnce("/rest/zdu/cluster");
            HttpResponse<String> page = http.get(sim.baseUrl(), "/rest/zdu/cluster");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/html"));
            assertThat(page.body()).startsWith("<!DOCTYPE html>");
            assertThat(json(http.get(sim.baseUrl(), "/rest/zdu/cluster")).get("state").asText()).isEqualTo("STABLE");
        }
    }

    @Test
    void latencyDelaysEveryAnswer() {
        try (BitbucketSimulator sim = BitbucketSimulator.builder().nodes(1).start()) {
            sim.faults().latency(Duration.ofMillis(300));
            java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                    .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
            java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(sim.nodes().get(0).url() + "/status")).timeout(Duration.ofMillis(50)).build();
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(java.net.http.HttpTimeoutException.class);
            // The load balancer's health check (1 s timeout) is not delayed: the node stays in rotation.
            sim.faults().latency(Duration.ofMillis(1500));
            sim.loadBalancer().checkNow();
            assertThat(sim.loadBalancer().inRotation("bb-node-1")).isTrue();
            sim.faults().latency(Duration.ZERO);
            assertThat(http.get(sim.nodes().get(0).url(), "/status").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void meshNodesAreListedAndFoundById() {
        try (BitbucketSimulator sim = BitbucketSimulator.builder().nodes(1).meshNodes(2).start()) {
            JsonNode page = json(http.get(sim.baseUrl(), "/rest/api/latest/admin/git/mesh/nodes"));
            assertThat(page.get("values")).hasSize(2);
            assertThat(page.get("values").get(1).get("name").asText()).isEqualTo("mesh-2");
            JsonNode one = json(http.get(sim.baseUrl(), "/rest/api/latest/admin/git/mesh/nodes/1"));
            assertThat(one.get("state").asText()).isEqualTo("AVAILABLE");
            assertThat(one.get("offline").asBoolean()).isFalse();
            assertThat(http.get(sim.baseUrl(), "/rest/api/latest/admin/git/mesh/nodes/9").statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void contextPathPrefixesEveryUrl() {
        try (BitbucketSimulator sim = BitbucketSimulator.builder().nodes(1).contextPath("/bitbucket").start()) {
            assertThat(sim.baseUrl().getPath()).isEqualTo("/bitbucket");
            assertThat(http.get(sim.baseUrl(), "/status").statusCode()).isEqualTo(200);
            JsonNode cluster = json(http.get(sim.baseUrl(), "/rest/zdu/cluster"));
            assertThat(cluster.get("links").get(1).get("href").asText())
                    .isEqualTo(sim.baseUrl() + "/rest/zdu/start");
            assertThat(sim.calls("GET", "/rest/zdu/cluster")).hasSize(1);
        }
    }

    @Test
    void recordedCallsAreCappedDroppingTheOldest() {
        try (BitbucketSimulator sim = BitbucketSimulator.builder().nodes(1).maxRecordedCalls(2).start()) {
            http.get(sim.baseUrl(), "/rest/api/latest/projects");
            http.get(sim.baseUrl(), "/rest/zdu/state");
            http.get(sim.baseUrl(), "/rest/zdu/cluster");
            assertThat(sim.calls()).extracting(BitbucketSimulator.RecordedCall::path)
                    .containsExactly("/rest/zdu/state", "/rest/zdu/cluster");
            sim.clearCalls();
            assertThat(sim.calls()).isEmpty();
        }
    }

    @Test
    void loadBalancerCanListenOnAFixedPort() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        try (BitbucketSimulator sim = BitbucketSimulator.builder().nodes(1).loadBalancerPort(port).start()) {
            assertThat(sim.baseUrl().getPort()).isEqualTo(port);
            assertThat(http.get(sim.baseUrl(), "/status").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void closeStopsEveryServerAndLeavesNoThreadBehind() {
        // Other fixtures in this JVM may run JDK servers too: compare with what was there before.
        long dispatchersBefore = dispatcherThreads();
        BitbucketSimulator sim = BitbucketSimulator.builder().nodes(2).stopTime(Duration.ofMillis(10))
                .healthCheckInterval(Duration.ofMillis(10)).start();
        java.net.URI lb = sim.baseUrl();
        java.net.URI node = sim.nodes().get(0).url();
        http.get(lb, "/rest/api/latest/projects");
        sim.nodes().get(1).stop();
        sim.close();
        sim.close();
        await("simulator threads gone", () -> simulatorThreads().isEmpty()
                && dispatcherThreads() <= dispatchersBefore);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> http.get(lb, "/status"))
                .isInstanceOf(java.io.UncheckedIOException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> http.get(node, "/status"))
                .isInstanceOf(java.io.UncheckedIOException.class);
    }

    private static Set<String> simulatorThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("bbdc-sim")).collect(Collectors.toSet());
    }

    private static long dispatcherThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("HTTP-Dispatcher")).count();
    }
}
