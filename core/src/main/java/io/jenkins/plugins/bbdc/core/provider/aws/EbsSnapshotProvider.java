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
import io.jenkins.plugins.bbdc.core.provider.SnapshotInUseException;
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
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateSnapshotResponse;
import software.amazon.awssdk.services.ec2.model.CreateSnapshotsResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSnapshotsResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceBlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.SnapshotInfo;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeAttachment;

/**
 * EBS snapshots of one volume ({@code CreateSnapshot}) or of every data volume of an EC2 instance in one
 * crash-consistent call ({@code CreateSnapshots}). Capture returns as soon as EBS has taken the point in time;
 * {@link #awaitDurable} polls until every snapshot is completed. Snapshots are tagged with the restore point,
 * instance, role, device and a Name, so {@link #list} rebuilds the catalog from EC2 alone.
 *
 * <p>An optional {@code fsfreeze} around the capture is the fsfreeze wrapper's job: this provider's
 * {@code capture} does nothing but the snapshot call, so the freeze window is one API round trip.
 */
public final class EbsSnapshotProvider implements SnapshotProvider {
    private static final Pattern IMAGE = Pattern.compile("ami-[0-9a-f]+");

    private final EbsConfig config;
    private final AwsClientFactory clients;
    private final Random random = new Random();

