package io.jenkins.plugins.bbdc.core.provider.aws;

import io.jenkins.plugins.bbdc.core.exec.CommandSpec;
import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.provider.RestoreOutcome;
import io.jenkins.plugins.bbdc.core.provider.RestoreRequest;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Volume;

/**
 * Restores EBS snapshots as new volumes: CreateVolume in an availability zone with the configured type, IOPS,
 * throughput and encryption; waits until available; then, when an instance is the target, detaches the volume that
 * sits at the device (waiting until the detachment has really finished), attaches the new one and optionally mounts
 * it. Old volumes are kept, tagged {@code bbdc:replaced-by}; nothing is deleted.
 *
 * <p>Target keys of the {@link RestoreRequest} override the configuration: {@code availabilityZone},
 * {@code instanceId}, {@code volumeType}, {@code iops}, {@code throughput}, {@code encrypted}, {@code kmsKeyId}.
 */
final class EbsRestorer {
    private final EbsSnapshotProvider provider;
    private final EbsConfig config;

    EbsRestorer(EbsSnapshotProvider provider, EbsConfig config) {
        this.provider = provider;
        this.config = config;
    }

    private record Plan(EbsSnapshotSet.Member member, String existingVolume) { }

    RestoreOutcome restore(SnapshotRef ref, RestoreRequest request, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        EbsSnapshotSet set = EbsSnapshotSet.from(ref, provider.region());
        String region = set.region();
        String az = first(request.target("availabilityZone"), config.restoreAvailabilityZone(),
                set.availabilityZone());
        if (az == null) {
            throw new ProviderException("restoring " + ref.id() + " needs an availability zone in " + region
                    + ": set 'availabilityZone' in the restore target or the provider");
        }
        // a copy's source instance lives in the copy's source region: never attach there by default
        boolean copy = ref.attribute("copiedFrom") != null;
        String instance = first(request.target("instanceId"), config.restoreInstanceId(),
                request.scratch() || copy ? null : set.ec2Instance());
        String type = first(request.target("volumeType"), config.effectiveVolumeType());
        Integer iops = integer(request.target("iops"), config.restoreIops());
        Integer throughput = integer(request.target("throughput"), config.restoreThroughput());
        String kmsKeyId = first(request.target("kmsKeyId"), config.restoreKmsKeyId());
        Boolean encrypted = request.target("encrypted") != null ? Boolean.valueOf(request.target("encrypted"))
                : config.restoreEncrypted() != null ? config.restoreEncrypted() : kmsKeyId != null ? Boolean.TRUE : null;
        if (("io1".equals(type) || "io2".equals(type)) && iops == null) {
            throw new ProviderException("restoring to " + type + " volumes needs 'iops'");
        }
        Ec2Client ec2 = provider.ec2(region);
        AwsCalls aws = provider.calls(ctx, "restore");
        List<String> actions = new ArrayList<>();

        List<Plan> plans = new ArrayList<>();
        for (EbsSnapshotSet.Member m : set.members()) {
            String existing = null;
            if (instance != null) {
                List<Volume> at = aws.read("ec2:DescribeVolumes", () -> ec2.describeVolumes(b -> b.filters(
                        Filter.builder().name("attachment.instance-id").values(instance).build(),
                        Filter.builder().name("attachment.device").values(m.device()).build()))).volumes();
                existing = at.isEmpty() ? null : at.get(0).volumeId();
                if (existing != null && request.scratch()) {
                    throw new ProviderException("a scratch restore must not touch live volumes, but " + m.device()
                            + " of " + instance + " holds " + existing + "; choose another instance or no instance");
                }
                if (existing != null && !request.allowReplace()) {
                    throw new ProviderException("device " + m.device() + " of " + instance + " holds volume "
                            + existing + "; restoring over it needs allowReplace (the old volume is detached and kept)"
                            + " — or restore to scratch");
                }
            }
            plans.add(new Plan(m, existing));
        }
        String volumeSpec = type + (iops != null ? ", " + iops + " IOPS" : "")
                + (throughput != null ? ", " + throughput + " MiB/s" : "")
                + (Boolean.TRUE.equals(encrypted) ? ", encrypted" + (kmsKeyId != null ? " with " + kmsKeyId : "") : "");
        if (request.dryRun()) {
            for (Plan p : plans) {
                actions.add("ec2:CreateVolume from " + p.member().snapshotId() + " in " + az + " (" + volumeSpec + ")");
                if (p.existingVolume() != null) {
                    actions.add("ec2:DetachVolume " + p.existingVolume() + " from " + instance + " (kept) and wait");
                }
                if (instance != null) {
                    actions.add("ec2:AttachVolume at " + p.member().device() + " of " + instance);
                }
            }
            return new RestoreOutcome("would restore " + plans.size() + " EBS volume(s) of restore point "
                    + ref.restorePointId(), Map.of(), List.of(), actions);
        }

        CaptureRequest names = new CaptureRequest(ref.restorePointId(), ref.instanceId(),
                ComponentRole.parse(ref.role()), null);
        Map<String, String> created = new LinkedHashMap<>(); // device -> new volume
        for (Plan p : plans) {
            Map<String, String> tags = new LinkedHashMap<>(AwsTags.base(names, config.extraTags()));
            tags.put(AwsTags.NAME, names.snapshotName() + (request.scratch() ? "-scratch" : "-restored"));
            tags.put(AwsTags.DEVICE, p.member().device());
            tags.put(AwsTags.RESTORED_FROM, p.member().snapshotId());
            if (request.scratch()) {
                tags.put(AwsTags.SCRATCH, "true");
            }
            String volumeId = aws.write("ec2:CreateVolume", () -> ec2.createVolume(b -> b
                    .snapshotId(p.member().snapshotId()).availabilityZone(az).volumeType(type).iops(iops)
                    .throughput(throughput).encrypted(encrypted).kmsKeyId(kmsKeyId)
                    .tagSpecifications(EbsSnapshotProvider.tagSpec(ResourceType.VOLUME, tags)))).volumeId();
            created.put(p.member().device(), volumeId);
            actions.add("ec2:CreateVolume " + volumeId + " from " + p.member().snapshotId() + " in " + az + " ("
                    + volumeSpec + ")");
        }
        waitVolumes(ec2, aws, ctx, new ArrayList<>(created.values()),
                v -> "available".equals(v.stateAsString()), "available");

        Map<String, String> location = new LinkedHashMap<>();
        location.put("region", region);
        location.put("availabilityZone", az);
        created.forEach((d, v) -> location.put("volume:" + d, v));
        List<String> steps = new ArrayList<>();
        List<String> replaced = new ArrayList<>();
        if (instance == null) {
            location.put("attached", "false");
            created.forEach((d, v) -> steps.add("attach " + v + " to an instance in " + az
                    + (request.scratch() ? " to inspect it, then delete it (aws ec2 delete-volume --volume-id " + v
                    + ")" : " at " + d + " (aws ec2 attach-volume --volume-id " + v + " --instance-id <id> --device "
                    + d + ") and mount it")));
        } else {
            location.put("instanceId", instance);
            for (Plan p : plans) {
                String device = p.member().device();
                String newVolume = created.get(device);
                if (p.existingVolume() != null) {
                    unmount(device, ctx, actions);
                    detach(ec2, aws, ctx, p.existingVolume(), instance, device, actions);
                    aws.write("ec2:CreateTags", () -> ec2.createTags(b -> b.resources(p.existingVolume())
                            .tags(EbsSnapshotProvider.tags(Map.of(AwsTags.REPLACED_BY, newVolume)))));
                    replaced.add(p.existingVolume());
                    location.put("replaced:" + device, p.existingVolume());
                }
                try {
                    attach(ec2, aws, ctx, newVolume, instance, device, actions);
                } catch (ProviderException e) {
                    throw new ProviderException(e.getMessage() + reattach(ec2, aws, ctx, p, instance), e);
                }
                mount(device, ctx, actions, steps);
            }
            location.put("attached", "true");
        }
        if (!replaced.isEmpty()) {
            steps.add("the previous volumes " + String.join(", ", replaced) + " are detached and kept (tagged "
                    + AwsTags.REPLACED_BY + "); delete them once the restore is verified");
        }
        if (request.scratch()) {
            steps.add("delete the scratch volumes " + String.join(", ", created.values()) + " when verification is"
                    + " done");
        }
        return new RestoreOutcome("restored " + created.size() + " EBS volume(s) of restore point "
                + ref.restorePointId() + " in " + az + (instance != null ? ", attached to " + instance : ""),
                location, steps, actions);
    }

