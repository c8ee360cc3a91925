package io.jenkins.plugins.bbdc.jenkins.provider;

import com.cloudbees.plugins.credentials.common.StandardCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.ExtensionList;
import io.jenkins.plugins.bbdc.jenkins.util.Text;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.util.CredentialsKinds;
import io.jenkins.plugins.bbdc.jenkins.util.CredentialsListing;
import io.jenkins.plugins.bbdc.jenkins.util.FormAccess;
import io.jenkins.plugins.bbdc.jenkins.util.JenkinsGrants;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Descriptor of every {@link ComponentProvider}: which slots it fits, its credentials type, shared form methods.
 *
 * <p>The credentials list and check take the form's {@code url} and {@code host} fields (Jenkins sends the values of
 * the fields a form method names; a form without such a field sends nothing) so that they see the entries of the
 * credentials domains that apply to the service the provider calls — the same the build looks up.
 */
public abstract class ComponentProviderDescriptor extends Descriptor<ComponentProvider> {

    /** The slots (home, Mesh home, database, search) this provider can serve. */
    public abstract Set<ComponentSlot> getSlots();

    /** The credentials type listed in the form, or null when the provider takes no credentials. */
    @CheckForNull
    protected Class<? extends StandardCredentials> credentialsType() {
        return null;
    }

    /** Whether {@code credentialsId} must be set (the form then reports an empty one). */
    protected boolean credentialsRequired() {
        return false;
    }

    /**
     * The URI the provider's credentials are used against, from the form's values (the same the build uses); null
     * for none, so that every domain counts.
     */
    @CheckForNull
    protected String credentialsUri(@CheckForNull String url, @CheckForNull String host) {
        return Text.trimToNull(url);
    }

    /** Every registered provider that fits {@code slot}, for the drop-downs of forms. */
    public static List<ComponentProviderDescriptor> forSlot(ComponentSlot slot) {
        return ExtensionList.lookup(ComponentProviderDescriptor.class).stream()
                .filter(d -> d.getSlots().contains(slot))
                .collect(Collectors.toList());
    }

    protected final FormValidation checkRequired(@CheckForNull Item item, @CheckForNull String value, String what) {
        return check(item, () -> Text.trimToNull(value) == null ? Messages.Validation_required(what) : null);
    }

    /** Runs a field rule for whoever may validate this form (see {@link FormAccess}); its text is the error. */
    protected final FormValidation check(@CheckForNull Item item, Supplier<String> problem) {
        if (!FormAccess.mayValidate(item != null, JenkinsGrants.of(item))) {
            return FormValidation.ok();
        }
        String p = problem.get();
        return p == null ? FormValidation.ok() : FormValidation.error(p);
    }

    @POST
    public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId,
                                                 @QueryParameter String url, @QueryParameter String host) {
        return fillCredentials(item, credentialsId, credentialsType(), credentialsUri(url, host));
    }

    /**
     * Reports an id that this job cannot see (missing, in another folder, outside the service's domain) or that
     * names an entry of another kind, and an empty one where the provider needs credentials.
     */
    @POST
    public FormValidation doCheckCredentialsId(@AncestorInPath Item item, @QueryParameter String value,
                                               @QueryParameter String url, @QueryParameter String host) {
        if (credentialsRequired() && Text.trimToNull(value) == null) {
            return checkRequired(item, value, Messages.ComponentProvider_credentials());
        }
        return checkCredentials(item, value, credentialsType(), credentialsUri(url, host));
    }

    protected final ListBoxModel fillCredentials(@CheckForNull Item item, @CheckForNull String current,
                                                 @CheckForNull Class<? extends StandardCredentials> type,
                                                 @CheckForNull String uri) {
        return type == null ? new ListBoxModel() : CredentialsListing.fill(item, current, type, uri);
    }

    protected final FormValidation checkCredentials(@CheckForNull Item item, @CheckForNull String value,
                                                    @CheckForNull Class<? extends StandardCredentials> type,
                                                    @CheckForNull String uri) {
        String id = Text.trimToNull(value);
        if (type == null || id == null) {
            return FormValidation.ok();
        }
        return check(item, () -> {
            StandardCredentials c = CredentialsListing.find(item, id, uri);
            return CredentialsKinds.formProblem(id, c == null ? null : CredentialsKinds.kindOf(c),
                    type.isInstance(c), CredentialsKinds.kindName(type));
        });
    }
}
