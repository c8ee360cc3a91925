package io.jenkins.plugins.bbdc.testkit.aws;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * EC2 Auto Scaling (API 2011-01-01): groups with a desired capacity and instances moving through the lifecycle
 * {@code Pending → InService} and {@code Terminating → (gone)}. Terminating an instance without decrementing the
 * desired capacity launches a replacement that becomes {@code InService} after {@link #replacementTime}; the
 * replacement is launched with the group's current launch version (what a stack update changed).
 */
public final class AutoScalingFake {
    static final String NS = "http://autoscaling.amazonaws.com/doc/2011-01-01/";
    private final Clock clock;
    private final AtomicLong serial = new AtomicLong(0x0a000000L);
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private Duration replacementTime = Duration.ofMillis(200);
    private Duration terminationTime = Duration.ofMillis(50);

    /** What a test can see of an instance. */
    public record InstanceView(String instanceId, String group, String lifecycleState, String healthStatus,
                               String launchVersion) { }

    private static final class Group {
        String name;
        int min;
        int max;
        int desired;
        String launchVersion;
        boolean replacementsStuck;
        final List<Inst> instances = new ArrayList<>();
    }

    private static final class Inst {
        String id;
        String az;
        String launchVersion;
        Instant inServiceAt;
        Instant goneAt;
    }

    AutoScalingFake(Clock clock) {
        this.clock = clock;
    }

    // ---------------------------------------------------------------- control API

    /** A group with {@code desired} InService instances launched with {@code launchVersion}; returns their ids. */
    public synchronized List<String> addGroup(String name, int min, int max, int desired, String launchVersion) {
        Group g = new Group();
        g.name = name;
        g.min = min;
        g.max = max;
        g.desired = desired;
        g.launchVersion = launchVersion;
        groups.put(name, g);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < desired; i++) {
            ids.add(launch(g, clock.instant()).id);
        }
        return ids;
    }

    /** How long a replacement stays Pending (default 200 ms) and a terminated instance Terminating (50 ms). */
    public synchronized AutoScalingFake timing(Duration replacement, Duration termination) {
        this.replacementTime = replacement;
        this.terminationTime = termination;
        return this;
    }

    /** Replacements in this group never pass their health check: they stay Pending (a broken launch template). */
    public synchronized AutoScalingFake replacementsStuck(String group, boolean stuck) {
        group(group).replacementsStuck = stuck;
        return this;
    }

    /** The version new instances of the group are launched with (a stack update sets it). */
    public synchronized void launchVersion(String group, String version) {
        group(group).launchVersion = version;
    }

    public synchronized List<InstanceView> instances(String group) {
        Group g = group(group);
        settle(g);
        return g.instances.stream().map(i -> view(g, i)).toList();
    }

    public synchronized Optional<InstanceView> instance(String id) {
        for (Group g : groups.values()) {
            settle(g);
            for (Inst i : g.instances) {
                if (i.id.equals(id)) {
                    return Optional.of(view(g, i));
                }
            }
        }
        return Optional.empty();
    }

    public synchronized int desiredCapacity(String group) {
        return group(group).desired;
    }

    private InstanceView view(Group g, Inst i) {
        return new InstanceView(i.id, g.name, state(g, i), "Healthy", i.launchVersion);
    }

    private Group group(String name) {
        Group g = groups.get(name);
        if (g == null) {
            throw new IllegalArgumentException("no Auto Scaling group " + name);
        }
        return g;
    }

    private Inst launch(Group g, Instant inServiceAt) {
        Inst i = new Inst();
        i.id = String.format("i-%017x", serial.incrementAndGet());
        i.az = "eu-west-1" + (char) ('a' + g.instances.size() % 3);
        i.launchVersion = g.launchVersion;
        i.inServiceAt = inServiceAt;
        g.instances.add(i);
        return i;
    }

    private String state(Group g, Inst i) {
        Instant now = clock.instant();
        if (i.goneAt != null) {
            return "Terminating";
        }
        return i.inServiceAt == null || now.isBefore(i.inServiceAt) ? "Pending" : "InService";
    }

    /** Terminated instances leave the group once their termination time has passed. */
    private void settle(Group g) {
        Instant now = clock.instant();
        g.instances.removeIf(i -> i.goneAt != null && !now.isBefore(i.goneAt));
    }

    // ---------------------------------------------------------------- protocol

    synchronized String handle(QueryRequest q, String requestId) {
        groups.values().forEach(this::settle);
        return switch (q.action()) {
            case "DescribeAutoScalingGroups" -> describeGroups(q, requestId);
            case "DescribeAutoScalingInstances" -> describeInstances(q, requestId);
            case "TerminateInstanceInAutoScalingGroup" -> terminate(q, requestId);
            default -> throw AwsFault.badRequest("InvalidAction", "The action " + q.action()
                    + " is not valid for this web service.");
        };
    }

    private String describeGroups(QueryRequest q, String requestId) {
        List<String> names = q.list("AutoScalingGroupNames.member");
        boolean includeInstances = q.bool("IncludeInstances", true);
        List<Group> matching = groups.values().stream().filter(g -> names.isEmpty() || names.contains(g.name))
                .toList();
        Page<Group> page = page(q, matching, 100);
        Xml x = new Xml().start("DescribeAutoScalingGroupsResponse", NS).start("DescribeAutoScalingGroupsResult")
                .start("AutoScalingGroups");
        for (Group g : page.items()) {
            x.start("member").el("AutoScalingGroupName", g.name)
                    .el("AutoScalingGroupARN", "arn:aws:autoscaling:eu-west-1:" + AwsEndpoint.ACCOUNT_ID
                            + ":autoScalingGroup:" + UUID.nameUUIDFromBytes(g.name.getBytes(
                            StandardCharsets.UTF_8)) + ":autoScalingGroupName/" + g.name)
                    .el("MinSize", g.min).el("MaxSize", g.max).el("DesiredCapacity", g.desired)
                    .el("DefaultCooldown", 300).start("AvailabilityZones").el("member", "eu-west-1a")
                    .el("member", "eu-west-1b").end().el("HealthCheckType", "ELB").el("HealthCheckGracePeriod", 300)
                    .el("CreatedTime", Instant.parse("2026-01-05T10:00:00Z"));
            if (includeInstances) {
                x.start("Instances");
                for (Inst i : g.instances) {
                    // the group's view spells health "Healthy" (DescribeAutoScalingInstances says "HEALTHY")
                    x.start("member").el("InstanceId", i.id).el("InstanceType", "m6i.xlarge")
                            .el("AvailabilityZone", i.az).el("LifecycleState", state(g, i))
                            .el("HealthStatus", "Healthy").el("ProtectedFromScaleIn", false).end();
                }
                x.end();
            }
            x.end();
        }
        x.end().el("NextToken", page.nextToken()).end();
        return x.start("ResponseMetadata").el("RequestId", requestId).end().end().toString();
    }

    private String describeInstances(QueryRequest q, String requestId) {
        List<String> ids = q.list("InstanceIds.member");
        List<Map.Entry<Group, Inst>> matching = new ArrayList<>();
        for (Group g : groups.values()) {
            for (Inst i : g.instances) {
                if (ids.isEmpty() || ids.contains(i.id)) {
                    matching.add(Map.entry(g, i));
                }
            }
        }
        Page<Map.Entry<Group, Inst>> page = page(q, matching, 50);
        Xml x = new Xml().start("DescribeAutoScalingInstancesResponse", NS)
                .start("DescribeAutoScalingInstancesResult").start("AutoScalingInstances");
        for (Map.Entry<Group, Inst> e : page.items()) {
            Group g = e.getKey();
            Inst i = e.getValue();
            x.start("member").el("InstanceId", i.id).el("InstanceType", "m6i.xlarge")
                    .el("AutoScalingGroupName", g.name).el("AvailabilityZone", i.az)
                    .el("LifecycleState", state(g, i)).el("HealthStatus", "HEALTHY")
                    .el("ProtectedFromScaleIn", false).end();
        }
        x.end().el("NextToken", page.nextToken()).end();
        return x.start("ResponseMetadata").el("RequestId", requestId).end().end().toString();
    }

    private record Page<T>(List<T> items, String nextToken) { }

    /** MaxRecords (default 50, at most {@code max}) and an opaque NextToken, as the Describe actions page. */
    private static <T> Page<T> page(QueryRequest q, List<T> all, int max) {
        Integer maxRecords = q.integer("MaxRecords");
        int size = maxRecords == null ? 50 : maxRecords;
        if (size < 1 || size > max) {
            throw AwsFault.badRequest("ValidationError", "1 validation error detected: Value '" + size
                    + "' at 'maxRecords' failed to satisfy constraint: Member must have value "
                    + (size < 1 ? "greater than or equal to 1" : "less than or equal to " + max));
        }
        int from = 0;
        String token = q.get("NextToken");
        if (token != null) {
            try {
                from = Integer.parseInt(new String(Base64.getDecoder().decode(token),
                        StandardCharsets.UTF_8).replace("offset:", ""));
            } catch (IllegalArgumentException e) {
                from = -1;
            }
            if (from < 0 || from > all.size()) {
                throw AwsFault.badRequest("InvalidNextToken", "The token '" + token + "' is invalid.");
            }
        }
        int to = Math.min(all.size(), from + size);
        String next = to < all.size() ? Base64.getEncoder().encodeToString(("offset:" + to)
                .getBytes(StandardCharsets.UTF_8)) : null;
        return new Page<>(all.subList(from, to), next);
    }

    private String terminate(QueryRequest q, String requestId) {
        String id = q.required("InstanceId");
        String decrement = q.required("ShouldDecrementDesiredCapacity");
        Group group = null;
        Inst inst = null;
        for (Group g : groups.values()) {
            for (Inst i : g.instances) {
                if (i.id.equals(id)) {
                    group = g;
                    inst = i;
                }
            }
        }
        if (inst == null) {
            throw AwsFault.badRequest("ValidationError", "Instance Id not found - No managed instance found for"
                    + " instance ID: " + id);
        }
        boolean shouldDecrement = Boolean.parseBoolean(decrement);
        Instant now = clock.instant();
        if (inst.goneAt == null) {
            if (shouldDecrement) {
                if (group.desired <= group.min) {
                    throw AwsFault.badRequest("ValidationError", "Currently, desiredSize equals minSize ("
                            + group.min + "). Terminating instance without replacement will violate group's min"
                            + " size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower"
                            + " group's min size.");
                }
                group.desired--;
            }
            inst.goneAt = now.plus(terminationTime);
            if (!shouldDecrement) {
                launch(group, group.replacementsStuck ? null : now.plus(replacementTime));
            }
        }
        String activity = UUID.randomUUID().toString();
        return new Xml().start("TerminateInstanceInAutoScalingGroupResponse", NS)
                .start("TerminateInstanceInAutoScalingGroupResult").start("Activity").el("ActivityId", activity)
                .el("AutoScalingGroupName", group.name)
                .el("Description", "Terminating EC2 instance: " + id)
                .el("Cause", "At " + Xml.time(now) + " instance " + id + " was taken out of service in response to"
                        + " a user request" + (shouldDecrement ? ", shrinking the capacity from " + (group.desired + 1)
                        + " to " + group.desired + "." : "."))
                .el("StartTime", now).el("StatusCode", "InProgress").el("Progress", 0).end().end()
                .start("ResponseMetadata").el("RequestId", requestId).end().end().toString();
    }
}
