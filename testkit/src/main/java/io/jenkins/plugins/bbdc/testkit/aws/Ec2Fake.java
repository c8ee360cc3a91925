package io.jenkins.plugins.bbdc.testkit.aws;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * EC2 of the AWS endpoint: volumes, snapshots, instances and images per region, with the state machines of the real
 * service (snapshot pending → completed with progress, volume creating → available, attachment attaching → attached,
 * detaching → gone) advancing with the clock after configurable durations.
 */
public final class Ec2Fake {
    static final String NS = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private final Clock clock;
    private final Faults faults;
    private final Map<String, Region> regions = new LinkedHashMap<>();
    private final AtomicLong ids = new AtomicLong(0x1000);
    private Duration snapshotTime = Duration.ofMillis(100);
    private Duration volumeTime = Duration.ofMillis(50);
    private Duration attachTime = Duration.ofMillis(50);
    private int maxPendingPerVolume = 5;
    private int maxConcurrentCopies = 20;

    /** What a test can see of a snapshot. */
    public record SnapshotView(String id, String volumeId, String state, String progress, Map<String, String> tags,
                               boolean encrypted, String kmsKeyId, String copiedFrom, Instant startTime) { }

    /** What a test can see of a volume. {@code instanceId}/{@code device}/{@code attachmentState} null if detached. */
    public record VolumeView(String id, String availabilityZone, String state, int sizeGiB, String type, Integer iops,
                             Integer throughput, boolean encrypted, String kmsKeyId, String snapshotId,
                             String instanceId, String device, String attachmentState, Map<String, String> tags) { }

    private static final class Region {
        final Map<String, Snap> snapshots = new LinkedHashMap<>();
        final Map<String, Vol> volumes = new LinkedHashMap<>();
        final Map<String, Inst> instances = new LinkedHashMap<>();
        final Map<String, String> images = new LinkedHashMap<>(); // ami -> snapshot
    }

    private static final class Snap {
        String id;
        String volumeId;
        int size;
        String description = "";
        Instant start;
        Instant completesAt;
        boolean error;
        boolean encrypted;
        String kmsKeyId;
        String copiedFrom;
        boolean isCopy;
        final Map<String, String> tags = new LinkedHashMap<>();
    }

    private static final class Vol {
        String id;
        String az;
        int size;
        String type;
        Integer iops;
        Integer throughput;
        boolean encrypted;
        String kmsKeyId;
        String snapshotId;
        Instant created;
        Instant availableAt;
        String instanceId;
        String device;
        Instant attachedAt;
        Instant attachReadyAt;
        Instant detachDoneAt;
        final Map<String, String> tags = new LinkedHashMap<>();
    }

    private static final class Inst {
        String id;
        String az;
        String rootDevice;
        final Map<String, String> tags = new LinkedHashMap<>();
    }

    Ec2Fake(Clock clock, Faults faults) {
        this.clock = clock;
        this.faults = faults;
    }

    // ---------------------------------------------------------------- control API

    /** How long a snapshot (or copy) stays pending, a volume creating and an attachment/detachment in progress. */
    public synchronized Ec2Fake timings(Duration snapshot, Duration volumeCreation, Duration attachment) {
        this.snapshotTime = snapshot;
        this.volumeTime = volumeCreation;
        this.attachTime = attachment;
        return this;
    }

    /**
     * Service limits: pending snapshots per volume (ConcurrentSnapshotLimitExceeded above it) and concurrent
     * snapshot copies per destination region (ResourceLimitExceeded above it).
     */
    public synchronized Ec2Fake limits(int maxPendingSnapshotsPerVolume, int maxConcurrentSnapshotCopies) {
        this.maxPendingPerVolume = maxPendingSnapshotsPerVolume;
        this.maxConcurrentCopies = maxConcurrentSnapshotCopies;
        return this;
    }

    /**
     * A running instance in {@code availabilityZone} with one attached, available volume per device (size in GiB).
     * The root device is {@code rootDevice}; it should be one of the devices.
     */
    public synchronized String addInstance(String region, String availabilityZone, String rootDevice,
                                           Map<String, Integer> devicesGiB) {
        Region r = region(region);
        Inst i = new Inst();
        i.id = "i-" + hex();
        i.az = availabilityZone;
        i.rootDevice = rootDevice;
        r.instances.put(i.id, i);
        Instant now = clock.instant();
        devicesGiB.forEach((dev, size) -> {
            Vol v = newVolume(r, availabilityZone, size, "gp3", now);
            v.availableAt = now;
            v.instanceId = i.id;
            v.device = dev;
            v.attachedAt = now;
            v.attachReadyAt = now;
        });
        return i.id;
    }

