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
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * An atomic ZFS snapshot (zfs snapshot) of the dataset holding the home, taken on the agent.
 * Symbol {@code zfsSnapshot}; runs commands on the agent.
 */
public final class ZfsSnapshotProvider extends ComponentProvider {
    private static final long serialVersionUID = 1L;

    private final String dataset;

    @DataBoundConstructor
    public ZfsSnapshotProvider(String dataset) {
        this.dataset = Text.trimToNull(dataset);
    }

    public String getDataset() {
        return dataset;
    }

    @Override
    public String kind() {
        return "zfs";
    }

    @Override
    public boolean runsCommands() {
        return true;
    }

    @Override
    public String describe() {
        return kind() + " " + dataset;
    }

    @Override
    public SnapshotProvider toEngine(ProviderServices services) throws IOException, InterruptedException {
        return EngineProviders.zfsSnapshot(this, services);
    }

    @Extension
    @Symbol("zfsSnapshot")
    public static final class DescriptorImpl extends ComponentProviderDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.ZfsSnapshotProvider_displayName();
        }

        @Override
        public Set<ComponentSlot> getSlots() {
            return EnumSet.of(ComponentSlot.HOME, ComponentSlot.MESH_HOME);
        }

        @POST
        public FormValidation doCheckDataset(@AncestorInPath Item item, @QueryParameter String value) {
            return checkRequired(item, value, Messages.ZfsSnapshotProvider_dataset());
        }
    }
}
