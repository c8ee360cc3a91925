package io.jenkins.plugins.bbdc.testkit.bitbucket;

import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator.LoadBalancer;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator.SimNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static io.jenkins.plugins.bbdc.testkit.bitbucket.SimHttp.await;
import static io.jenkins.plugins.bbdc.testkit.bitbucket.SimHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The load balancer: routing over real HTTP, health checks of /status, and availability counting. */
class LoadBalancerTest {
    private final SimHttp http = new SimHttp();
    private BitbucketSimulator sim;

    @AfterEach
    void closeSimulator() {
        if (sim != null) {
            sim.close();
        }
    }

    private void traffic(int requests) {
        for (int i = 0; i < requests; i++) {
            http.get(sim.baseUrl(), "/rest/api/latest/projects");
        }
    }

    @Test
    void roundRobinsOverEveryNodeAndCountsAnswers() {
        sim = BitbucketSimulator.builder().nodes(3).start();
        HttpResponse<String> page = http.get(sim.baseUrl(), "/rest/api/latest/projects");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(json(page).get("values").get(0).get("key").asText()).isEqualTo("PRJ");
        traffic(5);
        Set<String> targets = new HashSet<>();
        sim.calls("GET", "/rest/api/latest/projects").forEach(call -> targets.add(call.target()));
        assertThat(targets).containsExactlyInAnyOrder("bb-node-1", "bb-node-2", "bb-node-3");
        assertThat(sim.loadBalancer().answered()).isEqualTo(6);
        assertThat(sim.loadBalancer().failed()).isZero();
        sim.loadBalancer().resetCounters();
        assertThat(sim.loadBalancer().answered()).isZero();
    }

    @Test
    void nodeStoppedWithoutDrainingCausesFailuresUntilTheHealthCheckNotices() {
        // A slow health check makes the window in which the LB still routes to the stopped node wide.
        sim = BitbucketSimulator.builder().nodes(2).stopTime(Duration.ZERO)
                .healthCheckInterval(Duration.ofSeconds(30)).start();
        SimNode first = sim.nodes().get(0);
        first.stop();
        await("unreachable", () -> first.applicationState() == null);
        traffic(4);
        LoadBalancer lb = sim.loadBalancer();
        assertThat(lb.failed()).isEqualTo(2);
        assertThat(lb.answered()).isEqualTo(2);
        assertThat(sim.calls("GET", "/rest/api/latest/projects"))
                .filteredOn(call -> call.target().equals("lb")).allSatisfy(call -> assertThat(call.status())
                        .isEqualTo(502));
    }

    @Test
    void checkNowNoticesAStoppedNodeWithoutWaitingForTheInterval() {
        sim = BitbucketSimulator.builder().nodes(2).stopTime(Duration.ZERO)
                .healthCheckInterval(Duration.ofSeconds(30)).start();
        SimNode first = sim.nodes().get(0);
        first.stop();
        await("unreachable", () -> first.applicationState() == null);
        assertThat(sim.loadBalancer().inRotation(first.id())).isTrue();
        sim.loadBalancer().checkNow();
        assertThat(sim.loadBalancer().inRotation(first.id())).isFalse();
        traffic(3);
        assertThat(sim.loadBalancer().failed()).isZero();
    }

    @Test
    void healthCheckTakesAStoppedNodeOutOfRotation() {
        sim = BitbucketSimulator.builder().nodes(2).stopTime(Duration.ofMillis(20))
                .healthCheckInterval(Duration.ofMillis(20)).start();
        SimNode first = sim.nodes().get(0);
        first.stop();
        await("out of rotation", () -> !sim.loadBalancer().inRotation(first.id()));
        await("unreachable", () -> first.applicationState() == null);
        sim.loadBalancer().resetCounters();
        traffic(4);
        assertThat(sim.loadBalancer().failed()).isZero();
        assertThat(sim.loadBalancer().answered()).isEqualTo(4);
    }