    private void detach(Ec2Client ec2, AwsCalls aws, ProviderContext ctx, String volume, String instance,
                        String device, List<String> actions) throws ProviderException, InterruptedException {
        aws.write("ec2:DetachVolume", () -> ec2.detachVolume(b -> b.volumeId(volume).instanceId(instance)
                .device(device)));
        actions.add("ec2:DetachVolume " + volume + " from " + instance + " " + device);
        // the device is free only once the detachment has finished; attaching earlier fails or races
        waitVolumes(ec2, aws, ctx, List.of(volume), v -> v.attachments().isEmpty(), "detached");
    }

    private void attach(Ec2Client ec2, AwsCalls aws, ProviderContext ctx, String volume, String instance,
                        String device, List<String> actions) throws ProviderException, InterruptedException {
        aws.write("ec2:AttachVolume", () -> ec2.attachVolume(b -> b.volumeId(volume).instanceId(instance)
                .device(device)));
        actions.add("ec2:AttachVolume " + volume + " to " + instance + " at " + device);
        waitVolumes(ec2, aws, ctx, List.of(volume), v -> !v.attachments().isEmpty()
                && "attached".equals(v.attachments().get(0).stateAsString()), "attached");
    }

    /** After a failed attach: put the old volume back so the instance is as it was, and say so. */
    private String reattach(Ec2Client ec2, AwsCalls aws, ProviderContext ctx, Plan p, String instance)
            throws InterruptedException {
        if (p.existingVolume() == null) {
            return "";
        }
        try {
            attach(ec2, aws, ctx, p.existingVolume(), instance, p.member().device(), new ArrayList<>());
            return "; the previous volume " + p.existingVolume() + " was attached again at " + p.member().device();
        } catch (ProviderException again) {
            return "; re-attaching the previous volume " + p.existingVolume() + " also failed (" + again.getMessage()
                    + "): attach it by hand at " + p.member().device() + " of " + instance;
        }
    }

