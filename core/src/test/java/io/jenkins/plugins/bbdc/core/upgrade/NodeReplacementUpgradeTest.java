package io.jenkins.plugins.bbdc.core.upgrade;

import static io.jenkins.plugins.bbdc.core.upgrade.SimulatedCluster.TARGET;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator.SimNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Option replacesNodes: the node action replaces each node by a NEW node with a new id (what Auto Scaling does after
 * CloudFormationNodeAction terminated the instance); the engine adopts the replacement and finalizes with it.
 */
class NodeReplacementUpgradeTest {

    /** Replacement nodes bb-node-4.. listen on ports chosen now, so their URLs can be configured up front. */
    private static final class Replacing {
        final SimulatedCluster c;
        final Map<String, Integer> ports = new ConcurrentHashMap<>();
        final Map<String, String> replacedBy = new ConcurrentHashMap<>();
        final AtomicInteger next;

        Replacing(SimulatedCluster c) throws IOException {
            this.c = c;
            int count = c.sim.nodes().size();
            next = new AtomicInteger(count + 1);
            for (int i = count + 1; i <= 2 * count; i++) {
                try (ServerSocket probe = new ServerSocket(0)) {
                    ports.put("bb-node-" + i, probe.getLocalPort());
                }
            }
        }

        UpgradeOptions.Builder options() {
            UpgradeOptions.Builder b = c.options(TARGET).replacesNodes(true);
            ports.forEach((name, port) -> b.nodeUrl(name, "http://127.0.0.1:" + port));
            return b;
        }

        /** Stands in for the Auto Scaling replacement: terminate the node's instance, a new one starts. */
        NodeAction action() {
            return node -> {
                c.count(node);
                String newName = "bb-node-" + next.getAndIncrement();
                SimNode fresh = c.sim.replaceNode(node.nodeId(), TARGET, ports.get(newName));
                replacedBy.put(node.nodeName(), fresh.name());
                return NodeAction.Progress.DONE;
            };
        }
    }

    @Test
    void eachNodeIsReplacedAndApproveWaitsUntilEveryReplacementIsActiveOnTheTarget() throws Exception {
        try (SimulatedCluster c = new SimulatedCluster(3)) {
            Replacing r = new Replacing(c);
            List<String> order = c.expectedDefaultOrder();
            AtomicReference<String> stoppedReplacement = new AtomicReference<>();
            AtomicInteger checksWhileStopped = new AtomicInteger();
            List<String> atApprove = new ArrayList<>();
            UpgradeEngine engine = c.engine(r.action()).build();

            UpgradeResult result = engine.run(engine.start(r.options().build()), s -> {
                if (s.phase == UpgradePhase.FINALIZE_CHECK && stoppedReplacement.get() == null) {
                    // the first replacement goes down: Bitbucket ignores OFFLINE nodes, the engine must not
                    String name = s.nodes.get(0).name;
                    stoppedReplacement.set(name);
                    c.sim.node(name).stop();
                } else if (s.phase == UpgradePhase.FINALIZE_CHECK && s.waiting
                        && checksWhileStopped.incrementAndGet() == 8) {
                    assertThat(s.message).contains(stoppedReplacement.get());
                    assertThat(c.sim.calls("POST", "/rest/zdu/approve")).isEmpty();
                    c.sim.node(stoppedReplacement.get()).start(TARGET);
                } else if (s.phase == UpgradePhase.APPROVE && atApprove.isEmpty()) {
                    atApprove.addAll(c.versions());
                }
            });

            assertThat(result.succeeded()).as(result.report()).isTrue();
            assertThat(checksWhileStopped.get()).isGreaterThanOrEqualTo(8);
            // when the engine decided to approve: only the replacements are members, all ACTIVE on the target
            assertThat(atApprove).hasSize(3).allSatisfy(v -> assertThat(v).endsWith("=" + TARGET + "/ACTIVE"));
            assertThat(c.sim.calls("POST", "/rest/zdu/approve")).hasSize(1);
            assertThat(c.sim.clusterState()).isEqualTo("STABLE");
            assertThat(c.sim.nodes()).extracting(SimNode::name)
                    .containsExactlyInAnyOrderElementsOf(r.replacedBy.values());

            // the result names old → new, in the order the old nodes were upgraded
            assertThat(result.nodes()).extracting(UpgradeResult.NodeTiming::replacedName)
                    .containsExactlyElementsOf(order);
            assertThat(result.nodes()).allSatisfy(t -> {
                assertThat(t.step()).isEqualTo(NodeStep.DONE);
                assertThat(t.name()).isEqualTo(r.replacedBy.get(t.replacedName()));
                assertThat(t.id()).isEqualTo(c.sim.node(t.name()).id());
                assertThat(t.replacedId()).isEqualTo(c.sim.node(t.replacedName()).id());
                assertThat(t.version()).isEqualTo(TARGET);
            });
            assertThat(result.toMap().get("nodes").toString()).contains("replacedName=" + order.get(0));
            assertThat(order).allSatisfy(name -> assertThat(c.actionCalls(name)).as(name).isEqualTo(1));
            assertThat(c.events.events()).filteredOn(e -> e.phase().equals("node-replaced")).hasSize(3);
        }
    }

