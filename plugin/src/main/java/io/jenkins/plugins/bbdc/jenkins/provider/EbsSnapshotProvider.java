package io.jenkins.plugins.bbdc.jenkins.provider;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Item;
import hudson.util.FormValidation;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.util.Text;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Crash-consistent EBS snapshots of one volume, or of every volume attached to an EC2 instance at one instant (multi-volume snapshot). Snapshots are tagged with the instance and restore point id so the catalog can be rebuilt from them.
 * Symbol {@code ebsSnapshot}; calls an API from the controller. The AWS settings are those of {@link AwsComponentProvider}.
 * The {@code restore…} settings say what a restore creates (new volumes: zone, type, IOPS, throughput, encryption)
 * and where they go (the instance, the mount points on the agent).
 */
public final class EbsSnapshotProvider extends AwsComponentProvider {
    private static final long serialVersionUID = 1L;
    /** Six hours, the engine's default. */
    static final int DEFAULT_DURABLE_TIMEOUT_MINUTES = 360;
    static final String DEFAULT_VOLUME_TYPE = "gp3";

    private String volumeId = null;
    private String ec2InstanceId = null;
    private boolean excludeBootVolume = true;
    private String freezeMountPoints = null;
    private String excludeVolumeIds = null;
    private int durableTimeoutMinutes = DEFAULT_DURABLE_TIMEOUT_MINUTES;
    private String restoreAvailabilityZone = null;
    private String restoreInstanceId = null;
    private String restoreVolumeType = DEFAULT_VOLUME_TYPE;
    private int restoreIops = 0;
    private int restoreThroughput = 0;
    private boolean restoreEncrypted = false;
    private String restoreKmsKeyId = null;
    private String restoreMountPoints = null;
    private String restoreOsDevices = null;

    @DataBoundConstructor
    public EbsSnapshotProvider(String region) {
        super(region);
    }

    public String getVolumeId() {
        return volumeId;
    }

    @DataBoundSetter
    public void setVolumeId(String volumeId) {
        this.volumeId = Text.trimToNull(volumeId);
    }

    public String getEc2InstanceId() {
        return ec2InstanceId;
    }

    @DataBoundSetter
    public void setEc2InstanceId(String ec2InstanceId) {
        this.ec2InstanceId = Text.trimToNull(ec2InstanceId);
    }

    public boolean isExcludeBootVolume() {
        return excludeBootVolume;
    }

    @DataBoundSetter
    public void setExcludeBootVolume(boolean excludeBootVolume) {
        this.excludeBootVolume = excludeBootVolume;
    }

    /** Mount points frozen for the instant (on the agent of the enclosing node), or null. */
    public String getFreezeMountPoints() {
        return freezeMountPoints;
    }

    @DataBoundSetter
    public void setFreezeMountPoints(String freezeMountPoints) {
        this.freezeMountPoints = Text.trimToNull(freezeMountPoints);
    }

    /** Instance mode: volumes left out of the snapshot set (comma or space separated {@code vol-…} ids), or null. */
    public String getExcludeVolumeIds() {
        return excludeVolumeIds;
    }

    @DataBoundSetter
    public void setExcludeVolumeIds(String excludeVolumeIds) {
        this.excludeVolumeIds = Text.trimToNull(excludeVolumeIds);
    }

    /** Longest wait for snapshots, restored volumes and attachments to complete. */
    public int getDurableTimeoutMinutes() {
        return durableTimeoutMinutes;
    }

    @DataBoundSetter
    public void setDurableTimeoutMinutes(int durableTimeoutMinutes) {
        this.durableTimeoutMinutes = durableTimeoutMinutes;
    }

    /** Where restored volumes are created; null: the snapshot's own availability zone. */
    public String getRestoreAvailabilityZone() {
        return restoreAvailabilityZone;
    }

    @DataBoundSetter
    public void setRestoreAvailabilityZone(String restoreAvailabilityZone) {
        this.restoreAvailabilityZone = Text.trimToNull(restoreAvailabilityZone);
    }

    /** The EC2 instance restored volumes are attached to; null: the snapshot's own instance. */
    public String getRestoreInstanceId() {
        return restoreInstanceId;
    }

    @DataBoundSetter
    public void setRestoreInstanceId(String restoreInstanceId) {
        this.restoreInstanceId = Text.trimToNull(restoreInstanceId);
    }

    public String getRestoreVolumeType() {
        return restoreVolumeType;
    }

    @DataBoundSetter
    public void setRestoreVolumeType(String restoreVolumeType) {
        String v = Text.trimToNull(restoreVolumeType);
        this.restoreVolumeType = v == null ? DEFAULT_VOLUME_TYPE : v;
    }

