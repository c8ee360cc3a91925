package io.jenkins.plugins.bbdc.core.provider.aws;

import io.jenkins.plugins.bbdc.core.event.OperationEvent;
import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CopySnapshotResponse;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * Copies the EBS snapshots of a component to another region (optionally re-encrypting with a KMS key). The copies
 * carry the same restore point tags plus {@code bbdc:copied-from}, so the destination region's catalog can be rebuilt
 * too. Destination keys: {@code region} (required), {@code kmsKeyId}, {@code encrypted}, {@code wait} (default true).
 */
final class EbsCopier {
    private final EbsSnapshotProvider provider;

    EbsCopier(EbsSnapshotProvider provider) {
        this.provider = provider;
    }

    SnapshotRef copy(SnapshotRef ref, Map<String, String> destination, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        String region = destination.get("region");
        if (!AwsSettings.validRegion(region)) {
            throw new ProviderException("copying EBS snapshots needs a destination 'region' such as eu-central-1"
                    + (region == null ? "" : " ('" + region + "' is not one)"));
        }
        String kmsKeyId = blankToNull(destination.get("kmsKeyId"));
        boolean encrypted = kmsKeyId != null || Boolean.parseBoolean(destination.get("encrypted"));
        boolean wait = !"false".equalsIgnoreCase(destination.get("wait"));
        EbsSnapshotSet set = EbsSnapshotSet.from(ref, provider.region());
        if (set.region().equals(region) && kmsKeyId == null) {
            throw new ProviderException("the snapshots of restore point " + ref.restorePointId() + " are already in "
                    + region + "; choose another destination region");
        }
        Ec2Client ec2 = provider.ec2(region);
        AwsCalls aws = provider.calls(ctx, "copy");
        CaptureRequest names = new CaptureRequest(ref.restorePointId(), ref.instanceId(),
                ComponentRole.parse(ref.role()), null);
        List<EbsSnapshotSet.Member> copies = new ArrayList<>();
        for (EbsSnapshotSet.Member m : set.members()) {
            Map<String, String> tags = new LinkedHashMap<>(AwsTags.base(names, Map.of()));
            tags.put(AwsTags.DEVICE, m.device());
            if (m.volumeId() != null) {
                tags.put(AwsTags.VOLUME, m.volumeId());
            }
            if (set.ec2Instance() != null) {
                tags.put(AwsTags.EC2_INSTANCE, set.ec2Instance());
            }
            tags.put(AwsTags.COPIED_FROM, set.region() + "/" + m.snapshotId());
            TagSpecification spec = EbsSnapshotProvider.tagSpec(ResourceType.SNAPSHOT, tags);
            CopySnapshotResponse r;
            try {
                r = aws.write("ec2:CopySnapshot", () -> ec2.copySnapshot(b -> b
                        .sourceRegion(set.region()).sourceSnapshotId(m.snapshotId()).destinationRegion(region)
                        .encrypted(encrypted ? Boolean.TRUE : null).kmsKeyId(kmsKeyId)
                        .description("Copy of " + m.snapshotId() + " from " + set.region() + " (Bitbucket "
                                + ref.instanceId() + " restore point " + ref.restorePointId() + ")")
                        .tagSpecifications(spec)));
            } catch (ProviderException | RuntimeException | InterruptedException e) {
                // the copies of the other volumes already started would be orphans in the destination region
                deleteStarted(ec2, aws, copies, region, ref, ctx);
                throw e;
            }
            copies.add(new EbsSnapshotSet.Member(m.device(), m.volumeId(), r.snapshotId(), m.sizeGiB()));
        }
        EbsSnapshotSet copied = new EbsSnapshotSet(region, null, set.ec2Instance(), copies);
        Map<String, String> attributes = new LinkedHashMap<>(copied.attributes());
        attributes.put("copiedFrom", set.region());
        if (kmsKeyId != null) {
            attributes.put("kmsKeyId", kmsKeyId);
        }
        SnapshotRef out = new SnapshotRef(ref.provider(), ref.role(), copied.ids(), ref.restorePointId(),
                ref.instanceId(), ref.capturedAt(), null, copied.sizeBytes(), attributes);
        if (!wait) {
            return out;
        }
        provider.waitCompleted(copied, ref.role(), ctx, "copy");
        return out.durable(ctx.clock().instant(), copied.sizeBytes());
    }

    /** Best effort: deletes the copies already started; what cannot be deleted is reported as an error event. */
    private static void deleteStarted(Ec2Client ec2, AwsCalls aws, List<EbsSnapshotSet.Member> started, String region,
                                      SnapshotRef ref, ProviderContext ctx) {
        boolean interrupted = Thread.interrupted();
        for (EbsSnapshotSet.Member c : started) {
            try {
                aws.write("ec2:DeleteSnapshot", () -> ec2.deleteSnapshot(b -> b.snapshotId(c.snapshotId())));
            } catch (ProviderException | RuntimeException | InterruptedException e) {
                ctx.events().emit(OperationEvent.info(ctx.clock().instant(), "backup", "copy", "the copy "
                        + c.snapshotId() + " of restore point " + ref.restorePointId() + " already started in "
                        + region + " could not be deleted (" + e.getMessage() + "); delete it by hand")
                        .withComponent(ref.role()).withLevel(OperationEvent.Level.ERROR));
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
