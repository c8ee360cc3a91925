package io.jenkins.plugins.bbdc.core.upgrade.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.provider.aws.AwsCallException;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsClientFactory;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsCredentialsConfig;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsRetryPolicy;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsSettings;
import io.jenkins.plugins.bbdc.core.upgrade.NodeAction;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeNodeContext;
import io.jenkins.plugins.bbdc.testkit.aws.AutoScalingFake;
import io.jenkins.plugins.bbdc.testkit.aws.AwsEndpoint;
import io.jenkins.plugins.bbdc.testkit.aws.CallRecord;
import io.jenkins.plugins.bbdc.testkit.aws.CloudFormationFake;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CloudFormation upgrade method through the real AWS SDK against the testkit's Auto Scaling and stack fakes. */
class CloudFormationNodeActionTest {
    private static final String GROUP = "bitbucket-ClusterNodeGroup";
    private static final String STACK = "bitbucket-prod";
    private AwsEndpoint aws;
    private AwsClientFactory clients;
    private List<String> instances;

    @BeforeEach
    void start() {
        aws = AwsEndpoint.start();
        aws.autoScaling().timing(Duration.ofMillis(150), Duration.ofMillis(40));
        instances = aws.autoScaling().addGroup(GROUP, 1, 4, 3, "8.19.1");
        Map<String, String> params = new LinkedHashMap<>();
        params.put("BitbucketVersion", "8.19.1");
        params.put("ClusterNodeInstanceType", "m6i.xlarge");
        params.put("ClusterNodeMax", "4");
        aws.cloudFormation().updateTime(Duration.ofMillis(150)).addStack(STACK, params, GROUP, "BitbucketVersion");
        // the operator scaled the instance type after creating the stack: UpdateStack must keep it
        clients = new AwsClientFactory(AwsSettings.builder().region("eu-west-1")
                .credentials(AwsCredentialsConfig.staticKeys("AKIATESTKEY", "test-secret-key", null))
                .endpointOverride(aws.url()).retry(AwsRetryPolicy.fast()).build());
    }

    @AfterEach
    void stop() {
        clients.close();
        aws.close();
    }

    private CloudFormationUpgradeConfig.Builder config() {
        return CloudFormationUpgradeConfig.builder().region("eu-west-1").stack(STACK, "BitbucketVersion")
                .autoScalingGroup(GROUP).timeouts(Duration.ofSeconds(20), Duration.ofSeconds(20));
    }

    private static UpgradeNodeContext node(String instance, int position) {
        return new UpgradeNodeContext("node-" + position, "node" + position, instance, "http://" + instance + ":7990",
                "8.19.1", "8.19.2", position, 3, false);
    }

