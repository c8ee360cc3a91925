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
 * Cluster snapshots of an Aurora PostgreSQL cluster; restores create a new cluster from the snapshot or at the restore point's fence (point-in-time).
 * Symbol {@code auroraSnapshot}; calls an API from the controller. The AWS and restore settings are those of {@link AwsDatabaseProvider}.
 */
public final class AuroraSnapshotProvider extends AwsDatabaseProvider {
    private static final long serialVersionUID = 1L;

    private final String dbClusterIdentifier;
    private String restoreClusterParameterGroupName = null;

    @DataBoundConstructor
    public AuroraSnapshotProvider(String dbClusterIdentifier, String region) {
        super(region);
        this.dbClusterIdentifier = Text.trimToNull(dbClusterIdentifier);
    }

    public String getDbClusterIdentifier() {
        return dbClusterIdentifier;
    }

    /** DB cluster parameter group of the restored cluster; null: the engine's default group. */
    public String getRestoreClusterParameterGroupName() {
        return restoreClusterParameterGroupName;
    }

    @DataBoundSetter
    public void setRestoreClusterParameterGroupName(String restoreClusterParameterGroupName) {
        this.restoreClusterParameterGroupName = Text.trimToNull(restoreClusterParameterGroupName);
    }

    @Override
    public String kind() {
        return "aurora";
    }

    @Override
    public String describe() {
        return kind() + " " + dbClusterIdentifier;
    }

    @Override
    public SnapshotProvider toEngine(ProviderServices services) throws IOException, InterruptedException {
        return EngineProviders.auroraSnapshot(this, services);
    }

    @Extension
    @Symbol("auroraSnapshot")
    public static final class DescriptorImpl extends AwsDatabaseDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.AuroraSnapshotProvider_displayName();
        }

        @Override
        public Set<ComponentSlot> getSlots() {
            return EnumSet.of(ComponentSlot.DATABASE);
        }

        @POST
        public FormValidation doCheckDbClusterIdentifier(@AncestorInPath Item item, @QueryParameter String value) {
            return checkRequired(item, value, Messages.AuroraSnapshotProvider_dbClusterIdentifier());
        }
    }
}
