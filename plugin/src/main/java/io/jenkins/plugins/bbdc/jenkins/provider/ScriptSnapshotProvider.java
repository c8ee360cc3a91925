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
 * Runs your own executables on the agent for a technology the plugin does not ship. Each is started without a shell, with the restore point described in BBDC_* environment variables (BBDC_INSTANCE_ID, BBDC_RESTORE_POINT_ID, BBDC_COMPONENT, BBDC_SNAPSHOT_NAME, BBDC_SNAPSHOT_ID). The capture executable prints the snapshot id on its last line of output.
 * Symbol {@code scriptSnapshot}; runs commands on the agent.
 */
public final class ScriptSnapshotProvider extends ComponentProvider {
    private static final long serialVersionUID = 1L;

    private final String captureCommand;
    private String prepareCommand = null;
    private String listCommand = null;
    private String deleteCommand = null;
    private String restoreCommand = null;
    private int timeoutMinutes = 60;

    @DataBoundConstructor
    public ScriptSnapshotProvider(String captureCommand) {
        this.captureCommand = Text.trimToNull(captureCommand);
    }

    public String getCaptureCommand() {
        return captureCommand;
    }

    public String getPrepareCommand() {
        return prepareCommand;
    }

    @DataBoundSetter
    public void setPrepareCommand(String prepareCommand) {
        this.prepareCommand = Text.trimToNull(prepareCommand);
    }

    public String getListCommand() {
        return listCommand;
    }

    @DataBoundSetter
    public void setListCommand(String listCommand) {
        this.listCommand = Text.trimToNull(listCommand);
    }

    public String getDeleteCommand() {
        return deleteCommand;
    }

    @DataBoundSetter
    public void setDeleteCommand(String deleteCommand) {
        this.deleteCommand = Text.trimToNull(deleteCommand);
    }

    public String getRestoreCommand() {
        return restoreCommand;
    }

    @DataBoundSetter
    public void setRestoreCommand(String restoreCommand) {
        this.restoreCommand = Text.trimToNull(restoreCommand);
    }

    public int getTimeoutMinutes() {
        return timeoutMinutes;
    }

    @DataBoundSetter
    public void setTimeoutMinutes(int timeoutMinutes) {
        this.timeoutMinutes = timeoutMinutes;
    }

    @Override
    public String kind() {
        return "script";
    }

    @Override
    public boolean runsCommands() {
        return true;
    }

    @Override
    public String describe() {
        return kind() + " " + captureCommand;
    }

    @Override
    public SnapshotProvider toEngine(ProviderServices services) throws IOException, InterruptedException {
        return EngineProviders.scriptSnapshot(this, services);
    }

    @Extension
    @Symbol("scriptSnapshot")
    public static final class DescriptorImpl extends ComponentProviderDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.ScriptSnapshotProvider_displayName();
        }

        @Override
        public Set<ComponentSlot> getSlots() {
            return EnumSet.of(ComponentSlot.HOME, ComponentSlot.MESH_HOME, ComponentSlot.DATABASE, ComponentSlot.SEARCH);
        }

        @POST
        public FormValidation doCheckCaptureCommand(@AncestorInPath Item item, @QueryParameter String value) {
            return checkRequired(item, value, Messages.ScriptSnapshotProvider_captureCommand());
        }
    }
}
