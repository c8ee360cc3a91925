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
 * Crash-consistent EBS snapshots of one volume, or of every volume attached to an EC2 instance at one instant (multi-volume snapshot). Snapshots are tagged with the instance and restore point id so the catalog can be rebuilt from them.
 * Symbol {@code ebsSnapshot}; calls an API from the controller.
 */
public final class EbsSnapshotProvider extends ComponentProvider {
    private static final long serialVersionUID = 1L;

    private final String region;
    private String volumeId = null;
    private String ec2InstanceId = null;
    private boolean excludeBootVolume = true;
    private String credentialsId = null;
    private String roleArn = null;
    private String externalId = null;
    private String endpointUrl = null;
    private String freezeMountPoints = null;

    @DataBoundConstructor
    public EbsSnapshotProvider(String region) {
        this.region = Text.trimToNull(region);
    }

    public String getRegion() {
        return region;
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
    public List<String> credentialsIds() {
        return credentialsId == null ? List.of() : List.of(credentialsId);
    }

    @Override
    public String describe() {
        return kind() + " " + region;
    }

    @Override
    public SnapshotProvider toEngine(ProviderServices services) throws IOException, InterruptedException {
        return EngineProviders.ebsSnapshot(this, services);
    }

    @Extension
    @Symbol("ebsSnapshot")
    public static final class DescriptorImpl extends ComponentProviderDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.EbsSnapshotProvider_displayName();
        }

        @Override
        public Set<ComponentSlot> getSlots() {
            return EnumSet.of(ComponentSlot.HOME, ComponentSlot.MESH_HOME);
        }

        @Override
        protected Class<? extends StandardCredentials> credentialsType() {
            return AmazonWebServicesCredentials.class;
        }

        @POST
        public FormValidation doCheckRegion(@AncestorInPath Item item, @QueryParameter String value) {
            return checkRequired(item, value, Messages.EbsSnapshotProvider_region());
        }
    }
}
