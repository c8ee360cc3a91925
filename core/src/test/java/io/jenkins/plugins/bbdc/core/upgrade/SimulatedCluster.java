package io.jenkins.plugins.bbdc.core.upgrade;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdminClient;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketClientOptions;
import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.time.Sleeper;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator.SimNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulated cluster with short, realistic timings, the real admin client over HTTP, and the pieces the tests plug
 * into the engine: a node action that drives the simulator the way an ssh command would drive a host, and a
 * load-balancer hook that drains a node before it stops.
 */
final class SimulatedCluster implements AutoCloseable {
    static final String FROM = "8.19.1";
    static final String TARGET = "8.19.2";

    final BitbucketSimulator sim;
    final BitbucketAdminClient admin;
    final EventSink.Collecting events = new EventSink.Collecting();
    final Map<String, AtomicInteger> actionCalls = new ConcurrentHashMap<>();

    SimulatedCluster(int nodes) {
        sim = BitbucketSimulator.builder().nodes(nodes).version(FROM)
                .stopTime(Duration.ofMillis(60)).startTime(Duration.ofMillis(200))
                .finalizationTime(Duration.ofMillis(150)).healthCheckInterval(Duration.ofMillis(40)).start();
        admin = new BitbucketAdminClient(BitbucketClientOptions.builder(sim.baseUrl()).basicAuth("admin", "admin")
                .connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(5)).build());
        // distinct loads so the default order is known: bb-node-N has N*10 users
        for (int i = 0; i < nodes; i++) {
            sim.nodes().get(i).setLoad((nodes - i) * 10, 1);
        }
    }

    /** bb-node-N gets (count-N+1)*10 users, so the default order is the reverse of the names. */
    List<String> expectedDefaultOrder() {
        List<String> names = new java.util.ArrayList<>(sim.nodes().stream().map(SimNode::name).toList());
        java.util.Collections.reverse(names);
        return names;
    }

    UpgradeOptions.Builder options(String target) {
        UpgradeOptions.Builder b = UpgradeOptions.builder(target).pollInterval(Duration.ofMillis(25))
                .nodeTimeout(Duration.ofSeconds(10)).finalizationTimeout(Duration.ofSeconds(10))
                .resumeCommand("bbdc-ops upgrade --target " + target);
        for (SimNode n : sim.nodes()) {
            b.nodeUrl(n.name(), n.url().toString());
        }
        return b;
    }

    UpgradeEngine.Builder engine(NodeAction action) {
        return UpgradeEngine.builder(admin, action).loadBalancer(drainingHook()).events(events)
                .sleeper(Sleeper.SYSTEM);
    }

    /** What an ssh command "stop Bitbucket; install; start" does, on the simulator. */
    NodeAction restartOn(String version) {
        return node -> {
            count(node);
            SimNode n = sim.node(node.nodeId());
            n.stop();
            n.start(version);
            return NodeAction.Progress.DONE;
        };
    }

    void count(UpgradeNodeContext node) {
        actionCalls.computeIfAbsent(node.nodeName(), k -> new AtomicInteger()).incrementAndGet();
    }

    int actionCalls(String nodeName) {
        AtomicInteger c = actionCalls.get(nodeName);
        return c == null ? 0 : c.get();
    }

    /** Take out: no new requests, then a moment for in-flight ones to finish. Back in: into rotation again. */
    LoadBalancerHook drainingHook() {
        return new LoadBalancerHook() {
            @Override
            public void takeOut(UpgradeNodeContext node) throws InterruptedException {
                sim.loadBalancer().drain(node.nodeId());
                Thread.sleep(100);
            }

            @Override
            public void putBack(UpgradeNodeContext node) throws InterruptedException {
                // like a real hook: return once the load balancer sends traffic to the node again, because the engine
                // takes the next node out right after (on two nodes that would otherwise leave none in rotation)
                sim.loadBalancer().enable(node.nodeId());
                if (!sim.loadBalancer().awaitInRotation(node.nodeId(), java.time.Duration.ofSeconds(30))) {
                    throw new IllegalStateException(node.nodeName() + " did not pass the load balancer's health check"
                            + " within 30 s of being put back");
                }
            }
        };
    }

    List<String> versions() {
        return sim.nodes().stream().map(n -> n.name() + "=" + n.version() + "/" + n.zduState()).toList();
    }

    @Override
    public void close() {
        sim.close();
    }

    /** Users of Bitbucket: a thread sending requests through the load balancer the whole time. */
    static final class LoadProbe implements AutoCloseable {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong ok = new AtomicLong();
        private final AtomicLong bad = new AtomicLong();
        private final java.util.Queue<String> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final Thread thread;

        LoadProbe(URI base) {
            URI uri = URI.create(base + "/rest/api/1.0/projects");
            thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                                .GET().build(), HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() < 500) {
                            ok.incrementAndGet();
                        } else {
                            bad.incrementAndGet();
                            failures.add(java.time.Instant.now() + " HTTP " + r.statusCode());
                        }
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        bad.incrementAndGet();
                        failures.add(java.time.Instant.now() + " " + e);
                    }
                }
            }, "load-probe");
            thread.setDaemon(true);
            thread.start();
        }

        long ok() {
            return ok.get();
        }

        long bad() {
            return bad.get();
        }

        /** What went wrong with each failed request, for the assertion message. */
        String failures() {
            return String.join("; ", failures);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }
}