    /** Calls the action the way the engine does (again on every poll) until it is done. */
    private static void runToDone(NodeAction action, UpgradeNodeContext node) throws Exception {
        for (int i = 0; i < 500; i++) {
            if (action.perform(node) == NodeAction.Progress.DONE) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the action never finished");
    }

    @Test
    void updatesTheStackOnceThenReplacesEachNodeWithoutLoweringCapacity() throws Exception {
        CloudFormationNodeAction action = new CloudFormationNodeAction(clients, config().build(), Clock.systemUTC());

        runToDone(action, node(instances.get(0), 1));

        CloudFormationFake.StackView stack = aws.cloudFormation().stackView(STACK).orElseThrow();
        assertThat(stack.status()).isEqualTo("UPDATE_COMPLETE");
        assertThat(stack.parameters()).containsEntry("BitbucketVersion", "8.19.2")
                .containsEntry("ClusterNodeInstanceType", "m6i.xlarge").containsEntry("ClusterNodeMax", "4");
        CallRecord update = aws.calls("UpdateStack").get(0);
        assertThat(update.params()).containsEntry("UsePreviousTemplate", "true");
        assertThat(update.params()).containsValue("ClusterNodeInstanceType").containsValue("8.19.2");
        // the instance was terminated only after the stack update completed, with the capacity kept
        List<CallRecord> terminations = aws.calls("TerminateInstanceInAutoScalingGroup");
        assertThat(terminations).singleElement().satisfies(c -> assertThat(c.params())
                .containsEntry("InstanceId", instances.get(0)).containsEntry("ShouldDecrementDesiredCapacity", "false"));
        assertThat(aws.calls().indexOf(terminations.get(0))).isGreaterThan(aws.calls().indexOf(update));
        assertThat(aws.autoScaling().desiredCapacity(GROUP)).isEqualTo(3);
        String replacement = action.replacementOf("node-1").orElseThrow();
        assertThat(aws.autoScaling().instance(replacement).orElseThrow().launchVersion()).isEqualTo("8.19.2");
        assertThat(aws.autoScaling().instance(replacement).orElseThrow().lifecycleState()).isEqualTo("InService");

        runToDone(action, node(instances.get(1), 2));

        assertThat(aws.calls("UpdateStack")).hasSize(1);
        assertThat(aws.autoScaling().instances(GROUP)).extracting(AutoScalingFake.InstanceView::instanceId)
                .doesNotContain(instances.get(0), instances.get(1)).contains(instances.get(2)).hasSize(3);
    }

    @Test
    void aRolledBackStackUpdateStopsBeforeAnyNodeIsReplaced() throws Exception {
        aws.cloudFormation().failNextUpdate(STACK, "ClusterNodeLaunchTemplate");
        CloudFormationNodeAction action = new CloudFormationNodeAction(clients, config().build(), Clock.systemUTC());

        assertThatThrownBy(() -> runToDone(action, node(instances.get(0), 1)))
                .hasMessageContaining("UPDATE_ROLLBACK_COMPLETE").hasMessageContaining("ClusterNodeLaunchTemplate")
                .hasMessageContaining("BitbucketVersion=8.19.1").hasMessageContaining("no node was replaced");
        assertThat(aws.calls("TerminateInstanceInAutoScalingGroup")).isEmpty();
        assertThat(aws.cloudFormation().stackView(STACK).orElseThrow().parameters())
                .containsEntry("BitbucketVersion", "8.19.1");
        assertThat(aws.autoScaling().instances(GROUP)).extracting(AutoScalingFake.InstanceView::instanceId)
                .containsExactlyElementsOf(instances);

        // the cause was fixed and the upgrade resumed: the node's action is asked again and updates the stack anew
        UpgradeNodeContext resumed = new UpgradeNodeContext("node-1", "node1", instances.get(0), null, "8.19.1",
                "8.19.2", 1, 3, true);
        runToDone(action, resumed);
        assertThat(aws.calls("UpdateStack")).hasSize(2);
        assertThat(aws.cloudFormation().stackView(STACK).orElseThrow().parameters())
                .containsEntry("BitbucketVersion", "8.19.2");
        assertThat(aws.calls("TerminateInstanceInAutoScalingGroup")).singleElement();
    }

    @Test
    void throttledCallsAreAskedAgainOnTheNextPoll() throws Exception {
        aws.faults().throttle(0.4);
        CloudFormationNodeAction action = new CloudFormationNodeAction(clients, config().build(), Clock.systemUTC());

        runToDone(action, node(instances.get(0), 1));

        assertThat(aws.calls().stream().filter(c -> "Throttling".equals(c.errorCode()))).isNotEmpty();
        assertThat(aws.calls("UpdateStack").stream().filter(c -> c.status() == 200)).hasSize(1);
        assertThat(aws.calls("TerminateInstanceInAutoScalingGroup").stream().filter(c -> c.status() == 200))
                .hasSize(1);
        assertThat(aws.autoScaling().desiredCapacity(GROUP)).isEqualTo(3);
    }

    @Test
    void eachDeniedCallNamesTheIamActionItNeededAndChangesNothing() throws Exception {
        CloudFormationNodeAction action = new CloudFormationNodeAction(clients, config().build(), Clock.systemUTC());
        UpgradeNodeContext node = node(instances.get(0), 1);
        // in the order the action makes them: each denial stops the upgrade at that call, the next run gets further
        List<String> actions = List.of("cloudformation:DescribeStacks", "cloudformation:UpdateStack",
                "autoscaling:DescribeAutoScalingInstances", "autoscaling:DescribeAutoScalingGroups",
                "autoscaling:TerminateInstanceInAutoScalingGroup");
        for (String iam : actions) {
            String name = iam.substring(iam.indexOf(':') + 1);
            aws.faults().deny(name);
            assertThatThrownBy(() -> runToDone(action, node)).as(iam)
                    .isInstanceOf(AwsCallException.class)
                    .hasMessageContaining("AWS denied " + iam + " (AccessDenied)")
                    .hasMessageContaining("allow the IAM action " + iam + " for the configured access key AKIATESTKEY")
                    .hasMessageContaining("docs/rolling-upgrade.md")
                    .hasMessageContaining("AWS said: User: arn:aws:iam::123456789012:user/test is not authorized"
                            + " to perform: " + iam)
                    .satisfies(e -> assertThat(((AwsCallException) e).errorCode()).isEqualTo("AccessDenied"));
            assertThat(aws.calls(name)).last().satisfies(c -> {
                assertThat(c.status()).isEqualTo(403);
                assertThat(c.errorCode()).isEqualTo("AccessDenied");
            });
            assertThat(aws.autoScaling().instance(instances.get(0)).orElseThrow().lifecycleState()).as(iam)
                    .isEqualTo("InService");
            aws.faults().allow(name);
        }
        assertThat(aws.calls("UpdateStack")).filteredOn(CallRecord::succeeded).hasSize(1);

        runToDone(action, node);
        assertThat(aws.calls("TerminateInstanceInAutoScalingGroup")).filteredOn(CallRecord::succeeded).hasSize(1);
        assertThat(action.replacementOf("node-1")).isPresent();
    }

    @Test
    void aReplacementThatNeverComesInServiceTimesOutNamingIt() throws Exception {
        aws.autoScaling().replacementsStuck(GROUP, true);
        CloudFormationNodeAction action = new CloudFormationNodeAction(clients, CloudFormationUpgradeConfig.builder()
                .region("eu-west-1").autoScalingGroup(GROUP).timeouts(Duration.ofSeconds(5), Duration.ofMillis(300))
                .build(), Clock.systemUTC());

        assertThatThrownBy(() -> runToDone(action, node(instances.get(0), 1)))
                .hasMessageContaining("replacement of instance " + instances.get(0))
                .hasMessageContaining("2 of 3 instances InService").hasMessageContaining("Pending");
        assertThat(aws.calls("UpdateStack")).isEmpty(); // no stack configured: nodes only
    }

    @Test
    void nodesMapToInstancesOfTheConfiguredGroupOnly() throws Exception {
        List<String> other = aws.autoScaling().addGroup("mesh-nodes", 1, 3, 1, "2.5.0");
        CloudFormationNodeAction action = new CloudFormationNodeAction(clients, config()
                .nodeInstance("node2", instances.get(1)).build(), Clock.systemUTC());

        assertThatThrownBy(() -> action.perform(node("10.0.1.17", 3)))
                .hasMessageContaining("no EC2 instance is known for node node3");
        assertThatThrownBy(() -> action.perform(node(other.get(0), 3)))
                .hasMessageContaining("belongs to Auto Scaling group mesh-nodes");
        UpgradeNodeContext mapped = new UpgradeNodeContext("node-2", "node2", "10.0.1.18", null, "8.19.1", "8.19.2",
                2, 3, false);
        assertThat(action.describe(mapped)).singleElement().asString().contains(instances.get(1))
                .contains("ShouldDecrementDesiredCapacity=false");
        assertThatThrownBy(() -> new CloudFormationNodeAction(clients, CloudFormationUpgradeConfig.builder()
                .region("eu-west-1").build(), null)).hasMessageContaining("'autoScalingGroup'");
    }
}
