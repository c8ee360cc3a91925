package io.jenkins.plugins.bbdc.testkit.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * AWS CloudFormation (API 2010-05-15): DescribeStacks and UpdateStack with the previous template. An update goes
 * {@code UPDATE_IN_PROGRESS → UPDATE_COMPLETE_CLEANUP_IN_PROGRESS → UPDATE_COMPLETE}, or, when a failure is injected,
 * {@code UPDATE_IN_PROGRESS → UPDATE_ROLLBACK_IN_PROGRESS → UPDATE_ROLLBACK_COMPLETE} with the old parameters back.
 * Parameters left out of UpdateStack fall back to their template default (and must have one), as in CloudFormation.
 * A stack can drive an Auto Scaling group: when an update completes, the group launches new instances with the
 * value of the stack's version parameter.
 */
public final class CloudFormationFake {
    static final String NS = "http://cloudformation.amazonaws.com/doc/2010-05-15/";
    private final Clock clock;
    private final AutoScalingFake autoScaling;
    private final Map<String, Stack> stacks = new LinkedHashMap<>();
    private Duration updateTime = Duration.ofMillis(200);

    /** What a test can see of a stack. */
    public record StackView(String name, String status, String statusReason, Map<String, String> parameters,
                            int updates) { }

    private static final class Stack {
        String id;
        String name;
        Map<String, String> parameters = new LinkedHashMap<>();
        Map<String, String> defaults = new LinkedHashMap<>();
        Map<String, String> previous;
        String status = "CREATE_COMPLETE";
        String reason;
        Instant created;
        Instant lastUpdated;
        Instant updateStarted;
        String failNextUpdate;
        String failingUpdate;
        String group;
        String versionParameter;
        /** What the template needs acknowledged (Atlassian's templates create IAM roles). */
        List<String> capabilities = List.of("CAPABILITY_IAM");
        int updates;
    }

    CloudFormationFake(Clock clock, AutoScalingFake autoScaling) {
        this.clock = clock;
        this.autoScaling = autoScaling;
    }

    // ---------------------------------------------------------------- control API

    /**
     * A stack in CREATE_COMPLETE with these parameter values (which are also the template defaults). When
     * {@code group} is not null, completing an update makes the group launch with {@code versionParameter}'s value.
     */
    public synchronized CloudFormationFake addStack(String name, Map<String, String> parameters, String group,
                                                    String versionParameter) {
        Stack s = new Stack();
        s.id = "arn:aws:cloudformation:eu-west-1:" + AwsEndpoint.ACCOUNT_ID + ":stack/" + name + "/"
                + UUID.randomUUID();
        s.name = name;
        s.parameters.putAll(parameters);
        s.defaults.putAll(parameters);
        s.created = clock.instant();
        s.group = group;
        s.versionParameter = versionParameter;
        stacks.put(name, s);
        return this;
    }

    /** How long an update (and a rollback) takes (default 200 ms). */
    public synchronized CloudFormationFake updateTime(Duration d) {
        this.updateTime = d;
        return this;
    }

    /** The next update of this stack fails on this resource (a logical id) and rolls back. */
    public synchronized CloudFormationFake failNextUpdate(String stack, String failingResource) {
        stack(stack).failNextUpdate = failingResource;
        return this;
    }

    public synchronized Optional<StackView> stackView(String name) {
        Stack s = stacks.get(name);
        if (s == null) {
            return Optional.empty();
        }
        settle(s);
        return Optional.of(new StackView(s.name, s.status, s.reason, Map.copyOf(s.parameters), s.updates));
    }

    private Stack stack(String nameOrId) {
        for (Stack s : stacks.values()) {
            if (s.name.equals(nameOrId) || s.id.equals(nameOrId)) {
                return s;
            }
        }
        throw AwsFault.badRequest("ValidationError", "Stack with id " + nameOrId + " does not exist");
    }

    /** Moves a stack along its update (or rollback) as time passes. */
    private void settle(Stack s) {
        if (s.updateStarted == null) {
            return;
        }
        Instant now = clock.instant();
        Instant half = s.updateStarted.plus(updateTime.dividedBy(2));
        Instant end = s.updateStarted.plus(updateTime);
        if (s.failingUpdate != null) {
            if (now.isBefore(half)) {
                s.status = "UPDATE_IN_PROGRESS";
            } else if (now.isBefore(end)) {
                s.status = "UPDATE_ROLLBACK_IN_PROGRESS";
                s.reason = "The following resource(s) failed to update: [" + s.failingUpdate + "]. ";
            } else {
                s.status = "UPDATE_ROLLBACK_COMPLETE";
                s.reason = null; // the cause stays in the stack events
                s.parameters = s.previous;
                s.failingUpdate = null;
                s.updateStarted = null;
                s.lastUpdated = now;
            }
            return;
        }
        if (now.isBefore(half)) {
            s.status = "UPDATE_IN_PROGRESS";
        } else if (now.isBefore(end)) {
            s.status = "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS";
        } else {
            s.status = "UPDATE_COMPLETE";
            s.reason = null;
            s.updateStarted = null;
            s.lastUpdated = now;
            if (s.group != null && s.versionParameter != null) {
                autoScaling.launchVersion(s.group, s.parameters.get(s.versionParameter));
            }
        }
    }

