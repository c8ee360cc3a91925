package io.jenkins.plugins.bbdc.core.upgrade;

import static io.jenkins.plugins.bbdc.core.upgrade.SimulatedCluster.FROM;
import static io.jenkins.plugins.bbdc.core.upgrade.SimulatedCluster.TARGET;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.core.event.OperationEvent;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator.SimNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The rolling upgrade against the Bitbucket simulator over real HTTP, with the real admin client. */
class RollingUpgradeSimulatorTest {

    @ParameterizedTest(name = "{0} nodes")
    @ValueSource(ints = {2, 3, 5})
    void upgradesEveryNodeWithoutAFailedUserRequest(int nodes) throws Exception {
        try (SimulatedCluster c = new SimulatedCluster(nodes)) {
            UpgradeResult result;
            try (SimulatedCluster.LoadProbe probe = new SimulatedCluster.LoadProbe(c.sim.baseUrl())) {
                c.sim.loadBalancer().resetCounters();
                result = c.engine(c.restartOn(TARGET)).build().run(c.options(TARGET).build());
                probe.close();
                assertThat(probe.ok()).as("user requests answered during the upgrade").isGreaterThan(0);
                assertThat(probe.bad()).as("user requests that failed: %s", probe.failures()).isZero();
            }
            assertThat(c.sim.loadBalancer().failed()).as("requests the load balancer saw fail").isZero();

            assertThat(result.succeeded()).as(result.report()).isTrue();
            assertThat(result.finalVersion()).isEqualTo(TARGET);
            assertThat(c.sim.nodes()).allSatisfy(n -> {
                assertThat(n.version()).isEqualTo(TARGET);
                assertThat(n.zduState()).isEqualTo("ACTIVE");
            });
            assertEveryNodeServes(c);
            assertThat(c.sim.clusterState()).isEqualTo("STABLE");
            assertThat(c.sim.upgradeModeEnabled()).isFalse();
            assertThat(c.sim.calls("POST", "/rest/zdu/start")).hasSize(1);
            assertThat(c.sim.calls("POST", "/rest/zdu/approve")).hasSize(1);
            assertThat(c.sim.calls("POST", "/rest/zdu/cancel")).isEmpty();

            // fewest active users plus tasks first; each node acted on once, with every timing recorded
            assertThat(result.nodes()).extracting(UpgradeResult.NodeTiming::name)
                    .containsExactlyElementsOf(c.expectedDefaultOrder());
            assertThat(result.nodes()).allSatisfy(t -> {
                assertThat(t.step()).isEqualTo(NodeStep.DONE);
                assertThat(t.out()).isNotNull();
                assertThat(t.action()).isNotNull();
                assertThat(t.waitUntilReady()).isPositive();
                assertThat(t.backIn()).isNotNull();
                assertThat(c.actionCalls(t.name())).isEqualTo(1);
            });
            assertThat(c.events.events()).filteredOn(e -> e.phase().equals("node-done"))
                    .extracting(OperationEvent::node).containsExactlyElementsOf(c.expectedDefaultOrder());
        }
    }

    @Test
    void anExplicitOrderIsFollowed() {
        try (SimulatedCluster c = new SimulatedCluster(3)) {
            UpgradeResult result = c.engine(c.restartOn(TARGET)).build()
                    .run(c.options(TARGET).nodeOrder(List.of("bb-node-2", "bb-node-1")).build());
            assertThat(result.succeeded()).as(result.report()).isTrue();
            assertThat(c.events.events()).filteredOn(e -> e.phase().equals("node-done"))
                    .extracting(OperationEvent::node).containsExactly("bb-node-2", "bb-node-1", "bb-node-3");
        }
    }