    private void waitVolumes(Ec2Client ec2, AwsCalls aws, ProviderContext ctx, List<String> ids,
                             Predicate<Volume> ready, String what) throws ProviderException, InterruptedException {
        Instant start = ctx.clock().instant();
        while (true) {
            List<Volume> vols = aws.read("ec2:DescribeVolumes", () -> ec2.describeVolumes(b -> b.volumeIds(ids)))
                    .volumes();
            for (Volume v : vols) {
                if ("error".equals(v.stateAsString())) {
                    throw new ProviderException("EBS volume " + v.volumeId() + " went to state error");
                }
            }
            if (vols.size() == ids.size() && vols.stream().allMatch(ready)) {
                return;
            }
            if (Duration.between(start, ctx.clock().instant()).compareTo(config.durableTimeout()) >= 0) {
                throw new ProviderException("EBS volume(s) " + ids + " did not become " + what + " within "
                        + config.durableTimeout());
            }
            ctx.sleeper().sleep(provider.pollInterval());
        }
    }

    private void unmount(String device, ProviderContext ctx, List<String> actions)
            throws ProviderException, InterruptedException {
        String mountPoint = config.mountPoints().get(device);
        if (mountPoint == null) {
            return;
        }
        try {
            if (ctx.runner().run(CommandSpec.of("mountpoint", "-q", mountPoint).build()).succeeded()) {
                ctx.runner().check(CommandSpec.of("umount", mountPoint).build());
                actions.add("umount " + mountPoint);
            }
        } catch (IOException e) {
            throw new ProviderException("could not unmount " + mountPoint + " before detaching " + device + ": "
                    + e.getMessage() + "; stop whatever uses it (Bitbucket, NFS exports) and retry", e);
        }
    }

    private void mount(String device, ProviderContext ctx, List<String> actions, List<String> steps)
            throws InterruptedException {
        String mountPoint = config.mountPoints().get(device);
        String osDevice = config.osDevice(device);
        if (mountPoint == null) {
            steps.add("mount " + osDevice + " (EC2 device " + device + ") at its mount point");
            return;
        }
        try {
            ctx.runner().check(CommandSpec.of("mount", osDevice, mountPoint).build());
            actions.add("mount " + osDevice + " " + mountPoint);
        } catch (IOException e) {
            steps.add("mount " + osDevice + " at " + mountPoint + " (automatic mount failed: " + e.getMessage() + ")");
        }
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

    private static Integer integer(String override, Integer dflt) throws ProviderException {
        if (override == null || override.isBlank()) {
            return dflt;
        }
        try {
            return Integer.valueOf(override.trim());
        } catch (NumberFormatException e) {
            throw new ProviderException("'" + override + "' is not a number");
        }
    }
}
