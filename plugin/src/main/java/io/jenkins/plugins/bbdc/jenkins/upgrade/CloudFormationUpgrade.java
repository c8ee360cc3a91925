package io.jenkins.plugins.bbdc.jenkins.upgrade;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsClientFactory;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsSettings;
import io.jenkins.plugins.bbdc.core.upgrade.aws.CloudFormationNodeAction;
import io.jenkins.plugins.bbdc.core.upgrade.aws.CloudFormationUpgradeConfig;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.provider.AwsConnection;
import io.jenkins.plugins.bbdc.jenkins.provider.AwsConnections;
import io.jenkins.plugins.bbdc.jenkins.provider.ProviderServices;
import io.jenkins.plugins.bbdc.jenkins.provider.SettingsText;
import io.jenkins.plugins.bbdc.jenkins.util.CredentialsKinds;
import io.jenkins.plugins.bbdc.jenkins.util.CredentialsListing;
import io.jenkins.plugins.bbdc.jenkins.util.FormAccess;
import io.jenkins.plugins.bbdc.jenkins.util.JenkinsGrants;
import io.jenkins.plugins.bbdc.jenkins.util.Text;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Atlassian's CloudFormation upgrade method as the node action of {@code bitbucketRollingUpgrade}:
 * {@code cloudFormation(region: 'eu-west-1', autoScalingGroup: 'bitbucket-ClusterNodeGroup-1A2B', stack: 'bitbucket')}.
 * Optionally the stack's version parameter is changed first; then each node's EC2 instance is terminated in its Auto
 * Scaling group and the upgrade follows the replacement node (it implies {@code replacesNodes}). The settings of
 * the engine's {@code upgrade.cloudFormation} section of {@code bbdc-ops}, plus the AWS connection every AWS setting
 * of the plugin has. The calls run on the controller.
 *
 * <p>Plain values and a credentials id only: a running step keeps it (program.dat) to rebuild the action after a
 * controller restart.
 */
public final class CloudFormationUpgrade implements Describable<CloudFormationUpgrade>, AwsConnection, Serializable {
    private static final long serialVersionUID = 1L;

    /** The stack parameter of Atlassian's templates that holds the Bitbucket version. */
    public static final String DEFAULT_VERSION_PARAMETER = "BitbucketVersion";
    static final int DEFAULT_STACK_UPDATE_TIMEOUT_MINUTES = 60;
    static final int DEFAULT_REPLACEMENT_TIMEOUT_MINUTES = 30;
    private static final Pattern INSTANCE_ID = Pattern.compile("i-[0-9a-f]{8,17}");

    private final String region;
    private final String autoScalingGroup;
    private String stack;
    private String versionParameter;
    private String nodeInstances;
    private int stackUpdateTimeoutMinutes = DEFAULT_STACK_UPDATE_TIMEOUT_MINUTES;
    private int replacementTimeoutMinutes = DEFAULT_REPLACEMENT_TIMEOUT_MINUTES;
    private String credentialsId;
    private String roleArn;
    private String externalId;
    private String roleSessionName;
    private int roleSessionDurationMinutes = DEFAULT_ROLE_SESSION_MINUTES;
    private String endpointUrl;

    @DataBoundConstructor
    public CloudFormationUpgrade(String region, String autoScalingGroup) {
        this.region = Text.trimToNull(region);
        this.autoScalingGroup = Text.trimToNull(autoScalingGroup);
    }

    @Override
    public String getRegion() {
        return region;
    }

    public String getAutoScalingGroup() {
        return autoScalingGroup;
    }

    /** The stack whose version parameter is changed before the first node; null: only instances are replaced. */
    @CheckForNull
    public String getStack() {
        return stack;
    }

    @DataBoundSetter
    public void setStack(String stack) {
        this.stack = Text.trimToNull(stack);
    }

    public String getVersionParameter() {
        return versionParameter == null ? DEFAULT_VERSION_PARAMETER : versionParameter;
    }