    @Test
    void aNodeThatNeverComesBackStopsTheUpgradeWithInstructions() {
        try (SimulatedCluster c = new SimulatedCluster(3)) {
            NodeAction stopOnly = node -> {
                c.count(node);
                c.sim.node(node.nodeId()).stop();
                return NodeAction.Progress.DONE;
            };
            UpgradeResult result = c.engine(stopOnly).build()
                    .run(c.options(TARGET).nodeTimeout(Duration.ofMillis(800)).build());

            String first = c.expectedDefaultOrder().get(0);
            assertThat(result.phase()).isEqualTo(UpgradePhase.FAILED);
            assertThat(result.failure()).contains(first).contains("was not ACTIVE on " + TARGET)
                    .contains("within PT0.8S").contains("OFFLINE");
            assertThat(result.report()).contains(first + ": " + FROM + ", OFFLINE — node action finished, not back")
                    .contains("OUT of the load balancer").contains("Upgrade mode stays on")
                    .contains("bbdc-ops upgrade --target " + TARGET);
            // the node may come back on the new version at any moment: cancelling would be unsafe
            assertThat(c.sim.calls("POST", "/rest/zdu/cancel")).isEmpty();
            assertThat(c.sim.calls("POST", "/rest/zdu/approve")).isEmpty();
            assertThat(c.sim.upgradeModeEnabled()).isTrue();
            assertThat(c.actionCalls(c.expectedDefaultOrder().get(1))).isZero();
        }
    }

    @Test
    void aNodeBackOnTheWrongVersionStopsTheUpgradeAndStaysOutOfTheLoadBalancer() {
        try (SimulatedCluster c = new SimulatedCluster(3)) {
            UpgradeResult result = c.engine(c.restartOn("8.19.3")).build().run(c.options(TARGET).build());

            String first = c.expectedDefaultOrder().get(0);
            assertThat(result.phase()).isEqualTo(UpgradePhase.FAILED);
            assertThat(result.failure()).contains(first + " came back on 8.19.3 instead of " + TARGET);
            assertThat(c.sim.loadBalancer().inRotation(c.sim.node(first).id())).isFalse();
            assertThat(c.sim.calls("POST", "/rest/zdu/approve")).isEmpty();
            assertThat(c.actionCalls(c.expectedDefaultOrder().get(1))).isZero();
        }
    }

    @Test
    void aNodeInErrorStopsTheUpgrade() {
        try (SimulatedCluster c = new SimulatedCluster(3)) {
            String second = c.expectedDefaultOrder().get(1);
            NodeAction action = node -> {
                c.count(node);
                if (node.nodeName().equals(second)) {
                    c.sim.node(node.nodeId()).fail();
                    return NodeAction.Progress.DONE;
                }
                return c.restartOn(TARGET).perform(node);
            };
            UpgradeResult result = c.engine(action).build().run(c.options(TARGET).build());

            assertThat(result.phase()).isEqualTo(UpgradePhase.FAILED);
            assertThat(result.failure()).contains(second + " is in ERROR");
            assertThat(result.report()).contains(c.expectedDefaultOrder().get(0) + ": " + TARGET + ", ACTIVE — upgraded")
                    .contains(second + ": " + FROM + ", ERROR");
            assertThat(c.actionCalls(c.expectedDefaultOrder().get(2))).isZero();
            assertThat(c.sim.calls("POST", "/rest/zdu/approve")).isEmpty();
        }
    }

    @Test
    void anOldNodeSimplyShutDownDoesNotLetTheEngineApprove() {
        try (SimulatedCluster c = new SimulatedCluster(3)) {
            String victim = c.expectedDefaultOrder().get(2);
            AtomicBoolean shutDown = new AtomicBoolean();
            // the last node's "upgrade" is someone shutting it down: it stays OFFLINE on the old version
            NodeAction action = node -> node.nodeName().equals(victim) ? NodeAction.Progress.DONE
                    : c.restartOn(TARGET).perform(node);
            UpgradeEngine engine = c.engine(action).build();
            UpgradeResult result = engine.run(engine.start(c.options(TARGET).nodeTimeout(Duration.ofMillis(800))
                    .build()), s -> {
                if (s.nodes.size() == 3 && s.nodes.get(1).step == NodeStep.DONE && !shutDown.getAndSet(true)) {
                    c.sim.loadBalancer().drain(s.nodes.get(2).id);
                    c.sim.node(s.nodes.get(2).id).stop();
                }
            });

            assertThat(shutDown).isTrue();
            assertThat(result.phase()).isEqualTo(UpgradePhase.FAILED);
            // Bitbucket ignores the OFFLINE node and reports the cluster ready to finalize ...
            assertThat(c.sim.clusterState()).isEqualTo("READY_TO_RUN_UPGRADE_TASKS");
            // ... but the engine never approves: one expected node is not on the target
            assertThat(c.sim.calls("POST", "/rest/zdu/approve")).isEmpty();
            assertThat(result.failure()).contains(victim + " was not ACTIVE on " + TARGET);
            assertThat(result.report()).contains(victim + ": " + FROM + ", OFFLINE");
        }
    }