    /** An available, unattached volume. */
    public synchronized String addVolume(String region, String availabilityZone, int sizeGiB, String type) {
        Instant now = clock.instant();
        Vol v = newVolume(region(region), availabilityZone, sizeGiB, type, now);
        v.availableAt = now;
        return v.id;
    }

    /** The id of the volume attached to {@code instanceId} at {@code device}. */
    public synchronized String volumeAt(String region, String instanceId, String device) {
        return region(region).volumes.values().stream()
                .filter(v -> instanceId.equals(v.instanceId) && device.equals(v.device)).map(v -> v.id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("nothing attached at " + device + " of " + instanceId));
    }

    /** Registers an image (AMI) backed by the snapshot, so that deleting it fails with InvalidSnapshot.InUse. */
    public synchronized String registerImage(String region, String snapshotId) {
        String ami = "ami-" + hex();
        region(region).images.put(ami, snapshotId);
        return ami;
    }

    public synchronized void deregisterImage(String region, String imageId) {
        region(region).images.remove(imageId);
    }

    /** The snapshot goes to state {@code error} (as when EBS fails to complete it). */
    public synchronized void failSnapshot(String region, String snapshotId) {
        Snap s = region(region).snapshots.get(snapshotId);
        if (s != null) {
            s.error = true;
        }
    }

    /** {@code count} completed snapshots of {@code volumeId} with these tags (for pagination and retention tests). */
    public synchronized List<String> seedSnapshots(String region, String volumeId, int count, Map<String, String> tags) {
        return seedSnapshots(region, volumeId, count, n -> tags);
    }

    /** As above, the n-th snapshot tagged {@code tags.apply(n)}; created one second apart ending now. */
    public synchronized List<String> seedSnapshots(String region, String volumeId, int count,
                                                  java.util.function.IntFunction<Map<String, String>> tags) {
        List<String> out = new ArrayList<>();
        Instant now = clock.instant();
        for (int n = 0; n < count; n++) {
            Snap s = new Snap();
            s.id = "snap-" + hex();
            s.volumeId = volumeId;
            s.size = 8;
            s.start = now.minusSeconds(count - n);
            s.completesAt = s.start;
            s.tags.putAll(tags.apply(n));
            region(region).snapshots.put(s.id, s);
            out.add(s.id);
        }
        return out;
    }

    public synchronized Optional<SnapshotView> snapshot(String region, String snapshotId) {
        Snap s = region(region).snapshots.get(snapshotId);
        return Optional.ofNullable(s).map(this::view);
    }

    public synchronized List<SnapshotView> snapshots(String region) {
        return region(region).snapshots.values().stream().map(this::view).toList();
    }

    public synchronized Optional<VolumeView> volume(String region, String volumeId) {
        Vol v = region(region).volumes.get(volumeId);
        return Optional.ofNullable(v).map(this::view);
    }

    public synchronized List<VolumeView> volumes(String region) {
        return region(region).volumes.values().stream().map(this::view).toList();
    }

    private SnapshotView view(Snap s) {
        return new SnapshotView(s.id, s.volumeId, state(s), progress(s), Map.copyOf(s.tags), s.encrypted, s.kmsKeyId,
                s.copiedFrom, s.start);
    }

    private VolumeView view(Vol v) {
        settle(v);
        return new VolumeView(v.id, v.az, volumeState(v), v.size, v.type, v.iops, v.throughput, v.encrypted,
                v.kmsKeyId, v.snapshotId, v.instanceId, v.device, v.instanceId == null ? null : attachmentState(v),
                Map.copyOf(v.tags));
    }

    // ---------------------------------------------------------------- protocol

    synchronized String handle(QueryRequest q, String requestId) {
        Region r = region(q.region());
        return switch (q.action()) {
            case "CreateSnapshot" -> createSnapshot(q, r, requestId);
            case "CreateSnapshots" -> createSnapshots(q, r, requestId);
            case "DescribeSnapshots" -> describeSnapshots(q, r, requestId);
            case "DeleteSnapshot" -> deleteSnapshot(q, r, requestId);
            case "CopySnapshot" -> copySnapshot(q, r, requestId);
            case "CreateVolume" -> createVolume(q, r, requestId);
            case "DescribeVolumes" -> describeVolumes(q, r, requestId);
            case "AttachVolume" -> attachVolume(q, r, requestId);
            case "DetachVolume" -> detachVolume(q, r, requestId);
            case "CreateTags" -> createTags(q, r, requestId);
            case "DescribeInstances" -> describeInstances(q, r, requestId);
            default -> throw AwsFault.badRequest("InvalidAction",
                    "The action " + q.action() + " is not valid for this web service.");
        };
    }

