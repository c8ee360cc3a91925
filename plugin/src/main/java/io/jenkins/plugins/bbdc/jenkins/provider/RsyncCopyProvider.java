package io.jenkins.plugins.bbdc.jenkins.provider;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Item;
import hudson.util.FormValidation;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.util.Text;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Copies the home with rsync on the agent: a pre-pass before the maintenance lock, then a short final pass inside it. A file copy is not an instant, so it only works in locked mode.
 * Symbol {@code rsyncCopy}; runs commands on the agent.
 */
public final class RsyncCopyProvider extends ComponentProvider {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String destination;
    private String layout = "SHARED_HOME";
    private String excludedRepositories = null;

    @DataBoundConstructor
    public RsyncCopyProvider(String source, String destination) {
        this.source = Text.trimToNull(source);
        this.destination = Text.trimToNull(destination);
    }

    public String getSource() {
        return source;
    }

    public String getDestination() {
        return destination;
    }

    public String getLayout() {
        return layout;
    }

    @DataBoundSetter
    public void setLayout(String layout) {
        String v = Text.trimToNull(layout);
        this.layout = v == null ? "SHARED_HOME" : v;
    }

    public String getExcludedRepositories() {
        return excludedRepositories;
    }

    @DataBoundSetter
    public void setExcludedRepositories(String excludedRepositories) {
        this.excludedRepositories = Text.trimToNull(excludedRepositories);
    }

    @Override
    public String kind() {
        return "rsync";
    }

    @Override
    public boolean runsCommands() {
        return true;
    }

    @Override
    public String describe() {
        return kind() + " " + source;
    }

    @Override
    public SnapshotProvider toEngine(ProviderServices services) throws IOException, InterruptedException {
        return EngineProviders.rsyncCopy(this, services);
    }

    @Extension
    @Symbol("rsyncCopy")
    public static final class DescriptorImpl extends ComponentProviderDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.RsyncCopyProvider_displayName();
        }

        @Override
        public Set<ComponentSlot> getSlots() {
            return EnumSet.of(ComponentSlot.HOME, ComponentSlot.MESH_HOME);
        }

        @POST
        public FormValidation doCheckSource(@AncestorInPath Item item, @QueryParameter String value) {
            return checkRequired(item, value, Messages.RsyncCopyProvider_source());
        }

        @POST
        public FormValidation doCheckDestination(@AncestorInPath Item item, @QueryParameter String value) {
            return checkRequired(item, value, Messages.RsyncCopyProvider_destination());
        }
    }
}
