package io.jenkins.plugins.bbdc.jenkins.provider;

import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.util.Text;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A snapshot of the search indices through the OpenSearch/Elasticsearch snapshot API, into a snapshot repository
 * (registered beforehand, or registered by the provider with {@code repositoryType}). Made from the Jenkins controller,
 * logged in with a username/password entry or an API key ("Secret text"), or anonymously.
 * Symbol {@code openSearchSnapshot}; calls an API from the controller.
 */
public final class OpenSearchSnapshotProvider extends ComponentProvider {
    private static final long serialVersionUID = 1L;
    /** Two hours, the engine's default. */
    static final int DEFAULT_WAIT_TIMEOUT_MINUTES = 120;
    static final String DEFAULT_INDICES = "bitbucket-*";

    private final String url;
    private final String repository;
    private String credentialsId = null;
    private String indices = DEFAULT_INDICES;
    private String apiKeyCredentialsId = null;
    private String repositoryType = null;
    private String repositorySettings = null;
    private String renamePrefix = null;
    private int waitTimeoutMinutes = DEFAULT_WAIT_TIMEOUT_MINUTES;
    private String trustedCertificate = null;

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
        this.indices = v == null ? DEFAULT_INDICES : v;
    }

    /** A "Secret text" entry holding an API key (sent as {@code Authorization: ApiKey …}), or null. */
    public String getApiKeyCredentialsId() {
        return apiKeyCredentialsId;
    }

    @DataBoundSetter
    public void setApiKeyCredentialsId(String apiKeyCredentialsId) {
        this.apiKeyCredentialsId = Text.trimToNull(apiKeyCredentialsId);
    }

    /** The type ({@code fs}, {@code s3} …) the repository is registered with when it is missing; null: it must exist. */
    public String getRepositoryType() {
        return repositoryType;
    }

    @DataBoundSetter
    public void setRepositoryType(String repositoryType) {
        this.repositoryType = Text.trimToNull(repositoryType);
    }

    /** {@code key=value} lines of the repository's settings ({@code location=/mnt/snapshots}, {@code bucket=…}). */
    public String getRepositorySettings() {
        return repositorySettings;
    }

    @DataBoundSetter
    public void setRepositorySettings(String repositorySettings) {
        this.repositorySettings = Text.trimToNull(repositorySettings);
    }

    /**
     * Restores (not restore tests) create the indices under this prefix instead of replacing the live ones; null:
     * the live names.
     */
    public String getRenamePrefix() {
        return renamePrefix;
    }

    @DataBoundSetter
    public void setRenamePrefix(String renamePrefix) {
        this.renamePrefix = Text.trimToNull(renamePrefix);
    }

    /** Longest wait for a snapshot or a restore to finish. */
    public int getWaitTimeoutMinutes() {
        return waitTimeoutMinutes;
    }

    @DataBoundSetter
    public void setWaitTimeoutMinutes(int waitTimeoutMinutes) {
        this.waitTimeoutMinutes = waitTimeoutMinutes;
    }

    /** PEM certificate (or CA) to trust for {@link #getUrl()}; null: the controller's Java trust store. */
    @CheckForNull
    public String getTrustedCertificate() {
        return trustedCertificate;
    }

    @DataBoundSetter
    public void setTrustedCertificate(String trustedCertificate) {
        this.trustedCertificate = Text.trimToNull(trustedCertificate);
    }

    /**
     * A configuration saved before the wait setting existed has 0 (no valid wait): the default applies. The indices
     * are never null once set, so a null one gets its default too.
     */
    @Override
    protected Object readResolve() {
        if (waitTimeoutMinutes == 0) {
            waitTimeoutMinutes = DEFAULT_WAIT_TIMEOUT_MINUTES;
        }
        if (indices == null) {
            indices = DEFAULT_INDICES;
        }
        return super.readResolve();
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
        List<String> ids = new ArrayList<>();
        if (credentialsId != null) {
            ids.add(credentialsId);
        }
        if (apiKeyCredentialsId != null) {
            ids.add(apiKeyCredentialsId);
        }
        return ids;
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

        @POST
        public ListBoxModel doFillApiKeyCredentialsIdItems(@AncestorInPath Item item,
                                                           @QueryParameter String apiKeyCredentialsId,
                                                           @QueryParameter String url) {
            return fillCredentials(item, apiKeyCredentialsId, StringCredentials.class, credentialsUri(url, null));
        }

        @POST
        public FormValidation doCheckApiKeyCredentialsId(@AncestorInPath Item item, @QueryParameter String value,
                                                         @QueryParameter String url,
                                                         @QueryParameter String credentialsId) {
            if (Text.trimToNull(value) != null && Text.trimToNull(credentialsId) != null) {
                return check(item, Messages::OpenSearchSnapshotProvider_twoLogins);
            }
            return checkCredentials(item, value, StringCredentials.class, credentialsUri(url, null));
        }

        @POST
        public FormValidation doCheckRepositorySettings(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> SettingsText.pairsProblem(value,
                    Messages.OpenSearchSnapshotProvider_repositorySettings()));
        }

        @POST
        public FormValidation doCheckWaitTimeoutMinutes(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> ProviderChecks.minutesProblem(value,
                    Messages.OpenSearchSnapshotProvider_waitTimeoutMinutes()));
        }
    }
}