    private String createSnapshot(QueryRequest q, Region r, String requestId) {
        Vol v = volume(r, q.required("VolumeId"));
        Map<String, String> tags = tagSpecs(q, "snapshot");
        checkSnapshotAllowed(r, v);
        Snap s = newSnapshot(r, v, q.get("Description"), tags);
        Xml x = new Xml().start("CreateSnapshotResponse", NS).el("requestId", requestId);
        snapshotBody(x, s, "status");
        return x.end().toString();
    }

    private String createSnapshots(QueryRequest q, Region r, String requestId) {
        String instanceId = q.required("InstanceSpecification.InstanceId");
        Inst inst = instance(r, instanceId);
        boolean excludeBoot = q.bool("InstanceSpecification.ExcludeBootVolume", false);
        Set<String> excluded = new HashSet<>(q.list("InstanceSpecification.ExcludeDataVolumeId"));
        List<Vol> attached = r.volumes.values().stream().filter(v -> instanceId.equals(v.instanceId)).toList();
        for (String ex : excluded) {
            Vol v = volume(r, ex);
            if (!instanceId.equals(v.instanceId)) {
                throw AwsFault.badRequest("InvalidParameterValue",
                        "The volume " + ex + " is not attached to instance " + instanceId);
            }
            if (inst.rootDevice.equals(v.device)) {
                throw AwsFault.badRequest("InvalidParameterValue",
                        "The boot volume cannot be excluded using ExcludeDataVolumeIds; use ExcludeBootVolume");
            }
        }
        List<Vol> chosen = attached.stream()
                .filter(v -> !(excludeBoot && inst.rootDevice.equals(v.device)))
                .filter(v -> !excluded.contains(v.id)).toList();
        if (chosen.isEmpty()) {
            throw AwsFault.badRequest("InvalidParameterValue", "There are no volumes to snapshot on " + instanceId);
        }
        Map<String, String> tags = tagSpecs(q, "snapshot");
        for (Vol v : chosen) {
            checkSnapshotAllowed(r, v);
        }
        boolean copyVolumeTags = "volume".equals(q.get("CopyTagsFromSource"));
        Xml x = new Xml().start("CreateSnapshotsResponse", NS).el("requestId", requestId).start("snapshotSet");
        for (Vol v : chosen) {
            Map<String, String> t = new LinkedHashMap<>();
            if (copyVolumeTags) {
                t.putAll(v.tags);
            }
            t.putAll(tags);
            Snap s = newSnapshot(r, v, q.get("Description"), t);
            x.start("item").el("description", s.description);
            x.ec2Tags(s.tags).el("encrypted", s.encrypted).el("volumeId", s.volumeId).el("state", state(s))
                    .el("volumeSize", s.size).el("startTime", s.start).el("progress", progress(s))
                    .el("ownerId", AwsEndpoint.ACCOUNT_ID).el("snapshotId", s.id).end();
        }
        return x.end().end().toString();
    }

    private void checkSnapshotAllowed(Region r, Vol v) {
        if (faults.snapshotRateNow()) {
            throw AwsFault.badRequest("SnapshotCreationPerVolumeRateExceeded", "The maximum per volume CreateSnapshot"
                    + " request rate has been exceeded. Use an increasing or variable sleep interval between requests.");
        }
        long pending = r.snapshots.values().stream()
                .filter(s -> v.id.equals(s.volumeId) && !s.isCopy && state(s).equals("pending")).count();
        if (pending >= maxPendingPerVolume) {
            throw AwsFault.badRequest("ConcurrentSnapshotLimitExceeded",
                    "Maximum number of active snapshots (" + maxPendingPerVolume + ") for volume " + v.id
                            + " has been reached.");
        }
    }

    private Snap newSnapshot(Region r, Vol v, String description, Map<String, String> tags) {
        Snap s = new Snap();
        s.id = "snap-" + hex();
        s.volumeId = v.id;
        s.size = v.size;
        s.description = description == null ? "" : description;
        s.start = clock.instant();
        s.completesAt = s.start.plus(snapshotTime);
        s.encrypted = v.encrypted;
        s.kmsKeyId = v.kmsKeyId;
        s.tags.putAll(tags);
        r.snapshots.put(s.id, s);
        return s;
    }