    @DataBoundSetter
    public void setVersionParameter(String versionParameter) {
        String v = Text.trimToNull(versionParameter);
        this.versionParameter = DEFAULT_VERSION_PARAMETER.equals(v) ? null : v;
    }

    /** Bitbucket node name, host or id {@code =} EC2 instance id, one per line; null: hosts or names are the ids. */
    @CheckForNull
    public String getNodeInstances() {
        return nodeInstances;
    }

    @DataBoundSetter
    public void setNodeInstances(String nodeInstances) {
        this.nodeInstances = Text.trimToNull(nodeInstances);
    }

    public int getStackUpdateTimeoutMinutes() {
        return stackUpdateTimeoutMinutes;
    }

    @DataBoundSetter
    public void setStackUpdateTimeoutMinutes(int minutes) {
        this.stackUpdateTimeoutMinutes = positive(minutes, "stackUpdateTimeoutMinutes");
    }

    public int getReplacementTimeoutMinutes() {
        return replacementTimeoutMinutes;
    }

    @DataBoundSetter
    public void setReplacementTimeoutMinutes(int minutes) {
        this.replacementTimeoutMinutes = positive(minutes, "replacementTimeoutMinutes");
    }

    private static int positive(int minutes, String field) {
        if (minutes < 1) {
            throw new IllegalArgumentException(Messages.CloudFormationUpgrade_badMinutes(field, String.valueOf(minutes)));
        }
        return minutes;
    }

