package io.jenkins.plugins.bbdc.jenkins.steps;

import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.jenkins.provider.ComponentProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.ProviderServices;
import io.jenkins.plugins.bbdc.jenkins.util.UsernamePassword;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Services of a build running on this machine, whose credentials store holds one username/password entry. */
final class LocalServices implements ProviderServices {
    private final String credentialsId;
    private final UsernamePassword login;

    LocalServices(String credentialsId, UsernamePassword login) {
        this.credentialsId = credentialsId;
        this.login = login;
    }

    @Override
    public String instanceId() {
        return "prod";
    }

    @Override
    public CommandRunner commandRunner(ComponentProvider provider) {
        return new ProcessCommandRunner();
    }

    @Override
    public UsernamePassword usernamePassword(String id, String usedFor, String uri) throws AbortException {
        if (!credentialsId.equals(id)) {
            throw new AbortException("Could not find a credentials entry with ID '" + id + "'");
        }
        return login;
    }

    @Override
    public String secretText(String id, String usedFor, String uri) throws AbortException {
        throw new AbortException("Could not find a credentials entry with ID '" + id + "'");
    }

    @Override
    public AwsCredentialsProvider aws(String id) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAEXAMPLE", "aws-example"));
    }
}
