package io.jenkins.plugins.bbdc.jenkins.util;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.domains.URIRequirementBuilder;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import hudson.util.ListBoxModel;
import org.springframework.security.core.Authentication;

/** Fills a credentials drop-down the way credentials-plugin's consumer guide asks (ids only, never secrets). */
public final class CredentialsListing {
    private CredentialsListing() {
    }

    public static ListBoxModel fill(@CheckForNull Item item, @CheckForNull String currentId,
                                    Class<? extends StandardCredentials> type, @CheckForNull String uri) {
        StandardListBoxModel result = new StandardListBoxModel();
        String current = currentId == null ? "" : currentId;
        if (!FormAccess.mayListCredentials(item != null, JenkinsGrants.of(item))) {
            return result.includeCurrentValue(current);
        }
        Authentication auth = item instanceof Queue.Task ? Tasks.getAuthenticationOf2((Queue.Task) item) : ACL.SYSTEM2;
        return result.includeEmptyValue()
                .includeMatchingAs(auth, item, type, URIRequirementBuilder.fromUri(uri).build(),
                        CredentialsMatchers.always())
                .includeCurrentValue(current);
    }
}
