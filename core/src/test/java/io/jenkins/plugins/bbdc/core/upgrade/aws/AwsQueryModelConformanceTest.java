package io.jenkins.plugins.bbdc.core.upgrade.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.testkit.aws.AwsEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.Activity;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingInstanceDetails;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsResponse;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingInstancesResponse;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.autoscaling.model.LifecycleState;
import software.amazon.awssdk.services.autoscaling.model.ScalingActivityStatusCode;
import software.amazon.awssdk.services.autoscaling.model.TerminateInstanceInAutoScalingGroupResponse;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksResponse;
import software.amazon.awssdk.services.cloudformation.model.InsufficientCapabilitiesException;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.cloudformation.model.UpdateStackResponse;

/**
 * Protocol fidelity of the testkit's Auto Scaling and CloudFormation fakes, judged by the service models compiled into
 * the real AWS SDK: every reply of every action the CloudFormation upgrade calls is checked element by element
 * against the model ({@link QueryXmlModelCheck}), every field {@link CloudFormationNodeAction} reads must arrive
 * parsed (a misspelt element would arrive as null), and every request parameter the SDK sends must change what the
 * fake does (a parameter the fake read under a wrong name would be ignored).
 */
class AwsQueryModelConformanceTest {
    private static final String GROUP = "bitbucket-ClusterNodeGroup";
    private static final String OTHER_GROUP = "bamboo-agents";
    private static final String STACK = "bitbucket-prod";

    /** Members the service models (botocore autoscaling 2011-01-01, cloudformation 2010-05-15) mark required. */
    private static final Map<String, Set<String>> ASG_REQUIRED = Map.of(
            "DescribeAutoScalingGroupsResponse", Set.of("AutoScalingGroups"),
            "AutoScalingGroup", Set.of("AutoScalingGroupName", "MinSize", "MaxSize", "DesiredCapacity",
                    "DefaultCooldown", "AvailabilityZones", "HealthCheckType", "CreatedTime"),
            "Instance", Set.of("InstanceId", "AvailabilityZone", "LifecycleState", "HealthStatus",
                    "ProtectedFromScaleIn"),
            "AutoScalingInstanceDetails", Set.of("InstanceId", "AutoScalingGroupName", "AvailabilityZone",
                    "LifecycleState", "HealthStatus", "ProtectedFromScaleIn"),
            "Activity", Set.of("ActivityId", "AutoScalingGroupName", "Cause", "StartTime", "StatusCode"));
    private static final Map<String, Set<String>> CFN_REQUIRED = Map.of(
            "Stack", Set.of("StackName", "CreationTime", "StackStatus"));
    private static final QueryXmlModelCheck ASG_MODEL = new QueryXmlModelCheck(
            "http://autoscaling.amazonaws.com/doc/2011-01-01/", ASG_REQUIRED);
    private static final QueryXmlModelCheck CFN_MODEL = new QueryXmlModelCheck(
            "http://cloudformation.amazonaws.com/doc/2010-05-15/", CFN_REQUIRED);

    private AwsEndpoint aws;
    private SdkHttpClient http;
    private AutoScalingClient asg;
    private CloudFormationClient cfn;
    private final RawReplies raw = new RawReplies();
    private List<String> instances;

