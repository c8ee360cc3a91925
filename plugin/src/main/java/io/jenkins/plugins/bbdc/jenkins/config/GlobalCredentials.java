package io.jenkins.plugins.bbdc.jenkins.config;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.security.ACL;
import io.jenkins.plugins.bbdc.jenkins.util.UsernamePassword;
import java.util.List;
import jenkins.model.Jenkins;

/**
 * Credentials lookups outside a build (form validation, "Test connection"), in the global scope the configuration
 * page lists. Inside builds the steps use {@code CredentialsProvider.findCredentialById(id, type, run)} instead.
 */
final class GlobalCredentials {
    private GlobalCredentials() {
    }

    @CheckForNull
    static StandardUsernamePasswordCredentials usernamePassword(String id) {
        return CredentialsMatchers.firstOrNull(
                CredentialsProvider.lookupCredentialsInItemGroup(StandardUsernamePasswordCredentials.class,
                        Jenkins.get(), ACL.SYSTEM2, List.of()),
                CredentialsMatchers.withId(id.trim()));
    }

    static UsernamePassword toUsernamePassword(StandardUsernamePasswordCredentials c) {
        return new UsernamePassword(c.getUsername(), c.getPassword().getPlainText());
    }
}