    private String describeSnapshots(QueryRequest q, Region r, String requestId) {
        List<String> wanted = q.list("SnapshotId");
        Integer max = q.integer("MaxResults");
        if (max != null && !wanted.isEmpty()) {
            throw AwsFault.badRequest("InvalidParameterCombination",
                    "The parameter snapshotIdSet cannot be used with the parameter maxResults");
        }
        for (String id : wanted) {
            snapshot(r, id);
        }
        List<String> owners = q.list("Owner");
        Predicate<Snap> filter = s -> wanted.isEmpty() || wanted.contains(s.id);
        if (!owners.isEmpty()) {
            boolean mine = owners.contains("self") || owners.contains(AwsEndpoint.ACCOUNT_ID);
            filter = filter.and(s -> mine);
        }
        for (Map<String, String> f : q.structs("Filter")) {
            filter = filter.and(snapshotFilter(f.get("Name"), QueryRequest.subList(f, "Value")));
        }
        List<Snap> all = r.snapshots.values().stream().filter(filter).toList();
        Page<Snap> page = page(all, max, q.get("NextToken"));
        Xml x = new Xml().start("DescribeSnapshotsResponse", NS).el("requestId", requestId).start("snapshotSet");
        for (Snap s : page.items) {
            x.start("item");
            snapshotBody(x, s, "status");
            x.end();
        }
        x.end().el("nextToken", page.next);
        return x.end().toString();
    }

    private Predicate<Snap> snapshotFilter(String name, List<String> values) {
        Predicate<String> any = v -> values.stream().anyMatch(p -> QueryRequest.globMatches(p, v));
        if (name == null) {
            throw AwsFault.badRequest("InvalidParameterValue", "A filter needs a Name");
        }
        if (name.startsWith("tag:")) {
            String key = name.substring(4);
            return s -> s.tags.containsKey(key) && any.test(s.tags.get(key));
        }
        return switch (name) {
            case "tag-key" -> s -> s.tags.keySet().stream().anyMatch(any);
            case "tag-value" -> s -> s.tags.values().stream().anyMatch(any);
            case "snapshot-id" -> s -> any.test(s.id);
            case "volume-id" -> s -> any.test(s.volumeId);
            case "status" -> s -> any.test(state(s));
            case "owner-id" -> s -> any.test(AwsEndpoint.ACCOUNT_ID);
            case "description" -> s -> any.test(s.description);
            case "encrypted" -> s -> any.test(String.valueOf(s.encrypted));
            default -> throw AwsFault.badRequest("InvalidParameterValue", "The filter '" + name + "' is invalid");
        };
    }

    private void snapshotBody(Xml x, Snap s, String stateElement) {
        x.el("snapshotId", s.id).el("volumeId", s.volumeId).el(stateElement, state(s))
                .el("startTime", s.start).el("progress", progress(s)).el("ownerId", AwsEndpoint.ACCOUNT_ID)
                .el("description", s.description).el("volumeSize", s.size).el("encrypted", s.encrypted)
                .el("kmsKeyId", s.kmsKeyId).el("storageTier", "standard");
        if (!s.tags.isEmpty()) {
            x.ec2Tags(s.tags);
        }
    }

    private String deleteSnapshot(QueryRequest q, Region r, String requestId) {
        Snap s = snapshot(r, q.required("SnapshotId"));
        for (Map.Entry<String, String> image : r.images.entrySet()) {
            if (image.getValue().equals(s.id)) {
                throw AwsFault.badRequest("InvalidSnapshot.InUse",
                        "The snapshot " + s.id + " is currently in use by " + image.getKey());
            }
        }
        r.snapshots.remove(s.id);
        return new Xml().start("DeleteSnapshotResponse", NS).el("requestId", requestId).el("return", true).end()
                .toString();
    }

