package io.jenkins.plugins.bbdc.core.upgrade.aws;

import io.jenkins.plugins.bbdc.core.provider.aws.AwsCallException;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsClientFactory;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsErrors;
import io.jenkins.plugins.bbdc.core.upgrade.NodeAction;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeNodeContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingInstanceDetails;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/**
 * Atlassian's second upgrade method as an asynchronous node action: the cluster is a CloudFormation stack whose Auto
 * Scaling group runs the nodes. Before the first node the stack's version parameter is changed (UpdateStack with the
 * previous template, every other parameter {@code UsePreviousValue}) and the update awaited; then each node's EC2
 * instance is terminated inside its group without lowering the desired capacity, and the action is done when the
 * group again has its desired number of instances InService without the old one.
 *
 * <p>Each {@link #perform} call does one short step and answers {@link Progress#IN_PROGRESS} until done, so it fits
 * the engine's poll loop. After a restart (no memory of earlier calls) it decides from what AWS shows.
 */
public final class CloudFormationNodeAction implements NodeAction {
    private final AwsClientFactory aws;
    private final CloudFormationUpgradeConfig config;
    private final Clock clock;
    /** Where the permissions this action needs are listed, for denial messages. */
    private static final String POLICY_DOC = "docs/rolling-upgrade.md";
    private final Map<String, NodeProgress> progress = new ConcurrentHashMap<>();