    // ---------------------------------------------------------------- protocol

    synchronized String handle(QueryRequest q, String requestId) {
        stacks.values().forEach(this::settle);
        return switch (q.action()) {
            case "DescribeStacks" -> describe(q, requestId);
            case "UpdateStack" -> update(q, requestId);
            default -> throw AwsFault.badRequest("InvalidAction", "The action " + q.action()
                    + " is not valid for this web service.");
        };
    }

    private String describe(QueryRequest q, String requestId) {
        String name = q.get("StackName");
        List<Stack> wanted = name == null ? List.copyOf(stacks.values()) : List.of(stack(name));
        Xml x = new Xml().start("DescribeStacksResponse", NS).start("DescribeStacksResult").start("Stacks");
        for (Stack s : wanted) {
            x.start("member").el("StackId", s.id).el("StackName", s.name).el("Description", "Bitbucket Data Center")
                    .start("Parameters");
            s.parameters.forEach((k, v) -> x.start("member").el("ParameterKey", k).el("ParameterValue", v).end());
            x.end().el("CreationTime", s.created).el("LastUpdatedTime", s.lastUpdated)
                    .el("StackStatus", s.status).el("StackStatusReason", s.reason).el("DisableRollback", false)
                    .start("Capabilities");
            s.capabilities.forEach(c -> x.el("member", c));
            x.end().start("Outputs").end()
                    .start("Tags").end().end();
        }
        return x.end().end().start("ResponseMetadata").el("RequestId", requestId).end().end().toString();
    }

    private String update(QueryRequest q, String requestId) {
        Stack s = stack(q.required("StackName"));
        if (!q.bool("UsePreviousTemplate", false)) {
            throw AwsFault.badRequest("ValidationError", "Either Template URL or Template Body must be specified.");
        }
        if (s.status.endsWith("_IN_PROGRESS")) {
            throw AwsFault.badRequest("ValidationError", "Stack:" + s.id + " is in " + s.status
                    + " state and can not be updated.");
        }
        if (s.status.equals("UPDATE_ROLLBACK_FAILED") || s.status.equals("ROLLBACK_COMPLETE")) {
            throw AwsFault.badRequest("ValidationError", "Stack:" + s.id + " is in " + s.status
                    + " state and can not be updated.");
        }
        List<String> acknowledged = q.list("Capabilities.member");
        List<String> missing = s.capabilities.stream().filter(c -> !acknowledged.contains(c)).toList();
        if (!missing.isEmpty()) {
            throw AwsFault.badRequest("InsufficientCapabilitiesException", "Requires capabilities : " + missing);
        }
        Map<String, String> next = new LinkedHashMap<>();
        for (Map<String, String> p : q.structs("Parameters.member")) {
            String key = p.get("ParameterKey");
            if (!s.parameters.containsKey(key)) {
                throw AwsFault.badRequest("ValidationError", "Parameters: [" + key + "] do not exist in the"
                        + " template");
            }
            if (Boolean.parseBoolean(p.get("UsePreviousValue"))) {
                if (p.containsKey("ParameterValue")) {
                    throw AwsFault.badRequest("ValidationError", "Invalid input for parameter key " + key
                            + ". Cannot specify usePreviousValue as true and non empty value for a parameter");
                }
                next.put(key, s.parameters.get(key));
            } else {
                next.put(key, p.getOrDefault("ParameterValue", ""));
            }
        }
        for (String key : s.parameters.keySet()) {
            next.putIfAbsent(key, s.defaults.get(key)); // left out: the template default
        }
        if (next.equals(s.parameters)) {
            throw AwsFault.badRequest("ValidationError", "No updates are to be performed.");
        }
        s.previous = s.parameters;
        s.parameters = next;
        s.status = "UPDATE_IN_PROGRESS";
        s.reason = "User Initiated";
        s.updateStarted = clock.instant();
        s.updates++;
        if (s.failNextUpdate != null) {
            s.failingUpdate = s.failNextUpdate;
            s.failNextUpdate = null;
        }
        return new Xml().start("UpdateStackResponse", NS).start("UpdateStackResult").el("StackId", s.id).end()
                .start("ResponseMetadata").el("RequestId", requestId).end().end().toString();
    }
}
