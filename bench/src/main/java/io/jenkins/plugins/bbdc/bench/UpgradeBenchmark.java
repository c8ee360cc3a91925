package io.jenkins.plugins.bbdc.bench;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdminClient;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketClientOptions;
import io.jenkins.plugins.bbdc.core.upgrade.LoadBalancerHook;
import io.jenkins.plugins.bbdc.core.upgrade.NodeAction;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeEngine;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeNodeContext;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeOptions;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeResult;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 9 (4): rolling-upgrade orchestration overhead — the UpgradeEngine's total time minus the simulated time the
 * nodes themselves need (stop + start per node, plus finalization) — and the requests the load balancer failed while
 * a client kept sending requests through it during the whole upgrade.
 */
final class UpgradeBenchmark implements Benchmark {
    static final String FROM = "8.19.1";
    static final String TO = "8.19.2";

    @Override
    public String name() {
        return "upgrade";
    }

    @Override
    public String description() {
        return "rolling-upgrade orchestration overhead per node and failed load-balancer requests";
    }

    @Override
    public List<Table> run(BenchOptions o) throws Exception {
        int nodes = o.full() ? 6 : 3;
        Duration stop = Duration.ofMillis(o.full() ? 1000 : 200);
        Duration start = Duration.ofMillis(o.full() ? 5000 : 1500);
        Duration finalization = Duration.ofMillis(500);
        int runs = o.runsOr(3, 2);
        Stats total = new Stats();
        Stats overheadPerNode = new Stats();
        long failedRequests = 0;
        long answered = 0;
        int failedUpgrades = 0;
        for (int r = 0; r < runs; r++) {
            try (BitbucketSimulator sim = BitbucketSimulator.builder().nodes(nodes).version(FROM).drainTime(
                    Duration.ofMillis(300)).stopTime(stop).startTime(start).finalizationTime(finalization)
                    .healthCheckInterval(Duration.ofMillis(100)).start()) {
                BitbucketAdminClient admin = new BitbucketAdminClient(BitbucketClientOptions.builder(sim.baseUrl())
                        .basicAuth("admin", "admin").connectTimeout(Duration.ofSeconds(5))
                        .readTimeout(Duration.ofSeconds(30)).build());
                UpgradeOptions.Builder options = UpgradeOptions.builder(TO).pollInterval(Duration.ofMillis(100))
                        .nodeTimeout(Duration.ofMinutes(2)).finalizationTimeout(Duration.ofMinutes(2))
                        .backupFirst(false);
                for (BitbucketSimulator.SimNode n : sim.nodes()) {
                    options.nodeUrl(n.name(), n.url().toString());
                }
                NodeAction restart = node -> {
                    BitbucketSimulator.SimNode n = sim.node(node.nodeId());
                    n.stop();
                    n.start(node.targetVersion());
                    return NodeAction.Progress.DONE;
                };
                LoadBalancerHook hook = new LoadBalancerHook() {
                    @Override
                    public void takeOut(UpgradeNodeContext node) {
                        sim.loadBalancer().drain(node.nodeId());
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
                UpgradeEngine engine = UpgradeEngine.builder(admin, restart).loadBalancer(hook).build();
                sim.loadBalancer().resetCounters();
                UpgradeResult result;
                try (Load load = new Load(sim.loadBalancer().url())) {
                    result = engine.run(options.build());
                }
                failedRequests += sim.loadBalancer().failed();
                answered += sim.loadBalancer().answered();
                if (!result.succeeded() || result.total() == null) {
                    failedUpgrades++;
                    continue;
                }
                double totalMs = result.total().toMillis();
                double simulated = nodes * (stop.toMillis() + start.toMillis()) + finalization.toMillis();
                total.add(totalMs);
                overheadPerNode.add((totalMs - simulated) / nodes);
            }
        }
        Table t = new Table("Rolling upgrade " + FROM + " → " + TO + ", " + nodes + " nodes (stop " + stop.toMillis()
                + " ms + start " + start.toMillis() + " ms per node, finalization " + finalization.toMillis()
                + " ms; median of " + runs + ")", "measure", "value", "goal", "met");
        t.row("total upgrade time (ms)", total.median(), "-", "-");
        t.row("orchestration overhead per node (ms)", overheadPerNode.median(), "≤ 1000 ms",
                overheadPerNode.median() <= 1000 ? "yes" : "no");
        t.row("failed load-balancer requests (all runs)", failedRequests + " of " + answered, "0",
                failedRequests == 0 ? "yes" : "no");
        t.note("overhead = (total − nodes × (stop + start) − finalization) / nodes: draining (300 ms simulated),"
                + " health gates, polls (100 ms) and the engine's own calls; failed upgrades: " + failedUpgrades);
        return List.of(t);
    }

    /** A client sending requests through the load balancer back to back for as long as it is open. */
    private static final class Load implements AutoCloseable {
        private final Thread thread;
        private volatile boolean running = true;
        final AtomicLong sent = new AtomicLong();

        Load(URI lb) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest request = HttpRequest.newBuilder(lb.resolve("/rest/api/1.0/application-properties"))
                    .timeout(Duration.ofSeconds(10)).build();
            thread = new Thread(() -> {
                while (running) {
                    try {
                        http.send(request, HttpResponse.BodyHandlers.discarding());
                        sent.incrementAndGet();
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        sent.incrementAndGet(); // the load balancer counts the failure
                    }
                }
            }, "lb-load");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(15_000);
        }
    }
}