    @Test
    void nodeDrainedBeforeStopAndStartNeverFails() {
        sim = BitbucketSimulator.builder().nodes(2).stopTime(Duration.ofMillis(20)).startTime(Duration.ofMillis(40))
                .healthCheckInterval(Duration.ofMillis(20)).start();
        SimNode first = sim.nodes().get(0);
        LoadBalancer lb = sim.loadBalancer();
        lb.drain(first.id());
        assertThat(lb.inRotation(first.id())).isFalse();
        first.stop();
        traffic(3);
        await("unreachable", () -> first.applicationState() == null);
        traffic(3);
        first.start("8.19.2");
        traffic(3);
        await("RUNNING", () -> "RUNNING".equals(first.applicationState()));
        lb.enable(first.id());
        await("back in rotation", () -> lb.inRotation(first.id()));
        traffic(4);
        assertThat(lb.failed()).isZero();
        assertThat(lb.answered()).isEqualTo(13);
        assertThat(sim.calls("GET", "/rest/api/latest/projects"))
                .filteredOn(call -> call.target().equals("bb-node-1")).hasSize(2);
    }

    @Test
    void concurrentTrafficSeesNoFailureDuringADrainedRollingRestart() throws Exception {
        sim = BitbucketSimulator.builder().nodes(3).stopTime(Duration.ofMillis(30)).startTime(Duration.ofMillis(60))
                .healthCheckInterval(Duration.ofMillis(20)).start();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.List<Thread> probes = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread probe = new Thread(() -> {
                while (running.get()) {
                    http.get(sim.baseUrl(), "/rest/api/latest/projects");
                }
            });
            probe.start();
            probes.add(probe);
        }
        LoadBalancer lb = sim.loadBalancer();
        for (SimNode node : sim.nodes()) {
            lb.drain(node.id());
            node.stop();
            await(node.name() + " unreachable", () -> node.applicationState() == null);
            node.start("8.19.2");
            await(node.name() + " RUNNING", () -> "RUNNING".equals(node.applicationState()));
            lb.enable(node.id());
            await(node.name() + " in rotation", () -> lb.inRotation(node.id()));
        }
        running.set(false);
        for (Thread probe : probes) {
            probe.join(10_000);
        }
        assertThat(lb.answered()).isPositive();
        assertThat(lb.failed()).isZero();
        assertThat(sim.nodes()).allSatisfy(node -> assertThat(node.version()).isEqualTo("8.19.2"));
    }

    @Test
    void awaitInRotationReturnsOnlyOnceAHealthCheckPassedAfterTheNodeWasEnabled() throws Exception {
        // a slow health check: enabling a restarted node does not put it in rotation until the next check passes
        sim = BitbucketSimulator.builder().nodes(2).stopTime(Duration.ZERO).startTime(Duration.ZERO)
                .healthCheckInterval(Duration.ofSeconds(2)).start();
        LoadBalancer lb = sim.loadBalancer();
        SimNode first = sim.nodes().get(0);
        lb.drain(first.id());
        first.stop();
        lb.checkNow();
        first.start("8.19.2");
        await("RUNNING", () -> "RUNNING".equals(first.applicationState()));
        lb.enable(first.id());
        assertThat(lb.inRotation(first.id())).as("enabled, but the last health check saw it stopped").isFalse();
        assertThat(lb.awaitInRotation(first.id(), Duration.ofSeconds(10))).isTrue();
        assertThat(lb.inRotation(first.id())).isTrue();

        SimNode second = sim.nodes().get(1);
        second.stop();
        lb.checkNow();
        assertThat(lb.awaitInRotation(second.id(), Duration.ofMillis(300))).as("a stopped node never gets in").isFalse();
    }

    @Test
    void noNodeInRotationAnswers503AndCountsAFailure() {
        sim = BitbucketSimulator.builder().nodes(1).start();
        sim.loadBalancer().drain("bb-node-1");
        HttpResponse<String> response = http.get(sim.baseUrl(), "/rest/api/latest/projects");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(SimHttp.errorMessage(response)).contains("No Bitbucket node");
        assertThat(sim.loadBalancer().failed()).isEqualTo(1);
        assertThat(sim.calls()).singleElement().satisfies(call -> assertThat(call.target()).isEqualTo("lb"));
    }

    @Test
    void nodeInErrorLeavesRotationAndServerErrorsCountAsFailures() {
        sim = BitbucketSimulator.builder().nodes(2).healthCheckInterval(Duration.ofMillis(20)).start();
        sim.faults().failNext("/rest/api/latest/projects", 1, 503);
        traffic(1);
        assertThat(sim.loadBalancer().failed()).isEqualTo(1);
        SimNode first = sim.nodes().get(0);
        first.fail();
        await("out of rotation", () -> !sim.loadBalancer().inRotation(first.id()));
        sim.loadBalancer().resetCounters();
        traffic(4);
        assertThat(sim.loadBalancer().failed()).isZero();
    }
}
