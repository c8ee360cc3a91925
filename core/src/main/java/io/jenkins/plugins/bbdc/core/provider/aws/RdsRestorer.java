package io.jenkins.plugins.bbdc.core.provider.aws;

import io.jenkins.plugins.bbdc.core.event.OperationEvent;
import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.provider.RestoreOutcome;
import io.jenkins.plugins.bbdc.core.provider.RestoreRequest;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * Restores an RDS instance or Aurora cluster into a NEW identifier, from the snapshot or — when the request carries
 * a point in time (the restore point's fence) — by point-in-time recovery of the live source to exactly that
 * instant. The live database is never renamed, modified or deleted; swapping Bitbucket over to the restored endpoint
 * is described in the outcome's operator steps.
 *
 * <p>Target keys of the request override the configuration: {@code identifier}, {@code instanceClass},
 * {@code subnetGroupName}, {@code securityGroupIds} (comma-separated), {@code parameterGroupName},
 * {@code clusterParameterGroupName}.
 */
final class RdsRestorer {
    private final RdsSnapshotProvider provider;
    private final RdsConfig config;

    RdsRestorer(RdsSnapshotProvider provider, RdsConfig config) {
        this.provider = provider;
        this.config = config;
    }

    RestoreOutcome restore(SnapshotRef ref, RestoreRequest request, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        String region = ref.attribute("region") != null ? ref.attribute("region") : provider.region();
        String source = ref.attribute("source") != null ? ref.attribute("source") : config.source();
        String identifier = first(request.target("identifier"), config.restoreIdentifier(),
                RdsNames.sanitize(source + (request.scratch() ? "-verify-" : "-") + ref.restorePointId(), 63));
        if (!RdsNames.valid(identifier, 63)) {
            throw new ProviderException("'" + identifier + "' is not a valid RDS identifier (letters, digits,"
                    + " hyphens; a letter first; at most 63)");
        }
        if (identifier.equals(source) || identifier.equals(config.source())) {
            throw new ProviderException("RDS cannot restore in place: choose a new identifier instead of '"
                    + identifier + "' (the live database is never renamed or replaced by a restore)");
        }
        String instanceClass = first(request.target("instanceClass"), config.instanceClass());
        String subnetGroup = first(request.target("subnetGroupName"), config.subnetGroupName());
        List<String> securityGroups = request.target("securityGroupIds") != null
                ? List.of(request.target("securityGroupIds").split("\\s*,\\s*")) : config.securityGroupIds();
        String parameterGroup = first(request.target("parameterGroupName"), config.parameterGroupName());
        String clusterParameterGroup = first(request.target("clusterParameterGroupName"),
                config.clusterParameterGroupName());
        // a copy in another region has no live source database beside it: it can only be restored as the snapshot
        // it is (taken within the restore point's skew of the fence)
        boolean copy = ref.attribute("copiedFrom") != null;
        Instant pointInTime = copy ? null : request.pointInTime();

        RdsClient rds = provider.rds(region);
        AwsCalls aws = provider.calls(ctx, "restore");
        if (exists(aws, rds, identifier)) {
            throw new ProviderException((config.cluster() ? "an Aurora cluster" : "an RDS instance") + " named '"
                    + identifier + "' already exists in " + region + "; delete it or restore under another"
                    + " identifier");
        }
        String from = pointInTime != null ? source + " as of " + pointInTime + " (point-in-time recovery)"
                : "snapshot " + ref.id() + (copy && request.pointInTime() != null ? " (a copy from "
                + ref.attribute("copiedFrom") + ": restored as the snapshot, not to the fence — point-in-time"
                + " recovery needs the source database, in " + ref.attribute("copiedFrom") + ")" : "");
        List<String> actions = new ArrayList<>();
        if (request.dryRun()) {
            actions.add((config.cluster() ? (pointInTime != null ? "rds:RestoreDBClusterToPointInTime "
                    : "rds:RestoreDBClusterFromSnapshot ") : (pointInTime != null
                    ? "rds:RestoreDBInstanceToPointInTime " : "rds:RestoreDBInstanceFromDBSnapshot "))
                    + identifier + " from " + from);
            if (config.cluster()) {
                actions.add("rds:CreateDBInstance " + identifier + "-writer in cluster " + identifier);
            }
            return new RestoreOutcome("would restore " + from + " into new " + identifier, Map.of(), List.of(),
                    actions);
        }
        if (pointInTime != null) {
            awaitRestorable(aws, rds, source, pointInTime, ctx);
        }
        CaptureRequest names = new CaptureRequest(ref.restorePointId(), ref.instanceId(),
                ComponentRole.parse(ref.role()), null);
        Map<String, String> tagMap = new LinkedHashMap<>(AwsTags.base(names, config.extraTags()));
        tagMap.put(AwsTags.NAME, identifier);
        tagMap.put(AwsTags.RESTORED_FROM, pointInTime != null ? source + "@" + pointInTime : ref.id());
        if (request.scratch()) {
            tagMap.put(AwsTags.SCRATCH, "true");
        }
        List<Tag> tags = RdsSnapshotProvider.tags(tagMap);
        Map<String, String> location = new LinkedHashMap<>();
        location.put("region", region);
        location.put("identifier", identifier);
        if (pointInTime != null) {
            location.put("restoredTo", pointInTime.toString());
        } else {
            location.put("snapshot", ref.id());
        }
        if (config.cluster()) {
            restoreCluster(aws, rds, ref, source, identifier, pointInTime, instanceClass, subnetGroup,
                    securityGroups, clusterParameterGroup, parameterGroup, tags, actions, location, ctx);
        } else {
            if (pointInTime != null) {
                aws.write("rds:RestoreDBInstanceToPointInTime", () -> rds.restoreDBInstanceToPointInTime(b -> b
                        .sourceDBInstanceIdentifier(source).targetDBInstanceIdentifier(identifier)
                        .restoreTime(pointInTime).dbInstanceClass(instanceClass).dbSubnetGroupName(subnetGroup)
                        .vpcSecurityGroupIds(securityGroups.isEmpty() ? null : securityGroups)
                        .dbParameterGroupName(parameterGroup).multiAZ(config.multiAz()).tags(tags)));
                actions.add("rds:RestoreDBInstanceToPointInTime " + source + " → " + identifier + " at "
                        + pointInTime);
            } else {
                aws.write("rds:RestoreDBInstanceFromDBSnapshot", () -> rds.restoreDBInstanceFromDBSnapshot(b -> b
                        .dbInstanceIdentifier(identifier).dbSnapshotIdentifier(ref.id())
                        .dbInstanceClass(instanceClass).dbSubnetGroupName(subnetGroup)
                        .vpcSecurityGroupIds(securityGroups.isEmpty() ? null : securityGroups)
                        .dbParameterGroupName(parameterGroup).multiAZ(config.multiAz()).tags(tags)));
                actions.add("rds:RestoreDBInstanceFromDBSnapshot " + ref.id() + " → " + identifier);
            }
            DBInstance d = waitInstance(aws, rds, identifier, ctx);
            location.put("address", d.endpoint().address());
            location.put("port", String.valueOf(d.endpoint().port()));
        }
        return new RestoreOutcome("restored " + from + " into new " + (config.cluster() ? "Aurora cluster "
                : "RDS instance ") + identifier + " (" + location.get("address") + ":" + location.get("port") + ")",
                location, operatorSteps(source, identifier, location, request.scratch()), actions);
    }

    private void restoreCluster(AwsCalls aws, RdsClient rds, SnapshotRef ref, String source, String identifier,
                                Instant pointInTime, String instanceClass, String subnetGroup,
                                List<String> securityGroups, String clusterParameterGroup, String parameterGroup,
                                List<Tag> tags, List<String> actions, Map<String, String> location,
                                ProviderContext ctx) throws ProviderException, InterruptedException {
        List<String> sgs = securityGroups.isEmpty() ? null : securityGroups;
        String engine;
        if (pointInTime != null) {
            DBCluster src = aws.read("rds:DescribeDBClusters", () -> rds.describeDBClusters(b -> b
                    .dbClusterIdentifier(source))).dbClusters().get(0);
            engine = src.engine();
            aws.write("rds:RestoreDBClusterToPointInTime", () -> rds.restoreDBClusterToPointInTime(b -> b
                    .sourceDBClusterIdentifier(source).dbClusterIdentifier(identifier).restoreToTime(pointInTime)
                    .dbSubnetGroupName(subnetGroup).vpcSecurityGroupIds(sgs)
                    .dbClusterParameterGroupName(clusterParameterGroup).tags(tags)));
            actions.add("rds:RestoreDBClusterToPointInTime " + source + " → " + identifier + " at " + pointInTime);
        } else {
            RdsSnapshotProvider.SnapshotState snap = provider.describeSnapshot(aws,
                    location.get("region"), ref.id());
            if (snap == null) {
                throw new ProviderException("Aurora cluster snapshot " + ref.id() + " does not exist in "
                        + location.get("region"));
            }
            engine = snap.engine();
            String version = ref.attribute("engineVersion");
            aws.write("rds:RestoreDBClusterFromSnapshot", () -> rds.restoreDBClusterFromSnapshot(b -> b
                    .dbClusterIdentifier(identifier).snapshotIdentifier(ref.id()).engine(engine)
                    .engineVersion(version).dbSubnetGroupName(subnetGroup).vpcSecurityGroupIds(sgs)
                    .dbClusterParameterGroupName(clusterParameterGroup).tags(tags)));
            actions.add("rds:RestoreDBClusterFromSnapshot " + ref.id() + " → " + identifier);
        }
        DBCluster cluster = waitCluster(aws, rds, identifier, ctx);
        String writerClass = instanceClass != null ? instanceClass : sourceWriterClass(aws, rds, source);
        if (writerClass == null) {
            throw new ProviderException("cluster " + identifier + " was restored but has no instance yet, and the"
                    + " writer's instance class is unknown: set 'instanceClass', or create the writer by hand"
                    + " (aws rds create-db-instance --db-cluster-identifier " + identifier + " --engine " + engine
                    + " --db-instance-class <class> --db-instance-identifier " + identifier + "-writer)");
        }
        String writer = RdsNames.sanitize(identifier + "-writer", 63);
        aws.write("rds:CreateDBInstance", () -> rds.createDBInstance(b -> b.dbInstanceIdentifier(writer)
                .dbClusterIdentifier(identifier).engine(engine).dbInstanceClass(writerClass)
                .dbParameterGroupName(parameterGroup).tags(tags)));
        actions.add("rds:CreateDBInstance " + writer + " (" + writerClass + ") as writer of " + identifier);
        waitInstance(aws, rds, writer, ctx);
        location.put("writer", writer);
        location.put("address", cluster.endpoint());
        location.put("readerAddress", cluster.readerEndpoint());
        location.put("port", String.valueOf(cluster.port()));
    }

    private static String sourceWriterClass(AwsCalls aws, RdsClient rds, String source)
            throws ProviderException, InterruptedException {
        List<DBInstance> members = aws.read("rds:DescribeDBInstances", () -> rds.describeDBInstances(b -> b
                .filters(f -> f.name("db-cluster-id").values(source)))).dbInstances();
        return members.isEmpty() ? null : members.get(0).dbInstanceClass();
    }

    /** RDS can only recover up to LatestRestorableTime, which trails the present by minutes: wait for the fence. */
    private void awaitRestorable(AwsCalls aws, RdsClient rds, String source, Instant pointInTime,
                                 ProviderContext ctx) throws ProviderException, InterruptedException {
        Instant start = ctx.clock().instant();
        while (true) {
            Instant latest;
            if (config.cluster()) {
                latest = aws.read("rds:DescribeDBClusters", () -> rds.describeDBClusters(b -> b
                        .dbClusterIdentifier(source))).dbClusters().get(0).latestRestorableTime();
            } else {
                latest = aws.read("rds:DescribeDBInstances", () -> rds.describeDBInstances(b -> b
                        .dbInstanceIdentifier(source))).dbInstances().get(0).latestRestorableTime();
            }
            if (latest == null) {
                throw new ProviderException(source + " has no point-in-time recovery (automated backups disabled);"
                        + " restore from the restore point's snapshot instead");
            }
            if (!latest.isBefore(pointInTime)) {
                return;
            }
            if (Duration.between(start, ctx.clock().instant()).compareTo(config.restorableWaitTimeout()) >= 0) {
                throw new ProviderException(source + " can be recovered only up to " + latest + ", which has not"
                        + " reached " + pointInTime + " after waiting " + config.restorableWaitTimeout()
                        + "; try again later or restore from the snapshot");
            }
            ctx.events().emit(OperationEvent.info(ctx.clock().instant(), "restore", "database", "waiting until "
                    + source + " is recoverable up to " + pointInTime + " (now " + latest + ")")
                    .withComponent(ctx.role().value()));
            ctx.sleeper().sleep(provider.pollInterval());
        }
    }

    private boolean exists(AwsCalls aws, RdsClient rds, String identifier)
            throws ProviderException, InterruptedException {
        try {
            if (config.cluster()) {
                aws.read("rds:DescribeDBClusters", () -> rds.describeDBClusters(b -> b
                        .dbClusterIdentifier(identifier)));
            } else {
                aws.read("rds:DescribeDBInstances", () -> rds.describeDBInstances(b -> b
                        .dbInstanceIdentifier(identifier)));
            }
            return true;
        } catch (AwsCallException e) {
            if (RdsSnapshotProvider.notFound(e)) {
                return false;
            }
            throw e;
        }
    }

    private DBInstance waitInstance(AwsCalls aws, RdsClient rds, String id, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        Instant start = ctx.clock().instant();
        while (true) {
            DBInstance d = aws.read("rds:DescribeDBInstances", () -> rds.describeDBInstances(b -> b
                    .dbInstanceIdentifier(id))).dbInstances().get(0);
            if ("available".equals(d.dbInstanceStatus())) {
                return d;
            }
            checkProgress(d.dbInstanceStatus(), id, start, ctx);
        }
    }

    private DBCluster waitCluster(AwsCalls aws, RdsClient rds, String id, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        Instant start = ctx.clock().instant();
        while (true) {
            DBCluster c = aws.read("rds:DescribeDBClusters", () -> rds.describeDBClusters(b -> b
                    .dbClusterIdentifier(id))).dbClusters().get(0);
            if ("available".equals(c.status())) {
                return c;
            }
            checkProgress(c.status(), id, start, ctx);
        }
    }

    private void checkProgress(String status, String id, Instant start, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        if (List.of("failed", "incompatible-restore", "incompatible-parameters", "incompatible-network",
                "inaccessible-encryption-credentials").contains(status)) {
            throw new ProviderException("the restored " + id + " went to state '" + status + "'; inspect it in the"
                    + " RDS console, delete it, fix the cause and restore again (the live database is untouched)");
        }
        if (Duration.between(start, ctx.clock().instant()).compareTo(config.waitTimeout()) >= 0) {
            throw new ProviderException("the restored " + id + " is still '" + status + "' after "
                    + config.waitTimeout() + "; it keeps being created in AWS — wait for it, then point Bitbucket at it");
        }
        ctx.sleeper().sleep(provider.pollInterval());
    }

    private List<String> operatorSteps(String source, String identifier, Map<String, String> l, boolean scratch) {
        String endpoint = l.get("address") + ":" + l.get("port");
        List<String> steps = new ArrayList<>();
        if (scratch) {
            steps.add("verify the scratch database at " + endpoint + ", then delete it: aws rds "
                    + (config.cluster() ? "delete-db-instance --db-instance-identifier " + l.get("writer")
                    + " and aws rds delete-db-cluster --db-cluster-identifier " + identifier
                    + " --skip-final-snapshot" : "delete-db-instance --db-instance-identifier " + identifier
                    + " --skip-final-snapshot"));
            return steps;
        }
        steps.add("verify the restored database at " + endpoint + " (it is a new " + (config.cluster()
                ? "cluster" : "instance") + "; the live " + source + " was not touched)");
        steps.add("with Bitbucket stopped on every node, point Bitbucket at the restored database: set jdbc.url in"
                + " <shared home>/bitbucket.properties to jdbc:postgresql://" + endpoint + "/<database>, or repoint"
                + " the DNS name (CNAME) your jdbc.url uses to " + l.get("address"));
        steps.add("or keep the old endpoint name: only after verification, rename " + source + " (aws rds modify-db-"
                + (config.cluster() ? "cluster --db-cluster-identifier " : "instance --db-instance-identifier ")
                + source + " --new-db-" + (config.cluster() ? "cluster" : "instance") + "-identifier " + source
                + "-old --apply-immediately), wait until it is available, then rename " + identifier + " to "
                + source + " the same way — endpoints follow identifiers");
        steps.add("security groups, subnet group and parameter group were applied at restore; re-create read"
                + " replicas" + (config.cluster() ? " and reader instances (only one writer was created)" : "")
                + ", and re-enable deletion protection and monitoring as on " + source);
        steps.add("keep " + source + " until the restored database is verified, then delete it (with a final"
                + " snapshot)");
        return steps;
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T v : values) {
            if (v != null && !(v instanceof String s && s.isBlank())) {
                return v;
            }
        }
        return null;
    }
}
