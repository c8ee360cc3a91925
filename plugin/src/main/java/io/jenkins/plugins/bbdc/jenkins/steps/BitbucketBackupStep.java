package io.jenkins.plugins.bbdc.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.config.BackupModes;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketOpsConfiguration;
import io.jenkins.plugins.bbdc.jenkins.config.MeshHome;
import io.jenkins.plugins.bbdc.jenkins.config.RetentionRules;
import io.jenkins.plugins.bbdc.jenkins.provider.ComponentProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.ComponentProviderDescriptor;
import io.jenkins.plugins.bbdc.jenkins.provider.ComponentSlot;
import io.jenkins.plugins.bbdc.jenkins.util.Text;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code bitbucketBackup 'prod'}: takes one consistent restore point of a Bitbucket instance — zero-downtime (every
 * component at one instant) or locked (maintenance lock around the capture only). Returns
 * {@code [restorePointId:, status:, fence:, skewMillis:, lockWindowMillis:, components: [...], ...]}.
 */
public final class BitbucketBackupStep extends Step {
    static final int DEFAULT_DRAIN_TIMEOUT_MINUTES = 10;

    private final String instance;
    private String mode;
    private ComponentProvider home;
    private ComponentProvider database;
    private ComponentProvider search;
    private int drainTimeoutMinutes = DEFAULT_DRAIN_TIMEOUT_MINUTES;
    private RetentionRules retention;
    private List<MeshHome> meshHomes = List.of();

    @DataBoundConstructor
    public BitbucketBackupStep(String instance) {
        this.instance = Text.trimToNull(instance);
    }

    public String getInstance() {
        return instance;
    }

    /** Null: the instance's default mode. */
    @CheckForNull
    public String getMode() {
        return mode;
    }

    @DataBoundSetter
    public void setMode(String mode) {
        String v = Text.trimToNull(mode);
        this.mode = v == null ? null : BackupModes.parse(v).name();
    }

    @CheckForNull
    public ComponentProvider getHome() {
        return home;
    }

    @DataBoundSetter
    public void setHome(ComponentProvider home) {
        this.home = home;
    }

    @CheckForNull
    public ComponentProvider getDatabase() {
        return database;
    }

    @DataBoundSetter
    public void setDatabase(ComponentProvider database) {
        this.database = database;
    }

    @CheckForNull
    public ComponentProvider getSearch() {
        return search;
    }

    @DataBoundSetter
    public void setSearch(ComponentProvider search) {
        this.search = search;
    }

    public int getDrainTimeoutMinutes() {
        return drainTimeoutMinutes;
    }

    /** Locked mode: how long Bitbucket may take to drain before the backup is cancelled and Bitbucket unlocked. */
    @DataBoundSetter
    public void setDrainTimeoutMinutes(int drainTimeoutMinutes) {
        if (drainTimeoutMinutes < 1) {
            throw new IllegalArgumentException(Messages.BitbucketBackupStep_badDrainTimeout(drainTimeoutMinutes));
        }
        this.drainTimeoutMinutes = drainTimeoutMinutes;
    }

    /** The homes of Bitbucket Mesh nodes, captured at the same instant as the rest. */
    public List<MeshHome> getMeshHomes() {
        return meshHomes;
    }

    @DataBoundSetter
    public void setMeshHomes(List<MeshHome> meshHomes) {
        this.meshHomes = meshHomes == null ? List.of() : List.copyOf(meshHomes);
    }

    /** Null: the instance's keepLast applies. */
    @CheckForNull
    public RetentionRules getRetention() {
        return retention;
    }

    @DataBoundSetter
    public void setRetention(RetentionRules retention) {
        this.retention = retention;
    }

    public BackupArguments arguments() {
        return new BackupArguments(mode, new ComponentChoice(home, database, search, meshHomes), drainTimeoutMinutes,
                retention);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        BitbucketInstance target = BitbucketOpsConfiguration.get().requireInstance(instance);
        BackupRetention.policy(retention, target.getKeepLast()); // invalid rules fail before anything is locked
        return new BackupExecution(context, target, arguments());
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "bitbucketBackup";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.BitbucketBackupStep_displayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        @CheckForNull
        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            Object i = namedArgs.get("instance");
            return i == null ? null : i.toString();
        }

        @POST
        public ListBoxModel doFillModeItems() {
            ListBoxModel m = new ListBoxModel();
            m.add(Messages.BitbucketBackupStep_instanceDefault(), "");
            m.add(Messages.BackupMode_ZERO_DOWNTIME(), BackupMode.ZERO_DOWNTIME.name());
            m.add(Messages.BackupMode_LOCKED(), BackupMode.LOCKED.name());
            return m;
        }

        public List<ComponentProviderDescriptor> getHomeDescriptors() {
            return ComponentProviderDescriptor.forSlot(ComponentSlot.HOME);
        }

        public List<ComponentProviderDescriptor> getDatabaseDescriptors() {
            return ComponentProviderDescriptor.forSlot(ComponentSlot.DATABASE);
        }

        public List<ComponentProviderDescriptor> getSearchDescriptors() {
            return ComponentProviderDescriptor.forSlot(ComponentSlot.SEARCH);
        }
    }
}
