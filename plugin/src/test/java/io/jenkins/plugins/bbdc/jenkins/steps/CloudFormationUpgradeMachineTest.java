package io.jenkins.plugins.bbdc.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdmin;
import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import io.jenkins.plugins.bbdc.core.upgrade.NodeAction;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeOptions;
import io.jenkins.plugins.bbdc.jenkins.provider.ComponentProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.ProviderServices;
import io.jenkins.plugins.bbdc.jenkins.upgrade.CloudFormationUpgrade;
import io.jenkins.plugins.bbdc.jenkins.util.BitbucketClients;
import io.jenkins.plugins.bbdc.jenkins.util.UsernamePassword;
import io.jenkins.plugins.bbdc.testkit.aws.AutoScalingFake.InstanceView;
import io.jenkins.plugins.bbdc.testkit.aws.AwsEndpoint;
import io.jenkins.plugins.bbdc.testkit.aws.CallRecord;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * {@code bitbucketRollingUpgrade(cloudFormation: …)} as the step drives it — the plugin's upgrade machine polled from
 * a timer, the settings mapped by {@link CloudFormationUpgrade}, the AWS connection built as for the providers — with
 * the real AWS SDK against the testkit's CloudFormation, Auto Scaling and STS endpoint and the Bitbucket simulator as
 * the cluster. What links the two fakes is what links AWS and Bitbucket in reality: a terminated instance takes its
 * Bitbucket node with it, and the group's replacement instance, once InService, starts a new node (new id) on the
 * version it was launched with — so the upgrade only succeeds if the stack update really changed that version first.
 */
class CloudFormationUpgradeMachineTest {
    private static final String PASSWORD = "upgrade-admin-pw-9";
    private static final String AWS_SECRET = "aws-upgrade-S3cret";
    private static final String FROM = "8.19.1";
    private static final String TARGET = "8.19.2";
    private static final String GROUP = "bitbucket-ClusterNodeGroup";
    private static final String STACK = "bitbucket-prod";
    private static final String ROLE = "arn:aws:iam::123456789012:role/bitbucket-upgrade";
    private static final String TIMER_THREAD = "jenkins.util.Timer [stand-in]";

    private final List<ScheduledExecutorService> timers = new ArrayList<>();
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
    /** The threads on which AWS asked the Jenkins credentials entry (the calls' threads). */
    private final List<String> awsThreads = new CopyOnWriteArrayList<>();
    private BitbucketSimulator sim;
    private AwsEndpoint aws;
    private List<String> instances;
    private Map<String, Integer> newNodePorts;
    private InstancesRunBitbucket link;

    @BeforeEach
    void clusterInAnAutoScalingGroup() throws IOException {
        sim = BitbucketSimulator.builder().nodes(3).version(FROM).user("jenkins-ops", PASSWORD, true)
                .stopTime(Duration.ofMillis(60)).startTime(Duration.ofMillis(200))
                .finalizationTime(Duration.ofMillis(150)).healthCheckInterval(Duration.ofMillis(40)).start();
        aws = AwsEndpoint.start();
        aws.autoScaling().timing(Duration.ofMillis(300), Duration.ofMillis(60));
        instances = aws.autoScaling().addGroup(GROUP, 1, 4, 3, FROM);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("BitbucketVersion", FROM);
        params.put("ClusterNodeInstanceType", "m6i.xlarge");
        aws.cloudFormation().updateTime(Duration.ofMillis(300)).addStack(STACK, params, GROUP, "BitbucketVersion");
        newNodePorts = freePorts();
        link = new InstancesRunBitbucket();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        timers.forEach(ScheduledExecutorService::shutdownNow);
        link.close();
        BackgroundAwsAction.forgetAllForTests();
        aws.close();
        sim.close();
        InstanceLocks.Holder h = InstanceLocks.global().holder("prod");
        if (h != null) {
            InstanceLocks.global().release("prod", h.ownerId());
        }
    }