    @BeforeEach
    void start() {
        aws = AwsEndpoint.start();
        // replacements stay Pending and terminated instances Terminating for the whole test, so the replies it
        // checks hold those states however slowly a loaded machine runs it
        aws.autoScaling().timing(Duration.ofMinutes(5), Duration.ofMinutes(5));
        instances = aws.autoScaling().addGroup(GROUP, 1, 4, 3, "8.19.1");
        aws.autoScaling().addGroup(OTHER_GROUP, 1, 2, 1, "9.6.0");
        Map<String, String> params = new LinkedHashMap<>();
        params.put("BitbucketVersion", "8.19.1");
        params.put("ClusterNodeInstanceType", "m6i.xlarge");
        params.put("ClusterNodeMax", "4");
        // long enough that each state of an update is seen by a poll even on a busy machine
        aws.cloudFormation().updateTime(Duration.ofMillis(600)).addStack(STACK, params, GROUP, "BitbucketVersion");
        http = ApacheHttpClient.builder().build();
        StaticCredentialsProvider keys = StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIAMODELTEST", "model-test-secret"));
        asg = AutoScalingClient.builder().region(Region.EU_WEST_1).credentialsProvider(keys).httpClient(http)
                .endpointOverride(aws.url()).overrideConfiguration(o -> o.addExecutionInterceptor(raw)
                        .retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        cfn = CloudFormationClient.builder().region(Region.EU_WEST_1).credentialsProvider(keys).httpClient(http)
                .endpointOverride(aws.url()).overrideConfiguration(o -> o.addExecutionInterceptor(raw)
                        .retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    @AfterEach
    void stop() {
        asg.close();
        cfn.close();
        http.close();
        aws.close();
    }

    private void assertMatchesModel(QueryXmlModelCheck model, String operation, SdkPojo response) {
        RawReplies.Reply reply = raw.last(operation);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(model.success(operation, response, reply.body())).as("%s reply vs the model:%n%s", operation,
                reply.body()).isEmpty();
    }

    private void assertErrorMatchesModel(QueryXmlModelCheck model, String operation) {
        assertErrorMatchesModel(model, operation, 400);
    }

    private void assertErrorMatchesModel(QueryXmlModelCheck model, String operation, int status) {
        RawReplies.Reply reply = raw.last(operation);
        assertThat(reply.status()).isEqualTo(status);
        assertThat(model.error(reply.body())).as("%s error reply:%n%s", operation, reply.body()).isEmpty();
    }

    // ---------------------------------------------------------------- Auto Scaling

    @Test
    void autoScalingRepliesMatchTheModelAndCarryEveryFieldTheUpgradeReads() {
        DescribeAutoScalingGroupsResponse groups = asg.describeAutoScalingGroups(r -> r.autoScalingGroupNames(GROUP));
        assertMatchesModel(ASG_MODEL, "DescribeAutoScalingGroups", groups);
        AutoScalingGroup group = groups.autoScalingGroups().get(0);
        assertThat(group.autoScalingGroupName()).isEqualTo(GROUP);
        assertThat(group.desiredCapacity()).isEqualTo(3);
        assertThat(group.minSize()).isEqualTo(1);
        assertThat(group.maxSize()).isEqualTo(4);
        assertThat(group.instances()).extracting(Instance::instanceId).containsExactlyElementsOf(instances);
        for (Instance i : group.instances()) {
            assertThat(i.lifecycleState()).isEqualTo(LifecycleState.IN_SERVICE);
            assertThat(i.healthStatus()).isEqualTo("Healthy");
            assertThat(i.availabilityZone()).startsWith("eu-west-1");
            assertThat(i.protectedFromScaleIn()).isFalse();
        }

        DescribeAutoScalingInstancesResponse found = asg.describeAutoScalingInstances(
                r -> r.instanceIds(instances.get(0)));
        assertMatchesModel(ASG_MODEL, "DescribeAutoScalingInstances", found);
        AutoScalingInstanceDetails details = found.autoScalingInstances().get(0);
        assertThat(details.instanceId()).isEqualTo(instances.get(0));
        assertThat(details.autoScalingGroupName()).isEqualTo(GROUP);
        assertThat(details.lifecycleState()).isEqualTo("InService");
        assertThat(details.healthStatus()).isEqualTo("HEALTHY");
        assertThat(details.availabilityZone()).startsWith("eu-west-1");

        TerminateInstanceInAutoScalingGroupResponse terminated = asg.terminateInstanceInAutoScalingGroup(
                r -> r.instanceId(instances.get(0)).shouldDecrementDesiredCapacity(false));
        assertMatchesModel(ASG_MODEL, "TerminateInstanceInAutoScalingGroup", terminated);
        Activity activity = terminated.activity();
        assertThat(activity.activityId()).isNotBlank();
        assertThat(activity.autoScalingGroupName()).isEqualTo(GROUP);
        assertThat(activity.statusCode()).isEqualTo(ScalingActivityStatusCode.IN_PROGRESS);
        assertThat(activity.startTime()).isNotNull();
        assertThat(activity.cause()).contains(instances.get(0));
        assertThat(activity.progress()).isZero();

        // the group mid-replacement: the old instance Terminating, its replacement Pending — both parsed
        DescribeAutoScalingGroupsResponse replacing = asg.describeAutoScalingGroups(
                r -> r.autoScalingGroupNames(GROUP));
        assertMatchesModel(ASG_MODEL, "DescribeAutoScalingGroups", replacing);
        AutoScalingGroup during = replacing.autoScalingGroups().get(0);
        assertThat(during.instances()).extracting(Instance::lifecycleState)
                .contains(LifecycleState.TERMINATING, LifecycleState.PENDING)
                .doesNotContain(LifecycleState.UNKNOWN_TO_SDK_VERSION);
        assertThat(during.desiredCapacity()).isEqualTo(3);
    }

    @Test
    void autoScalingActsOnEveryParameterTheSdkSends() {
        assertThat(asg.describeAutoScalingGroups(r -> r.autoScalingGroupNames(OTHER_GROUP)).autoScalingGroups())
                .extracting(AutoScalingGroup::autoScalingGroupName).containsExactly(OTHER_GROUP);
        assertThat(asg.describeAutoScalingGroups(r -> { }).autoScalingGroups())
                .extracting(AutoScalingGroup::autoScalingGroupName).containsExactly(GROUP, OTHER_GROUP);

        DescribeAutoScalingGroupsResponse bare = asg.describeAutoScalingGroups(
                r -> r.autoScalingGroupNames(GROUP).includeInstances(false));
        assertMatchesModel(ASG_MODEL, "DescribeAutoScalingGroups", bare);
        assertThat(bare.autoScalingGroups().get(0).hasInstances()).isFalse();

        // MaxRecords and NextToken: one group per page, and the SDK's paginator follows the token
        DescribeAutoScalingGroupsResponse first = asg.describeAutoScalingGroups(r -> r.maxRecords(1));
        assertMatchesModel(ASG_MODEL, "DescribeAutoScalingGroups", first);
        assertThat(first.autoScalingGroups()).hasSize(1);
        assertThat(first.nextToken()).isNotBlank();
        assertThat(asg.describeAutoScalingGroupsPaginator(r -> r.maxRecords(1)).autoScalingGroups())
                .extracting(AutoScalingGroup::autoScalingGroupName).containsExactly(GROUP, OTHER_GROUP);
        assertThatThrownBy(() -> asg.describeAutoScalingGroups(r -> r.maxRecords(101)))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(
                        e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
        assertErrorMatchesModel(ASG_MODEL, "DescribeAutoScalingGroups");
        assertThatThrownBy(() -> asg.describeAutoScalingGroups(r -> r.nextToken("not-a-token")))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(
                        e.awsErrorDetails().errorCode()).isEqualTo("InvalidNextToken"));

        assertThat(asg.describeAutoScalingInstances(r -> r.instanceIds(instances.get(1))).autoScalingInstances())
                .extracting(AutoScalingInstanceDetails::instanceId).containsExactly(instances.get(1));
        assertThat(asg.describeAutoScalingInstances(r -> r.instanceIds("i-0123456789abcdef0"))
                .autoScalingInstances()).as("an instance outside every group is no error, just absent").isEmpty();
        assertThat(asg.describeAutoScalingInstancesPaginator(r -> r.maxRecords(2)).autoScalingInstances())
                .hasSize(4);

        // ShouldDecrementDesiredCapacity decides whether a replacement is launched
        asg.terminateInstanceInAutoScalingGroup(r -> r.instanceId(instances.get(1))
                .shouldDecrementDesiredCapacity(true));
        assertThat(aws.autoScaling().desiredCapacity(GROUP)).isEqualTo(2);
        asg.terminateInstanceInAutoScalingGroup(r -> r.instanceId(instances.get(2))
                .shouldDecrementDesiredCapacity(false));
        assertThat(aws.autoScaling().desiredCapacity(GROUP)).isEqualTo(2);
        assertThat(aws.autoScaling().instances(GROUP)).hasSize(4); // 2 terminating, 1 kept, 1 replacement

        assertThatThrownBy(() -> asg.terminateInstanceInAutoScalingGroup(r -> r.instanceId("i-0123456789abcdef0")
                .shouldDecrementDesiredCapacity(false))).isInstanceOfSatisfying(AwsServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("i-0123456789abcdef0");
                });
        assertErrorMatchesModel(ASG_MODEL, "TerminateInstanceInAutoScalingGroup");
    }

    @Test
    void aDeniedActionAnswersAccessDeniedInTheQueryErrorEnvelope() {
        aws.faults().deny("TerminateInstanceInAutoScalingGroup").deny("UpdateStack");
        assertThatThrownBy(() -> asg.terminateInstanceInAutoScalingGroup(r -> r.instanceId(instances.get(0))
                .shouldDecrementDesiredCapacity(false))).isInstanceOfSatisfying(AwsServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                    assertThat(e.awsErrorDetails().errorMessage()).contains(
                            "not authorized to perform: autoscaling:TerminateInstanceInAutoScalingGroup");
                });
        assertErrorMatchesModel(ASG_MODEL, "TerminateInstanceInAutoScalingGroup", 403);
        assertThat(raw.last("TerminateInstanceInAutoScalingGroup").body()).contains("<Type>Sender</Type>");

        assertThatThrownBy(() -> cfn.updateStack(r -> r.stackName(STACK).usePreviousTemplate(true)))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                    assertThat(e.awsErrorDetails().errorMessage()).contains(
                            "not authorized to perform: cloudformation:UpdateStack");
                });
        assertErrorMatchesModel(CFN_MODEL, "UpdateStack", 403);
        // the other actions stay allowed
        assertMatchesModel(ASG_MODEL, "DescribeAutoScalingGroups",
                asg.describeAutoScalingGroups(r -> r.autoScalingGroupNames(GROUP)));
    }

    // ---------------------------------------------------------------- CloudFormation

    private Stack stack() {
        DescribeStacksResponse r = cfn.describeStacks(d -> d.stackName(STACK));
        assertMatchesModel(CFN_MODEL, "DescribeStacks", r);
        assertThat(r.stacks()).hasSize(1);
        return r.stacks().get(0);
    }

    private Stack awaitStack(Predicate<Stack> condition) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            Stack s = stack();
            if (condition.test(s)) {
                return s;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the stack never reached the expected state: " + stack());
    }

    private List<Parameter> keepAllBut(Stack stack, String key, String value) {
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : stack.parameters()) {
            out.add(p.parameterKey().equals(key) ? Parameter.builder().parameterKey(key).parameterValue(value).build()
                    : Parameter.builder().parameterKey(p.parameterKey()).usePreviousValue(true).build());
        }
        return out;
    }

    @Test
    void cloudFormationRepliesMatchTheModelAndCarryEveryFieldTheUpgradeReads() throws Exception {
        Stack before = stack();
        assertThat(before.stackName()).isEqualTo(STACK);
        assertThat(before.stackId()).startsWith("arn:aws:cloudformation:eu-west-1:");
        assertThat(before.stackStatus()).isEqualTo(StackStatus.CREATE_COMPLETE);
        assertThat(before.creationTime()).isNotNull();
        assertThat(before.parameters()).extracting(Parameter::parameterKey, Parameter::parameterValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("BitbucketVersion", "8.19.1"),
                        org.assertj.core.groups.Tuple.tuple("ClusterNodeInstanceType", "m6i.xlarge"),
                        org.assertj.core.groups.Tuple.tuple("ClusterNodeMax", "4"));
        assertThat(before.capabilities()).containsExactly(Capability.CAPABILITY_IAM);
        assertThat(before.capabilitiesAsStrings()).containsExactly("CAPABILITY_IAM");

        UpdateStackResponse update = cfn.updateStack(r -> r.stackName(STACK).usePreviousTemplate(true)
                .parameters(keepAllBut(before, "BitbucketVersion", "8.19.2"))
                .capabilitiesWithStrings(before.capabilitiesAsStrings()));
        assertMatchesModel(CFN_MODEL, "UpdateStack", update);
        assertThat(update.stackId()).isEqualTo(before.stackId());

        Stack during = stack();
        assertThat(during.stackStatus()).isIn(StackStatus.UPDATE_IN_PROGRESS,
                StackStatus.UPDATE_COMPLETE_CLEANUP_IN_PROGRESS);
        Stack done = awaitStack(s -> s.stackStatus() == StackStatus.UPDATE_COMPLETE);
        assertThat(done.lastUpdatedTime()).isNotNull();
        assertThat(done.parameters()).extracting(Parameter::parameterValue)
                .containsExactly("8.19.2", "m6i.xlarge", "4");

        // a failing update: the reason names the failed resource while the rollback runs
        aws.cloudFormation().failNextUpdate(STACK, "ClusterNodeLaunchTemplate");
        cfn.updateStack(r -> r.stackName(STACK).usePreviousTemplate(true)
                .parameters(keepAllBut(done, "BitbucketVersion", "8.19.3"))
                .capabilitiesWithStrings(done.capabilitiesAsStrings()));
        assertThat(stack().stackStatusReason()).as("the reason of an update in progress").isNotBlank();
        Stack rollingBack = awaitStack(s -> s.stackStatus() == StackStatus.UPDATE_ROLLBACK_IN_PROGRESS);
        assertThat(rollingBack.stackStatusReason()).contains("ClusterNodeLaunchTemplate");
        Stack rolledBack = awaitStack(s -> s.stackStatus() == StackStatus.UPDATE_ROLLBACK_COMPLETE);
        assertThat(rolledBack.parameters()).extracting(Parameter::parameterValue).first().isEqualTo("8.19.2");
    }

    @Test
    void cloudFormationActsOnEveryParameterTheSdkSends() throws Exception {
        Stack before = stack();

        // Capabilities: the template creates IAM resources, so an update must acknowledge CAPABILITY_IAM
        assertThatThrownBy(() -> cfn.updateStack(r -> r.stackName(STACK).usePreviousTemplate(true)
                .parameters(keepAllBut(before, "BitbucketVersion", "8.19.2"))))
                .isInstanceOfSatisfying(InsufficientCapabilitiesException.class, e -> assertThat(
                        e.awsErrorDetails().errorMessage()).contains("CAPABILITY_IAM"));
        assertErrorMatchesModel(CFN_MODEL, "UpdateStack");
        assertThat(aws.cloudFormation().stackView(STACK).orElseThrow().updates()).isZero();

        // UsePreviousTemplate is required here (no template body is ever sent)
        assertThatThrownBy(() -> cfn.updateStack(r -> r.stackName(STACK)
                .parameters(keepAllBut(before, "BitbucketVersion", "8.19.2"))
                .capabilitiesWithStrings(before.capabilitiesAsStrings())))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(
                        e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));

        // Parameters: ParameterValue changes one, UsePreviousValue keeps one, one left out falls to its default
        cfn.updateStack(r -> r.stackName(STACK).usePreviousTemplate(true).capabilities(Capability.CAPABILITY_IAM)
                .parameters(Parameter.builder().parameterKey("ClusterNodeInstanceType").parameterValue("m6i.2xlarge")
                                .build(),
                        Parameter.builder().parameterKey("BitbucketVersion").usePreviousValue(true).build()));
        assertThat(aws.cloudFormation().stackView(STACK).orElseThrow().parameters())
                .containsEntry("ClusterNodeInstanceType", "m6i.2xlarge").containsEntry("BitbucketVersion", "8.19.1")
                .containsEntry("ClusterNodeMax", "4");
        awaitStack(s -> s.stackStatus() == StackStatus.UPDATE_COMPLETE);

        // StackName selects the stack; an unknown one is a ValidationError, as CloudFormation answers
        assertThatThrownBy(() -> cfn.describeStacks(r -> r.stackName("no-such-stack")))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(
                            "Stack with id no-such-stack does not exist");
                });
        assertErrorMatchesModel(CFN_MODEL, "DescribeStacks");
        assertThat(cfn.describeStacks(r -> r.stackName(before.stackId())).stacks()).extracting(Stack::stackName)
                .containsExactly(STACK);
        assertThat(cfn.describeStacks().stacks()).extracting(Stack::stackName).containsExactly(STACK);
    }
}