    @Test
    void theFinalCheckRefusesToApproveWhileAnExpectedNodeIsOffline() {
        try (SimulatedCluster c = new SimulatedCluster(3)) {
            UpgradeEngine engine = c.engine(c.restartOn(TARGET)).build();
            AtomicBoolean shutDown = new AtomicBoolean();
            String victim = c.expectedDefaultOrder().get(0);
            UpgradeResult result = engine.run(engine.start(c.options(TARGET).nodeTimeout(Duration.ofMillis(800))
                    .build()), s -> {
                if (s.phase == UpgradePhase.FINALIZE_CHECK && !shutDown.getAndSet(true)) {
                    c.sim.loadBalancer().drain(c.sim.node(victim).id());
                    c.sim.node(victim).stop();
                }
            });
            assertThat(result.phase()).isEqualTo(UpgradePhase.FAILED);
            assertThat(result.failure()).contains("not approving").contains(victim + " is OFFLINE")
                    .contains("ignores OFFLINE nodes");
            assertThat(c.sim.clusterState()).isEqualTo("READY_TO_RUN_UPGRADE_TASKS");
            assertThat(c.sim.calls("POST", "/rest/zdu/approve")).isEmpty();
        }
    }

    @Test
    void failedFinalizationIsRetriedWhenBitbucketOffersIt() {
        try (SimulatedCluster c = new SimulatedCluster(2)) {
            c.sim.faults().finalizationFails(1);
            UpgradeResult result = c.engine(c.restartOn(TARGET)).build().run(c.options(TARGET).build());

            assertThat(result.succeeded()).as(result.report()).isTrue();
            assertThat(result.finalizationRetries()).isEqualTo(1);
            assertThat(c.sim.calls("POST", "/rest/zdu/retryUpgrade")).hasSize(1);
            assertThat(c.sim.clusterState()).isEqualTo("STABLE");
        }
    }

    @Test
    void finalizationThatKeepsFailingStopsWithTheExactState() {
        try (SimulatedCluster c = new SimulatedCluster(2)) {
            c.sim.faults().finalizationFails(10);
            UpgradeResult result = c.engine(c.restartOn(TARGET)).build()
                    .run(c.options(TARGET).maxFinalizationRetries(2).build());

            assertThat(result.phase()).isEqualTo(UpgradePhase.FAILED);
            assertThat(result.failure()).contains("UPGRADE_TASKS_FAILED after 2 retries");
            assertThat(result.report()).contains("Cluster: UPGRADE_TASKS_FAILED");
            assertThat(c.sim.calls("POST", "/rest/zdu/retryUpgrade")).hasSize(2);
        }
    }

    @Test
    void withoutRetryUpgradeTheFailedFinalizationIsReported() {
        try (SimulatedCluster c = new SimulatedCluster(2)) {
            c.sim.faults().newerZduPlugin(false);
            c.sim.faults().finalizationFails(1);
            UpgradeResult result = c.engine(c.restartOn(TARGET)).build().run(c.options(TARGET).build());

            assertThat(result.phase()).isEqualTo(UpgradePhase.FAILED);
            assertThat(result.failure()).contains("offers no retryUpgrade");
            assertThat(c.sim.calls("POST", "/rest/zdu/retryUpgrade")).isEmpty();
        }
    }