    /** Provisioned IOPS of restored volumes; 0: the AWS default of the type (io1/io2 need a value). */
    public int getRestoreIops() {
        return restoreIops;
    }

    @DataBoundSetter
    public void setRestoreIops(int restoreIops) {
        this.restoreIops = restoreIops;
    }

    /** Throughput (MiB/s) of restored gp3 volumes; 0: the AWS default. */
    public int getRestoreThroughput() {
        return restoreThroughput;
    }

    @DataBoundSetter
    public void setRestoreThroughput(int restoreThroughput) {
        this.restoreThroughput = restoreThroughput;
    }

    /** Encrypt restored volumes; false: as the snapshot (a volume from an encrypted snapshot always is). */
    public boolean isRestoreEncrypted() {
        return restoreEncrypted;
    }

    @DataBoundSetter
    public void setRestoreEncrypted(boolean restoreEncrypted) {
        this.restoreEncrypted = restoreEncrypted;
    }

    /** The KMS key that encrypts restored volumes; null: the account's default EBS key. */
    public String getRestoreKmsKeyId() {
        return restoreKmsKeyId;
    }

    @DataBoundSetter
    public void setRestoreKmsKeyId(String restoreKmsKeyId) {
        this.restoreKmsKeyId = Text.trimToNull(restoreKmsKeyId);
    }

    /** {@code device=mount point} lines: restored volumes are unmounted/mounted there on the agent; null: none. */
    public String getRestoreMountPoints() {
        return restoreMountPoints;
    }

    @DataBoundSetter
    public void setRestoreMountPoints(String restoreMountPoints) {
        this.restoreMountPoints = Text.trimToNull(restoreMountPoints);
    }

    /** {@code EC2 device=OS device} lines (Nitro: /dev/xvdf=/dev/nvme1n1); null: the OS sees the EC2 names. */
    public String getRestoreOsDevices() {
        return restoreOsDevices;
    }

    @DataBoundSetter
    public void setRestoreOsDevices(String restoreOsDevices) {
        this.restoreOsDevices = Text.trimToNull(restoreOsDevices);
    }

    /**
     * A configuration saved before the durability wait and the restore settings existed has no wait (0) and no
     * volume type (null): today's defaults apply. (The setter never stores a null type.)
     */
    @Override
    protected Object readResolve() {
        if (durableTimeoutMinutes == 0) {
            durableTimeoutMinutes = DEFAULT_DURABLE_TIMEOUT_MINUTES;
        }
        if (restoreVolumeType == null) {
            restoreVolumeType = DEFAULT_VOLUME_TYPE;
        }
        return super.readResolve();
    }

    @Override
    public String kind() {
        return "ebs";
    }

    @Override
    public boolean runsCommands() {
        // fsfreeze and (u)mount run on the agent, the EBS calls on the controller
        return freezeMountPoints != null || restoreMountPoints != null;
    }

    @Override
    public String describe() {
        return kind() + " " + getRegion();
    }

    @Override
    public SnapshotProvider toEngine(ProviderServices services) throws IOException, InterruptedException {
        return EngineProviders.ebsSnapshot(this, services);
    }

    @Extension
    @Symbol("ebsSnapshot")
    public static final class DescriptorImpl extends AwsDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.EbsSnapshotProvider_displayName();
        }

        @Override
        public Set<ComponentSlot> getSlots() {
            return EnumSet.of(ComponentSlot.HOME, ComponentSlot.MESH_HOME);
        }

        @POST
        public FormValidation doCheckExcludeVolumeIds(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> ProviderChecks.volumeIdsProblem(value));
        }

        @POST
        public FormValidation doCheckDurableTimeoutMinutes(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> ProviderChecks.minutesProblem(value,
                    Messages.EbsSnapshotProvider_durableTimeoutMinutes()));
        }

        @POST
        public FormValidation doCheckRestoreVolumeType(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> ProviderChecks.volumeTypeProblem(value));
        }

        @POST
        public FormValidation doCheckRestoreIops(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> ProviderChecks.optionalPositiveProblem(value,
                    Messages.EbsSnapshotProvider_restoreIops()));
        }

        @POST
        public FormValidation doCheckRestoreThroughput(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> ProviderChecks.optionalPositiveProblem(value,
                    Messages.EbsSnapshotProvider_restoreThroughput()));
        }

        @POST
        public FormValidation doCheckRestoreMountPoints(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> SettingsText.pairsProblem(value,
                    Messages.EbsSnapshotProvider_restoreMountPoints()));
        }

        @POST
        public FormValidation doCheckRestoreOsDevices(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> SettingsText.pairsProblem(value,
                    Messages.EbsSnapshotProvider_restoreOsDevices()));
        }
    }
}
