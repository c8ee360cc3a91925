package io.jenkins.plugins.bbdc.jenkins.provider;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.util.Text;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * Crash-consistent EBS snapshots of one volume, or of every volume attached to an EC2 instance at one instant (multi-volume snapshot). Snapshots are tagged with the instance and restore point id so the catalog can be rebuilt from them.
 * Symbol {@code ebsSnapshot}; calls an API from the controller. The AWS settings are those of {@link AwsComponentProvider}.
 */
public final class EbsSnapshotProvider extends AwsComponentProvider {
    private static final long serialVersionUID = 1L;

    private String volumeId = null;
    private String ec2InstanceId = null;
    private boolean excludeBootVolume = true;
    private String freezeMountPoints = null;

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

    @Override
    public String kind() {
        return "ebs";
    }

    @Override
    public boolean runsCommands() {
        return freezeMountPoints != null; // fsfreeze runs on the agent, the EBS calls on the controller
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
    }
}