    @Test
    void approveAnswering500IsNotRepeatedAndSaysHowToContinue() {
        try (SimulatedCluster c = new SimulatedCluster(2)) {
            c.sim.faults().approveFailsWith500(true);
            UpgradeResult result = c.engine(c.restartOn(TARGET)).build().run(c.options(TARGET).build());

            assertThat(result.phase()).isEqualTo(UpgradePhase.FAILED);
            assertThat(result.failure()).contains("approve failed").contains("READY_TO_RUN_UPGRADE_TASKS");
            assertThat(c.sim.calls("POST", "/rest/zdu/approve")).hasSize(1);

            c.sim.faults().approveFailsWith500(false);
            UpgradeResult again = c.engine(c.restartOn(TARGET)).build().run(c.options(TARGET).build());
            assertThat(again.succeeded()).as(again.report()).isTrue();
            assertThat(again.nodes()).allSatisfy(t -> assertThat(t.step()).isEqualTo(NodeStep.SKIPPED));
        }
    }

    @Test
    void abortBeforeTheFirstNodeCancelsUpgradeModeAndPutsTheNodeBack() {
        try (SimulatedCluster c = new SimulatedCluster(3)) {
            AbortSignal.Flag abort = new AbortSignal.Flag();
            UpgradeEngine engine = c.engine(c.restartOn(TARGET)).abortSignal(abort).build();
            UpgradeResult result = engine.run(engine.start(c.options(TARGET).build()), s -> {
                if (!s.nodes.isEmpty() && s.nodes.get(0).step == NodeStep.OUT) {
                    abort.raise(); // the first node is out of the load balancer, its action not started
                }
            });

            assertThat(result.phase()).isEqualTo(UpgradePhase.ABORTED);
            assertThat(c.sim.calls("POST", "/rest/zdu/cancel")).hasSize(1);
            assertThat(c.sim.upgradeModeEnabled()).isFalse();
            assertThat(c.sim.clusterState()).isEqualTo("STABLE");
            assertEveryNodeServes(c);
            assertThat(c.actionCalls).isEmpty();
            assertThat(result.report()).contains("Upgrade mode was cancelled").contains("every node still runs " + FROM);
        }
    }

    @Test
    void abortAfterTheFirstNodeStopsSafelyAndARunAgainContinues() {
        try (SimulatedCluster c = new SimulatedCluster(3)) {
            AbortSignal.Flag abort = new AbortSignal.Flag();
            UpgradeEngine engine = c.engine(c.restartOn(TARGET)).abortSignal(abort).build();
            UpgradeResult result = engine.run(engine.start(c.options(TARGET).build()), s -> {
                if (!s.nodes.isEmpty() && s.nodes.get(0).step == NodeStep.DONE) {
                    abort.raise();
                }
            });
            List<String> order = c.expectedDefaultOrder();

            assertThat(result.phase()).isEqualTo(UpgradePhase.ABORTED);
            assertThat(c.sim.calls("POST", "/rest/zdu/cancel")).isEmpty();
            assertThat(c.sim.upgradeModeEnabled()).isTrue();
            assertThat(c.sim.clusterState()).isEqualTo("MIXED");
            assertThat(result.report()).contains(order.get(0) + ": " + TARGET + ", ACTIVE — upgraded")
                    .contains(order.get(1) + ": " + FROM + ", ACTIVE — not started")
                    .contains("bbdc-ops upgrade --target " + TARGET);
            // still serving: every node is in the load balancer's rotation
            assertEveryNodeServes(c);

            // the resume step: run again with the same target, from what the cluster shows (no saved state)
            UpgradeResult resumed = c.engine(c.restartOn(TARGET)).build().run(c.options(TARGET).build());
            assertThat(resumed.succeeded()).as(resumed.report()).isTrue();
            assertThat(c.actionCalls(order.get(0))).isEqualTo(1);
            assertThat(c.sim.nodes()).extracting(SimNode::version).containsOnly(TARGET);
            assertThat(c.sim.calls("POST", "/rest/zdu/start")).hasSize(1);
        }
    }