    public EbsSnapshotProvider(EbsConfig config, AwsClientFactory clients) {
        List<String> problems = config.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("EBS provider: " + String.join("; ", problems));
        }
        this.config = config;
        this.clients = clients;
    }

    /** The volumes a capture covers, resolved before the instant. */
    record Prepared(String availabilityZone, String ec2Instance, List<EbsSnapshotSet.Member> volumes)
            implements PreparedCapture {
        @Override
        public void close() {
            // holds no resources
        }
    }

    @Override
    public String kind() {
        return "ebs";
    }

    @Override
    public Set<ProviderCapability> capabilities() {
        return EnumSet.of(ProviderCapability.ZERO_DOWNTIME, ProviderCapability.LOCKED, ProviderCapability.COPY,
                ProviderCapability.RESTORE, ProviderCapability.RESTORE_TO_SCRATCH);
    }

    public EbsConfig config() {
        return config;
    }

    AwsCalls calls(ProviderContext ctx, String operation) {
        return new AwsCalls(clients.settings().retry(), ctx, operation,
                AwsTags.principal(clients.settings().credentials()), random);
    }

    Ec2Client ec2(String region) {
        return clients.ec2(region);
    }

    @Override
    public List<String> plan(ProviderContext ctx) {
        String region = clients.region();
        List<String> lines = new ArrayList<>();
        if (config.instanceId() != null) {
            lines.add("ec2:DescribeInstances " + config.instanceId() + " in " + region + " (resolve its data volumes)");
            lines.add("ec2:CreateSnapshots instance " + config.instanceId() + " — one crash-consistent point in time"
                    + " for all its volumes" + (config.excludeBootVolume() ? ", boot volume excluded" : "")
                    + (config.excludeVolumeIds().isEmpty() ? "" : ", excluding " + config.excludeVolumeIds()));
        } else {
            lines.add("ec2:DescribeVolumes " + config.volumeId() + " in " + region);
            lines.add("ec2:CreateSnapshot " + config.volumeId());
        }
        lines.add("  tagged Name, " + AwsTags.RESTORE_POINT + ", " + AwsTags.INSTANCE + "=" + ctx.instanceId() + ", "
                + AwsTags.ROLE + "=" + ctx.role() + ", " + AwsTags.DEVICE);
        lines.add("ec2:DescribeSnapshots until every snapshot is completed (every "
                + clients.settings().retry().pollInterval().toSeconds() + " s, at most " + config.durableTimeout()
                + ")");
        return lines;
    }

    @Override
    public CheckReport check(ProviderContext ctx) throws InterruptedException {
        CheckReport.Builder report = new CheckReport.Builder();
        try {
            Prepared p = resolve(ctx);
            if (p.volumes().isEmpty()) {
                report.error("instance " + config.instanceId() + " has no data volume to snapshot");
            }
            calls(ctx, "check").read("ec2:DescribeSnapshots", () -> ec2(clients.region()).describeSnapshots(
                    r -> r.ownerIds("self").maxResults(5)));
        } catch (ProviderException e) {
            report.error(e.getMessage());
        }
        return report.build();
    }

    @Override
    public PreparedCapture prepare(ProviderContext ctx) throws ProviderException, InterruptedException {
        Prepared p = resolve(ctx);
        if (p.volumes().isEmpty()) {
            throw new ProviderException("EC2 instance " + config.instanceId() + " has no data volume to snapshot"
                    + " (boot volume excluded: " + config.excludeBootVolume() + ", excluded: "
                    + config.excludeVolumeIds() + ")");
        }
        return p;
    }

    private Prepared resolve(ProviderContext ctx) throws ProviderException, InterruptedException {
        Ec2Client ec2 = ec2(clients.region());
        AwsCalls aws = calls(ctx, "prepare");
        if (config.volumeId() != null) {
            Volume v = aws.read("ec2:DescribeVolumes", () -> ec2.describeVolumes(r -> r.volumeIds(config.volumeId())))
                    .volumes().get(0);
            VolumeAttachment a = v.attachments().isEmpty() ? null : v.attachments().get(0);
            String device = a == null ? "detached" : a.device();
            return new Prepared(v.availabilityZone(), a == null ? null : a.instanceId(),
                    List.of(new EbsSnapshotSet.Member(device, v.volumeId(), null, v.size())));
        }
        Instance inst = aws.read("ec2:DescribeInstances",
                () -> ec2.describeInstances(r -> r.instanceIds(config.instanceId()))).reservations().get(0)
                .instances().get(0);
        Map<String, String> volumeToDevice = new LinkedHashMap<>();
        for (InstanceBlockDeviceMapping m : inst.blockDeviceMappings()) {
            if (m.ebs() == null) {
                continue;
            }
            if (config.excludeBootVolume() && m.deviceName().equals(inst.rootDeviceName())) {
                continue;
            }
            if (config.excludeVolumeIds().contains(m.ebs().volumeId())) {
                continue;
            }
            volumeToDevice.put(m.ebs().volumeId(), m.deviceName());
        }
        List<EbsSnapshotSet.Member> members = new ArrayList<>();
        if (!volumeToDevice.isEmpty()) {
            List<Volume> vols = aws.read("ec2:DescribeVolumes",
                    () -> ec2.describeVolumes(r -> r.volumeIds(volumeToDevice.keySet()))).volumes();
            for (Volume v : vols) {
                members.add(new EbsSnapshotSet.Member(volumeToDevice.get(v.volumeId()), v.volumeId(), null, v.size()));
            }
        }
        members.sort(Comparator.comparing(EbsSnapshotSet.Member::device));
        return new Prepared(inst.placement().availabilityZone(), inst.instanceId(), members);
    }

    @Override
    public SnapshotRef capture(PreparedCapture prepared, CaptureRequest request, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        Prepared p = (Prepared) prepared;
        String region = clients.region();
        Ec2Client ec2 = ec2(region);
        AwsCalls aws = calls(ctx, "backup");
        Map<String, String> tags = AwsTags.base(request, config.extraTags());
        String devices = p.volumes().stream().map(m -> m.volumeId() + "=" + m.device())
                .collect(Collectors.joining(","));
        if (devices.length() <= 256) {
            tags.put(AwsTags.DEVICES, devices);
        }
        if (p.availabilityZone() != null) {
            tags.put("bbdc:availability-zone", p.availabilityZone());
        }
        if (p.ec2Instance() != null) {
            tags.put(AwsTags.EC2_INSTANCE, p.ec2Instance());
        }
        String description = "Bitbucket " + request.instanceId() + " restore point " + request.restorePointId()
                + " (" + request.role() + ")";
        List<EbsSnapshotSet.Member> taken = new ArrayList<>();
        Instant capturedAt;
        if (config.volumeId() != null) {
            EbsSnapshotSet.Member m = p.volumes().get(0);
            tags.put(AwsTags.DEVICE, m.device());
            tags.put(AwsTags.VOLUME, m.volumeId());
            TagSpecification spec = tagSpec(ResourceType.SNAPSHOT, tags);
            CreateSnapshotResponse r = aws.write("ec2:CreateSnapshot", () -> ec2.createSnapshot(b -> b
                    .volumeId(m.volumeId()).description(description).tagSpecifications(spec)));
            capturedAt = ctx.clock().instant();
            taken.add(new EbsSnapshotSet.Member(m.device(), m.volumeId(), r.snapshotId(), r.volumeSize()));
        } else {
            TagSpecification spec = tagSpec(ResourceType.SNAPSHOT, tags);
            CreateSnapshotsResponse r = aws.write("ec2:CreateSnapshots", () -> ec2.createSnapshots(b -> b
                    .instanceSpecification(s -> s.instanceId(config.instanceId())
                            .excludeBootVolume(config.excludeBootVolume())
                            .excludeDataVolumeIds(config.excludeVolumeIds()))
                    .description(description).tagSpecifications(spec)));
            capturedAt = ctx.clock().instant();
            Map<String, String> deviceOf = p.volumes().stream().collect(Collectors.toMap(
                    EbsSnapshotSet.Member::volumeId, EbsSnapshotSet.Member::device));
            for (SnapshotInfo s : r.snapshots()) {
                String device = deviceOf.getOrDefault(s.volumeId(), "unknown-" + s.volumeId());
                taken.add(new EbsSnapshotSet.Member(device, s.volumeId(), s.snapshotId(), s.volumeSize()));
            }
            taken.sort(Comparator.comparing(EbsSnapshotSet.Member::device));
        }
        EbsSnapshotSet set = new EbsSnapshotSet(region, p.availabilityZone(), p.ec2Instance(), taken);
        ctx.events().emit(OperationEvent.info(capturedAt, "backup", "capture", "EBS snapshot" + (taken.size() > 1
                ? "s " : " ") + set.ids() + " started").withComponent(request.role().value()));
        return new SnapshotRef(kind(), request.role().value(), set.ids(), request.restorePointId(),
                request.instanceId(), capturedAt, null, set.sizeBytes(), set.attributes());
    }

    static TagSpecification tagSpec(ResourceType type, Map<String, String> tags) {
        return TagSpecification.builder().resourceType(type).tags(tags(tags)).build();
    }

    static List<Tag> tags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    @Override
    public SnapshotRef awaitDurable(PreparedCapture prepared, SnapshotRef ref, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        EbsSnapshotSet set = EbsSnapshotSet.from(ref, clients.region());
        waitCompleted(set, ref.role(), ctx, "backup");
        Instant durableAt = ctx.clock().instant();
        Ec2Client ec2 = ec2(set.region());
        AwsCalls aws = calls(ctx, "backup");
        for (EbsSnapshotSet.Member m : set.members()) {
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put(AwsTags.DEVICE, m.device());
            if (m.volumeId() != null) {
                tags.put(AwsTags.VOLUME, m.volumeId());
            }
            tags.put(AwsTags.DURABLE_AT, durableAt.toString());
            aws.write("ec2:CreateTags", () -> ec2.createTags(b -> b.resources(m.snapshotId()).tags(tags(tags))));
        }
        return ref.durable(durableAt, set.sizeBytes());
    }

    /** Polls DescribeSnapshots until every snapshot of the set is completed, reporting progress. */
    void waitCompleted(EbsSnapshotSet set, String role, ProviderContext ctx, String operation)
            throws ProviderException, InterruptedException {
        Ec2Client ec2 = ec2(set.region());
        AwsCalls aws = calls(ctx, operation);
        Instant start = ctx.clock().instant();
        int lastPercent = -1;
        while (true) {
            DescribeSnapshotsResponse r = aws.read("ec2:DescribeSnapshots",
                    () -> ec2.describeSnapshots(b -> b.snapshotIds(set.snapshotIds())));
            int total = 0;
            boolean done = true;
            for (Snapshot s : r.snapshots()) {
                String state = s.stateAsString();
                if ("error".equals(state)) {
                    throw new ProviderException("EBS snapshot " + s.snapshotId() + " of volume " + s.volumeId()
                            + " failed (state error" + (s.stateMessage() != null ? ": " + s.stateMessage() : "")
                            + "); this restore point is not usable for " + role);
                }
                done &= "completed".equals(state);
                total += percent(s.progress());
            }
            int percent = r.snapshots().isEmpty() ? 0 : total / r.snapshots().size();
            long elapsed = Duration.between(start, ctx.clock().instant()).toMillis();
            if (percent != lastPercent || done) {
                ctx.events().emit(OperationEvent.info(ctx.clock().instant(), operation, "durable",
                        "EBS snapshots " + set.ids() + " " + percent + "%").withComponent(role)
                        .withPercent(percent).withElapsed(elapsed));
                lastPercent = percent;
            }
            if (done) {
                return;
            }
            if (elapsed >= config.durableTimeout().toMillis()) {
                throw new ProviderException("EBS snapshots " + set.ids() + " are still pending after "
                        + config.durableTimeout() + " (" + percent + "%); they keep running in AWS — check them in the"
                        + " EC2 console and raise 'durableTimeout' if large volumes need longer");
            }
            ctx.sleeper().sleep(clients.settings().retry().pollInterval());
        }
    }

    private static int percent(String progress) {
        if (progress == null || progress.isBlank()) {
            return 0;
        }
        try {
            return Integer.parseInt(progress.replace("%", "").trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public List<SnapshotRef> list(ProviderContext ctx) throws ProviderException, InterruptedException {
        String region = clients.region();
        Ec2Client ec2 = ec2(region);
        AwsCalls aws = calls(ctx, "list");
        List<Filter> filters = List.of(
                Filter.builder().name("tag:" + AwsTags.INSTANCE).values(ctx.instanceId()).build(),
                Filter.builder().name("tag:" + AwsTags.ROLE).values(ctx.role().value()).build());
        Map<String, List<Snapshot>> byRestorePoint = new LinkedHashMap<>();
        String token = null;
        do {
            String next = token;
            DescribeSnapshotsResponse page = aws.read("ec2:DescribeSnapshots", () -> ec2.describeSnapshots(b -> b
                    .ownerIds("self").filters(filters).maxResults(config.pageSize()).nextToken(next)));
            for (Snapshot s : page.snapshots()) {
                String rp = tag(s, AwsTags.RESTORE_POINT);
                if (rp != null) {
                    byRestorePoint.computeIfAbsent(rp, k -> new ArrayList<>()).add(s);
                }
            }
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        List<SnapshotRef> refs = new ArrayList<>();
        byRestorePoint.forEach((rp, snaps) -> refs.add(toRef(region, rp, ctx, snaps)));
        refs.sort(Comparator.comparing(SnapshotRef::capturedAt));
        return refs;
    }

    private SnapshotRef toRef(String region, String restorePoint, ProviderContext ctx, List<Snapshot> snaps) {
        Map<String, String> devicesTag = parseDevices(tag(snaps.get(0), AwsTags.DEVICES));
        List<EbsSnapshotSet.Member> members = new ArrayList<>();
        Instant captured = null;
        Instant durable = null;
        boolean allDone = true;
        for (Snapshot s : snaps) {
            String volume = tag(s, AwsTags.VOLUME) != null ? tag(s, AwsTags.VOLUME) : s.volumeId();
            String device = tag(s, AwsTags.DEVICE) != null ? tag(s, AwsTags.DEVICE)
                    : devicesTag.getOrDefault(volume, "unknown-" + s.snapshotId());
            members.add(new EbsSnapshotSet.Member(device, volume, s.snapshotId(), s.volumeSize()));
            captured = captured == null || s.startTime().isBefore(captured) ? s.startTime() : captured;
            allDone &= "completed".equals(s.stateAsString());
            Instant d = parseInstant(tag(s, AwsTags.DURABLE_AT));
            Instant at = d != null ? d : s.startTime();
            durable = durable == null || at.isAfter(durable) ? at : durable;
        }
        members.sort(Comparator.comparing(EbsSnapshotSet.Member::device));
        EbsSnapshotSet set = new EbsSnapshotSet(region, tag(snaps.get(0), "bbdc:availability-zone"),
                tag(snaps.get(0), AwsTags.EC2_INSTANCE), members);
        Map<String, String> attributes = new LinkedHashMap<>(set.attributes());
        String copiedFrom = tag(snaps.get(0), AwsTags.COPIED_FROM); // "<region>/<snapshot>": a backup's copy
        if (copiedFrom != null && copiedFrom.indexOf('/') > 0) {
            attributes.put("copiedFrom", copiedFrom.substring(0, copiedFrom.indexOf('/')));
        }
        return new SnapshotRef(kind(), ctx.role().value(), set.ids(), restorePoint, ctx.instanceId(), captured,
                allDone ? durable : null, set.sizeBytes(), attributes);
    }

    private static Map<String, String> parseDevices(String tag) {
        Map<String, String> out = new TreeMap<>();
        if (tag != null) {
            for (String pair : tag.split(",")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return out;
    }

    private static Instant parseInstant(String s) {
        try {
            return s == null ? null : Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String tag(Snapshot s, String key) {
        return s.tags().stream().filter(t -> key.equals(t.key())).map(Tag::value).findFirst().orElse(null);
    }

    @Override
    public void delete(SnapshotRef ref, ProviderContext ctx) throws ProviderException, InterruptedException {
        EbsSnapshotSet set = EbsSnapshotSet.from(ref, clients.region());
        Ec2Client ec2 = ec2(set.region());
        AwsCalls aws = calls(ctx, "retention");
        Map<String, String> pinned = new TreeMap<>();
        for (String id : set.snapshotIds()) {
            try {
                aws.write("ec2:DeleteSnapshot", () -> ec2.deleteSnapshot(b -> b.snapshotId(id)));
            } catch (AwsCallException e) {
                if ("InvalidSnapshot.NotFound".equals(e.errorCode())) {
                    continue; // already gone: deleting is idempotent
                }
                if ("InvalidSnapshot.InUse".equals(e.errorCode())) {
                    Matcher m = IMAGE.matcher(String.valueOf(e.getMessage()));
                    pinned.put(id, m.find() ? m.group() : "an AMI");
                    continue;
                }
                throw e;
            }
        }
        if (!pinned.isEmpty()) {
            String what = pinned.entrySet().stream().map(e -> e.getKey() + " (used by " + e.getValue() + ")")
                    .collect(Collectors.joining(", "));
            ctx.events().emit(new OperationEvent(ctx.clock().instant(), OperationEvent.Level.WARNING, "retention",
                    "delete", ref.role(), null, null, null, "kept EBS snapshots registered in images: " + what));
            throw new SnapshotInUseException("restore point " + ref.restorePointId() + ": EBS snapshot(s) " + what
                    + " are registered in an AMI and were kept; the other snapshots were deleted. Deregister the"
                    + " image (aws ec2 deregister-image --image-id …) if it is no longer needed, and the next"
                    + " retention run deletes them", pinned);
        }
    }

    @Override
    public SnapshotRef copy(SnapshotRef ref, Map<String, String> destination, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        return new EbsCopier(this).copy(ref, destination, ctx);
    }

    @Override
    public RestoreOutcome restore(SnapshotRef ref, RestoreRequest request, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        return new EbsRestorer(this, config).restore(ref, request, ctx);
    }

    String region() {
        return clients.region();
    }

    Duration pollInterval() {
        return clients.settings().retry().pollInterval();
    }
}