    private String copySnapshot(QueryRequest q, Region r, String requestId) {
        String sourceRegion = q.required("SourceRegion");
        Snap src = snapshot(region(sourceRegion), q.required("SourceSnapshotId"));
        if (!state(src).equals("completed")) {
            throw AwsFault.badRequest("IncorrectState", "Snapshot " + src.id + " is not in the completed state");
        }
        Map<String, String> tags = tagSpecs(q, "snapshot");
        long copying = r.snapshots.values().stream().filter(s -> s.isCopy && state(s).equals("pending")).count();
        if (copying >= maxConcurrentCopies) {
            throw AwsFault.badRequest("ResourceLimitExceeded", "Too many snapshot copies in progress. The limit is "
                    + maxConcurrentCopies + " for this destination region.");
        }
        boolean encrypt = src.encrypted || q.bool("Encrypted", false);
        String kms = q.get("KmsKeyId");
        if (kms != null && !encrypt) {
            throw AwsFault.badRequest("InvalidParameterDependency",
                    "The parameter KmsKeyId requires the parameter Encrypted to be set.");
        }
        Snap c = new Snap();
        c.id = "snap-" + hex();
        c.volumeId = "vol-ffffffff"; // as AWS reports for copies
        c.size = src.size;
        c.description = q.get("Description") != null ? q.get("Description")
                : "[Copied " + src.id + " from " + sourceRegion + "]";
        c.start = clock.instant();
        c.completesAt = c.start.plus(snapshotTime);
        c.encrypted = encrypt;
        c.kmsKeyId = kms != null ? kms : (encrypt ? (src.kmsKeyId != null ? src.kmsKeyId : defaultKey(q.region()))
                : null);
        c.copiedFrom = sourceRegion + "/" + src.id;
        c.isCopy = true;
        c.tags.putAll(tags);
        r.snapshots.put(c.id, c);
        Xml x = new Xml().start("CopySnapshotResponse", NS).el("requestId", requestId);
        if (!c.tags.isEmpty()) {
            x.ec2Tags(c.tags);
        }
        return x.el("snapshotId", c.id).end().toString();
    }

    private String createVolume(QueryRequest q, Region r, String requestId) {
        String az = q.required("AvailabilityZone");
        if (!az.startsWith(q.region()) || az.length() != q.region().length() + 1) {
            throw AwsFault.badRequest("InvalidParameterValue", "Invalid availability zone: [" + az + "]");
        }
        Snap snap = q.get("SnapshotId") == null ? null : snapshot(r, q.get("SnapshotId"));
        if (snap != null && !state(snap).equals("completed")) {
            throw AwsFault.badRequest("IncorrectState", "Snapshot is in invalid state - " + state(snap));
        }
        Integer size = q.integer("Size");
        if (size == null && snap == null) {
            throw AwsFault.badRequest("MissingParameter", "The request must contain the parameter size or snapshotId");
        }
        if (size != null && snap != null && size < snap.size) {
            throw AwsFault.badRequest("InvalidParameterValue", "Volume of " + size
                    + "GiB is smaller than snapshot '" + snap.id + "', expect size >= " + snap.size + "GiB");
        }
        String type = q.get("VolumeType") == null ? "gp2" : q.get("VolumeType");
        Integer iops = q.integer("Iops");
        Integer throughput = q.integer("Throughput");
        switch (type) {
            case "io1", "io2" -> {
                if (iops == null) {
                    throw AwsFault.badRequest("InvalidParameterCombination",
                            "The parameter iops must be specified for " + type + " volumes.");
                }
            }
            case "gp3" -> {
                if (iops != null && (iops < 3000 || iops > 80000)) {
                    throw AwsFault.badRequest("InvalidParameterValue", "Iops must be between 3000 and 80000 for gp3");
                }
            }
            case "gp2", "st1", "sc1", "standard" -> {
                if (iops != null) {
                    throw AwsFault.badRequest("InvalidParameterCombination",
                            "The parameter iops is not supported for " + type + " volumes.");
                }
            }
            default -> throw AwsFault.badRequest("InvalidParameterValue", "Invalid volume type: " + type);
        }
        if (throughput != null && !type.equals("gp3")) {
            throw AwsFault.badRequest("InvalidParameterCombination",
                    "The parameter throughput is not supported for " + type + " volumes.");
        }
        boolean encrypted = q.bool("Encrypted", false) || (snap != null && snap.encrypted);
        String kms = q.get("KmsKeyId");
        if (kms != null && !q.bool("Encrypted", false)) {
            throw AwsFault.badRequest("InvalidParameterDependency",
                    "The parameter KmsKeyId requires the parameter Encrypted to be set.");
        }
        Map<String, String> tags = tagSpecs(q, "volume");
        Vol v = newVolume(r, az, size != null ? size : snap.size, type, clock.instant());
        v.iops = type.equals("gp3") && iops == null ? Integer.valueOf(3000) : iops;
        v.throughput = type.equals("gp3") && throughput == null ? Integer.valueOf(125) : throughput;
        v.encrypted = encrypted;
        v.kmsKeyId = kms != null ? kms : encrypted ? (snap != null && snap.kmsKeyId != null ? snap.kmsKeyId
                : defaultKey(q.region())) : null;
        v.snapshotId = snap == null ? "" : snap.id;
        v.tags.putAll(tags);
        Xml x = new Xml().start("CreateVolumeResponse", NS).el("requestId", requestId);
        volumeBody(x, v);
        return x.end().toString();
    }

