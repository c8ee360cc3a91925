package io.jenkins.plugins.bbdc.jenkins.runtime;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.provider.ComponentProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.ProviderServices;
import io.jenkins.plugins.bbdc.jenkins.util.JenkinsProxy;
import io.jenkins.plugins.bbdc.jenkins.util.Text;
import io.jenkins.plugins.bbdc.jenkins.util.UsernamePassword;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * {@link ProviderServices} of a running build: credentials are looked up as the build
 * ({@code CredentialsProvider.findCredentialById}, which honours credentials parameters and the job's
 * authentication) and tracked; commands run on the build's agent. Secrets are returned in memory only.
 */
public final class BuildServices implements ProviderServices {
    private final String instanceId;
    private final Run<?, ?> run;
    private final TaskListener listener;
    private final Launcher launcher;

    /** @param launcher the agent's launcher, or null when the step runs outside {@code node} */
    public BuildServices(String instanceId, Run<?, ?> run, TaskListener listener, @CheckForNull Launcher launcher) {
        this.instanceId = instanceId;
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
    public UsernamePassword usernamePassword(String credentialsId, String usedFor) throws AbortException {
        String id = Text.trimToNull(credentialsId);
        StandardUsernamePasswordCredentials c = id == null ? null
                : CredentialsProvider.findCredentialById(id, StandardUsernamePasswordCredentials.class, run, List.of());
        String problem = CredentialsResolution.problem(id, c != null, c != null ? null : otherKind(id),
                usedFor, "Username with password");
        if (problem != null) {
            throw new AbortException(problem);
        }
        CredentialsProvider.track(run, c);
        return new UsernamePassword(c.getUsername(), c.getPassword().getPlainText());
    }

    @Override
    public AwsCredentialsProvider aws(String credentialsId) throws AbortException {
        String id = Text.trimToNull(credentialsId);
        if (id == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        AmazonWebServicesCredentials c =
                CredentialsProvider.findCredentialById(id, AmazonWebServicesCredentials.class, run, List.of());
        String problem = CredentialsResolution.problem(id, c != null, c != null ? null : otherKind(id),
                "AWS calls of instance '" + instanceId + "'", "AWS Credentials");
        if (problem != null) {
            throw new AbortException(problem);
        }
        CredentialsProvider.track(run, c);
        return c;
    }

    /** Jenkins' HTTP proxy, read now: a change in Manage Jenkins applies to the next operation. */
    @Override
    public JenkinsProxy proxy() {
        return JenkinsProxy.ofJenkins();
    }

    @CheckForNull
    private String otherKind(@CheckForNull String id) {
        if (id == null) {
            return null;
        }
        StandardCredentials any = CredentialsProvider.findCredentialById(id, StandardCredentials.class, run, List.of());
        return any == null ? null : any.getClass().getSimpleName();
    }
}
