package io.jenkins.plugins.bbdc.core.upgrade;

import static io.jenkins.plugins.bbdc.core.upgrade.SimulatedCluster.FROM;
import static io.jenkins.plugins.bbdc.core.upgrade.SimulatedCluster.TARGET;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.core.provider.aws.AwsClientFactory;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsCredentialsConfig;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsRetryPolicy;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsSettings;
import io.jenkins.plugins.bbdc.core.upgrade.aws.CloudFormationNodeAction;
import io.jenkins.plugins.bbdc.core.upgrade.aws.CloudFormationUpgradeConfig;
import io.jenkins.plugins.bbdc.testkit.aws.AutoScalingFake.InstanceView;
import io.jenkins.plugins.bbdc.testkit.aws.AwsEndpoint;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator.SimNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Atlassian's CloudFormation method end to end: {@link CloudFormationNodeAction} through the real AWS SDK against the
 * testkit's CloudFormation and Auto Scaling endpoint, the engine with {@code replacesNodes}, and the Bitbucket
 * simulator as the cluster. What links the two fakes is what links AWS and Bitbucket in reality: when an instance
 * of the group is terminated, its Bitbucket node goes away; when the group's replacement instance is InService, a
 * new Bitbucket node (new id) starts on it with the version the instance was launched with — so the upgrade only
 * succeeds if the stack update really changed the launch version first.
 */
class CloudFormationRollingUpgradeTest {
    private static final String GROUP = "bitbucket-ClusterNodeGroup";
    private static final String STACK = "bitbucket-prod";

    @Test
    void replacesEveryInstanceAndFinalizesWithTheNewNodesWithoutAFailedUserRequest() throws Exception {
        try (SimulatedCluster c = new SimulatedCluster(3); AwsEndpoint aws = AwsEndpoint.start()) {
            aws.autoScaling().timing(Duration.ofMillis(150), Duration.ofMillis(40));
            List<String> instances = aws.autoScaling().addGroup(GROUP, 1, 4, 3, FROM);
            Map<String, String> params = new LinkedHashMap<>();
            params.put("BitbucketVersion", FROM);
            params.put("ClusterNodeInstanceType", "m6i.xlarge");
            aws.cloudFormation().updateTime(Duration.ofMillis(150)).addStack(STACK, params, GROUP, "BitbucketVersion");

            CloudFormationUpgradeConfig.Builder config = CloudFormationUpgradeConfig.builder().region("eu-west-1")
                    .stack(STACK, "BitbucketVersion").autoScalingGroup(GROUP)
                    .timeouts(Duration.ofSeconds(20), Duration.ofSeconds(20));
            Map<String, String> instanceOfNode = new LinkedHashMap<>();
            for (int i = 0; i < 3; i++) {
                String name = c.sim.nodes().get(i).name();
                instanceOfNode.put(name, instances.get(i));
                config.nodeInstance(name, instances.get(i));
            }
            UpgradeOptions.Builder options = c.options(TARGET).replacesNodes(true);
            Map<String, Integer> newPorts = freePorts(4, 6);
            newPorts.forEach((name, port) -> options.nodeUrl(name, "http://127.0.0.1:" + port));

            try (AwsClientFactory clients = new AwsClientFactory(AwsSettings.builder().region("eu-west-1")
                    .credentials(AwsCredentialsConfig.staticKeys("AKIATESTKEY", "test-secret-key", null))
                    .endpointOverride(aws.url()).retry(AwsRetryPolicy.fast()).build());
                 InstancesRunBitbucket link = new InstancesRunBitbucket(c, aws, instanceOfNode, newPorts)) {
                CloudFormationNodeAction action = new CloudFormationNodeAction(clients, config.build(),
                        Clock.systemUTC());
                UpgradeResult result;
                try (SimulatedCluster.LoadProbe probe = new SimulatedCluster.LoadProbe(c.sim.baseUrl())) {
                    c.sim.loadBalancer().resetCounters();
                    result = c.engine(action).build().run(options.build());
                    probe.close();
                    assertThat(probe.ok()).isPositive();
                    assertThat(probe.bad()).as("user requests that failed: %s", probe.failures()).isZero();
                }
                assertThat(link.problem.get()).isNull();
                assertThat(result.succeeded()).as(result.report()).isTrue();
                assertThat(result.finalVersion()).isEqualTo(TARGET);

                // the stack now carries the target; the group never shrank
                assertThat(aws.cloudFormation().stackView(STACK).orElseThrow().parameters())
                        .containsEntry("BitbucketVersion", TARGET).containsEntry("ClusterNodeInstanceType", "m6i.xlarge");
                assertThat(aws.autoScaling().desiredCapacity(GROUP)).isEqualTo(3);
                List<InstanceView> group = aws.autoScaling().instances(GROUP);
                assertThat(group).extracting(InstanceView::instanceId).doesNotContainAnyElementsOf(instances);
                assertThat(group).extracting(InstanceView::launchVersion).containsOnly(TARGET);

                // every original node was replaced by a new node, which the engine followed to the end
                assertThat(c.sim.nodes()).hasSize(3).allSatisfy(n -> {
                    assertThat(n.name()).isIn(newPorts.keySet());
                    assertThat(n.version()).isEqualTo(TARGET);
                    assertThat(n.zduState()).isEqualTo("ACTIVE");
                });
                assertThat(result.nodes()).hasSize(3).allSatisfy(t -> {
                    assertThat(t.step()).isEqualTo(NodeStep.DONE);
                    assertThat(t.replacedName()).isIn(instanceOfNode.keySet());
                    assertThat(t.name()).isEqualTo(link.replacedBy.get(t.replacedName()));
                });
                assertThat(c.sim.calls("POST", "/rest/zdu/approve")).hasSize(1);
                assertThat(c.sim.clusterState()).isEqualTo("STABLE");
                assertThat(c.sim.upgradeModeEnabled()).isFalse();
            }
        }
    }

