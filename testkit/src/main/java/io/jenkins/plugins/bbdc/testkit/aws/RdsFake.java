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
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * RDS of the AWS endpoint: DB instances, Aurora clusters and their manual snapshots per region. Snapshots go
 * creating → available and restored instances/clusters creating → available after configurable durations;
 * {@code LatestRestorableTime} trails the clock by a configurable lag, as continuous backups do.
 */
public final class RdsFake {
    static final String NS = "http://rds.amazonaws.com/doc/2014-10-31/";
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z](?!.*--)[A-Za-z0-9-]*(?<!-)");

    private final Clock clock;
    private final Map<String, Region> regions = new LinkedHashMap<>();
    private Duration snapshotTime = Duration.ofMillis(100);
    private Duration restoreTime = Duration.ofMillis(100);
    private Duration restorableLag = Duration.ZERO;
    private long seeded;
    private int maxManualSnapshots = 100;
    private int maxConcurrentCopies = 20;

    /** What a test can see of a DB instance; {@code restoreTime} is the instant a point-in-time restore went to. */
    public record InstanceView(String id, String status, String instanceClass, String engine, String clusterId,
                               String subnetGroup, List<String> securityGroups, String parameterGroup,
                               String restoredFromSnapshot, String sourceInstance, Instant restoreTime,
                               String endpoint, Map<String, String> tags) { }

    public record ClusterView(String id, String status, String engine, List<String> members, String subnetGroup,
                              List<String> securityGroups, String parameterGroup, String restoredFromSnapshot,
                              String sourceCluster, Instant restoreTime, String endpoint, Map<String, String> tags) { }

    public record SnapshotView(String id, boolean cluster, String source, String status, Map<String, String> tags,
                               String arn, String kmsKeyId, String copiedFrom) { }

    private static final class Region {
        final Map<String, Db> instances = new LinkedHashMap<>();
        final Map<String, Cluster> clusters = new LinkedHashMap<>();
        final Map<String, Snap> snapshots = new LinkedHashMap<>();
        final Map<String, Snap> clusterSnapshots = new LinkedHashMap<>();
    }

    private static final class Db {
        String id;
        String engine;
        String engineVersion;
        String instanceClass;
        String clusterId;
        String subnetGroup = "default";
        List<String> securityGroups = List.of("sg-00000001");
        String parameterGroup;
        boolean multiAz;
        int backupRetention = 7;
        Instant created;
        Instant availableAt;
        String restoredFromSnapshot;
        String sourceInstance;
        Instant restoreTime;
        final Map<String, String> tags = new LinkedHashMap<>();
    }

    private static final class Cluster {
        String id;
        String engine;
        String engineVersion;
        final List<String> members = new ArrayList<>();
        String subnetGroup = "default";
        List<String> securityGroups = List.of("sg-00000001");
        String parameterGroup;
        int backupRetention = 7;
        Instant created;
        Instant availableAt;
        String restoredFromSnapshot;
        String sourceCluster;
        Instant restoreTime;
        final Map<String, String> tags = new LinkedHashMap<>();
    }

    private static final class Snap {
        String id;
        String source;
        String engine;
        String engineVersion;
        int storage = 20;
        Instant created;
        Instant availableAt;
        boolean encrypted;
        String kmsKeyId;
        String sourceRegion;
        String copiedFrom;
        String arn;
        final Map<String, String> tags = new LinkedHashMap<>();
    }

    RdsFake(Clock clock) {
        this.clock = clock;
    }

    // ---------------------------------------------------------------- control API

    /** How long a snapshot (or copy) is creating and a restored instance or cluster is creating. */
    public synchronized RdsFake timings(Duration snapshot, Duration restore) {
        this.snapshotTime = snapshot;
        this.restoreTime = restore;
        return this;
    }

    /** How far {@code LatestRestorableTime} trails the clock (about five minutes on real RDS). */
    public synchronized RdsFake restorableLag(Duration lag) {
        this.restorableLag = lag;
        return this;
    }

    /**
     * Account quotas, per region: manual snapshots (DB instance snapshots and DB cluster snapshots are counted
     * separately; AWS's default is 100 each) and cross-region snapshot copies in progress into a destination region
     * (20 by AWS's documentation). Both are answered as RDS does, with {@code SnapshotQuotaExceeded}: "Cannot create
     * more than N manual snapshots" / "Cannot copy more than N snapshots across regions".
     */
    public synchronized RdsFake limits(int maxManualSnapshotsPerRegion, int maxConcurrentCrossRegionCopies) {
        this.maxManualSnapshots = maxManualSnapshotsPerRegion;
        this.maxConcurrentCopies = maxConcurrentCrossRegionCopies;
        return this;
    }

    /** An available PostgreSQL DB instance; {@code backupRetentionDays} 0 disables point-in-time restore. */
    public synchronized void addInstance(String region, String id, String instanceClass, int backupRetentionDays) {
        Db d = new Db();
        d.id = id;
        d.engine = "postgres";
        d.engineVersion = "15.8";
        d.instanceClass = instanceClass;
        d.parameterGroup = "default.postgres15";
        d.backupRetention = backupRetentionDays;
        d.created = clock.instant().minusSeconds(86400);
        d.availableAt = d.created;
        region(region).instances.put(id, d);
    }

    /** An available Aurora PostgreSQL cluster with one writer instance {@code <id>-writer}. */
    public synchronized void addCluster(String region, String id, String writerClass) {
        Cluster c = new Cluster();
        c.id = id;
        c.engine = "aurora-postgresql";
        c.engineVersion = "15.8";
        c.parameterGroup = "default.aurora-postgresql15";
        c.created = clock.instant().minusSeconds(86400);
        c.availableAt = c.created;
        region(region).clusters.put(id, c);
        Db w = new Db();
        w.id = id + "-writer";
        w.engine = c.engine;
        w.engineVersion = c.engineVersion;
        w.instanceClass = writerClass;
        w.clusterId = id;
        w.created = c.created;
        w.availableAt = c.created;
        region(region).instances.put(w.id, w);
        c.members.add(w.id);
    }

    /** {@code count} available manual snapshots of the instance with these tags. */
    public synchronized List<String> seedSnapshots(String region, String instanceId, int count,
                                                  Map<String, String> tags) {
        List<String> out = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            Snap s = new Snap();
            s.id = "seed-" + instanceId + "-" + n;
            s.source = instanceId;
            s.engine = "postgres";
            s.engineVersion = "15.8";
            s.created = clock.instant().minusSeconds(count - n);
            s.availableAt = s.created;
            s.arn = arn(region, "snapshot", s.id);
            s.tags.putAll(tags);
            region(region).snapshots.put(s.id, s);
            out.add(s.id);
        }
        return out;
    }

    /**
     * {@code count} available manual snapshots of DB instance {@code source} (or, with {@code cluster}, cluster
     * snapshots of Aurora cluster {@code source}), the n-th tagged {@code tags.apply(n)}, created one second apart
     * ending now; ids {@code seed-<source>-<sequence>} stay unique across calls. Thousands take milliseconds.
     */
    public synchronized List<String> seedSnapshots(String region, String source, boolean cluster, int count,
                                                  IntFunction<Map<String, String>> tags) {
        List<String> out = new ArrayList<>();
        Region r = region(region);
        for (int n = 0; n < count; n++) {
            Snap s = new Snap();
            s.id = "seed-" + source + "-" + seeded++;
            s.source = source;
            s.engine = cluster ? "aurora-postgresql" : "postgres";
            s.engineVersion = "15.8";
            s.created = clock.instant().minusSeconds(count - n);
            s.availableAt = s.created;
            s.arn = arn(region, cluster ? "cluster-snapshot" : "snapshot", s.id);
            s.tags.putAll(tags.apply(n));
            (cluster ? r.clusterSnapshots : r.snapshots).put(s.id, s);
            out.add(s.id);
        }
        return out;
    }

    public synchronized Optional<InstanceView> instance(String region, String id) {
        Db d = region(region).instances.get(id);
        return Optional.ofNullable(d).map(x -> new InstanceView(x.id, status(x.availableAt), x.instanceClass,
                x.engine, x.clusterId, x.subnetGroup, x.securityGroups, x.parameterGroup, x.restoredFromSnapshot,
                x.sourceInstance, x.restoreTime, address(region, x.id, false), Map.copyOf(x.tags)));
    }

    public synchronized Optional<ClusterView> cluster(String region, String id) {
        Cluster c = region(region).clusters.get(id);
        return Optional.ofNullable(c).map(x -> new ClusterView(x.id, status(x.availableAt), x.engine,
                List.copyOf(x.members), x.subnetGroup, x.securityGroups, x.parameterGroup, x.restoredFromSnapshot,
                x.sourceCluster, x.restoreTime, address(region, x.id, true), Map.copyOf(x.tags)));
    }

    public synchronized List<SnapshotView> snapshots(String region) {
        List<SnapshotView> out = new ArrayList<>();
        region(region).snapshots.values().forEach(s -> out.add(view(s, false)));
        region(region).clusterSnapshots.values().forEach(s -> out.add(view(s, true)));
        return out;
    }

    private SnapshotView view(Snap s, boolean cluster) {
        return new SnapshotView(s.id, cluster, s.source, status(s.availableAt), Map.copyOf(s.tags), s.arn,
                s.kmsKeyId, s.copiedFrom);
    }

    // ---------------------------------------------------------------- protocol

    synchronized String handle(QueryRequest q, String requestId) {
        Region r = region(q.region());
        String a = q.action();
        if (a.equals("AddTagsToResource")) {
            // an action without an output shape: the reply holds the metadata alone
            addTags(q, r);
            return new Xml().start(a + "Response", NS).start("ResponseMetadata").el("RequestId", requestId).end()
                    .end().toString();
        }
        Xml x = new Xml().start(a + "Response", NS).start(a + "Result");
        switch (a) {
            case "CreateDBSnapshot" -> createSnapshot(q, r, x);
            case "DescribeDBSnapshots" -> describeSnapshots(q, r, x, false);
            case "DeleteDBSnapshot" -> deleteSnapshot(q, r, x, false);
            case "CopyDBSnapshot" -> copySnapshot(q, r, x, false);
            case "RestoreDBInstanceFromDBSnapshot" -> restoreInstance(q, r, x);
            case "RestoreDBInstanceToPointInTime" -> restoreInstanceToTime(q, r, x);
            case "DescribeDBInstances" -> describeInstances(q, r, x);
            case "CreateDBInstance" -> createInstance(q, r, x);
            case "CreateDBClusterSnapshot" -> createClusterSnapshot(q, r, x);
            case "DescribeDBClusterSnapshots" -> describeSnapshots(q, r, x, true);
            case "DeleteDBClusterSnapshot" -> deleteSnapshot(q, r, x, true);
            case "CopyDBClusterSnapshot" -> copySnapshot(q, r, x, true);
            case "RestoreDBClusterFromSnapshot" -> restoreCluster(q, r, x);
            case "RestoreDBClusterToPointInTime" -> restoreClusterToTime(q, r, x);
            case "DescribeDBClusters" -> describeClusters(q, r, x);
            case "ListTagsForResource" -> listTags(q, r, x);
            default -> throw AwsFault.badRequest("InvalidAction",
                    "The action " + a + " is not valid for this web service.");
        }
        return x.end().start("ResponseMetadata").el("RequestId", requestId).end().end().toString();
    }

    private void createSnapshot(QueryRequest q, Region r, Xml x) {
        String id = identifier(q, "DBSnapshotIdentifier", 255);
        Db d = instance(r, q.required("DBInstanceIdentifier"));
        if (d.clusterId != null) {
            throw AwsFault.badRequest("InvalidDBInstanceState", "The specified instance is a member of a cluster and"
                    + " a snapshot cannot be created directly. Please use the CreateDBClusterSnapshot API instead.");
        }
        if (!status(d.availableAt).equals("available")) {
            throw AwsFault.badRequest("InvalidDBInstanceState", "Instance " + d.id + " is not currently in the"
                    + " available state.");
        }
        if (r.snapshots.containsKey(id)) {
            throw AwsFault.badRequest("DBSnapshotAlreadyExists", "Cannot create the snapshot because a snapshot with"
                    + " the identifier " + id + " already exists.");
        }
        checkSnapshotQuota(r.snapshots);
        Snap s = newSnap(q.region(), id, d.id, d.engine, d.engineVersion, false);
        s.tags.putAll(q.tags("Tags.Tag"));
        r.snapshots.put(id, s);
        snapshotXml(x, s, false);
    }

    private void createClusterSnapshot(QueryRequest q, Region r, Xml x) {
        String id = identifier(q, "DBClusterSnapshotIdentifier", 255);
        Cluster c = cluster(r, q.required("DBClusterIdentifier"));
        if (!status(c.availableAt).equals("available")) {
            throw AwsFault.badRequest("InvalidDBClusterStateFault", "DBCluster " + c.id + " is not in available state");
        }
        if (r.clusterSnapshots.containsKey(id)) {
            throw AwsFault.badRequest("DBClusterSnapshotAlreadyExistsFault", "Cannot create the cluster snapshot"
                    + " because one with the identifier " + id + " already exists.");
        }
        checkSnapshotQuota(r.clusterSnapshots);
        Snap s = newSnap(q.region(), id, c.id, c.engine, c.engineVersion, true);
        s.tags.putAll(q.tags("Tags.Tag"));
        r.clusterSnapshots.put(id, s);
        snapshotXml(x, s, true);
    }

    private void checkSnapshotQuota(Map<String, Snap> manual) {
        if (manual.size() >= maxManualSnapshots) {
            throw AwsFault.badRequest("SnapshotQuotaExceeded", "Cannot create more than " + maxManualSnapshots
                    + " manual snapshots");
        }
    }

    private Snap newSnap(String region, String id, String source, String engine, String version, boolean cluster) {
        Snap s = new Snap();
        s.id = id;
        s.source = source;
        s.engine = engine;
        s.engineVersion = version;
        s.created = clock.instant();
        s.availableAt = s.created.plus(snapshotTime);
        s.arn = arn(region, cluster ? "cluster-snapshot" : "snapshot", id);
        return s;
    }

    private void describeSnapshots(QueryRequest q, Region r, Xml x, boolean cluster) {
        Map<String, Snap> all = cluster ? r.clusterSnapshots : r.snapshots;
        String idParam = cluster ? "DBClusterSnapshotIdentifier" : "DBSnapshotIdentifier";
        String sourceParam = cluster ? "DBClusterIdentifier" : "DBInstanceIdentifier";
        String wanted = q.get(idParam);
        if (wanted != null && !all.containsKey(wanted)) {
            throw snapshotNotFound(wanted, cluster);
        }
        String type = q.get("SnapshotType");
        if (type != null && !type.equals("manual") && !type.equals("automated") && !type.equals("shared")
                && !type.equals("public") && !type.equals("awsbackup")) {
            throw AwsFault.badRequest("InvalidParameterValue", "Invalid snapshot type: " + type);
        }
        Predicate<Snap> filter = s -> (wanted == null || wanted.equals(s.id))
                && (q.get(sourceParam) == null || q.get(sourceParam).equals(s.source))
                && (type == null || type.equals("manual"));
        for (Map<String, String> f : q.structs("Filters.Filter")) {
            List<String> values = QueryRequest.subList(f, "Values.Value");
            String name = String.valueOf(f.get("Name"));
            filter = filter.and(switch (name) {
                case "db-snapshot-id", "db-cluster-snapshot-id" -> s -> values.contains(s.id);
                case "db-instance-id", "db-cluster-id" -> s -> values.contains(s.source);
                case "snapshot-type" -> s -> values.contains("manual");
                case "engine" -> s -> values.contains(s.engine);
                default -> throw AwsFault.badRequest("InvalidParameterValue", "Unrecognized filter name: " + name);
            });
        }
        List<Snap> matching = all.values().stream().filter(filter).toList();
        Page<Snap> page = page(matching, q);
        String list = cluster ? "DBClusterSnapshots" : "DBSnapshots";
        x.start(list);
        for (Snap s : page.items) {
            snapshotXml(x, s, cluster);
        }
        x.end().el("Marker", page.marker);
    }

    private void deleteSnapshot(QueryRequest q, Region r, Xml x, boolean cluster) {
        Map<String, Snap> all = cluster ? r.clusterSnapshots : r.snapshots;
        String id = q.required(cluster ? "DBClusterSnapshotIdentifier" : "DBSnapshotIdentifier");
        Snap s = all.get(id);
        if (s == null) {
            throw snapshotNotFound(id, cluster);
        }
        // RDS: "If the snapshot is being copied, the copy operation is terminated"; a snapshot being created from
        // its database cannot be deleted until it is available
        if (!status(s.availableAt).equals("available") && s.copiedFrom == null) {
            throw AwsFault.badRequest(cluster ? "InvalidDBClusterSnapshotStateFault" : "InvalidDBSnapshotState",
                    "Cannot delete the snapshot because it is not in available state.");
        }
        all.remove(id);
        snapshotXml(x, s, cluster, "deleted");
    }

    private void copySnapshot(QueryRequest q, Region r, Xml x, boolean cluster) {
        String srcParam = cluster ? "SourceDBClusterSnapshotIdentifier" : "SourceDBSnapshotIdentifier";
        String source = q.required(srcParam);
        String target = identifier(q, cluster ? "TargetDBClusterSnapshotIdentifier" : "TargetDBSnapshotIdentifier",
                255);
        String sourceRegion = q.region();
        String sourceId = source;
        if (source.startsWith("arn:")) {
            String[] parts = source.split(":", 7);
            String kind = cluster ? "cluster-snapshot" : "snapshot";
            if (parts.length != 7 || !parts[2].equals("rds") || !parts[5].equals(kind)) {
                throw AwsFault.badRequest("InvalidParameterValue", "The source snapshot ARN " + source
                        + " is not a valid " + kind + " ARN");
            }
            sourceRegion = parts[3];
            sourceId = parts[6];
        } else if (q.get("SourceRegion") != null && !q.get("SourceRegion").equals(q.region())) {
            throw AwsFault.badRequest("InvalidParameterValue", "A cross-region copy needs the source snapshot's ARN");
        }
        Region from = region(sourceRegion);
        Snap src = (cluster ? from.clusterSnapshots : from.snapshots).get(sourceId);
        if (src == null) {
            throw snapshotNotFound(sourceId, cluster);
        }
        if (!status(src.availableAt).equals("available")) {
            throw AwsFault.badRequest(cluster ? "InvalidDBClusterSnapshotStateFault" : "InvalidDBSnapshotState",
                    "Snapshot " + sourceId + " is not in available state.");
        }
        Map<String, Snap> dest = cluster ? r.clusterSnapshots : r.snapshots;
        if (dest.containsKey(target)) {
            throw AwsFault.badRequest(cluster ? "DBClusterSnapshotAlreadyExistsFault" : "DBSnapshotAlreadyExists",
                    "A snapshot with the identifier " + target + " already exists.");
        }
        if (!sourceRegion.equals(q.region())) {
            long copying = dest.values().stream().filter(s -> s.sourceRegion != null
                    && status(s.availableAt).equals("creating")).count();
            if (copying >= maxConcurrentCopies) {
                throw AwsFault.badRequest("SnapshotQuotaExceeded", "Cannot copy more than " + maxConcurrentCopies
                        + " snapshots across regions");
            }
        }
        checkSnapshotQuota(dest);
        Snap c = newSnap(q.region(), target, src.source, src.engine, src.engineVersion, cluster);
        c.kmsKeyId = q.get("KmsKeyId") != null ? q.get("KmsKeyId") : src.kmsKeyId;
        c.encrypted = c.kmsKeyId != null;
        c.sourceRegion = sourceRegion.equals(q.region()) ? null : sourceRegion;
        c.copiedFrom = sourceRegion + "/" + sourceId;
        if (q.bool("CopyTags", false)) {
            c.tags.putAll(src.tags);
        }
        c.tags.putAll(q.tags("Tags.Tag"));
        dest.put(target, c);
        snapshotXml(x, c, cluster);
    }

    private void snapshotXml(Xml x, Snap s, boolean cluster) {
        snapshotXml(x, s, cluster, status(s.availableAt));
    }

    private void snapshotXml(Xml x, Snap s, boolean cluster, String status) {
        long total = Math.max(1, Duration.between(s.created, s.availableAt).toMillis());
        long done = Duration.between(s.created, clock.instant()).toMillis();
        int percent = status.equals("creating") ? (int) Math.max(0, Math.min(99, done * 100 / total)) : 100;
        if (cluster) {
            x.start("DBClusterSnapshot").el("DBClusterSnapshotIdentifier", s.id).el("DBClusterIdentifier", s.source)
                    .el("SnapshotCreateTime", s.created).el("Engine", s.engine).el("AllocatedStorage", s.storage)
                    .el("Status", status).el("Port", 5432).el("EngineVersion", s.engineVersion)
                    .el("SnapshotType", "manual").el("PercentProgress", percent).el("StorageEncrypted", s.encrypted)
                    .el("KmsKeyId", s.kmsKeyId).el("DBClusterSnapshotArn", s.arn);
        } else {
            x.start("DBSnapshot").el("DBSnapshotIdentifier", s.id).el("DBInstanceIdentifier", s.source)
                    .el("SnapshotCreateTime", s.created).el("Engine", s.engine).el("AllocatedStorage", s.storage)
                    .el("Status", status).el("Port", 5432).el("EngineVersion", s.engineVersion)
                    .el("SnapshotType", "manual").el("PercentProgress", percent).el("SourceRegion", s.sourceRegion)
                    .el("StorageType", "gp3").el("Encrypted", s.encrypted).el("KmsKeyId", s.kmsKeyId)
                    .el("DBSnapshotArn", s.arn);
        }
        x.rdsTags(s.tags).end();
    }

    private void restoreInstance(QueryRequest q, Region r, Xml x) {
        String id = identifier(q, "DBInstanceIdentifier", 63);
        String snapId = q.required("DBSnapshotIdentifier");
        Snap s = r.snapshots.get(snapId);
        if (s == null) {
            throw snapshotNotFound(snapId, false);
        }
        if (!status(s.availableAt).equals("available")) {
            throw AwsFault.badRequest("InvalidDBSnapshotState", "Snapshot " + snapId + " is not available.");
        }
        Db source = r.instances.get(s.source);
        Db d = newInstance(q, r, id, s.engine, s.engineVersion,
                source != null ? source.instanceClass : "db.m6g.large");
        d.restoredFromSnapshot = snapId;
        instanceXml(x, d, q.region());
    }

    private void restoreInstanceToTime(QueryRequest q, Region r, Xml x) {
        Db src = instance(r, q.required("SourceDBInstanceIdentifier"));
        String id = identifier(q, "TargetDBInstanceIdentifier", 63);
        Instant at = pointInTime(q, "RestoreTime", src.backupRetention, src.created);
        Db d = newInstance(q, r, id, src.engine, src.engineVersion, src.instanceClass);
        d.sourceInstance = src.id;
        d.restoreTime = at;
        instanceXml(x, d, q.region());
    }

    private Instant pointInTime(QueryRequest q, String param, int retention, Instant created) {
        if (retention == 0) {
            throw AwsFault.badRequest("PointInTimeRestoreNotEnabled",
                    "Point-in-time restore is not enabled: the source has no automated backups");
        }
        Instant at = q.instant(param);
        boolean latest = q.bool("UseLatestRestorableTime", false);
        if (at != null && latest) {
            throw AwsFault.badRequest("InvalidParameterCombination",
                    "Cannot specify both " + param + " and UseLatestRestorableTime");
        }
        Instant latestRestorable = latestRestorable();
        if (at == null && !latest) {
            throw AwsFault.badRequest("InvalidParameterCombination",
                    "Either " + param + " or UseLatestRestorableTime must be specified");
        }
        if (at == null) {
            return latestRestorable;
        }
        if (at.isAfter(latestRestorable)) {
            throw AwsFault.badRequest("InvalidRestoreFault", "Restore time " + Xml.time(at)
                    + " is after the latest restorable time " + Xml.time(latestRestorable));
        }
        Instant earliest = Instant.ofEpochMilli(Math.max(created.toEpochMilli(),
                clock.instant().minus(Duration.ofDays(retention)).toEpochMilli()));
        if (at.isBefore(earliest)) {
            throw AwsFault.badRequest("InvalidRestoreFault", "Restore time " + Xml.time(at)
                    + " is before the earliest restorable time " + Xml.time(earliest));
        }
        return at;
    }

    private Db newInstance(QueryRequest q, Region r, String id, String engine, String version, String dflt) {
        if (r.instances.containsKey(id)) {
            throw AwsFault.badRequest("DBInstanceAlreadyExists", "DB instance already exists");
        }
        Db d = new Db();
        d.id = id;
        d.engine = engine;
        d.engineVersion = version;
        d.instanceClass = q.get("DBInstanceClass") != null ? q.get("DBInstanceClass") : dflt;
        if (q.get("DBSubnetGroupName") != null) {
            d.subnetGroup = q.get("DBSubnetGroupName");
        }
        List<String> sgs = q.list("VpcSecurityGroupIds.VpcSecurityGroupId");
        if (!sgs.isEmpty()) {
            d.securityGroups = List.copyOf(sgs);
        }
        d.parameterGroup = q.get("DBParameterGroupName") != null ? q.get("DBParameterGroupName")
                : "default." + engine + version.split("\\.")[0];
        d.multiAz = q.bool("MultiAZ", false);
        d.created = clock.instant();
        d.availableAt = d.created.plus(restoreTime);
        d.tags.putAll(q.tags("Tags.Tag"));
        r.instances.put(id, d);
        return d;
    }

    private void createInstance(QueryRequest q, Region r, Xml x) {
        String id = identifier(q, "DBInstanceIdentifier", 63);
        String engine = q.required("Engine");
        q.required("DBInstanceClass");
        String clusterId = q.get("DBClusterIdentifier");
        Cluster c = clusterId == null ? null : cluster(r, clusterId);
        if (c != null && !c.engine.equals(engine)) {
            throw AwsFault.badRequest("InvalidParameterCombination", "The engine " + engine
                    + " does not match the engine " + c.engine + " of cluster " + c.id);
        }
        Db d = newInstance(q, r, id, engine, c != null ? c.engineVersion : "15.8", null);
        if (c != null) {
            d.clusterId = c.id;
            c.members.add(d.id);
        }
        instanceXml(x, d, q.region());
    }

    private void describeInstances(QueryRequest q, Region r, Xml x) {
        String wanted = q.get("DBInstanceIdentifier");
        if (wanted != null) {
            instance(r, wanted);
        }
        Predicate<Db> filter = d -> wanted == null || wanted.equals(d.id);
        for (Map<String, String> f : q.structs("Filters.Filter")) {
            List<String> values = QueryRequest.subList(f, "Values.Value");
            String name = String.valueOf(f.get("Name"));
            filter = filter.and(switch (name) {
                case "db-instance-id" -> d -> values.contains(d.id);
                case "db-cluster-id" -> d -> values.contains(d.clusterId);
                default -> throw AwsFault.badRequest("InvalidParameterValue", "Unrecognized filter name: " + name);
            });
        }
        Page<Db> page = page(r.instances.values().stream().filter(filter).toList(), q);
        x.start("DBInstances");
        page.items.forEach(d -> instanceXml(x, d, q.region()));
        x.end().el("Marker", page.marker);
    }

    private void instanceXml(Xml x, Db d, String region) {
        x.start("DBInstance").el("DBInstanceIdentifier", d.id).el("DBInstanceClass", d.instanceClass)
                .el("Engine", d.engine).el("DBInstanceStatus", status(d.availableAt)).el("MasterUsername", "bitbucket");
        if (status(d.availableAt).equals("available")) {
            x.start("Endpoint").el("Address", address(region, d.id, false)).el("Port", 5432)
                    .el("HostedZoneId", "Z2R2ITUGPM61AM").end();
        }
        x.el("AllocatedStorage", 20).el("InstanceCreateTime", d.created).el("BackupRetentionPeriod", d.backupRetention)
                .start("VpcSecurityGroups");
        d.securityGroups.forEach(sg -> x.start("VpcSecurityGroupMembership").el("VpcSecurityGroupId", sg)
                .el("Status", "active").end());
        x.end().start("DBParameterGroups").start("DBParameterGroup").el("DBParameterGroupName", d.parameterGroup)
                .el("ParameterApplyStatus", "in-sync").end().end()
                .el("AvailabilityZone", region + "a")
                .start("DBSubnetGroup").el("DBSubnetGroupName", d.subnetGroup).el("SubnetGroupStatus", "Complete").end();
        if (d.backupRetention > 0 && d.clusterId == null && status(d.availableAt).equals("available")) {
            x.el("LatestRestorableTime", latestRestorable());
        }
        x.el("MultiAZ", d.multiAz).el("EngineVersion", d.engineVersion).el("DBClusterIdentifier", d.clusterId)
                .el("DBInstanceArn", arn(region, "db", d.id)).rdsTags(d.tags).end();
    }

    private void restoreCluster(QueryRequest q, Region r, Xml x) {
        String id = identifier(q, "DBClusterIdentifier", 63);
        String snapId = q.required("SnapshotIdentifier");
        String engine = q.required("Engine");
        Snap s = r.clusterSnapshots.get(snapId);
        if (s == null) {
            throw snapshotNotFound(snapId, true);
        }
        if (!s.engine.equals(engine)) {
            throw AwsFault.badRequest("InvalidParameterCombination", "The engine " + engine
                    + " does not match the snapshot's engine " + s.engine);
        }
        Cluster c = newCluster(q, r, id, s.engine, s.engineVersion);
        c.restoredFromSnapshot = snapId;
        clusterXml(x, c, q.region());
    }

    private void restoreClusterToTime(QueryRequest q, Region r, Xml x) {
        Cluster src = cluster(r, q.required("SourceDBClusterIdentifier"));
        String id = identifier(q, "DBClusterIdentifier", 63);
        Instant at = pointInTime(q, "RestoreToTime", src.backupRetention, src.created);
        Cluster c = newCluster(q, r, id, src.engine, src.engineVersion);
        c.sourceCluster = src.id;
        c.restoreTime = at;
        clusterXml(x, c, q.region());
    }

    private Cluster newCluster(QueryRequest q, Region r, String id, String engine, String version) {
        if (r.clusters.containsKey(id)) {
            throw AwsFault.badRequest("DBClusterAlreadyExistsFault", "DB Cluster already exists");
        }
        Cluster c = new Cluster();
        c.id = id;
        c.engine = engine;
        c.engineVersion = version;
        if (q.get("DBSubnetGroupName") != null) {
            c.subnetGroup = q.get("DBSubnetGroupName");
        }
        List<String> sgs = q.list("VpcSecurityGroupIds.VpcSecurityGroupId");
        if (!sgs.isEmpty()) {
            c.securityGroups = List.copyOf(sgs);
        }
        c.parameterGroup = q.get("DBClusterParameterGroupName") != null ? q.get("DBClusterParameterGroupName")
                : "default." + engine + version.split("\\.")[0];
        c.created = clock.instant();
        c.availableAt = c.created.plus(restoreTime);
        c.tags.putAll(q.tags("Tags.Tag"));
        r.clusters.put(id, c);
        return c;
    }

    private void describeClusters(QueryRequest q, Region r, Xml x) {
        String wanted = q.get("DBClusterIdentifier");
        if (wanted != null) {
            cluster(r, wanted);
        }
        Page<Cluster> page = page(r.clusters.values().stream().filter(c -> wanted == null || wanted.equals(c.id))
                .toList(), q);
        x.start("DBClusters");
        page.items.forEach(c -> clusterXml(x, c, q.region()));
        x.end().el("Marker", page.marker);
    }

    private void clusterXml(Xml x, Cluster c, String region) {
        boolean available = status(c.availableAt).equals("available");
        x.start("DBCluster").el("BackupRetentionPeriod", c.backupRetention).el("DBClusterIdentifier", c.id)
                .el("DBClusterParameterGroup", c.parameterGroup).el("DBSubnetGroup", c.subnetGroup)
                .el("Status", status(c.availableAt));
        if (available) {
            x.el("EarliestRestorableTime", c.created).el("LatestRestorableTime", latestRestorable());
        }
        x.el("Endpoint", address(region, c.id, true))
                .el("ReaderEndpoint", address(region, c.id, true).replace(".cluster-", ".cluster-ro-"))
                .el("Engine", c.engine).el("EngineVersion", c.engineVersion).el("Port", 5432)
                .el("MasterUsername", "bitbucket").start("DBClusterMembers");
        for (int i = 0; i < c.members.size(); i++) {
            x.start("DBClusterMember").el("DBInstanceIdentifier", c.members.get(i)).el("IsClusterWriter", i == 0)
                    .el("DBClusterParameterGroupStatus", "in-sync").el("PromotionTier", 1).end();
        }
        x.end().start("VpcSecurityGroups");
        c.securityGroups.forEach(sg -> x.start("VpcSecurityGroupMembership").el("VpcSecurityGroupId", sg)
                .el("Status", "active").end());
        x.end().el("ClusterCreateTime", c.created).el("DBClusterArn", arn(region, "cluster", c.id))
                .rdsTags(c.tags).end();
    }

    private void addTags(QueryRequest q, Region r) {
        tagsOf(q, r).putAll(q.tags("Tags.Tag"));
    }

    private void listTags(QueryRequest q, Region r, Xml x) {
        x.rdsTags(tagsOf(q, r));
    }

    private Map<String, String> tagsOf(QueryRequest q, Region r) {
        String arn = q.required("ResourceName");
        String[] p = arn.split(":", 7);
        if (p.length != 7) {
            throw AwsFault.badRequest("InvalidParameterValue", "Invalid resource name: " + arn);
        }
        return switch (p[5]) {
            case "db" -> instance(r, p[6]).tags;
            case "cluster" -> cluster(r, p[6]).tags;
            case "snapshot" -> Optional.ofNullable(r.snapshots.get(p[6])).orElseThrow(
                    () -> snapshotNotFound(p[6], false)).tags;
            case "cluster-snapshot" -> Optional.ofNullable(r.clusterSnapshots.get(p[6])).orElseThrow(
                    () -> snapshotNotFound(p[6], true)).tags;
            default -> throw AwsFault.badRequest("InvalidParameterValue", "Unsupported resource type " + p[5]);
        };
    }

    // ---------------------------------------------------------------- helpers

    private record Page<T>(List<T> items, String marker) { }

    private static <T> Page<T> page(List<T> all, QueryRequest q) {
        Integer max = q.integer("MaxRecords");
        int size = max == null ? 100 : max;
        if (size < 20 || size > 100) {
            throw AwsFault.badRequest("InvalidParameterValue",
                    "Invalid value " + size + " for MaxRecords. Must be between 20 and 100");
        }
        int from = 0;
        String marker = q.get("Marker");
        if (marker != null && !marker.isEmpty()) {
            try {
                from = Integer.parseInt(new String(Base64.getDecoder().decode(marker), StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                throw AwsFault.badRequest("InvalidParameterValue", "Invalid marker: " + marker);
            }
        }
        int to = Math.min(all.size(), from + size);
        String next = to < all.size()
                ? Base64.getEncoder().encodeToString(String.valueOf(to).getBytes(StandardCharsets.UTF_8)) : null;
        return new Page<>(all.subList(Math.min(from, all.size()), to), next);
    }

    private String identifier(QueryRequest q, String param, int maxLength) {
        String id = q.required(param);
        if (id.length() > maxLength || !IDENTIFIER.matcher(id).matches()) {
            throw AwsFault.badRequest("InvalidParameterValue", "The parameter " + param + " is not a valid identifier."
                    + " Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens;"
                    + " and must not end with a hyphen or contain two consecutive hyphens.");
        }
        return id;
    }

    private String status(Instant availableAt) {
        return clock.instant().isBefore(availableAt) ? "creating" : "available";
    }

    private Instant latestRestorable() {
        return clock.instant().minus(restorableLag);
    }

    private static String address(String region, String id, boolean cluster) {
        return id + (cluster ? ".cluster-" : ".") + "c0ffee000000." + region + ".rds.amazonaws.com";
    }

    private static String arn(String region, String type, String id) {
        return "arn:aws:rds:" + region + ":" + AwsEndpoint.ACCOUNT_ID + ":" + type + ":" + id;
    }

    private static AwsFault snapshotNotFound(String id, boolean cluster) {
        return cluster ? AwsFault.notFound("DBClusterSnapshotNotFoundFault", "DBClusterSnapshot " + id
                + " not found.") : AwsFault.notFound("DBSnapshotNotFound", "DBSnapshot " + id + " not found.");
    }

    private static Db instance(Region r, String id) {
        Db d = r.instances.get(id);
        if (d == null) {
            throw AwsFault.notFound("DBInstanceNotFound", "DBInstance " + id + " not found.");
        }
        return d;
    }

    private static Cluster cluster(Region r, String id) {
        Cluster c = r.clusters.get(id);
        if (c == null) {
            throw AwsFault.notFound("DBClusterNotFoundFault", "DBCluster " + id + " not found.");
        }
        return c;
    }

    private Region region(String name) {
        return regions.computeIfAbsent(name, n -> new Region());
    }
}
