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
 * A volume snapshot through the NetApp ONTAP REST API, made from the Jenkins controller.
 * Symbol {@code netappSnapshot}; calls an API from the controller.
 */
public final class NetAppSnapshotProvider extends ComponentProvider {
    private static final long serialVersionUID = 1L;

    private final String url;
    private final String svm;
    private final String volume;
    private final String credentialsId;
    private String trustedCertificate = null;

    @DataBoundConstructor
    public NetAppSnapshotProvider(String url, String svm, String volume, String credentialsId) {
        this.url = Text.trimToNull(url);
        this.svm = Text.trimToNull(svm);
        this.volume = Text.trimToNull(volume);
        this.credentialsId = Text.trimToNull(credentialsId);
    }

    public String getUrl() {
        return url;
    }

    public String getSvm() {
        return svm;
    }

    public String getVolume() {
        return volume;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    /** PEM certificate (chain) trusted for the ONTAP URL, for a self-signed cluster certificate; null = the JVM's. */
    public String getTrustedCertificate() {
        return trustedCertificate;
    }

    @DataBoundSetter
    public void setTrustedCertificate(String trustedCertificate) {
        this.trustedCertificate = Text.trimToNull(trustedCertificate);
    }

    @Override
    public String kind() {
        return "ontap";
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
        return EngineProviders.netappSnapshot(this, services);
    }

    @Extension
    @Symbol("netappSnapshot")
    public static final class DescriptorImpl extends ComponentProviderDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.NetAppSnapshotProvider_displayName();
        }

        @Override
        public Set<ComponentSlot> getSlots() {
            return EnumSet.of(ComponentSlot.HOME, ComponentSlot.MESH_HOME);
        }

        @Override
        protected Class<? extends StandardCredentials> credentialsType() {
            return StandardUsernamePasswordCredentials.class;
        }

        @Override
        protected boolean credentialsRequired() {
            return true;
        }

        @POST
        public FormValidation doCheckUrl(@AncestorInPath Item item, @QueryParameter String value) {
            return checkRequired(item, value, Messages.NetAppSnapshotProvider_url());
        }

        @POST
        public FormValidation doCheckSvm(@AncestorInPath Item item, @QueryParameter String value) {
            return checkRequired(item, value, Messages.NetAppSnapshotProvider_svm());
        }

        @POST
        public FormValidation doCheckVolume(@AncestorInPath Item item, @QueryParameter String value) {
            return checkRequired(item, value, Messages.NetAppSnapshotProvider_volume());
        }
    }
}
