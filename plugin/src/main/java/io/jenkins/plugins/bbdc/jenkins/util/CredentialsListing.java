package io.jenkins.plugins.bbdc.jenkins.util;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import com.cloudbees.plugins.credentials.domains.URIRequirementBuilder;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import hudson.util.ListBoxModel;
import java.util.List;
import org.springframework.security.core.Authentication;

/**
 * Credentials outside a build, for forms: the drop-down (ids only, never secrets) the way credentials-plugin's
 * consumer guide asks, and the lookup that checks a chosen id. Both see the same entries: the same authentication
 * (the job's, or the system's in the global configuration) and the same domain requirements, built from the URL the
 * credentials are used against — the build looks them up with that URL too.
 */
public final class CredentialsListing {
    private CredentialsListing() {
    }

    /** Domain requirements of credentials used against {@code uri}; none (every domain) when it is null. */
    public static List<DomainRequirement> requirements(@CheckForNull String uri) {
        return uri == null ? List.of() : URIRequirementBuilder.fromUri(uri).build();
    }

    public static ListBoxModel fill(@CheckForNull Item item, @CheckForNull String currentId,
                                    Class<? extends StandardCredentials> type, @CheckForNull String uri) {
        StandardListBoxModel result = new StandardListBoxModel();
        String current = currentId == null ? "" : currentId;
        if (!FormAccess.mayListCredentials(item != null, JenkinsGrants.of(item))) {
            return result.includeCurrentValue(current);
        }
        return result.includeEmptyValue()
                .includeMatchingAs(authentication(item), item, type, requirements(uri), CredentialsMatchers.always())
                .includeCurrentValue(current);
    }

    /**
     * The entry with this id of any kind that the form's list could show, or null. The caller checks the kind, so
     * that "does not exist" and "is of another kind" get their own message.
     */
    @CheckForNull
    public static StandardCredentials find(@CheckForNull Item item, String id, @CheckForNull String uri) {
        return CredentialsMatchers.firstOrNull(CredentialsProvider.lookupCredentialsInItem(StandardCredentials.class,
                item, authentication(item), requirements(uri)), CredentialsMatchers.withId(id));
    }

    private static Authentication authentication(@CheckForNull Item item) {
        return item instanceof Queue.Task ? Tasks.getAuthenticationOf2((Queue.Task) item) : ACL.SYSTEM2;
    }
}