    @Test
    void interruptingTheThreadAbortsWhileANodeIsRestarting() throws Exception {
        try (SimulatedCluster c = new SimulatedCluster(3)) {
            UpgradeEngine engine = c.engine(c.restartOn(TARGET)).build();
            AtomicReference<UpgradeResult> result = new AtomicReference<>();
            Thread runner = new Thread(() -> result.set(engine.run(engine.start(c.options(TARGET).build()), s -> {
                if (s.currentNode().map(n -> n.step == NodeStep.WAITING).orElse(false)) {
                    Thread.currentThread().interrupt();
                }
            })));
            runner.start();
            runner.join(30_000);

            assertThat(result.get().phase()).isEqualTo(UpgradePhase.ABORTED);
            assertThat(result.get().failure()).contains("interrupted");
            assertThat(result.get().report()).contains("node action finished, not back on " + TARGET);
            assertThat(c.sim.calls("POST", "/rest/zdu/cancel")).isEmpty();
        }
    }

    @Test
    void aFreshEngineContinuesFromThePersistedStateAndSkipsUpgradedNodes() {
        try (SimulatedCluster c = new SimulatedCluster(3)) {
            List<String> order = c.expectedDefaultOrder();
            AtomicReference<String> persisted = new AtomicReference<>();
            UpgradeEngine first = c.engine(c.restartOn(TARGET)).build();
            try {
                first.run(first.start(c.options(TARGET).build()), s -> {
                    persisted.set(s.toJson());
                    if (s.nodes.size() == 3 && s.nodes.get(1).step == NodeStep.WAITING) {
                        throw new IllegalStateException("the Jenkins controller restarts");
                    }
                });
            } catch (IllegalStateException expected) {
                // the engine instance is gone; only the JSON survives
            }
            UpgradeState saved = UpgradeState.fromJson(persisted.get());
            assertThat(saved.phase).isEqualTo(UpgradePhase.UPGRADE_NODES);
            assertThat(saved.nodes.get(1).step).isEqualTo(NodeStep.WAITING);

            UpgradeEngine second = c.engine(c.restartOn(TARGET)).build();
            UpgradeResult result = second.run(saved, s -> { });

            assertThat(result.succeeded()).as(result.report()).isTrue();
            assertThat(order).allSatisfy(name -> assertThat(c.actionCalls(name)).as(name).isEqualTo(1));
            assertThat(result.nodes()).extracting(UpgradeResult.NodeTiming::step).containsOnly(NodeStep.DONE);
            assertThat(c.sim.calls("POST", "/rest/zdu/start")).hasSize(1);
            assertThat(c.sim.calls("POST", "/rest/zdu/approve")).hasSize(1);
        }
    }

