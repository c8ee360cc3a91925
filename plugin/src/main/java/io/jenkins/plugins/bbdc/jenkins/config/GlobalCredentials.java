package io.jenkins.plugins.bbdc.jenkins.config;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.security.ACL;
import io.jenkins.plugins.bbdc.jenkins.util.CredentialsListing;
import io.jenkins.plugins.bbdc.jenkins.util.Text;
import io.jenkins.plugins.bbdc.jenkins.util.UsernamePassword;
import jenkins.model.Jenkins;

/**
 * Credentials lookups outside a build (form validation, "Test connection"), in the global scope the configuration
 * page lists, with the same domain requirements as that list. Inside builds the steps use
 * {@code CredentialsProvider.findCredentialById(id, type, run, requirements)} instead.
 */
final class GlobalCredentials {
    private GlobalCredentials() {
    }

    /**
     * @param url the URL the entry is used against (the instance URL): only credentials domains that allow it count,
     *            as in the configuration page's list and in builds; null for any domain
     */
    @CheckForNull
    static StandardUsernamePasswordCredentials usernamePassword(String id, @CheckForNull String url) {
        return CredentialsMatchers.firstOrNull(
                CredentialsProvider.lookupCredentialsInItemGroup(StandardUsernamePasswordCredentials.class,
                        Jenkins.get(), ACL.SYSTEM2, CredentialsListing.requirements(Text.trimToNull(url))),
                CredentialsMatchers.withId(id.trim()));
    }

    static UsernamePassword toUsernamePassword(StandardUsernamePasswordCredentials c) {
        return new UsernamePassword(c.getUsername(), c.getPassword().getPlainText());
    }
}