    private Vol newVolume(Region r, String az, int size, String type, Instant now) {
        Vol v = new Vol();
        v.id = "vol-" + hex();
        v.az = az;
        v.size = size;
        v.type = type;
        if (type.equals("gp3")) {
            v.iops = 3000;
            v.throughput = 125;
        }
        v.created = now;
        v.availableAt = now.plus(volumeTime);
        v.snapshotId = "";
        r.volumes.put(v.id, v);
        return v;
    }

    private String describeVolumes(QueryRequest q, Region r, String requestId) {
        List<String> wanted = q.list("VolumeId");
        for (String id : wanted) {
            volume(r, id);
        }
        Predicate<Vol> filter = v -> wanted.isEmpty() || wanted.contains(v.id);
        for (Map<String, String> f : q.structs("Filter")) {
            filter = filter.and(volumeFilter(f.get("Name"), QueryRequest.subList(f, "Value")));
        }
        r.volumes.values().forEach(this::settle);
        List<Vol> all = r.volumes.values().stream().filter(filter).toList();
        Page<Vol> page = page(all, q.integer("MaxResults"), q.get("NextToken"));
        Xml x = new Xml().start("DescribeVolumesResponse", NS).el("requestId", requestId).start("volumeSet");
        for (Vol v : page.items) {
            x.start("item");
            volumeBody(x, v);
            x.end();
        }
        return x.end().el("nextToken", page.next).end().toString();
    }

    private Predicate<Vol> volumeFilter(String name, List<String> values) {
        Predicate<String> any = v -> values.stream().anyMatch(p -> QueryRequest.globMatches(p, v));
        if (name != null && name.startsWith("tag:")) {
            String key = name.substring(4);
            return v -> v.tags.containsKey(key) && any.test(v.tags.get(key));
        }
        return switch (String.valueOf(name)) {
            case "tag-key" -> v -> v.tags.keySet().stream().anyMatch(any);
            case "volume-id" -> v -> any.test(v.id);
            case "status" -> v -> any.test(volumeState(v));
            case "availability-zone" -> v -> any.test(v.az);
            case "snapshot-id" -> v -> any.test(v.snapshotId);
            case "attachment.instance-id" -> v -> any.test(v.instanceId);
            case "attachment.device" -> v -> any.test(v.device);
            case "attachment.status" -> v -> v.instanceId != null && any.test(attachmentState(v));
            default -> throw AwsFault.badRequest("InvalidParameterValue", "The filter '" + name + "' is invalid");
        };
    }

    private void volumeBody(Xml x, Vol v) {
        x.el("volumeId", v.id).el("size", v.size).el("snapshotId", v.snapshotId).el("availabilityZone", v.az)
                .el("status", volumeState(v)).el("createTime", v.created);
        x.start("attachmentSet");
        if (v.instanceId != null) {
            x.start("item").el("volumeId", v.id).el("instanceId", v.instanceId).el("device", v.device)
                    .el("status", attachmentState(v)).el("attachTime", v.attachedAt)
                    .el("deleteOnTermination", false).end();
        }
        x.end();
        if (!v.tags.isEmpty()) {
            x.ec2Tags(v.tags);
        }
        x.el("volumeType", v.type).el("iops", v.iops).el("throughput", v.throughput).el("encrypted", v.encrypted)
                .el("kmsKeyId", v.kmsKeyId).el("multiAttachEnabled", false);
    }