    @Test
    void aFreshEngineContinuesFromTheStateJsonAfterAReplacement() throws Exception {
        try (SimulatedCluster c = new SimulatedCluster(3)) {
            Replacing r = new Replacing(c);
            List<String> order = c.expectedDefaultOrder();
            AtomicReference<String> persisted = new AtomicReference<>();
            UpgradeEngine first = c.engine(r.action()).build();
            try {
                first.run(first.start(r.options().build()), s -> {
                    persisted.set(s.toJson());
                    if (s.nodes.size() == 3 && s.nodes.get(1).replacedId != null) {
                        throw new IllegalStateException("the Jenkins controller restarts");
                    }
                });
            } catch (IllegalStateException expected) {
                // only the JSON survives
            }
            UpgradeState saved = UpgradeState.fromJson(persisted.get());
            NodeRecord second = saved.nodes.get(1);
            assertThat(saved.options.replacesNodes()).isTrue();
            assertThat(second.replacedName).isEqualTo(order.get(1));
            assertThat(second.replacedId).isEqualTo(c.sim.node(order.get(1)).id());
            assertThat(second.name).isEqualTo(r.replacedBy.get(order.get(1)));
            assertThat(second.id).isEqualTo(c.sim.node(second.name).id());
            assertThat(second.url).isEqualTo(c.sim.node(second.name).url().toString());
            assertThat(saved.nodes.get(2).replacedId).isNull();

            UpgradeEngine again = c.engine(r.action()).build();
            UpgradeResult result = again.run(saved, s -> { });

            assertThat(result.succeeded()).as(result.report()).isTrue();
            assertThat(order).allSatisfy(name -> assertThat(c.actionCalls(name)).as(name).isEqualTo(1));
            assertThat(result.nodes()).extracting(UpgradeResult.NodeTiming::replacedName)
                    .containsExactlyElementsOf(order);
            assertThat(c.sim.nodes()).hasSize(3).allSatisfy(n -> assertThat(n.version()).isEqualTo(TARGET));
            assertThat(c.sim.calls("POST", "/rest/zdu/approve")).hasSize(1);
        }
    }

    @Test
    void withoutTheOptionAReplacedNodeIsWaitedForAndTheUpgradeStops() throws Exception {
        try (SimulatedCluster c = new SimulatedCluster(2)) {
            Replacing r = new Replacing(c);
            UpgradeResult result = c.engine(r.action()).build()
                    .run(c.options(TARGET).nodeTimeout(Duration.ofMillis(800)).build());

            assertThat(result.succeeded()).isFalse();
            assertThat(result.failure()).contains("was not ACTIVE on " + TARGET);
            assertThat(result.nodes()).allSatisfy(t -> assertThat(t.replacedId()).isNull());
            assertThat(c.sim.calls("POST", "/rest/zdu/approve")).isEmpty();
        }
    }
}