    @Override
    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Text.trimToNull(credentialsId);
    }

    @Override
    public String getRoleArn() {
        return roleArn;
    }

    @DataBoundSetter
    public void setRoleArn(String roleArn) {
        this.roleArn = Text.trimToNull(roleArn);
    }

    @Override
    public String getExternalId() {
        return externalId;
    }

    @DataBoundSetter
    public void setExternalId(String externalId) {
        this.externalId = Text.trimToNull(externalId);
    }

    @Override
    public String getRoleSessionName() {
        return roleSessionName;
    }

    @DataBoundSetter
    public void setRoleSessionName(String roleSessionName) {
        this.roleSessionName = Text.trimToNull(roleSessionName);
    }

    @Override
    public int getRoleSessionDurationMinutes() {
        return roleSessionDurationMinutes;
    }

    @DataBoundSetter
    public void setRoleSessionDurationMinutes(int roleSessionDurationMinutes) {
        this.roleSessionDurationMinutes = roleSessionDurationMinutes;
    }

    @Override
    public String getEndpointUrl() {
        return endpointUrl;
    }

    @DataBoundSetter
    public void setEndpointUrl(String endpointUrl) {
        this.endpointUrl = Text.trimToNull(endpointUrl);
    }

    /**
     * Called by XStream (a saved freestyle job) and Java serialization (a running step) after the fields were read;
     * neither runs field initialisers, so a timeout or session duration missing from what was saved arrives as 0 —
     * never a valid value — and gets today's default here.
     */
    private Object readResolve() {
        if (stackUpdateTimeoutMinutes == 0) {
            stackUpdateTimeoutMinutes = DEFAULT_STACK_UPDATE_TIMEOUT_MINUTES;
        }
        if (replacementTimeoutMinutes == 0) {
            replacementTimeoutMinutes = DEFAULT_REPLACEMENT_TIMEOUT_MINUTES;
        }
        if (roleSessionDurationMinutes == 0) {
            roleSessionDurationMinutes = DEFAULT_ROLE_SESSION_MINUTES;
        }
        return this;
    }

    /** How messages name these settings; never a secret. */
    public String describe() {
        return Messages.CloudFormationUpgrade_describe(autoScalingGroup, region);
    }

    /**
     * The engine's settings of the method.
     *
     * @throws AbortException saying every field to change, before anything is asked of AWS or Bitbucket
     */
    public CloudFormationUpgradeConfig toConfig() throws AbortException {
        List<String> problems = new ArrayList<>();
        if (region == null) {
            problems.add(Messages.Validation_required("region"));
        } else {
            addIfSet(problems, AwsConnections.regionProblem(region));
        }
        if (autoScalingGroup == null) {
            problems.add(Messages.Validation_required("autoScalingGroup"));
        }
        if (stack == null && versionParameter != null) {
            problems.add(Messages.CloudFormationUpgrade_versionParameterWithoutStack(versionParameter));
        }
        Map<String, String> instances = Map.of();
        String pairs = nodeInstancesProblem(nodeInstances);
        if (pairs != null) {
            problems.add(pairs);
        } else {
            instances = SettingsText.pairs(nodeInstances, "nodeInstances");
        }
        addIfSet(problems, AwsConnections.roleSessionNameProblem(roleSessionName));
        addIfSet(problems, AwsConnections.roleSessionMinutesProblem(String.valueOf(roleSessionDurationMinutes)));
        addIfSet(problems, endpointUrlProblem(endpointUrl));
        if (!problems.isEmpty()) {
            throw new AbortException(Messages.CloudFormationUpgrade_invalid(String.join(" ", problems)));
        }
        CloudFormationUpgradeConfig.Builder b = CloudFormationUpgradeConfig.builder().region(region)
                .autoScalingGroup(autoScalingGroup)
                .timeouts(Duration.ofMinutes(stackUpdateTimeoutMinutes), Duration.ofMinutes(replacementTimeoutMinutes));
        if (stack != null) {
            b.stack(stack, getVersionParameter());
        }
        instances.forEach(b::nodeInstance);
        CloudFormationUpgradeConfig config = b.build();
        if (!config.problems().isEmpty()) {
            throw new AbortException(Messages.CloudFormationUpgrade_invalid(String.join("; ", config.problems())));
        }
        return config;
    }

    private static void addIfSet(List<String> problems, @CheckForNull String problem) {
        if (problem != null) {
            problems.add(problem);
        }
    }

    /**
     * The engine's node action with the AWS clients it uses, for one upgrade: credentials are looked up as the build
     * (in memory only), the calls go through Jenkins' HTTP proxy. Nothing is asked of AWS yet.
     */
    public EngineAction open(ProviderServices services) throws AbortException {
        CloudFormationUpgradeConfig config = toConfig();
        AwsClientFactory clients = AwsConnections.open(this, describe(), services);
        return new EngineAction(new CloudFormationNodeAction(clients, config, Clock.systemUTC()), clients);
    }

    /** The engine's CloudFormation node action and the AWS clients it owns (closed with it). */
    public static final class EngineAction implements AutoCloseable {
        private final CloudFormationNodeAction action;
        private final AwsClientFactory clients;

        EngineAction(CloudFormationNodeAction action, AwsClientFactory clients) {
            this.action = action;
            this.clients = clients;
        }

        public CloudFormationNodeAction action() {
            return action;
        }

        /** The AWS settings the calls use (region, credentials, endpoint, proxy). */
        public AwsSettings settings() {
            return clients.settings();
        }

        @Override
        public void close() {
            clients.close();
        }
    }

    /** {@code node=i-…} lines whose values are EC2 instance ids; null when usable. */
    @CheckForNull
    static String nodeInstancesProblem(@CheckForNull String text) {
        String pairs = SettingsText.pairsProblem(text, "nodeInstances");
        if (pairs != null) {
            return pairs;
        }
        List<String> bad = SettingsText.pairs(text, "nodeInstances").values().stream()
                .filter(v -> !INSTANCE_ID.matcher(v).matches()).toList();
        return bad.isEmpty() ? null : Messages.CloudFormationUpgrade_badInstanceIds(String.join(", ", bad));
    }

    @CheckForNull
    static String regionProblem(@CheckForNull String value) {
        String v = Text.trimToNull(value);
        if (v == null) {
            return Messages.Validation_required(Messages.CloudFormationUpgrade_region());
        }
        return AwsConnections.regionProblem(v);
    }

    @CheckForNull
    static String endpointUrlProblem(@CheckForNull String value) {
        String v = Text.trimToNull(value);
        if (v == null) {
            return null;
        }
        try {
            URI u = new URI(v);
            if (u.getHost() != null && ("https".equalsIgnoreCase(u.getScheme())
                    || "http".equalsIgnoreCase(u.getScheme()))) {
                return null;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        return Messages.CloudFormationUpgrade_badEndpointUrl(v);
    }

    @CheckForNull
    static String minutesProblem(@CheckForNull String value, String what) {
        String v = Text.trimToNull(value);
        if (v == null) {
            return null; // the form's default applies
        }
        try {
            if (Integer.parseInt(v) >= 1) {
                return null;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        return Messages.CloudFormationUpgrade_badMinutes(what, v);
    }

    @Extension
    @Symbol("cloudFormation")
    public static final class DescriptorImpl extends Descriptor<CloudFormationUpgrade> {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.CloudFormationUpgrade_displayName();
        }

        /** Runs a field rule for whoever may validate this job's form (see {@link FormAccess}). */
        private static FormValidation check(@CheckForNull Item item, Supplier<String> problem) {
            if (!FormAccess.mayValidate(item != null, JenkinsGrants.of(item))) {
                return FormValidation.ok();
            }
            String p = problem.get();
            return p == null ? FormValidation.ok() : FormValidation.error(p);
        }

        @POST
        public FormValidation doCheckRegion(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> regionProblem(value));
        }

        @POST
        public FormValidation doCheckAutoScalingGroup(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> Text.trimToNull(value) == null
                    ? Messages.Validation_required(Messages.CloudFormationUpgrade_autoScalingGroup()) : null);
        }

        @POST
        public FormValidation doCheckVersionParameter(@AncestorInPath Item item, @QueryParameter String value,
                                                      @QueryParameter String stack) {
            return check(item, () -> {
                String v = Text.trimToNull(value);
                return v != null && !DEFAULT_VERSION_PARAMETER.equals(v) && Text.trimToNull(stack) == null
                        ? Messages.CloudFormationUpgrade_versionParameterWithoutStack(v) : null;
            });
        }

        @POST
        public FormValidation doCheckNodeInstances(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> nodeInstancesProblem(value));
        }

        @POST
        public FormValidation doCheckStackUpdateTimeoutMinutes(@AncestorInPath Item item,
                                                               @QueryParameter String value) {
            return check(item, () -> minutesProblem(value, Messages.CloudFormationUpgrade_stackUpdateTimeout()));
        }

        @POST
        public FormValidation doCheckReplacementTimeoutMinutes(@AncestorInPath Item item,
                                                               @QueryParameter String value) {
            return check(item, () -> minutesProblem(value, Messages.CloudFormationUpgrade_replacementTimeout()));
        }

        @POST
        public FormValidation doCheckRoleSessionName(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> AwsConnections.roleSessionNameProblem(value));
        }

        @POST
        public FormValidation doCheckRoleSessionDurationMinutes(@AncestorInPath Item item,
                                                                 @QueryParameter String value) {
            return check(item, () -> AwsConnections.roleSessionMinutesProblem(value));
        }

        @POST
        public FormValidation doCheckEndpointUrl(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> endpointUrlProblem(value));
        }

        /** AWS entries are not scoped by URL: every credentials domain counts, in the form as in the build. */
        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return CredentialsListing.fill(item, credentialsId, AmazonWebServicesCredentials.class, null);
        }

        /**
         * Reports an id this job cannot see or that names an entry of another kind; empty (the controller's own
         * identity, refused unless the instance allows it) is warned about.
         */
        @POST
        public FormValidation doCheckCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            String id = Text.trimToNull(value);
            if (id == null) {
                return AwsConnections.noCredentialsEntryWarning(item);
            }
            return check(item, () -> {
                StandardCredentials c = CredentialsListing.find(item, id, null);
                return CredentialsKinds.formProblem(id, c == null ? null : CredentialsKinds.kindOf(c),
                        c instanceof AmazonWebServicesCredentials,
                        CredentialsKinds.kindName(AmazonWebServicesCredentials.class));
            });
        }
    }
}
