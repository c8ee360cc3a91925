package io.jenkins.plugins.bbdc.jenkins.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.provider.ComponentProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.ComponentProviderDescriptor;
import io.jenkins.plugins.bbdc.jenkins.provider.ComponentSlot;
import io.jenkins.plugins.bbdc.jenkins.util.Text;
import java.io.Serializable;
import java.util.List;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * The home of one Bitbucket Mesh node, captured at the same instant as the rest of the restore point:
 * {@code meshHome(node: 'mesh-1', provider: btrfsSnapshot(...))}.
 */
public final class MeshHome implements Describable<MeshHome>, Serializable {
    private static final long serialVersionUID = 1L;

    private final String node;
    private final ComponentProvider provider;

    @DataBoundConstructor
    public MeshHome(String node, ComponentProvider provider) {
        this.node = Text.trimToNull(node);
        this.provider = provider;
    }

    /** The Mesh node's name (letters, digits, . _ -), as recorded in the restore point ({@code mesh-home:<node>}). */
    public String getNode() {
        return node;
    }

    public ComponentProvider getProvider() {
        return provider;
    }

    @Extension
    @Symbol("meshHome")
    public static final class DescriptorImpl extends Descriptor<MeshHome> {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.MeshHome_displayName();
        }

        public List<ComponentProviderDescriptor> getProviderDescriptors() {
            return ComponentProviderDescriptor.forSlot(ComponentSlot.MESH_HOME);
        }
    }
}
