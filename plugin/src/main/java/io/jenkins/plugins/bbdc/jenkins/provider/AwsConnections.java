package io.jenkins.plugins.bbdc.jenkins.provider;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.Item;
import hudson.util.FormValidation;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsClientFactory;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsCredentialsConfig;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsSettings;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.util.FormAccess;
import io.jenkins.plugins.bbdc.jenkins.util.JenkinsGrants;
import java.net.URI;
import java.time.Duration;

/**
 * The one place where an {@link AwsConnection} becomes the engine's AWS clients, and the form rules of its fields —
 * shared by the AWS providers and the CloudFormation rolling upgrade.
 */
public final class AwsConnections {
    private AwsConnections() {
    }

    /**
     * One client factory per operation (the caller closes it). Without a credentials id the controller's default
     * chain is used, and only when the instance's administrator allowed it ({@link
     * ProviderServices#controllerAwsIdentityAllowed()}): otherwise any job author could act with the controller's own
     * AWS role. A Jenkins AWS entry is itself an SDK v2 provider and is asked on every signing; {@code roleArn}
     * assumes a role on top (session name — by default the build's — and duration as configured), renewed before it
     * expires. The calls go through Jenkins' HTTP proxy, if one is configured, except to its no-proxy hosts.
     *
     * @param subject how messages name the settings, e.g. "The provider ebs eu-west-1"
     * @throws AbortException naming {@code subject} and what to change when the settings cannot be used, when the
     *                        credentials entry cannot be found as the build, or when it is empty and the controller's
     *                        identity is not allowed
     */
    public static AwsClientFactory open(AwsConnection c, String subject, ProviderServices services)
            throws AbortException {
        String credentialsId = c.getCredentialsId();
        if (c.getRoleArn() == null && (c.getRoleSessionName() != null
                || c.getRoleSessionDurationMinutes() != AwsConnection.DEFAULT_ROLE_SESSION_MINUTES)) {
            throw new AbortException(Messages.AwsConnections_roleSessionWithoutRole(subject));
        }
        if (credentialsId == null && !services.controllerAwsIdentityAllowed()) {
            throw new AbortException(Messages.AwsConnections_controllerIdentityNotAllowed(subject,
                    services.instanceId()));
        }
        AwsCredentialsConfig base = credentialsId == null ? AwsCredentialsConfig.defaultChain()
                : AwsCredentialsConfig.provided(services.aws(credentialsId),
                        Messages.EngineProviders_jenkinsCredentials(credentialsId));
        try {
            AwsCredentialsConfig credentials = c.getRoleArn() == null ? base
                    : AwsCredentialsConfig.assumeRole(base, c.getRoleArn(), c.getExternalId(),
                            c.getRoleSessionName() != null ? c.getRoleSessionName()
                                    : services.defaultRoleSessionName(),
                            Duration.ofMinutes(c.getRoleSessionDurationMinutes()));
            AwsSettings.Builder settings = AwsSettings.builder().region(c.getRegion()).credentials(credentials);
            if (c.getEndpointUrl() != null) {
                settings.endpointOverride(URI.create(c.getEndpointUrl()));
            }
            services.proxy().applyTo(settings);
            return new AwsClientFactory(settings.build());
        } catch (IllegalArgumentException e) {
            throw new AbortException(Messages.AwsConnections_invalid(subject, e.getMessage()));
        }
    }

    /**
     * The form's warning on an AWS setting without a credentials entry (the form cannot tell whether the instance the
     * build will use allows the controller's identity, so it says when that applies), for whoever may validate it.
     */
    public static FormValidation noCredentialsEntryWarning(@CheckForNull Item item) {
        return FormAccess.mayValidate(item != null, JenkinsGrants.of(item))
                ? FormValidation.warning(Messages.AwsConnections_noCredentialsEntry()) : FormValidation.ok();
    }

    /** The form rule of a region name, the engine's own (null: fine or empty; the required check is separate). */
    @CheckForNull
    public static String regionProblem(@CheckForNull String value) {
        return ProviderChecks.regionProblem(value);
    }

    /** The form rule of a role session name (null: fine). */
    @CheckForNull
    public static String roleSessionNameProblem(@CheckForNull String value) {
        return ProviderChecks.roleSessionNameProblem(value);
    }

    /** The form rule of a role session duration in minutes (null: fine). */
    @CheckForNull
    public static String roleSessionMinutesProblem(@CheckForNull String value) {
        return ProviderChecks.roleSessionMinutesProblem(value);
    }
}
