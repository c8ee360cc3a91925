package io.jenkins.plugins.bbdc.jenkins.provider;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import io.jenkins.plugins.bbdc.jenkins.util.JenkinsProxy;
import io.jenkins.plugins.bbdc.jenkins.util.UsernamePassword;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * What a {@link ComponentProvider} needs from the build to become an engine provider. In a build this resolves
 * credentials as the build (and tracks them) and runs commands on the build's agent; tests supply fakes.
 */
public interface ProviderServices {

    /** The Bitbucket instance the operation is for. */
    String instanceId();

    /**
     * Where the provider's commands run: the agent of the enclosing {@code node} block.
     *
     * @throws AbortException naming the provider when the step runs outside {@code node}
     */
    CommandRunner commandRunner(ComponentProvider provider) throws AbortException;

    /**
     * A username/password credentials entry, resolved as the build; a clear error when missing or of another type.
     *
     * @param uri the URL the entry is used against (its credentials domains must allow it), or null for any domain
     */
    UsernamePassword usernamePassword(String credentialsId, String usedFor, @CheckForNull String uri)
            throws AbortException;

    /**
     * The secret of a "Secret text" credentials entry (an API key), resolved as the build, in memory only; a clear
     * error when missing or of another type.
     *
     * @param uri the URL the secret is used against, or null for any domain
     */
    String secretText(String credentialsId, String usedFor, @CheckForNull String uri) throws AbortException;

    /** The AWS credentials entry {@code credentialsId} for SDK v2, resolved as the build; an empty id is refused. */
    AwsCredentialsProvider aws(String credentialsId) throws AbortException;

    /**
     * Whether an AWS setting without a credentials entry may use the controller's own AWS identity (its default
     * credential chain): only when an administrator allowed it for the instance in the global configuration
     * ({@code BitbucketInstance.allowControllerAwsIdentity}). False unless an implementation says otherwise.
     */
    default boolean controllerAwsIdentityAllowed() {
        return false;
    }

    /**
     * The session name of an assumed AWS role when the provider sets none: a build names itself
     * ({@code jenkins-<job>-<build>}, see {@link RoleSessionNames}) so that CloudTrail shows which build made each call;
     * null means the engine's {@code bbdc-ops}.
     */
    @CheckForNull
    default String defaultRoleSessionName() {
        return null;
    }

    /**
     * The HTTP proxy for the calls the controller makes (AWS, ONTAP, OpenSearch). A build answers with Jenkins' own proxy
     * (Manage Jenkins » System » HTTP proxy) as configured when the operation starts; by default, none.
     *
     * @throws IllegalArgumentException saying what to fix when the configured proxy cannot be used
     */
    default JenkinsProxy proxy() {
        return JenkinsProxy.NONE;
    }
}
