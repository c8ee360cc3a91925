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
 * A read-only btrfs subvolume snapshot (btrfs subvolume snapshot -r) of the subvolume holding the home, taken on the agent.
 * Symbol {@code btrfsSnapshot}; runs commands on the agent.
 */
public final class BtrfsSnapshotProvider extends ComponentProvider {
    private static final long serialVersionUID = 1L;

    private final String subvolume;
    private final String snapshotDirectory;

    @DataBoundConstructor
    public BtrfsSnapshotProvider(String subvolume, String snapshotDirectory) {
        this.subvolume = Text.trimToNull(subvolume);
        this.snapshotDirectory = Text.trimToNull(snapshotDirectory);
    }

    public String getSubvolume() {
        return subvolume;
    }

    public String getSnapshotDirectory() {
        return snapshotDirectory;
    }

    @Override
    public String kind() {
        return "btrfs";
    }

    @Override
    public boolean runsCommands() {
        return true;
    }

    @Override
    public String describe() {
        return kind() + " " + subvolume;
    }

    @Override
    public SnapshotProvider toEngine(ProviderServices services) throws IOException, InterruptedException {
        return EngineProviders.btrfsSnapshot(this, services);
    }

    @Extension
    @Symbol("btrfsSnapshot")
    public static final class DescriptorImpl extends ComponentProviderDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.BtrfsSnapshotProvider_displayName();
        }

        @Override
        public Set<ComponentSlot> getSlots() {
            return EnumSet.of(ComponentSlot.HOME, ComponentSlot.MESH_HOME);
        }

        @POST
        public FormValidation doCheckSubvolume(@AncestorInPath Item item, @QueryParameter String value) {
            return checkRequired(item, value, Messages.BtrfsSnapshotProvider_subvolume());
        }

        @POST
        public FormValidation doCheckSnapshotDirectory(@AncestorInPath Item item, @QueryParameter String value) {
            return checkRequired(item, value, Messages.BtrfsSnapshotProvider_snapshotDirectory());
        }
    }
}
