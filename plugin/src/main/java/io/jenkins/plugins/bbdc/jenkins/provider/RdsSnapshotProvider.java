package io.jenkins.plugins.bbdc.jenkins.provider;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Item;
import hudson.util.FormValidation;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.util.Text;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Manual DB snapshots of an RDS instance; restores create a new instance from the snapshot or, with point-in-time recovery, at exactly the restore point's fence.
 * Symbol {@code rdsSnapshot}; calls an API from the controller.
 */
public final class RdsSnapshotProvider extends ComponentProvider {
    private static final long serialVersionUID = 1L;

    private final String dbInstanceIdentifier;
    private final String region;
    private String credentialsId = null;
    private String roleArn = null;
    private String externalId = null;
    private String endpointUrl = null;

    @DataBoundConstructor
    public RdsSnapshotProvider(String dbInstanceIdentifier, String region) {
        this.dbInstanceIdentifier = Text.trimToNull(dbInstanceIdentifier);
        this.region = Text.trimToNull(region);
    }

    public String getDbInstanceIdentifier() {
        return dbInstanceIdentifier;
    }

    public String getRegion() {
        return region;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Text.trimToNull(credentialsId);
    }

    public String getRoleArn() {
        return roleArn;
    }

    @DataBoundSetter
    public void setRoleArn(String roleArn) {
        this.roleArn = Text.trimToNull(roleArn);
    }

    public String getExternalId() {
        return externalId;
    }

    @DataBoundSetter
    public void setExternalId(String externalId) {
        this.externalId = Text.trimToNull(externalId);
    }

    public String getEndpointUrl() {
        return endpointUrl;
    }

    @DataBoundSetter
    public void setEndpointUrl(String endpointUrl) {
        this.endpointUrl = Text.trimToNull(endpointUrl);
    }

    @Override
    public String kind() {
        return "rds";
    }

    @Override
    public boolean runsCommands() {
        return false;
    }

    @Override
    public List<String> credentialsIds() {
        return credentialsId == null ? List.of() : List.of(credentialsId);
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
    public static final class DescriptorImpl extends ComponentProviderDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.RdsSnapshotProvider_displayName();
        }

        @Override
        public Set<ComponentSlot> getSlots() {
            return EnumSet.of(ComponentSlot.DATABASE);
        }

        @Override
        protected Class<? extends StandardCredentials> credentialsType() {
            return AmazonWebServicesCredentials.class;
        }

        @POST
        public FormValidation doCheckDbInstanceIdentifier(@AncestorInPath Item item, @QueryParameter String value) {
            return checkRequired(item, value, Messages.RdsSnapshotProvider_dbInstanceIdentifier());
        }

        @POST
        public FormValidation doCheckRegion(@AncestorInPath Item item, @QueryParameter String value) {
            return checkRequired(item, value, Messages.RdsSnapshotProvider_region());
        }
    }
}