    private String attachVolume(QueryRequest q, Region r, String requestId) {
        Vol v = volume(r, q.required("VolumeId"));
        Inst inst = instance(r, q.required("InstanceId"));
        String device = q.required("Device");
        settle(v);
        if (volumeState(v).equals("creating")) {
            throw AwsFault.badRequest("IncorrectState", "Volume '" + v.id + "' is in the 'creating' state.");
        }
        if (v.instanceId != null) {
            throw AwsFault.badRequest("VolumeInUse", v.id + " is already attached to an instance");
        }
        if (!v.az.equals(inst.az)) {
            throw AwsFault.badRequest("InvalidVolume.ZoneMismatch", "The volume '" + v.id
                    + "' is not in the same availability zone as instance '" + inst.id + "'");
        }
        for (Vol other : r.volumes.values()) {
            settle(other);
            if (inst.id.equals(other.instanceId) && device.equals(other.device)) {
                throw AwsFault.badRequest("InvalidParameterValue",
                        "Invalid value '" + device + "' for unixDevice. Attachment point " + device
                                + " is already in use");
            }
        }
        Instant now = clock.instant();
        v.instanceId = inst.id;
        v.device = device;
        v.attachedAt = now;
        v.attachReadyAt = now.plus(attachTime);
        v.detachDoneAt = null;
        return new Xml().start("AttachVolumeResponse", NS).el("requestId", requestId).el("volumeId", v.id)
                .el("instanceId", inst.id).el("device", device).el("status", attachmentState(v))
                .el("attachTime", now).end().toString();
    }

    private String detachVolume(QueryRequest q, Region r, String requestId) {
        Vol v = volume(r, q.required("VolumeId"));
        settle(v);
        if (v.instanceId == null) {
            throw AwsFault.badRequest("IncorrectState", "Volume '" + v.id + "' is in the 'available' state.");
        }
        if (q.get("InstanceId") != null && !q.get("InstanceId").equals(v.instanceId)
                || q.get("Device") != null && !q.get("Device").equals(v.device)) {
            throw AwsFault.badRequest("InvalidAttachment.NotFound", "The volume " + v.id
                    + " is not attached to the given instance and device");
        }
        if (v.detachDoneAt == null) {
            v.detachDoneAt = clock.instant().plus(attachTime);
        }
        return new Xml().start("DetachVolumeResponse", NS).el("requestId", requestId).el("volumeId", v.id)
                .el("instanceId", v.instanceId).el("device", v.device).el("status", "detaching")
                .el("attachTime", v.attachedAt).end().toString();
    }

    private String createTags(QueryRequest q, Region r, String requestId) {
        List<String> resources = q.list("ResourceId");
        if (resources.isEmpty()) {
            throw AwsFault.badRequest("MissingParameter", "The request must contain the parameter resourceIdSet");
        }
        Map<String, String> tags = q.tags("Tag");
        checkTagKeys(tags);
        for (String id : resources) {
            Map<String, String> target;
            if (id.startsWith("snap-")) {
                target = snapshot(r, id).tags;
            } else if (id.startsWith("vol-")) {
                target = volume(r, id).tags;
            } else if (id.startsWith("i-")) {
                target = instance(r, id).tags;
            } else {
                throw AwsFault.badRequest("InvalidID", "The ID '" + id + "' is not valid");
            }
            target.putAll(tags);
        }
        return new Xml().start("CreateTagsResponse", NS).el("requestId", requestId).el("return", true).end()
                .toString();
    }

    private String describeInstances(QueryRequest q, Region r, String requestId) {
        List<String> wanted = q.list("InstanceId");
        for (String id : wanted) {
            instance(r, id);
        }
        Xml x = new Xml().start("DescribeInstancesResponse", NS).el("requestId", requestId).start("reservationSet");
        for (Inst i : r.instances.values()) {
            if (!wanted.isEmpty() && !wanted.contains(i.id)) {
                continue;
            }
            x.start("item").el("reservationId", "r-" + i.id.substring(2)).el("ownerId", AwsEndpoint.ACCOUNT_ID)
                    .start("instancesSet").start("item").el("instanceId", i.id).el("imageId", "ami-00000001")
                    .start("instanceState").el("code", 16).el("name", "running").end()
                    .el("instanceType", "m6i.large")
                    .start("placement").el("availabilityZone", i.az).end()
                    .el("rootDeviceType", "ebs").el("rootDeviceName", i.rootDevice).start("blockDeviceMapping");
            for (Vol v : r.volumes.values()) {
                settle(v);
                if (i.id.equals(v.instanceId)) {
                    x.start("item").el("deviceName", v.device).start("ebs").el("volumeId", v.id)
                            .el("status", attachmentState(v)).el("attachTime", v.attachedAt)
                            .el("deleteOnTermination", false).end().end();
                }
            }
            x.end();
            if (!i.tags.isEmpty()) {
                x.ec2Tags(i.tags);
            }
            x.end().end().end();
        }
        return x.end().end().toString();
    }

    // ---------------------------------------------------------------- helpers

