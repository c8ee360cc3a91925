package io.jenkins.plugins.bbdc.core.provider.aws;

import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The EBS snapshots of one component (one per volume) as recorded in a {@link SnapshotRef}: the ref's id is the
 * comma-separated snapshot ids; its attributes hold the region, availability zone, EC2 instance and, per device,
 * {@code snapshot:<device>}, {@code volume:<device>}, {@code sizeGiB:<device>}.
 */
record EbsSnapshotSet(String region, String availabilityZone, String ec2Instance, List<Member> members) {

    /** One volume's snapshot; {@code device} is the EC2 device name it was attached at. */
    record Member(String device, String volumeId, String snapshotId, Integer sizeGiB) { }

    EbsSnapshotSet {
        members = List.copyOf(members);
    }

    String ids() {
        return members.stream().map(Member::snapshotId).collect(Collectors.joining(","));
    }

    List<String> snapshotIds() {
        return members.stream().map(Member::snapshotId).toList();
    }

    Long sizeBytes() {
        long total = 0;
        for (Member m : members) {
            if (m.sizeGiB() == null) {
                return null;
            }
            total += m.sizeGiB() * (1L << 30);
        }
        return total;
    }

    Map<String, String> attributes() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("region", region);
        if (availabilityZone != null) {
            a.put("availabilityZone", availabilityZone);
        }
        if (ec2Instance != null) {
            a.put("ec2Instance", ec2Instance);
        }
        a.put("devices", members.stream().map(Member::device).collect(Collectors.joining(",")));
        for (Member m : members) {
            a.put("snapshot:" + m.device(), m.snapshotId());
            if (m.volumeId() != null) {
                a.put("volume:" + m.device(), m.volumeId());
            }
            if (m.sizeGiB() != null) {
                a.put("sizeGiB:" + m.device(), String.valueOf(m.sizeGiB()));
            }
        }
        return a;
    }

    static EbsSnapshotSet from(SnapshotRef ref, String defaultRegion) throws ProviderException {
        String devices = ref.attribute("devices");
        if (devices == null || devices.isBlank()) {
            throw new ProviderException("snapshot reference " + ref.id() + " has no 'devices' attribute; it was not"
                    + " made by the ebs provider");
        }
        List<Member> members = new ArrayList<>();
        for (String d : devices.split(",")) {
            String snap = ref.attribute("snapshot:" + d);
            if (snap == null) {
                throw new ProviderException("snapshot reference " + ref.id() + " names device " + d
                        + " but no snapshot for it");
            }
            String size = ref.attribute("sizeGiB:" + d);
            members.add(new Member(d, ref.attribute("volume:" + d), snap, size == null ? null : Integer.valueOf(size)));
        }
        String region = ref.attribute("region") != null ? ref.attribute("region") : defaultRegion;
        return new EbsSnapshotSet(region, ref.attribute("availabilityZone"), ref.attribute("ec2Instance"), members);
    }
}
