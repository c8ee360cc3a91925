package io.jenkins.plugins.bbdc.jenkins.provider;

import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Item;
import hudson.util.FormValidation;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.util.Text;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A snapshot of the search indices through the OpenSearch/Elasticsearch snapshot API, into a registered snapshot repository. Made from the Jenkins controller.
 * Symbol {@code openSearchSnapshot}; calls an API from the controller.
 */
public final class OpenSearchSnapshotProvider extends ComponentProvider {
    private static final long serialVersionUID = 1L;

    private final String url;
    private final String repository;
    private String credentialsId = null;
    private String indices = "bitbucket-*";

    @DataBoundConstructor
    public OpenSearchSnapshotProvider(String url, String repository) {
        this.url = Text.trimToNull(url);
        this.repository = Text.trimToNull(repository);
    }

    public String getUrl() {
        return url;
    }

    public String getRepository() {
        return repository;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Text.trimToNull(credentialsId);
    }

    public String getIndices() {
        return indices;
    }

    @DataBoundSetter
    public void setIndices(String indices) {
        String v = Text.trimToNull(indices);
        this.indices = v == null ? "bitbucket-*" : v;
    }

    @Override
    public String kind() {
        return "opensearch";
    }

    @Override
    public boolean runsCommands() {
        return false;
    }

    @Override
    public List<String> credentialsIds() {
        return credentialsId == null ? List.of() : List.of(credentialsId);
    }

    @Override
    public String describe() {
        return kind() + " " + url;
    }

    @Override
    public SnapshotProvider toEngine(ProviderServices services) throws IOException, InterruptedException {
        return EngineProviders.openSearchSnapshot(this, services);
    }

    @Extension
    @Symbol("openSearchSnapshot")
    public static final class DescriptorImpl extends ComponentProviderDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.OpenSearchSnapshotProvider_displayName();
        }

        @Override
        public Set<ComponentSlot> getSlots() {
            return EnumSet.of(ComponentSlot.SEARCH);
        }

        @Override
        protected Class<? extends StandardCredentials> credentialsType() {
            return StandardUsernamePasswordCredentials.class;
        }

        @POST
        public FormValidation doCheckUrl(@AncestorInPath Item item, @QueryParameter String value) {
            return checkRequired(item, value, Messages.OpenSearchSnapshotProvider_url());
        }

        @POST
        public FormValidation doCheckRepository(@AncestorInPath Item item, @QueryParameter String value) {
            return checkRequired(item, value, Messages.OpenSearchSnapshotProvider_repository());
        }
    }
}
