package io.jenkins.plugins.bbdc.core.provider.aws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the EBS provider snapshots and how it restores. Exactly one of {@code volumeId} (one volume) or
 * {@code instanceId} (every data volume of the EC2 instance, captured together in one crash-consistent call) is set.
 */
public final class EbsConfig {
    private final String volumeId;
    private final String instanceId;
    private final boolean excludeBootVolume;
    private final Set<String> excludeVolumeIds;
    private final Map<String, String> extraTags;
    private final Duration durableTimeout;
    private final int pageSize;
    private final String restoreVolumeType;
    private final Integer restoreIops;
    private final Integer restoreThroughput;
    private final Boolean restoreEncrypted;
    private final String restoreKmsKeyId;
    private final String restoreAvailabilityZone;
    private final String restoreInstanceId;
    private final Map<String, String> mountPoints;
    private final Map<String, String> osDevices;

    private EbsConfig(Builder b) {
        this.volumeId = blankToNull(b.volumeId);
        this.instanceId = blankToNull(b.instanceId);
        this.excludeBootVolume = b.excludeBootVolume;
        this.excludeVolumeIds = Set.copyOf(b.excludeVolumeIds);
        this.extraTags = Map.copyOf(b.extraTags);
        this.durableTimeout = b.durableTimeout;
        this.pageSize = b.pageSize;
        this.restoreVolumeType = b.restoreVolumeType;
        this.restoreIops = b.restoreIops;
        this.restoreThroughput = b.restoreThroughput;
        this.restoreEncrypted = b.restoreEncrypted;
        this.restoreKmsKeyId = blankToNull(b.restoreKmsKeyId);
        this.restoreAvailabilityZone = blankToNull(b.restoreAvailabilityZone);
        this.restoreInstanceId = blankToNull(b.restoreInstanceId);
        this.mountPoints = Map.copyOf(b.mountPoints);
        this.osDevices = Map.copyOf(b.osDevices);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Configuration mistakes, each saying what to change; empty when valid. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if ((volumeId == null) == (instanceId == null)) {
            out.add("set exactly one of 'volumeId' (one EBS volume) or 'instanceId' (all data volumes of an EC2"
                    + " instance)");
        }
        if (volumeId != null && !volumeId.matches("vol-[0-9a-f]{8,17}")) {
            out.add("volumeId '" + volumeId + "' is not an EBS volume id (vol-0123456789abcdef0)");
        }
        if (instanceId != null && !instanceId.matches("i-[0-9a-f]{8,17}")) {
            out.add("instanceId '" + instanceId + "' is not an EC2 instance id (i-0123456789abcdef0)");
        }
        if (restoreVolumeType != null && !Set.of("gp2", "gp3", "io1", "io2", "st1", "sc1", "standard")
                .contains(restoreVolumeType)) {
            out.add("restore volume type '" + restoreVolumeType + "' is not one of gp2, gp3, io1, io2, st1, sc1,"
                    + " standard");
        }
        if (("io1".equals(restoreVolumeType) || "io2".equals(restoreVolumeType)) && restoreIops == null) {
            out.add("restore volume type " + restoreVolumeType + " needs 'iops'");
        }
        if (restoreThroughput != null && !"gp3".equals(effectiveVolumeType())) {
            out.add("'throughput' applies to gp3 volumes only");
        }
        if (restoreKmsKeyId != null && Boolean.FALSE.equals(restoreEncrypted)) {
            out.add("'kmsKeyId' needs 'encrypted' (a KMS key encrypts the restored volume)");
        }
        if (pageSize < 5 || pageSize > 1000) {
            out.add("page size must be between 5 and 1000 (EC2 MaxResults), not " + pageSize);
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    public String volumeId() {
        return volumeId;
    }

    public String instanceId() {
        return instanceId;
    }

    public boolean excludeBootVolume() {
        return excludeBootVolume;
    }

    public Set<String> excludeVolumeIds() {
        return excludeVolumeIds;
    }

    public Map<String, String> extraTags() {
        return extraTags;
    }

    public Duration durableTimeout() {
        return durableTimeout;
    }

    public int pageSize() {
        return pageSize;
    }

    /** The type of restored volumes (gp3 unless set). */
    public String effectiveVolumeType() {
        return restoreVolumeType == null ? "gp3" : restoreVolumeType;
    }

    public Integer restoreIops() {
        return restoreIops;
    }

    public Integer restoreThroughput() {
        return restoreThroughput;
    }

    public Boolean restoreEncrypted() {
        return restoreEncrypted;
    }

    public String restoreKmsKeyId() {
        return restoreKmsKeyId;
    }

    public String restoreAvailabilityZone() {
        return restoreAvailabilityZone;
    }

    public String restoreInstanceId() {
        return restoreInstanceId;
    }

    /** EC2 device name → mount point; restored volumes at these devices are mounted there. */
    public Map<String, String> mountPoints() {
        return mountPoints;
    }

    /** EC2 device name → the device the OS sees (Nitro: /dev/nvme1n1 or /dev/disk/by-id/…); default: the same. */
    public String osDevice(String ec2Device) {
        return osDevices.getOrDefault(ec2Device, ec2Device);
    }

    public static final class Builder {
        private String volumeId;
        private String instanceId;
        private boolean excludeBootVolume = true;
        private final Set<String> excludeVolumeIds = new LinkedHashSet<>();
        private final Map<String, String> extraTags = new LinkedHashMap<>();
        private Duration durableTimeout = Duration.ofHours(6);
        private int pageSize = 500;
        private String restoreVolumeType;
        private Integer restoreIops;
        private Integer restoreThroughput;
        private Boolean restoreEncrypted;
        private String restoreKmsKeyId;
        private String restoreAvailabilityZone;
        private String restoreInstanceId;
        private final Map<String, String> mountPoints = new LinkedHashMap<>();
        private final Map<String, String> osDevices = new LinkedHashMap<>();

        public Builder volumeId(String v) {
            this.volumeId = v;
            return this;
        }

        public Builder instanceId(String i) {
            this.instanceId = i;
            return this;
        }

        /** Instance mode: leave out the root volume (default true: Bitbucket's data is never on the root volume). */
        public Builder excludeBootVolume(boolean b) {
            this.excludeBootVolume = b;
            return this;
        }

        public Builder excludeVolumeIds(Set<String> ids) {
            this.excludeVolumeIds.addAll(ids);
            return this;
        }

        public Builder extraTags(Map<String, String> tags) {
            this.extraTags.putAll(tags);
            return this;
        }

        public Builder durableTimeout(Duration d) {
            this.durableTimeout = d;
            return this;
        }

        /** MaxResults of DescribeSnapshots pages (5..1000, default 500). */
        public Builder pageSize(int n) {
            this.pageSize = n;
            return this;
        }

        public Builder restoreVolume(String type, Integer iops, Integer throughput) {
            this.restoreVolumeType = type;
            this.restoreIops = iops;
            this.restoreThroughput = throughput;
            return this;
        }

        public Builder restoreEncryption(Boolean encrypted, String kmsKeyId) {
            this.restoreEncrypted = encrypted;
            this.restoreKmsKeyId = kmsKeyId;
            return this;
        }

        /** Where restored volumes go; defaults: the snapshot's own availability zone and instance. */
        public Builder restoreTarget(String availabilityZone, String instanceId) {
            this.restoreAvailabilityZone = availabilityZone;
            this.restoreInstanceId = instanceId;
            return this;
        }

        public Builder mountPoint(String ec2Device, String mountPoint) {
            this.mountPoints.put(ec2Device, mountPoint);
            return this;
        }

        public Builder osDevice(String ec2Device, String osDevice) {
            this.osDevices.put(ec2Device, osDevice);
            return this;
        }

        public EbsConfig build() {
            return new EbsConfig(this);
        }
    }
}