    private ScheduledExecutorService newTimer() {
        ScheduledExecutorService t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, TIMER_THREAD);
            thread.setDaemon(true);
            return thread;
        });
        timers.add(t);
        return t;
    }

    /** The step as a user writes it: nodeUrlTemplate, and the method's settings; replacesNodes is implied. */
    private BitbucketRollingUpgradeStep step() throws AbortException {
        CloudFormationUpgrade cf = new CloudFormationUpgrade("eu-west-1", GROUP);
        cf.setStack(STACK);
        StringBuilder map = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            map.append(sim.nodes().get(i).name()).append('=').append(instances.get(i)).append('\n');
        }
        cf.setNodeInstances(map.toString());
        cf.setStackUpdateTimeoutMinutes(1);
        cf.setReplacementTimeoutMinutes(1);
        cf.setCredentialsId("aws-upgrade");
        cf.setRoleArn(ROLE);
        cf.setExternalId("bitbucket-ops-7");
        cf.setEndpointUrl(aws.url().toString());
        BitbucketRollingUpgradeStep step = new BitbucketRollingUpgradeStep("prod", TARGET);
        step.setNodeUrlTemplate("http://{nodeHost}:7990");
        step.setCloudFormation(cf);
        step.requireRunnable(false, false); // no body, no agent: the AWS calls run on the controller
        return step;
    }

    /** A build's services whose credentials store holds the AWS entry {@code aws-upgrade}. */
    private final ProviderServices services = new ProviderServices() {
        @Override
        public String instanceId() {
            return "prod";
        }

        @Override
        public CommandRunner commandRunner(ComponentProvider provider) throws AbortException {
            throw new AbortException("no agent");
        }

        @Override
        public UsernamePassword usernamePassword(String id, String usedFor, String uri) throws AbortException {
            throw new AbortException("Could not find a credentials entry with ID '" + id + "'");
        }

        @Override
        public String secretText(String id, String usedFor, String uri) throws AbortException {
            throw new AbortException("Could not find a credentials entry with ID '" + id + "'");
        }

        @Override
        public AwsCredentialsProvider aws(String id) throws AbortException {
            if (!"aws-upgrade".equals(id)) {
                throw new AbortException("Could not find a credentials entry with ID '" + id + "'");
            }
            return new AwsCredentialsProvider() {
                @Override
                public AwsCredentials resolveCredentials() {
                    awsThreads.add(Thread.currentThread().getName());
                    return AwsBasicCredentials.create("AKIAUPGRADE", AWS_SECRET);
                }
            };
        }

        @Override
        public String defaultRoleSessionName() {
            return "jenkins-ops-upgrade-7";
        }
    };

    /** The step's machine, wired as {@code UpgradeExecution.machine()} wires it, with short polls for the test. */
    private OperationMachine machine(String owner, BitbucketRollingUpgradeStep step) {
        return UpgradeExecution.machine(owner, false, new UpgradeExecution.PollSetup() {
            @Override
            public BitbucketAdmin admin() throws IOException {
                return BitbucketClients.open(sim.baseUrl().toString(), null,
                        new UsernamePassword("jenkins-ops", PASSWORD));
            }

            @Override
            public NodeAction action(BitbucketAdmin admin) {
                return new BackgroundAwsAction(owner, () -> step.getCloudFormation().open(services), log::println);
            }

            @Override
            public UpgradeOptions options() {
                Map<String, String> nodeUrls = new LinkedHashMap<>();
                sim.nodes().forEach(n -> nodeUrls.put(n.name(), n.url().toString()));
                newNodePorts.forEach((name, port) -> nodeUrls.put(name, "http://127.0.0.1:" + port));
                UpgradeOptions o = UpgradeExecution.options("prod", step, nodeUrls);
                return new UpgradeOptions(o.targetVersion(), o.nodeOrder(), o.nodeUrls(), o.nodeUrlTemplate(),
                        Duration.ofSeconds(20), Duration.ofMillis(100), Duration.ofSeconds(20),
                        o.maxFinalizationRetries(), o.minActiveNodes(), o.backupFirst(), o.resumeCommand(),
                        o.replacesNodes());
            }

            @Override
            public PrintStream log() {
                return log;
            }
        });
    }

    /** The Jenkins side: the timer, the log, and how the step ended. */
    private final class Host implements OperationLoop.Host {
        private final ScheduledExecutorService timer = newTimer();
        private final OperationLoop loop;
        private final BitbucketRollingUpgradeStep step;
        final CompletableFuture<String> ended = new CompletableFuture<>();
        volatile Map<String, Object> result;

        Host(OperationLoop loop, BitbucketRollingUpgradeStep step) {
            this.loop = loop;
            this.step = step;
        }

        @Override
        public ScheduledExecutorService timer() {
            return timer;
        }

        @Override
        public Executor pollThreads() {
            return PollThreads.shared();
        }

        @Override
        public OperationMachine machine() {
            return CloudFormationUpgradeMachineTest.this.machine(loop.ownerId(), step);
        }

        @Override
        public String buildName() {
            return "upgrade #7";
        }

        @Override
        public void log(String line) {
            log.println(line);
        }

        @Override
        public void saveState() {
        }

        @Override
        public void finished(Map<String, Object> result, String failure) {
            this.result = result;
        }

        @Override
        public void complete(Map<String, Object> result, String failure) {
            BackgroundAwsAction.forget(loop.ownerId()); // what UpgradeExecution.ended() does
            ended.complete(failure == null ? "SUCCESS" : failure);
        }
    }

    private String logText() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyNodeIsReplacedThroughTheGroupAfterTheStackUpdateWithTheAwsCallsOffTheTimerThread() throws Exception {
        BitbucketRollingUpgradeStep step = step();
        OperationLoop loop = new OperationLoop("rolling upgrade", "prod");
        Host host = new Host(loop, step);
        loop.start("upgrade#7", host);

        assertThat(host.ended.get(90, TimeUnit.SECONDS)).as(logText()).isEqualTo("SUCCESS");
        assertThat(link.problem).as("the link between the fakes").isNull();

        // the stack carries the target (nothing else changed); every instance was replaced, the group never shrank
        assertThat(aws.cloudFormation().stackView(STACK).orElseThrow().parameters())
                .containsEntry("BitbucketVersion", TARGET).containsEntry("ClusterNodeInstanceType", "m6i.xlarge");
        assertThat(aws.calls("UpdateStack")).hasSize(1);
        assertThat(aws.calls("TerminateInstanceInAutoScalingGroup")).extracting(c -> c.param("InstanceId"))
                .containsExactlyInAnyOrderElementsOf(instances);
        assertThat(aws.calls("TerminateInstanceInAutoScalingGroup"))
                .allSatisfy(c -> assertThat(c.param("ShouldDecrementDesiredCapacity")).isEqualTo("false"));
        assertThat(aws.autoScaling().desiredCapacity(GROUP)).isEqualTo(3);
        assertThat(aws.autoScaling().instances(GROUP)).extracting(InstanceView::launchVersion).containsOnly(TARGET);

        // as the role, with the external id and the build's session name, credentials from the Jenkins entry
        assertThat(aws.assumedRoles()).isNotEmpty().allSatisfy(r -> {
            assertThat(r).containsEntry("RoleArn", ROLE).containsEntry("ExternalId", "bitbucket-ops-7")
                    .containsEntry("RoleSessionName", "jenkins-ops-upgrade-7");
        });
        assertThat(aws.calls()).filteredOn(c -> !"sts".equals(c.service()))
                .extracting(CallRecord::accessKeyId).allSatisfy(k -> assertThat(k).startsWith("ASIA"));
        assertThat(awsThreads).isNotEmpty().allSatisfy(t -> assertThat(t).isNotEqualTo(TIMER_THREAD)
                .startsWith("bbdc-aws-node-action"));

        // Bitbucket: every original node was replaced by a new one that the upgrade followed to the end
        assertThat(sim.nodes()).hasSize(3).allSatisfy(n -> {
            assertThat(n.name()).isIn(newNodePorts.keySet());
            assertThat(n.version()).isEqualTo(TARGET);
        });
        assertThat(sim.clusterState()).isEqualTo("STABLE");
        assertThat(sim.upgradeModeEnabled()).isFalse();
        assertThat(host.result).containsEntry("phase", "DONE").containsEntry("finalVersion", TARGET);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) host.result.get("nodes");
        assertThat(rows).hasSize(3).allSatisfy(row -> {
            assertThat(row.get("node")).isEqualTo(link.replacedBy.get((String) row.get("replacedNode")));
            assertThat(row.get("to")).isEqualTo(TARGET);
        });
        assertThat(logText()).contains("UpdateStack " + STACK).contains("TerminateInstanceInAutoScalingGroup")
                .contains("is InService").doesNotContain(AWS_SECRET).doesNotContain(PASSWORD);
        assertThat(InstanceLocks.global().holder("prod")).isNull();
    }

    @Test
    void aRestartWhileANodeIsReplacedContinuesFromWhatAwsShowsWithoutTerminatingTwice() throws Exception {
        BitbucketRollingUpgradeStep step = step();
        OperationLoop loop = new OperationLoop("rolling upgrade", "prod");
        Host before = new Host(loop, step);
        loop.start("upgrade#7", before);
        awaitTrue(() -> aws.calls("TerminateInstanceInAutoScalingGroup").size() == 1, "the first termination");

        // the restart: the timer stops, the action and its AWS clients die with the JVM, program.dat is read back
        before.timer.shutdownNow();
        assertThat(before.timer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        OperationLoop restored = OperationLoopTest.roundTrip(loop);
        BackgroundAwsAction.forgetAllForTests();
        InstanceLocks.global().release("prod", loop.ownerId());
        Host after = new Host(restored, step);
        restored.resume(after);

        assertThat(after.ended.get(90, TimeUnit.SECONDS)).as(logText()).isEqualTo("SUCCESS");
        assertThat(before.ended).isNotDone();
        assertThat(link.problem).isNull();
        assertThat(aws.calls("UpdateStack")).hasSize(1);
        assertThat(aws.calls("TerminateInstanceInAutoScalingGroup")).extracting(c -> c.param("InstanceId"))
                .as("each instance terminated once, also the one being replaced at the restart")
                .containsExactlyInAnyOrderElementsOf(instances);
        assertThat(sim.nodes()).hasSize(3).allSatisfy(n -> assertThat(n.version()).isEqualTo(TARGET));
        assertThat(sim.clusterState()).isEqualTo("STABLE");
        assertThat(after.result).containsEntry("phase", "DONE");
        assertThat(logText()).contains("resuming its replacement after a Jenkins restart");
    }

    @Test
    void aStopDuringTheStackUpdateCancelsUpgradeModeAndTerminatesNoInstance() throws Exception {
        aws.cloudFormation().updateTime(Duration.ofSeconds(30));
        BitbucketRollingUpgradeStep step = step();
        OperationLoop loop = new OperationLoop("rolling upgrade", "prod");
        Host host = new Host(loop, step);
        loop.start("upgrade#7", host);
        awaitTrue(() -> aws.calls("UpdateStack").size() == 1, "the stack update");
        assertThat(sim.upgradeModeEnabled()).isTrue();

        long t0 = System.nanoTime();
        loop.stop("aborted by the user", host);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(500));

        assertThat(host.ended.get(30, TimeUnit.SECONDS)).startsWith("ABORTED");
        assertThat(aws.calls("TerminateInstanceInAutoScalingGroup")).isEmpty();
        assertThat(sim.upgradeModeEnabled()).isFalse();
        assertThat(sim.nodes()).extracting(BitbucketSimulator.SimNode::version).containsOnly(FROM);
        assertThat(InstanceLocks.global().holder("prod")).isNull();
        // upgrade mode is cancelled, but the stack keeps the new version parameter: the report says so
        assertThat(logText()).contains("was updated to BitbucketVersion=").contains("To keep " + FROM);
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 3000 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).as("waited for " + what).isTrue();
    }

    private static Map<String, Integer> freePorts() throws IOException {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (int i = 4; i <= 6; i++) {
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
    private final class InstancesRunBitbucket implements AutoCloseable {
        final Map<String, String> replacedBy = new ConcurrentHashMap<>();
        volatile Throwable problem;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        InstancesRunBitbucket() {
            Map<String, String> waiting = new LinkedHashMap<>();
            for (int i = 0; i < 3; i++) {
                waiting.put(sim.nodes().get(i).name(), instances.get(i));
            }
            Set<String> known = new HashSet<>(instances);
            List<String> newNames = List.copyOf(newNodePorts.keySet());
            thread = new Thread(() -> {
                try {
                    while (running.get() && !waiting.isEmpty()) {
                        for (Map.Entry<String, String> e : List.copyOf(waiting.entrySet())) {
                            Optional<InstanceView> old = aws.autoScaling().instance(e.getValue());
                            boolean gone = old.isEmpty() || !old.get().lifecycleState().equals("InService");
                            if (gone && !"OFFLINE".equals(sim.node(e.getKey()).zduState())) {
                                sim.node(e.getKey()).stop(); // the instance is shutting down
                            }
                            Optional<InstanceView> fresh = aws.autoScaling().instances(GROUP).stream()
                                    .filter(i -> !known.contains(i.instanceId()))
                                    .filter(i -> i.lifecycleState().equals("InService")).findFirst();
                            if (gone && fresh.isPresent()) {
                                known.add(fresh.get().instanceId());
                                String name = newNames.get(replacedBy.size());
                                BitbucketSimulator.SimNode node = sim.replaceNode(e.getKey(),
                                        fresh.get().launchVersion(), newNodePorts.get(name));
                                replacedBy.put(e.getKey(), node.name());
                                waiting.remove(e.getKey());
                            }
                        }
                        Thread.sleep(10);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException | Error e) {
                    problem = e;
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
