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
import io.jenkins.plugins.bbdc.jenkins.util.CredentialsListing;
import io.jenkins.plugins.bbdc.jenkins.util.FormAccess;
import io.jenkins.plugins.bbdc.jenkins.util.JenkinsGrants;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/** Descriptor of every {@link ComponentProvider}: which slots it fits, its credentials type, shared form methods. */
public abstract class ComponentProviderDescriptor extends Descriptor<ComponentProvider> {

    /** The slots (home, Mesh home, database, search) this provider can serve. */
    public abstract Set<ComponentSlot> getSlots();

    /** The credentials type listed in the form, or null when the provider takes no credentials. */
    @CheckForNull
    protected Class<? extends StandardCredentials> credentialsType() {
        return null;
    }

    /** Every registered provider that fits {@code slot}, for the drop-downs of forms. */
    public static List<ComponentProviderDescriptor> forSlot(ComponentSlot slot) {
        return ExtensionList.lookup(ComponentProviderDescriptor.class).stream()
                .filter(d -> d.getSlots().contains(slot))
                .collect(Collectors.toList());
    }

    protected final FormValidation checkRequired(@CheckForNull Item item, @CheckForNull String value, String what) {
        if (!FormAccess.mayValidate(item != null, JenkinsGrants.of(item))) {
            return FormValidation.ok();
        }
        return Text.trimToNull(value) == null ? FormValidation.error(Messages.Validation_required(what))
                : FormValidation.ok();
    }

    @POST
    public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
        Class<? extends StandardCredentials> type = credentialsType();
        if (type == null) {
            return new ListBoxModel();
        }
        return CredentialsListing.fill(item, credentialsId, type, null);
    }
}