    private static Map<String, Integer> freePorts(int firstIndex, int lastIndex) throws IOException {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (int i = firstIndex; i <= lastIndex; i++) {
            try (ServerSocket probe = new ServerSocket(0)) {
                ports.put("bb-node-" + i, probe.getLocalPort());
            }
        }
        return ports;
    }

    /**
     * What the instances' user data does in reality: a terminated instance takes its Bitbucket node with it, and a
     * new InService instance of the group starts Bitbucket (the version it was launched with) as a new node.
     */
    private static final class InstancesRunBitbucket implements AutoCloseable {
        final Map<String, String> replacedBy = new ConcurrentHashMap<>();
        final AtomicReference<Throwable> problem = new AtomicReference<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        InstancesRunBitbucket(SimulatedCluster c, AwsEndpoint aws, Map<String, String> instanceOfNode,
                              Map<String, Integer> newPorts) {
            Map<String, String> waiting = new LinkedHashMap<>(instanceOfNode);
            Set<String> known = new HashSet<>(instanceOfNode.values());
            List<String> newNames = List.copyOf(newPorts.keySet());
            thread = new Thread(() -> {
                try {
                    while (running.get() && !waiting.isEmpty()) {
                        for (Map.Entry<String, String> e : List.copyOf(waiting.entrySet())) {
                            Optional<InstanceView> old = aws.autoScaling().instance(e.getValue());
                            boolean gone = old.isEmpty() || !old.get().lifecycleState().equals("InService");
                            if (gone) {
                                c.sim.node(e.getKey()).stop(); // the instance is shutting down
                            }
                            Optional<InstanceView> fresh = aws.autoScaling().instances(GROUP).stream()
                                    .filter(i -> !known.contains(i.instanceId()))
                                    .filter(i -> i.lifecycleState().equals("InService")).findFirst();
                            if (gone && fresh.isPresent()) {
                                known.add(fresh.get().instanceId());
                                String name = newNames.get(replacedBy.size());
                                SimNode node = c.sim.replaceNode(e.getKey(), fresh.get().launchVersion(),
                                        newPorts.get(name));
                                replacedBy.put(e.getKey(), node.name());
                                waiting.remove(e.getKey());
                            }
                        }
                        Thread.sleep(10);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException | Error e) {
                    problem.set(e);
                }
            }, "instances-run-bitbucket");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(5_000);
        }
    }
}
