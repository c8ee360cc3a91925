package io.jenkins.plugins.bbdc.core.provider.aws;

import io.jenkins.plugins.bbdc.core.event.OperationEvent;
import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.CheckReport;
import io.jenkins.plugins.bbdc.core.provider.PreparedCapture;
import io.jenkins.plugins.bbdc.core.provider.ProviderCapability;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.provider.RestoreOutcome;
import io.jenkins.plugins.bbdc.core.provider.RestoreRequest;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * RDS instance snapshots ({@code CreateDBSnapshot}) and Aurora cluster snapshots ({@code CreateDBClusterSnapshot}),
 * tagged with the restore point, instance and role. Restores go into a new identifier — from the snapshot, or to an
 * exact instant (the restore point's fence) with point-in-time recovery so the database matches the home volumes.
 */
public final class RdsSnapshotProvider implements SnapshotProvider {
    private final RdsConfig config;
    private final AwsClientFactory clients;
    private final Random random = new Random();

    public RdsSnapshotProvider(RdsConfig config, AwsClientFactory clients) {
        List<String> problems = config.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("RDS provider: " + String.join("; ", problems));
        }
        this.config = config;
        this.clients = clients;
    }

    /** What the live database looked like before the instant. */
    record Prepared(String engine, String engineVersion, String instanceClass, int backupRetention)
            implements PreparedCapture {
        @Override
        public void close() {
            // nothing held
        }
    }

    /** One snapshot as both kinds of RDS report it. */
    record SnapshotState(String id, String status, int percent, String arn, String engine, Instant createdAt,
                         Integer storageGiB, Map<String, String> tags) { }

    @Override
    public String kind() {
        return config.cluster() ? "aurora" : "rds";
    }

    @Override
    public Set<ProviderCapability> capabilities() {
        return EnumSet.of(ProviderCapability.ZERO_DOWNTIME, ProviderCapability.LOCKED, ProviderCapability.COPY,
                ProviderCapability.RESTORE, ProviderCapability.RESTORE_TO_SCRATCH, ProviderCapability.POINT_IN_TIME);
    }

    public RdsConfig config() {
        return config;
    }

    AwsCalls calls(ProviderContext ctx, String operation) {
        return new AwsCalls(clients.settings().retry(), ctx, operation,
                AwsTags.principal(clients.settings().credentials()), random);
    }

    RdsClient rds(String region) {
        return clients.rds(region);
    }

    String region() {
        return clients.region();
    }

    Duration pollInterval() {
        return clients.settings().retry().pollInterval();
    }

    private String what() {
        return (config.cluster() ? "Aurora cluster " : "RDS instance ") + config.source();
    }

    @Override
    public List<String> plan(ProviderContext ctx) {
        String prefix = config.cluster() ? "rds:CreateDBClusterSnapshot " : "rds:CreateDBSnapshot ";
        return List.of(
                (config.cluster() ? "rds:DescribeDBClusters " : "rds:DescribeDBInstances ") + config.source() + " in "
                        + region() + " (wait until available)",
                prefix + config.source() + " tagged " + AwsTags.RESTORE_POINT + ", " + AwsTags.INSTANCE + "="
                        + ctx.instanceId() + ", " + AwsTags.ROLE + "=" + ctx.role(),
                (config.cluster() ? "rds:DescribeDBClusterSnapshots" : "rds:DescribeDBSnapshots")
                        + " until the snapshot is available (at most " + config.waitTimeout() + ")");
    }

    @Override
    public CheckReport check(ProviderContext ctx) throws InterruptedException {
        CheckReport.Builder report = new CheckReport.Builder();
        try {
            Prepared p = describeSource(calls(ctx, "check"));
            if (p.backupRetention() == 0) {
                report.warning(what() + " has automated backups disabled (BackupRetentionPeriod 0): snapshots"
                        + " work, point-in-time restore to a restore point's fence does not");
            }
        } catch (ProviderException e) {
            report.error(e.getMessage());
        }
        return report.build();
    }

    @Override
    public PreparedCapture prepare(ProviderContext ctx) throws ProviderException, InterruptedException {
        AwsCalls aws = calls(ctx, "prepare");
        Instant start = ctx.clock().instant();
        while (true) {
            String status = status(aws);
            if ("available".equals(status)) {
                return describeSource(aws);
            }
            if (Duration.between(start, ctx.clock().instant()).compareTo(config.waitTimeout()) >= 0) {
                throw new ProviderException(what() + " stayed in state '" + status + "' for " + config.waitTimeout()
                        + "; a snapshot needs it available");
            }
            ctx.sleeper().sleep(pollInterval());
        }
    }

    private String status(AwsCalls aws) throws ProviderException, InterruptedException {
        RdsClient rds = rds(region());
        if (config.cluster()) {
            return aws.read("rds:DescribeDBClusters", () -> rds.describeDBClusters(b -> b
                    .dbClusterIdentifier(config.source()))).dbClusters().get(0).status();
        }
        return aws.read("rds:DescribeDBInstances", () -> rds.describeDBInstances(b -> b
                .dbInstanceIdentifier(config.source()))).dbInstances().get(0).dbInstanceStatus();
    }

    private Prepared describeSource(AwsCalls aws) throws ProviderException, InterruptedException {
        RdsClient rds = rds(region());
        if (config.cluster()) {
            DBCluster c = aws.read("rds:DescribeDBClusters", () -> rds.describeDBClusters(b -> b
                    .dbClusterIdentifier(config.source()))).dbClusters().get(0);
            List<DBInstance> members = aws.read("rds:DescribeDBInstances", () -> rds.describeDBInstances(b -> b
                    .filters(f -> f.name("db-cluster-id").values(config.source())))).dbInstances();
            String writerClass = members.isEmpty() ? null : members.get(0).dbInstanceClass();
            return new Prepared(c.engine(), c.engineVersion(), writerClass, nz(c.backupRetentionPeriod()));
        }
        DBInstance d = aws.read("rds:DescribeDBInstances", () -> rds.describeDBInstances(b -> b
                .dbInstanceIdentifier(config.source()))).dbInstances().get(0);
        if (d.dbClusterIdentifier() != null) {
            throw new ProviderException("RDS instance " + config.source() + " belongs to Aurora cluster "
                    + d.dbClusterIdentifier() + ": configure 'dbClusterIdentifier: " + d.dbClusterIdentifier()
                    + "' instead (Aurora snapshots the cluster)");
        }
        return new Prepared(d.engine(), d.engineVersion(), d.dbInstanceClass(), nz(d.backupRetentionPeriod()));
    }

    private static int nz(Integer i) {
        return i == null ? 0 : i;
    }

    @Override
    public SnapshotRef capture(PreparedCapture prepared, CaptureRequest request, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        Prepared p = (Prepared) prepared;
        String id = RdsNames.sanitize(request.snapshotName(), 255);
        List<Tag> tags = tags(AwsTags.base(request, config.extraTags()));
        RdsClient rds = rds(region());
        AwsCalls aws = calls(ctx, "backup");
        String arn;
        if (config.cluster()) {
            arn = aws.write("rds:CreateDBClusterSnapshot", () -> rds.createDBClusterSnapshot(b -> b
                    .dbClusterSnapshotIdentifier(id).dbClusterIdentifier(config.source()).tags(tags)))
                    .dbClusterSnapshot().dbClusterSnapshotArn();
        } else {
            arn = aws.write("rds:CreateDBSnapshot", () -> rds.createDBSnapshot(b -> b
                    .dbSnapshotIdentifier(id).dbInstanceIdentifier(config.source()).tags(tags)))
                    .dbSnapshot().dbSnapshotArn();
        }
        Instant capturedAt = ctx.clock().instant();
        ctx.events().emit(OperationEvent.info(capturedAt, "backup", "capture", kind() + " snapshot " + id
                + " of " + config.source() + " started").withComponent(request.role().value()));
        return new SnapshotRef(kind(), request.role().value(), id, request.restorePointId(), request.instanceId(),
                capturedAt, null, null, attributes(region(), arn, p.engine(), p.engineVersion()));
    }

    private Map<String, String> attributes(String region, String arn, String engine, String engineVersion) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("region", region);
        a.put("type", config.cluster() ? "cluster" : "instance");
        a.put("source", config.source());
        if (arn != null) {
            a.put("arn", arn);
        }
        if (engine != null) {
            a.put("engine", engine);
        }
        if (engineVersion != null) {
            a.put("engineVersion", engineVersion);
        }
        return a;
    }

    static List<Tag> tags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    @Override
    public SnapshotRef awaitDurable(PreparedCapture prepared, SnapshotRef ref, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        SnapshotState s = waitAvailable(ref, ref.attribute("region"), ctx, "backup");
        Instant durableAt = ctx.clock().instant();
        RdsClient rds = rds(ref.attribute("region"));
        calls(ctx, "backup").write("rds:AddTagsToResource", () -> rds.addTagsToResource(b -> b
                .resourceName(s.arn()).tags(tags(Map.of(AwsTags.DURABLE_AT, durableAt.toString())))));
        return ref.durable(durableAt, s.storageGiB() == null ? null : s.storageGiB() * (1L << 30));
    }

    /** Polls until the snapshot named by {@code ref} is available in {@code region}, reporting progress. */
    SnapshotState waitAvailable(SnapshotRef ref, String region, ProviderContext ctx, String operation)
            throws ProviderException, InterruptedException {
        AwsCalls aws = calls(ctx, operation);
        Instant start = ctx.clock().instant();
        int last = -1;
        while (true) {
            SnapshotState s = describeSnapshot(aws, region, ref.id());
            if (s == null) {
                throw new ProviderException(kind() + " snapshot " + ref.id() + " disappeared from " + region
                        + " while waiting for it");
            }
            long elapsed = Duration.between(start, ctx.clock().instant()).toMillis();
            boolean done = "available".equals(s.status());
            if (s.percent() != last || done) {
                ctx.events().emit(OperationEvent.info(ctx.clock().instant(), operation, "durable", kind()
                        + " snapshot " + ref.id() + " " + s.status() + " " + s.percent() + "%")
                        .withComponent(ref.role()).withPercent(s.percent()).withElapsed(elapsed));
                last = s.percent();
            }
            if (done) {
                return s;
            }
            if (Set.of("failed", "error", "incompatible-restore", "deleting").contains(s.status())) {
                throw new ProviderException(kind() + " snapshot " + ref.id() + " is in state '" + s.status()
                        + "'; it cannot be used for restore point " + ref.restorePointId());
            }
            if (elapsed >= config.waitTimeout().toMillis()) {
                throw new ProviderException(kind() + " snapshot " + ref.id() + " is still " + s.status() + " ("
                        + s.percent() + "%) after " + config.waitTimeout() + "; it keeps running in AWS — raise"
                        + " 'waitTimeout' for large databases");
            }
            ctx.sleeper().sleep(pollInterval());
        }
    }

    /** The snapshot, or null when it does not exist. */
    SnapshotState describeSnapshot(AwsCalls aws, String region, String id)
            throws ProviderException, InterruptedException {
        RdsClient rds = rds(region);
        try {
            if (config.cluster()) {
                List<DBClusterSnapshot> l = aws.read("rds:DescribeDBClusterSnapshots", () -> rds
                        .describeDBClusterSnapshots(b -> b.dbClusterSnapshotIdentifier(id))).dbClusterSnapshots();
                return l.isEmpty() ? null : state(l.get(0));
            }
            List<DBSnapshot> l = aws.read("rds:DescribeDBSnapshots", () -> rds.describeDBSnapshots(b -> b
                    .dbSnapshotIdentifier(id))).dbSnapshots();
            return l.isEmpty() ? null : state(l.get(0));
        } catch (AwsCallException e) {
            if (notFound(e)) {
                return null;
            }
            throw e;
        }
    }

    private static SnapshotState state(DBSnapshot s) {
        return new SnapshotState(s.dbSnapshotIdentifier(), s.status(), nz(s.percentProgress()), s.dbSnapshotArn(),
                s.engine(), s.snapshotCreateTime(), s.allocatedStorage(), tagMap(s.tagList()));
    }

    private static SnapshotState state(DBClusterSnapshot s) {
        return new SnapshotState(s.dbClusterSnapshotIdentifier(), s.status(), nz(s.percentProgress()),
                s.dbClusterSnapshotArn(), s.engine(), s.snapshotCreateTime(), s.allocatedStorage(),
                tagMap(s.tagList()));
    }

    private static Map<String, String> tagMap(List<Tag> tags) {
        Map<String, String> m = new LinkedHashMap<>();
        tags.forEach(t -> m.put(t.key(), t.value()));
        return m;
    }

    static boolean notFound(AwsCallException e) {
        return Set.of("DBSnapshotNotFound", "DBClusterSnapshotNotFoundFault", "DBInstanceNotFound",
                "DBClusterNotFoundFault").contains(e.errorCode());
    }

    @Override
    public List<SnapshotRef> list(ProviderContext ctx) throws ProviderException, InterruptedException {
        RdsClient rds = rds(region());
        AwsCalls aws = calls(ctx, "list");
        List<SnapshotState> all = new ArrayList<>();
        String marker = null;
        do {
            String m = marker;
            if (config.cluster()) {
                var page = aws.read("rds:DescribeDBClusterSnapshots", () -> rds.describeDBClusterSnapshots(b -> b
                        .dbClusterIdentifier(config.source()).snapshotType("manual").maxRecords(config.pageSize())
                        .marker(m)));
                page.dbClusterSnapshots().forEach(s -> all.add(state(s)));
                marker = page.marker();
            } else {
                var page = aws.read("rds:DescribeDBSnapshots", () -> rds.describeDBSnapshots(b -> b
                        .dbInstanceIdentifier(config.source()).snapshotType("manual").maxRecords(config.pageSize())
                        .marker(m)));
                page.dbSnapshots().forEach(s -> all.add(state(s)));
                marker = page.marker();
            }
        } while (marker != null && !marker.isEmpty());
        List<SnapshotRef> refs = new ArrayList<>();
        for (SnapshotState s : all) {
            Map<String, String> t = s.tags();
            if (!ctx.instanceId().equals(t.get(AwsTags.INSTANCE)) || !ctx.role().value().equals(t.get(AwsTags.ROLE))
                    || t.get(AwsTags.RESTORE_POINT) == null) {
                continue;
            }
            Instant durable = null;
            if ("available".equals(s.status())) {
                durable = parse(t.get(AwsTags.DURABLE_AT));
                durable = durable != null ? durable : s.createdAt();
            }
            Map<String, String> attributes = attributes(region(), s.arn(), s.engine(), null);
            String copiedFrom = t.get(AwsTags.COPIED_FROM); // "<region>/<snapshot>": a copy made by a backup
            if (copiedFrom != null && copiedFrom.indexOf('/') > 0) {
                attributes.put("copiedFrom", copiedFrom.substring(0, copiedFrom.indexOf('/')));
            }
            refs.add(new SnapshotRef(kind(), ctx.role().value(), s.id(), t.get(AwsTags.RESTORE_POINT),
                    ctx.instanceId(), s.createdAt(), durable,
                    s.storageGiB() == null ? null : s.storageGiB() * (1L << 30), attributes));
        }
        refs.sort(Comparator.comparing(SnapshotRef::capturedAt));
        return refs;
    }

    private static Instant parse(String s) {
        try {
            return s == null ? null : Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Override
    public void delete(SnapshotRef ref, ProviderContext ctx) throws ProviderException, InterruptedException {
        String region = ref.attribute("region") != null ? ref.attribute("region") : region();
        RdsClient rds = rds(region);
        AwsCalls aws = calls(ctx, "retention");
        try {
            if (config.cluster()) {
                aws.write("rds:DeleteDBClusterSnapshot", () -> rds.deleteDBClusterSnapshot(b -> b
                        .dbClusterSnapshotIdentifier(ref.id())));
            } else {
                aws.write("rds:DeleteDBSnapshot", () -> rds.deleteDBSnapshot(b -> b.dbSnapshotIdentifier(ref.id())));
            }
        } catch (AwsCallException e) {
            if (notFound(e)) {
                return; // already gone
            }
            if ("InvalidDBSnapshotState".equals(e.errorCode())
                    || "InvalidDBClusterSnapshotStateFault".equals(e.errorCode())) {
                throw new ProviderException(kind() + " snapshot " + ref.id() + " cannot be deleted yet (it is still"
                        + " being created or copied); the next retention run deletes it", e);
            }
            throw e;
        }
    }

    @Override
    public SnapshotRef copy(SnapshotRef ref, Map<String, String> destination, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        String dest = destination.get("region");
        if (!AwsSettings.validRegion(dest)) {
            throw new ProviderException("copying RDS snapshots needs a destination 'region' such as eu-central-1"
                    + (dest == null ? "" : " ('" + dest + "' is not one)"));
        }
        String source = ref.attribute("region") != null ? ref.attribute("region") : region();
        if (dest.equals(source)) {
            throw new ProviderException("snapshot " + ref.id() + " is already in " + dest);
        }
        String arn = ref.attribute("arn");
        if (arn == null) {
            SnapshotState s = describeSnapshot(calls(ctx, "copy"), source, ref.id());
            if (s == null) {
                throw new ProviderException(kind() + " snapshot " + ref.id() + " does not exist in " + source);
            }
            arn = s.arn();
        }
        String sourceArn = arn;
        String kms = destination.get("kmsKeyId") == null || destination.get("kmsKeyId").isBlank() ? null
                : destination.get("kmsKeyId");
        List<Tag> extra = tags(Map.of(AwsTags.COPIED_FROM, source + "/" + ref.id()));
        RdsClient rds = rds(dest);
        AwsCalls aws = calls(ctx, "copy");
        String newArn;
        if (config.cluster()) {
            newArn = aws.write("rds:CopyDBClusterSnapshot", () -> rds.copyDBClusterSnapshot(b -> b
                    .sourceDBClusterSnapshotIdentifier(sourceArn).targetDBClusterSnapshotIdentifier(ref.id())
                    .kmsKeyId(kms).copyTags(true).tags(extra).sourceRegion(source)))
                    .dbClusterSnapshot().dbClusterSnapshotArn();
        } else {
            newArn = aws.write("rds:CopyDBSnapshot", () -> rds.copyDBSnapshot(b -> b
                    .sourceDBSnapshotIdentifier(sourceArn).targetDBSnapshotIdentifier(ref.id())
                    .kmsKeyId(kms).copyTags(true).tags(extra).sourceRegion(source)))
                    .dbSnapshot().dbSnapshotArn();
        }
        Map<String, String> attrs = new LinkedHashMap<>(ref.attributes());
        attrs.put("region", dest);
        attrs.put("arn", newArn);
        attrs.put("copiedFrom", source);
        if (kms != null) {
            attrs.put("kmsKeyId", kms);
        }
        SnapshotRef copy = new SnapshotRef(ref.provider(), ref.role(), ref.id(), ref.restorePointId(),
                ref.instanceId(), ref.capturedAt(), null, ref.sizeBytes(), attrs);
        if ("false".equalsIgnoreCase(destination.get("wait"))) {
            return copy;
        }
        waitAvailable(copy, dest, ctx, "copy");
        return copy.durable(ctx.clock().instant(), ref.sizeBytes());
    }

    @Override
    public RestoreOutcome restore(SnapshotRef ref, RestoreRequest request, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        return new RdsRestorer(this, config).restore(ref, request, ctx);
    }
}