    private Map<String, String> tagSpecs(QueryRequest q, String resourceType) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (Map<String, String> spec : q.structs("TagSpecification")) {
            String type = spec.get("ResourceType");
            if (!resourceType.equals(type)) {
                throw AwsFault.badRequest("InvalidParameterValue", "'" + type + "' is not a valid taggable resource"
                        + " type for this operation.");
            }
            for (int i = 1; spec.containsKey("Tag." + i + ".Key"); i++) {
                tags.put(spec.get("Tag." + i + ".Key"), spec.getOrDefault("Tag." + i + ".Value", ""));
            }
        }
        checkTagKeys(tags);
        return tags;
    }

    private static void checkTagKeys(Map<String, String> tags) {
        for (String k : tags.keySet()) {
            if (k.toLowerCase(java.util.Locale.ROOT).startsWith("aws:")) {
                throw AwsFault.badRequest("InvalidParameterValue", "Tag keys starting with 'aws:' are reserved");
            }
            if (k.length() > 128) {
                throw AwsFault.badRequest("InvalidParameterValue", "Tag key exceeds the maximum length of 128");
            }
        }
    }

    private record Page<T>(List<T> items, String next) { }

    private static <T> Page<T> page(List<T> all, Integer max, String token) {
        int from = 0;
        if (token != null && !token.isEmpty()) {
            try {
                from = Integer.parseInt(new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8)
                        .substring("offset:".length()));
            } catch (RuntimeException e) {
                throw AwsFault.badRequest("InvalidParameterValue", "Invalid NextToken: " + token);
            }
        }
        if (max == null) {
            return new Page<>(all.subList(Math.min(from, all.size()), all.size()), null);
        }
        if (max < 5 || max > 1000) {
            throw AwsFault.badRequest("InvalidParameterValue",
                    "Value ( " + max + " ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.");
        }
        int to = Math.min(all.size(), from + max);
        String next = to < all.size() ? Base64.getEncoder().encodeToString(("offset:" + to)
                .getBytes(StandardCharsets.UTF_8)) : null;
        return new Page<>(all.subList(Math.min(from, all.size()), to), next);
    }

    private String state(Snap s) {
        if (s.error) {
            return "error";
        }
        return clock.instant().isBefore(s.completesAt) ? "pending" : "completed";
    }

    private String progress(Snap s) {
        if (!state(s).equals("pending")) {
            return state(s).equals("completed") ? "100%" : "0%";
        }
        long total = Math.max(1, Duration.between(s.start, s.completesAt).toMillis());
        long done = Duration.between(s.start, clock.instant()).toMillis();
        return Math.max(0, Math.min(99, done * 100 / total)) + "%";
    }

    /** Applies finished detachments. */
    private void settle(Vol v) {
        if (v.detachDoneAt != null && !clock.instant().isBefore(v.detachDoneAt)) {
            v.instanceId = null;
            v.device = null;
            v.attachedAt = null;
            v.attachReadyAt = null;
            v.detachDoneAt = null;
        }
    }

    private String volumeState(Vol v) {
        if (clock.instant().isBefore(v.availableAt)) {
            return "creating";
        }
        return v.instanceId != null ? "in-use" : "available";
    }

    private String attachmentState(Vol v) {
        if (v.detachDoneAt != null) {
            return "detaching";
        }
        return clock.instant().isBefore(v.attachReadyAt) ? "attaching" : "attached";
    }

    private Region region(String name) {
        return regions.computeIfAbsent(name, n -> new Region());
    }

    private static Snap snapshot(Region r, String id) {
        Snap s = r.snapshots.get(id);
        if (s == null) {
            throw AwsFault.badRequest("InvalidSnapshot.NotFound", "The snapshot '" + id + "' does not exist.");
        }
        return s;
    }

    private static Vol volume(Region r, String id) {
        Vol v = r.volumes.get(id);
        if (v == null) {
            throw AwsFault.badRequest("InvalidVolume.NotFound", "The volume '" + id + "' does not exist.");
        }
        return v;
    }

    private static Inst instance(Region r, String id) {
        Inst i = r.instances.get(id);
        if (i == null) {
            throw AwsFault.badRequest("InvalidInstanceID.NotFound", "The instance ID '" + id + "' does not exist");
        }
        return i;
    }

    private static String defaultKey(String region) {
        return "arn:aws:kms:" + region + ":" + AwsEndpoint.ACCOUNT_ID + ":alias/aws/ebs";
    }

    private String hex() {
        return String.format("%017x", ids.incrementAndGet());
    }
}
