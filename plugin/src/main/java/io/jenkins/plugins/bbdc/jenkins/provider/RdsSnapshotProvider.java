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
 * Manual DB snapshots of an RDS instance; restores create a new instance from the snapshot or, with point-in-time recovery, at exactly the restore point's fence.
 * Symbol {@code rdsSnapshot}; calls an API from the controller. The AWS and restore settings are those of {@link AwsDatabaseProvider}.
 */
public final class RdsSnapshotProvider extends AwsDatabaseProvider {
    private static final long serialVersionUID = 1L;

    private final String dbInstanceIdentifier;
    private boolean restoreMultiAz = false;

    @DataBoundConstructor
    public RdsSnapshotProvider(String dbInstanceIdentifier, String region) {
        super(region);
        this.dbInstanceIdentifier = Text.trimToNull(dbInstanceIdentifier);
    }

    public String getDbInstanceIdentifier() {
        return dbInstanceIdentifier;
    }

    /** The restored instance is a Multi-AZ deployment (a standby in another zone); false: single-AZ. */
    public boolean isRestoreMultiAz() {
        return restoreMultiAz;
    }

    @DataBoundSetter
    public void setRestoreMultiAz(boolean restoreMultiAz) {
        this.restoreMultiAz = restoreMultiAz;
    }

    @Override
    public String kind() {
        return "rds";
    }

    @Override
    public String describe() {
        return kind() + " " + dbInstanceIdentifier;
    }

    @Override
    public SnapshotProvider toEngine(ProviderServices services) throws IOException, InterruptedException {
        return EngineProviders.rdsSnapshot(this, services);
    }

    @Extension
    @Symbol("rdsSnapshot")
    public static final class DescriptorImpl extends AwsDatabaseDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.RdsSnapshotProvider_displayName();
        }

        @Override
        public Set<ComponentSlot> getSlots() {
            return EnumSet.of(ComponentSlot.DATABASE);
        }

        @POST
        public FormValidation doCheckDbInstanceIdentifier(@AncestorInPath Item item, @QueryParameter String value) {
            return checkRequired(item, value, Messages.RdsSnapshotProvider_dbInstanceIdentifier());
        }
    }
}
