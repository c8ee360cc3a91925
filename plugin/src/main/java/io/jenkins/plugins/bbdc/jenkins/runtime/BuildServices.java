package io.jenkins.plugins.bbdc.jenkins.runtime;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.provider.ComponentProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.ProviderServices;
import io.jenkins.plugins.bbdc.jenkins.provider.RoleSessionNames;
import io.jenkins.plugins.bbdc.jenkins.util.CredentialsKinds;
import io.jenkins.plugins.bbdc.jenkins.util.CredentialsListing;
import io.jenkins.plugins.bbdc.jenkins.util.JenkinsProxy;
import io.jenkins.plugins.bbdc.jenkins.util.Text;
import io.jenkins.plugins.bbdc.jenkins.util.UsernamePassword;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * {@link ProviderServices} of a running build: credentials are looked up as the build
 * ({@code CredentialsProvider.findCredentialById}, which honours credentials parameters and the job's
 * authentication) and tracked; commands run on the build's agent. Secrets are returned in memory only. What the
 * build may do with the controller's own identity comes from the instance's global configuration, never from the
 * step.
 */
public final class BuildServices implements ProviderServices {
    private final String instanceId;
    private final boolean controllerAwsIdentityAllowed;
    private final Run<?, ?> run;
    private final TaskListener listener;
    private final Launcher launcher;

    /** @param launcher the agent's launcher, or null when the step runs outside {@code node} */
    public BuildServices(BitbucketInstance instance, Run<?, ?> run, TaskListener listener,
                         @CheckForNull Launcher launcher) {
        this.instanceId = instance.getId();
        this.controllerAwsIdentityAllowed = instance.isAllowControllerAwsIdentity();
        this.run = run;
        this.listener = listener;
        this.launcher = launcher;
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    public boolean hasAgent() {
        return launcher != null;
    }

    @Override
    public CommandRunner commandRunner(ComponentProvider provider) throws AbortException {
        if (launcher == null) {
            throw new AbortException(Messages.Step_needsNode(provider.describe()));
        }
        return new LauncherCommandRunner(launcher, listener);
    }

    /** The agent's command runner, or one that explains that the step needs a node. */
    public CommandRunner commandRunner(String usedFor) {
        if (launcher != null) {
            return new LauncherCommandRunner(launcher, listener);
        }
        return spec -> {
            throw new AbortException(Messages.Step_needsNode(usedFor));
        };
    }

    @Override
    public UsernamePassword usernamePassword(String credentialsId, String usedFor, @CheckForNull String uri)
            throws AbortException {
        StandardUsernamePasswordCredentials c = resolve(credentialsId, StandardUsernamePasswordCredentials.class,
                usedFor, uri);
        return new UsernamePassword(c.getUsername(), c.getPassword().getPlainText());
    }

    @Override
    public String secretText(String credentialsId, String usedFor, @CheckForNull String uri) throws AbortException {
        return resolve(credentialsId, StringCredentials.class, usedFor, uri).getSecret().getPlainText();
    }

    /** AWS entries carry no URL to scope them by: every credentials domain counts. */
    @Override
    public AwsCredentialsProvider aws(String credentialsId) throws AbortException {
        return resolve(credentialsId, AmazonWebServicesCredentials.class,
                Messages.BuildServices_awsCallsOf(instanceId), null);
    }

    /**
     * The entry {@code credentialsId} of {@code type}, found as the build in the credentials domains that allow
     * {@code uri}, and tracked; otherwise an error that says whether the id is empty, unknown to this build or of
     * another kind.
     */
    private <C extends StandardCredentials> C resolve(String credentialsId, Class<C> type, String usedFor,
                                                      @CheckForNull String uri) throws AbortException {
        String id = Text.trimToNull(credentialsId);
        List<DomainRequirement> requirements = CredentialsListing.requirements(uri);
        C c = id == null ? null : CredentialsProvider.findCredentialById(id, type, run, requirements);
        String problem = CredentialsResolution.problem(id, c != null, c != null ? null : otherKind(id, requirements),
                usedFor, CredentialsKinds.kindName(type));
        if (problem != null) {
            throw new AbortException(problem);
        }
        CredentialsProvider.track(run, c);
        return c;
    }

    /** The instance's {@code allowControllerAwsIdentity}, as configured by an administrator. */
    @Override
    public boolean controllerAwsIdentityAllowed() {
        return controllerAwsIdentityAllowed;
    }

    /** {@code jenkins-<job>-<build>}: CloudTrail then shows which build assumed the role. */
    @Override
    public String defaultRoleSessionName() {
        return RoleSessionNames.forBuild(run.getExternalizableId());
    }

    /** Jenkins' HTTP proxy, read now: a change in Manage Jenkins applies to the next operation. */
    @Override
    public JenkinsProxy proxy() {
        return JenkinsProxy.ofJenkins();
    }

    /** The kind of the entry with this id when it is of another kind than wanted, else null. */
    @CheckForNull
    private String otherKind(@CheckForNull String id, List<DomainRequirement> requirements) {
        if (id == null) {
            return null;
        }
        StandardCredentials any = CredentialsProvider.findCredentialById(id, StandardCredentials.class, run,
                requirements);
        return any == null ? null : CredentialsKinds.kindOf(any);
    }
}
