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
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A copy-on-write LVM snapshot (lvcreate --snapshot) of the logical volume holding the home, taken on the agent, optionally with the file system frozen (fsfreeze) for the instant.
 * Symbol {@code lvmSnapshot}; runs commands on the agent.
 */
public final class LvmSnapshotProvider extends ComponentProvider {
    private static final long serialVersionUID = 1L;

    private final String volumeGroup;
    private final String logicalVolume;
    private String snapshotSize = "10G";
    private String freezeMountPoint = null;
    private boolean thin = false;

    @DataBoundConstructor
    public LvmSnapshotProvider(String volumeGroup, String logicalVolume) {
        this.volumeGroup = Text.trimToNull(volumeGroup);
        this.logicalVolume = Text.trimToNull(logicalVolume);
    }

    public String getVolumeGroup() {
        return volumeGroup;
    }

    public String getLogicalVolume() {
        return logicalVolume;
    }

    public String getSnapshotSize() {
        return snapshotSize;
    }

    @DataBoundSetter
    public void setSnapshotSize(String snapshotSize) {
        String v = Text.trimToNull(snapshotSize);
        this.snapshotSize = v == null ? "10G" : v;
    }

    /** A thin snapshot (the origin is a thin volume): no copy-on-write size. */
    public boolean isThin() {
        return thin;
    }

    @DataBoundSetter
    public void setThin(boolean thin) {
        this.thin = thin;
    }

    public String getFreezeMountPoint() {
        return freezeMountPoint;
    }

    @DataBoundSetter
    public void setFreezeMountPoint(String freezeMountPoint) {
        this.freezeMountPoint = Text.trimToNull(freezeMountPoint);
    }

    @Override
    public String kind() {
        return "lvm";
    }

    @Override
    public boolean runsCommands() {
        return true;
    }

    @Override
    public String describe() {
        return kind() + " " + volumeGroup;
    }

    @Override
    public SnapshotProvider toEngine(ProviderServices services) throws IOException, InterruptedException {
        return EngineProviders.lvmSnapshot(this, services);
    }

    @Extension
    @Symbol("lvmSnapshot")
    public static final class DescriptorImpl extends ComponentProviderDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.LvmSnapshotProvider_displayName();
        }

        @Override
        public Set<ComponentSlot> getSlots() {
            return EnumSet.of(ComponentSlot.HOME, ComponentSlot.MESH_HOME);
        }

        @POST
        public FormValidation doCheckVolumeGroup(@AncestorInPath Item item, @QueryParameter String value) {
            return checkRequired(item, value, Messages.LvmSnapshotProvider_volumeGroup());
        }

        @POST
        public FormValidation doCheckLogicalVolume(@AncestorInPath Item item, @QueryParameter String value) {
            return checkRequired(item, value, Messages.LvmSnapshotProvider_logicalVolume());
        }
    }
}