    @Test
    void anAsynchronousNodeActionIsAskedAgainUntilItHasFinished() {
        try (SimulatedCluster c = new SimulatedCluster(2)) {
            java.util.Map<String, Thread> bodies = new java.util.concurrent.ConcurrentHashMap<>();
            java.util.List<Boolean> alreadyStarted = new java.util.concurrent.CopyOnWriteArrayList<>();
            // like the Jenkins body: launched once, then polled until it has finished
            NodeAction body = new NodeAction() {
                @Override
                public Progress perform(UpgradeNodeContext node) {
                    alreadyStarted.add(node.alreadyStarted());
                    Thread t = bodies.computeIfAbsent(node.nodeId(), id -> {
                        c.count(node);
                        Thread th = new Thread(() -> {
                            try {
                                Thread.sleep(150);
                                c.sim.node(id).stop();
                                c.sim.node(id).start(TARGET);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
                        th.start();
                        return th;
                    });
                    return t.isAlive() ? Progress.IN_PROGRESS : Progress.DONE;
                }

                @Override
                public boolean synchronous() {
                    return false;
                }
            };
            UpgradeResult result = c.engine(body).build().run(c.options(TARGET).build());

            assertThat(result.succeeded()).as(result.report()).isTrue();
            assertThat(c.actionCalls).containsOnlyKeys(c.expectedDefaultOrder());
            assertThat(c.actionCalls.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
            // each node: a first call (not started yet), then at least one call that knows it was started
            assertThat(alreadyStarted).containsSubsequence(false, true, false, true);
        }
    }

    @Test
    void aFeatureUpgradeIsRefusedWithoutTouchingTheCluster() {
        try (SimulatedCluster c = new SimulatedCluster(2)) {
            UpgradeResult result = c.engine(c.restartOn("8.20.0")).build().run(c.options("8.20.0").build());

            assertThat(result.phase()).isEqualTo(UpgradePhase.REFUSED);
            assertThat(result.failure()).contains("feature upgrade").contains("downtime");
            assertThat(result.report()).contains("nothing was changed");
            assertThat(c.sim.calls("POST", "/rest/zdu")).isEmpty();
            assertThat(c.actionCalls).isEmpty();
        }
    }

    @Test
    void aFailingCommandOnTheFirstNodeCancelsUpgradeMode(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path script = dir.resolve("upgrade-node.sh");
        java.nio.file.Files.writeString(script, "#!/bin/sh\necho \"cannot reach $1\" >&2\nexit 4\n");
        script.toFile().setExecutable(true);
        try (SimulatedCluster c = new SimulatedCluster(2)) {
            NodeAction command = new CommandNodeAction(new io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner(),
                    new CommandTemplate(List.of(script.toString(), "{nodeHost}", "{targetVersion}"),
                            Duration.ofSeconds(30)));
            UpgradeResult result = c.engine(command).build().run(c.options(TARGET).build());

            assertThat(result.phase()).isEqualTo(UpgradePhase.FAILED);
            assertThat(result.failure()).contains("the node action failed on " + c.expectedDefaultOrder().get(0))
                    .contains("exited with code 4").contains("cannot reach 127.0.0.1");
            assertThat(c.sim.calls("POST", "/rest/zdu/cancel")).hasSize(1);
            assertThat(c.sim.clusterState()).isEqualTo("STABLE");
            assertEveryNodeServes(c);
        }
    }

    @Test
    void aRestorePointIsTakenFirstWhenAskedAndItsFailureChangesNothing() {
        try (SimulatedCluster c = new SimulatedCluster(2)) {
            UpgradeResult failed = c.engine(c.restartOn(TARGET)).backup(reason -> {
                throw new IllegalStateException("snapshot quota exceeded");
            }).build().run(c.options(TARGET).backupFirst(true).build());
            assertThat(failed.phase()).isEqualTo(UpgradePhase.FAILED);
            assertThat(failed.failure()).contains("snapshot quota exceeded").contains("nothing was changed");
            assertThat(c.sim.calls("POST", "/rest/zdu")).isEmpty();

            UpgradeResult ok = c.engine(c.restartOn(TARGET)).backup(reason -> "rp-20261121-1200").build()
                    .run(c.options(TARGET).backupFirst(true).build());
            assertThat(ok.succeeded()).as(ok.report()).isTrue();
            assertThat(ok.restorePointId()).isEqualTo("rp-20261121-1200");
        }
    }

    @Test
    void thePlanListsOrderCallsAndCommandsWithoutChangingAnything() throws Exception {
        try (SimulatedCluster c = new SimulatedCluster(3)) {
            NodeAction command = new CommandNodeAction(new io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner(),
                    new CommandTemplate(List.of("ssh", "{nodeName}", "sudo", "/opt/upgrade.sh", "{targetVersion}"),
                            null));
            UpgradePlan plan = c.engine(command).build().plan(c.options(TARGET).build());

            assertThat(plan.refused()).isFalse();
            assertThat(plan.nodeOrder()).containsExactlyElementsOf(c.expectedDefaultOrder());
            assertThat(plan.text()).contains("POST /rest/zdu/start")
                    .contains("run: ssh " + c.expectedDefaultOrder().get(0) + " sudo /opt/upgrade.sh " + TARGET)
                    .contains("POST /rest/zdu/approve").contains("OFFLINE nodes count");
            assertThat(c.sim.calls("POST", "/")).isEmpty();
        }
    }

    /** Every node is in the load balancer's rotation (once its own health check has run: it lags by design). */
    private static void assertEveryNodeServes(SimulatedCluster c) {
        c.sim.loadBalancer().checkNow();
        assertThat(c.sim.nodes()).allSatisfy(n -> assertThat(c.sim.loadBalancer().inRotation(n.id()))
                .as(n.name() + " in rotation").isTrue());
    }
}
