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
    private final String deleteCommand;
    private String checkCommand = null;
    private String prepareCommand = null;
    private String awaitDurableCommand = null;
    private String listCommand = null;
    private String restoreCommand = null;
    private boolean zeroDowntime = false;
    private boolean scratchRestore = false;
    private int timeoutMinutes = 60;

    @DataBoundConstructor
    public ScriptSnapshotProvider(String captureCommand, String deleteCommand) {
        this.captureCommand = Text.trimToNull(captureCommand);
        this.deleteCommand = Text.trimToNull(deleteCommand);
    }

    public String getCaptureCommand() {
        return captureCommand;
    }

    public String getDeleteCommand() {
        return deleteCommand;
    }

    public String getCheckCommand() {
        return checkCommand;
    }

    @DataBoundSetter
    public void setCheckCommand(String checkCommand) {
        this.checkCommand = Text.trimToNull(checkCommand);
    }

    public String getPrepareCommand() {
        return prepareCommand;
    }

    @DataBoundSetter
    public void setPrepareCommand(String prepareCommand) {
        this.prepareCommand = Text.trimToNull(prepareCommand);
    }

    public String getAwaitDurableCommand() {
        return awaitDurableCommand;
    }

    @DataBoundSetter
    public void setAwaitDurableCommand(String awaitDurableCommand) {
        this.awaitDurableCommand = Text.trimToNull(awaitDurableCommand);
    }

    public String getListCommand() {
        return listCommand;
    }

    @DataBoundSetter
    public void setListCommand(String listCommand) {
        this.listCommand = Text.trimToNull(listCommand);
    }

    public String getRestoreCommand() {
        return restoreCommand;
    }

    @DataBoundSetter
    public void setRestoreCommand(String restoreCommand) {
        this.restoreCommand = Text.trimToNull(restoreCommand);
    }

    public boolean isZeroDowntime() {
        return zeroDowntime;
    }

    @DataBoundSetter
    public void setZeroDowntime(boolean zeroDowntime) {
        this.zeroDowntime = zeroDowntime;
    }

    public boolean isScratchRestore() {
        return scratchRestore;
    }

    @DataBoundSetter
    public void setScratchRestore(boolean scratchRestore) {
        this.scratchRestore = scratchRestore;
    }

    public int getTimeoutMinutes() {
        return timeoutMinutes;
    }

    @DataBoundSetter
    public void setTimeoutMinutes(int timeoutMinutes) {
        this.timeoutMinutes = timeoutMinutes > 0 ? timeoutMinutes : 60;
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

        @POST
        public FormValidation doCheckDeleteCommand(@AncestorInPath Item item, @QueryParameter String value) {
            return checkRequired(item, value, Messages.ScriptSnapshotProvider_deleteCommand());
        }
    }
}