    /** A throttled call: nothing happened, the engine's next poll asks again. */
    private static final class Throttled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Throttled() {
            super(null, null, false, false);
        }
    }

    /** What this action did for one node (lost on restart; then AWS is asked instead). */
    private static final class NodeProgress {
        boolean stackUpdateIssued;
        Instant stackUpdateStartedAt;
        String terminatedInstance;
        Instant terminatedAt;
        Set<String> instancesBefore = Set.of();
        String replacement;
        String rollbackReason;
    }

    public CloudFormationNodeAction(AwsClientFactory aws, CloudFormationUpgradeConfig config, Clock clock) {
        List<String> problems = config.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("CloudFormation upgrade: " + String.join("; ", problems));
        }
        this.aws = aws;
        this.config = config;
        this.clock = clock == null ? Clock.systemUTC() : clock;
    }

    /**
     * The stack update is not undone by a stop: Bitbucket's upgrade mode can be cancelled, but the stack keeps the
     * version parameter the update set, so every instance its Auto Scaling group launches from then on installs the
     * target version. Say so, and how to go back or on.
     */
    @Override
    public List<String> leftAfterStop(String originalVersion, String targetVersion) {
        if (!config.updatesStack()) {
            return List.of();
        }
        boolean issued = progress.values().stream().anyMatch(p -> p.stackUpdateIssued);
        return List.of((issued ? "The stack " + config.stackName() + " was updated to "
                : "If the stack " + config.stackName() + " was already updated to ") + config.versionParameter() + "="
                + targetVersion + ", it stays so: instances its Auto Scaling group " + config.autoScalingGroup()
                + " launches from now on (a replacement, a scale-out) install " + targetVersion + ". To keep "
                + originalVersion + ", update the stack with " + config.versionParameter() + "=" + originalVersion
                + " (previous template, other parameters unchanged); to finish the upgrade instead, resume it.");
    }

    @Override
    public boolean synchronous() {
        return false;
    }

    /** The instance that replaced this node's instance, once it is InService; empty before. */
    public Optional<String> replacementOf(String nodeId) {
        NodeProgress p = progress.get(nodeId);
        return Optional.ofNullable(p == null ? null : p.replacement);
    }

    @Override
    public List<String> describe(UpgradeNodeContext node) {
        List<String> lines = new ArrayList<>();
        if (config.updatesStack() && node.position() == 1) {
            lines.add("CloudFormation UpdateStack " + config.stackName() + " (previous template) "
                    + config.versionParameter() + "=" + node.targetVersion() + ", other parameters unchanged; wait"
                    + " for UPDATE_COMPLETE");
        }
        String instance;
        try {
            instance = instanceOf(node);
        } catch (IllegalStateException e) {
            instance = "<unknown: " + e.getMessage() + ">";
        }
        lines.add("Auto Scaling TerminateInstanceInAutoScalingGroup " + instance + " (ShouldDecrementDesiredCapacity"
                + "=false) in " + config.autoScalingGroup() + "; wait until its replacement is InService");
        return lines;
    }

    @Override
    public Progress perform(UpgradeNodeContext node) throws Exception {
        NodeProgress p = progress.computeIfAbsent(node.nodeId(), k -> new NodeProgress());
        try {
            if (config.updatesStack() && node.position() == 1 && !stackReady(node, p)) {
                return Progress.IN_PROGRESS;
            }
            if (p.terminatedInstance == null) {
                terminate(node, p);
                return Progress.IN_PROGRESS;
            }
            return replaced(node, p) ? Progress.DONE : Progress.IN_PROGRESS;
        } catch (Throttled e) {
            return Progress.IN_PROGRESS;
        } catch (AwsCallException | RuntimeException e) {
            // the upgrade stops; a resumed one decides afresh from what AWS shows
            progress.remove(node.nodeId());
            throw e;
        }
    }

    /**
     * One AWS call, its failure named by the IAM action it needed (the same table of error codes as the providers'
     * calls); throttling surfaces as {@link Throttled}.
     */
    private <T> T call(String iamAction, boolean write, Supplier<T> call) throws AwsCallException {
        try {
            return call.get();
        } catch (AwsServiceException e) {
            if (AwsErrors.kind(iamAction, e) == AwsErrors.Kind.THROTTLED) {
                throw new Throttled();
            }
            throw AwsErrors.failure(iamAction, aws.principal(), POLICY_DOC, e);
        } catch (SdkClientException e) {
            throw AwsErrors.unreachable(iamAction, write, e);
        }
    }

    // ---------------------------------------------------------------- the stack

    /** True once the stack runs the target version; false while its update is under way. */
    private boolean stackReady(UpgradeNodeContext node, NodeProgress p) throws AwsCallException {
        CloudFormationClient cfn = aws.cloudFormation(config.region());
        Stack stack = call("cloudformation:DescribeStacks", false,
                () -> cfn.describeStacks(r -> r.stackName(config.stackName()))).stacks().get(0);
        String status = stack.stackStatusAsString();
        String version = parameter(stack, config.versionParameter());
        if (version == null) {
            throw new IllegalStateException("stack " + config.stackName() + " has no parameter '"
                    + config.versionParameter() + "'; set 'versionParameter' to the parameter holding the Bitbucket"
                    + " version (parameters: " + stack.parameters().stream().map(Parameter::parameterKey).toList()
                    + ")");
        }
        // only an update this run issued counts: a resumed upgrade retries the update once after a rollback
        boolean ours = p.stackUpdateIssued;
        if (status.contains("ROLLBACK") && stack.stackStatusReason() != null) {
            p.rollbackReason = stack.stackStatusReason().strip();
        }
        if (status.contains("ROLLBACK") && !status.endsWith("_IN_PROGRESS") && (ours || status.endsWith("_FAILED"))) {
            // waited for the rollback to end, so the report says where the stack really is
            throw new IllegalStateException("the update of stack " + config.stackName() + " to "
                    + config.versionParameter() + "=" + node.targetVersion() + " failed: the stack is " + status
                    + (p.rollbackReason == null ? "" : " (" + p.rollbackReason + ")")
                    + " and on " + config.versionParameter() + "=" + version + "; no node was replaced. Look at"
                    + " the stack events for the cause, fix it, then resume the upgrade");
        }
        if (status.endsWith("_IN_PROGRESS")) {
            if (p.stackUpdateStartedAt == null) {
                p.stackUpdateStartedAt = clock.instant(); // resumed, or someone else's update: time it from now
            }
            if (expired(p.stackUpdateStartedAt, config.stackUpdateTimeout())) {
                throw new IllegalStateException("stack " + config.stackName() + " is still " + status + " after "
                        + config.stackUpdateTimeout() + "; no node was replaced. Wait for the stack, then resume");
            }
            return false;
        }
        if (status.endsWith("_FAILED") || status.startsWith("DELETE") || status.equals("ROLLBACK_COMPLETE")) {
            throw new IllegalStateException("stack " + config.stackName() + " is " + status + " and cannot be"
                    + " updated; repair it in CloudFormation first");
        }
        if (node.targetVersion().equals(version)) {
            return true;
        }
        if (p.stackUpdateIssued) {
            throw new IllegalStateException("stack " + config.stackName() + " finished its update (" + status
                    + ") but " + config.versionParameter() + " is " + version + ", not " + node.targetVersion()
                    + "; someone else changed the stack meanwhile");
        }
        List<Parameter> parameters = new ArrayList<>();
        for (Parameter existing : stack.parameters()) {
            parameters.add(existing.parameterKey().equals(config.versionParameter())
                    ? Parameter.builder().parameterKey(existing.parameterKey()).parameterValue(node.targetVersion())
                    .build()
                    : Parameter.builder().parameterKey(existing.parameterKey()).usePreviousValue(true).build());
        }
        call("cloudformation:UpdateStack", true, () -> cfn.updateStack(r -> r.stackName(config.stackName())
                .usePreviousTemplate(true).parameters(parameters).capabilitiesWithStrings(
                        stack.capabilitiesAsStrings())));
        p.stackUpdateIssued = true;
        p.stackUpdateStartedAt = clock.instant();
        return false;
    }

    private static String parameter(Stack stack, String key) {
        return stack.parameters().stream().filter(x -> x.parameterKey().equals(key)).map(Parameter::parameterValue)
                .findFirst().orElse(null);
    }

    // ---------------------------------------------------------------- the node's instance

    private String instanceOf(UpgradeNodeContext node) {
        Map<String, String> m = config.nodeInstances();
        for (String key : new String[] {node.nodeName(), node.nodeHost(), node.nodeId()}) {
            if (key != null && m.containsKey(key)) {
                return m.get(key);
            }
        }
        for (String key : new String[] {node.nodeHost(), node.nodeName()}) {
            if (key != null && key.matches("i-[0-9a-f]{8,17}")) {
                return key;
            }
        }
        throw new IllegalStateException("no EC2 instance is known for node " + node.nodeName() + " (host "
                + node.nodeHost() + "); map it with nodeInstance(\"" + node.nodeName() + "\", \"i-…\")");
    }

    private void terminate(UpgradeNodeContext node, NodeProgress p) throws AwsCallException {
        String instance = instanceOf(node);
        AutoScalingClient asg = aws.autoScaling(config.region());
        List<AutoScalingInstanceDetails> found = call("autoscaling:DescribeAutoScalingInstances", false,
                () -> asg.describeAutoScalingInstances(r -> r.instanceIds(instance))).autoScalingInstances();
        AutoScalingGroup group = group(asg);
        Set<String> before = new HashSet<>();
        group.instances().forEach(i -> before.add(i.instanceId()));
        boolean terminating = found.stream().anyMatch(d -> d.lifecycleState().startsWith("Terminat"));
        if (found.isEmpty() || terminating) {
            if (!node.alreadyStarted()) {
                throw new IllegalStateException("instance " + instance + " of node " + node.nodeName() + " is "
                        + (found.isEmpty() ? "not in any Auto Scaling group" : "already terminating")
                        + "; expected an InService instance of " + config.autoScalingGroup());
            }
            // a restart after the termination: only wait for the replacement
        } else {
            String groupName = found.get(0).autoScalingGroupName();
            if (!groupName.equals(config.autoScalingGroup())) {
                throw new IllegalStateException("instance " + instance + " of node " + node.nodeName() + " belongs"
                        + " to Auto Scaling group " + groupName + ", not " + config.autoScalingGroup());
            }
            call("autoscaling:TerminateInstanceInAutoScalingGroup", true, () -> asg.terminateInstanceInAutoScalingGroup(
                    r -> r.instanceId(instance).shouldDecrementDesiredCapacity(false)));
        }
        p.terminatedInstance = instance;
        p.terminatedAt = clock.instant();
        p.instancesBefore = before;
    }

    private AutoScalingGroup group(AutoScalingClient asg) throws AwsCallException {
        List<AutoScalingGroup> groups = call("autoscaling:DescribeAutoScalingGroups", false,
                () -> asg.describeAutoScalingGroups(r -> r.autoScalingGroupNames(config.autoScalingGroup())))
                .autoScalingGroups();
        if (groups.isEmpty()) {
            throw new IllegalStateException("there is no Auto Scaling group '" + config.autoScalingGroup() + "' in "
                    + config.region());
        }
        return groups.get(0);
    }

    /** The group is back to its desired capacity InService, without the terminated instance. */
    private boolean replaced(UpgradeNodeContext node, NodeProgress p) throws AwsCallException {
        AutoScalingGroup group = group(aws.autoScaling(config.region()));
        List<String> inService = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (Instance i : group.instances()) {
            if (i.instanceId().equals(p.terminatedInstance)) {
                continue;
            }
            if ("InService".equals(i.lifecycleStateAsString()) && "Healthy".equalsIgnoreCase(i.healthStatus())) {
                inService.add(i.instanceId());
            } else {
                others.add(i.instanceId() + " " + i.lifecycleStateAsString());
            }
        }
        if (inService.size() >= group.desiredCapacity()) {
            p.replacement = inService.stream().filter(id -> !p.instancesBefore.contains(id)).findFirst().orElse(null);
            return true;
        }
        if (expired(p.terminatedAt, config.replacementTimeout())) {
            throw new IllegalStateException("the replacement of instance " + p.terminatedInstance + " (node "
                    + node.nodeName() + ") is not InService after " + config.replacementTimeout() + ": "
                    + inService.size() + " of " + group.desiredCapacity() + " instances InService"
                    + (others.isEmpty() ? "" : ", not yet: " + others) + ". Look at the group's activity history"
                    + " and the new instance's logs; the other nodes keep serving");
        }
        return false;
    }

    private boolean expired(Instant since, Duration limit) {
        return Duration.between(since, clock.instant()).compareTo(limit) >= 0;
    }
}
