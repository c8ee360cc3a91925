package io.jenkins.plugins.bbdc.jenkins.provider;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import hudson.AbortException;
import hudson.model.Item;
import hudson.util.FormValidation;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.util.Text;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * What every AWS provider (EBS, RDS, Aurora) is configured with: the region, the Jenkins AWS credentials entry, a
 * role to assume (with its external id, session name and duration), an endpoint override, extra tags, and an optional
 * copy destination (another region, optionally a KMS key there) the backup copies each snapshot to once the restore
 * point is complete — these three are the providers the engine can copy with. The calls run on the controller, through Jenkins' HTTP
 * proxy (Manage Jenkins » System » HTTP proxy) unless the endpoint is one of its no-proxy hosts.
 *
 * <p>Subclasses take {@code region} in their {@code @DataBoundConstructor}; the optional fields are bound through the
 * setters declared here (Jenkins data binding and configuration-as-code find inherited {@code @DataBoundSetter}s),
 * so scripts and saved configurations name them exactly as before. The shared form entries are
 * {@code AwsComponentProvider/aws-connection.jelly}, included by each provider's {@code config.jelly}; their help files
 * live next to it and Jenkins finds them along the class hierarchy.
 */
public abstract class AwsComponentProvider extends ComponentProvider implements AwsConnection {
    private static final long serialVersionUID = 1L;

    private final String region;
    private String credentialsId = null;
    private String roleArn = null;
    private String externalId = null;
    private String endpointUrl = null;
    private String roleSessionName = null;
    private int roleSessionDurationMinutes = DEFAULT_ROLE_SESSION_MINUTES;
    private String extraTags = null;
    private String copyRegion = null;
    private String copyKmsKeyId = null;

    protected AwsComponentProvider(String region) {
        this.region = Text.trimToNull(region);
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

    /** The role session name shown in CloudTrail; null: {@code bbdc-ops}. Only with {@code roleArn}. */
    public String getRoleSessionName() {
        return roleSessionName;
    }

    @DataBoundSetter
    public void setRoleSessionName(String roleSessionName) {
        this.roleSessionName = Text.trimToNull(roleSessionName);
    }

    /** How long each assumed-role session lasts before it is renewed (15 … 720 minutes). Only with {@code roleArn}. */
    public int getRoleSessionDurationMinutes() {
        return roleSessionDurationMinutes;
    }

    @DataBoundSetter
    public void setRoleSessionDurationMinutes(int roleSessionDurationMinutes) {
        this.roleSessionDurationMinutes = roleSessionDurationMinutes;
    }

    /** Tags added to every snapshot and restored resource, {@code key=value} one per line; null: none. */
    public String getExtraTags() {
        return extraTags;
    }

    @DataBoundSetter
    public void setExtraTags(String extraTags) {
        this.extraTags = Text.trimToNull(extraTags);
    }

    /** The region each snapshot is copied to once the restore point is complete (disaster recovery); null: none. */
    public String getCopyRegion() {
        return copyRegion;
    }

    @DataBoundSetter
    public void setCopyRegion(String copyRegion) {
        this.copyRegion = Text.trimToNull(copyRegion);
    }

    /** KMS key of {@link #getCopyRegion()} the copies are encrypted with; null: as AWS decides for the snapshot. */
    public String getCopyKmsKeyId() {
        return copyKmsKeyId;
    }

    @DataBoundSetter
    public void setCopyKmsKeyId(String copyKmsKeyId) {
        this.copyKmsKeyId = Text.trimToNull(copyKmsKeyId);
    }

    /**
     * The engine's copy destination: {@code region} and, if set, {@code kmsKeyId}. A key without a region is passed
     * on as it is, so that the backup refuses it with the engine's message instead of silently not copying.
     *
     * @throws AbortException when {@code copyRegion} is the provider's own region: the form warns about it, a
     *                        Pipeline script is refused here, before the backup changes anything
     */
    @Override
    public Map<String, String> copyDestination() throws AbortException {
        if (copyRegion != null && copyRegion.equals(region)) {
            throw new AbortException(Messages.AwsComponentProvider_copyToOwnRegion(describe(), copyRegion));
        }
        Map<String, String> d = new LinkedHashMap<>();
        if (copyRegion != null) {
            d.put("region", copyRegion);
        }
        if (copyKmsKeyId != null) {
            d.put("kmsKeyId", copyKmsKeyId);
        }
        return d;
    }

    /**
     * A configuration saved before the role session settings existed has no duration (0): it gets the default, as if
     * never set, rather than a value the role check would refuse ("role session settings without a role").
     */
    @Override
    protected Object readResolve() {
        if (roleSessionDurationMinutes == 0) {
            roleSessionDurationMinutes = DEFAULT_ROLE_SESSION_MINUTES;
        }
        return super.readResolve();
    }

    /** The AWS calls run on the controller; a provider that also runs commands on the agent says so. */
    @Override
    public boolean runsCommands() {
        return false;
    }

    @Override
    public List<String> credentialsIds() {
        return credentialsId == null ? List.of() : List.of(credentialsId);
    }

    /** The form methods every AWS provider shares: AWS credentials entries and the required region. */
    public abstract static class AwsDescriptor extends ComponentProviderDescriptor {
        @Override
        protected Class<? extends StandardCredentials> credentialsType() {
            return AmazonWebServicesCredentials.class;
        }

        /** AWS entries are not scoped by URL: every credentials domain counts, in the form as in the build. */
        @Override
        protected String credentialsUri(String url, String host) {
            return null;
        }

        /** An empty id is allowed in the form but warned about: builds refuse it unless the instance allows it. */
        @POST
        @Override
        public FormValidation doCheckCredentialsId(@AncestorInPath Item item, @QueryParameter String value,
                                                   @QueryParameter String url, @QueryParameter String host) {
            if (Text.trimToNull(value) == null) {
                return AwsConnections.noCredentialsEntryWarning(item);
            }
            return super.doCheckCredentialsId(item, value, url, host);
        }

        @POST
        public FormValidation doCheckRegion(@AncestorInPath Item item, @QueryParameter String value) {
            if (Text.trimToNull(value) == null) {
                return checkRequired(item, value, Messages.AwsComponentProvider_region());
            }
            return check(item, () -> ProviderChecks.regionProblem(value));
        }

        /** Optional, but a region name when given; a KMS key needs it, and the source region is no disaster copy. */
        @POST
        public FormValidation doCheckCopyRegion(@AncestorInPath Item item, @QueryParameter String value,
                                                @QueryParameter String region, @QueryParameter String copyKmsKeyId) {
            return check(item, () -> ProviderChecks.copyRegionProblem(value, region, copyKmsKeyId));
        }

        @POST
        public FormValidation doCheckRoleSessionName(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> ProviderChecks.roleSessionNameProblem(value));
        }

        @POST
        public FormValidation doCheckRoleSessionDurationMinutes(@AncestorInPath Item item,
                                                                 @QueryParameter String value) {
            return check(item, () -> ProviderChecks.roleSessionMinutesProblem(value));
        }

        @POST
        public FormValidation doCheckExtraTags(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> SettingsText.pairsProblem(value, Messages.AwsComponentProvider_extraTags()));
        }
    }
}
