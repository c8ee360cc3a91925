package io.jenkins.plugins.bbdc.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketOpsConfiguration;
import io.jenkins.plugins.bbdc.jenkins.config.MeshHome;
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

/**
 * {@code bitbucketRestore 'prod'}: restores a restore point (the latest complete one, one by id, or the newest one at
 * or before a point in time) with Bitbucket stopped on every node, then removes stale git locks and switches on
 * Bitbucket's integrity check. Returns {@code [restorePointId:, fence:, succeeded:, components: [...],
 * operatorSteps: [...]]}.
 */
public final class BitbucketRestoreStep extends Step {
    private final String instance;
    private String restorePoint;
    private String pointInTime;
    private ComponentProvider home;
    private ComponentProvider database;
    private ComponentProvider search;
    /** Null in configurations saved before it existed (XStream runs no initialiser): read as none. */
    private List<MeshHome> meshHomes;
    private boolean allowReplace;
    private boolean dryRun;
    private String sharedHome;
    private boolean enableIntegrityCheck = true;
    private boolean allowIncomplete;
    private boolean skipStoppedCheck;
    private boolean rebuildCatalog;

    @DataBoundConstructor
    public BitbucketRestoreStep(String instance) {
        this.instance = Text.trimToNull(instance);
    }

    public String getInstance() {
        return instance;
    }

    @CheckForNull
    public String getRestorePoint() {
        return restorePoint;
    }

    /** {@code latest} (default) or a restore point id. */
    @DataBoundSetter
    public void setRestorePoint(String restorePoint) {
        String v = Text.trimToNull(restorePoint);
        this.restorePoint = v == null || v.equalsIgnoreCase("latest") ? null : v;
    }

    @CheckForNull
    public String getPointInTime() {
        return pointInTime;
    }

    @DataBoundSetter
    public void setPointInTime(String pointInTime) {
        this.pointInTime = Text.trimToNull(pointInTime);
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

    /**
     * The providers that restore the restore point's Mesh node homes ({@code mesh-home:<node>}), as
     * {@code bitbucketBackup} took them; without one, a point holding that Mesh home is refused.
     */
    public List<MeshHome> getMeshHomes() {
        return meshHomes == null ? List.of() : meshHomes;
    }

    @DataBoundSetter
    public void setMeshHomes(List<MeshHome> meshHomes) {
        this.meshHomes = meshHomes == null ? List.of() : List.copyOf(meshHomes);
    }

    public boolean isAllowReplace() {
        return allowReplace;
    }

    @DataBoundSetter
    public void setAllowReplace(boolean allowReplace) {
        this.allowReplace = allowReplace;
    }

    public boolean isDryRun() {
        return dryRun;
    }

    @DataBoundSetter
    public void setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
    }

    @CheckForNull
    public String getSharedHome() {
        return sharedHome;
    }

    @DataBoundSetter
    public void setSharedHome(String sharedHome) {
        this.sharedHome = Text.trimToNull(sharedHome);
    }

    public boolean isEnableIntegrityCheck() {
        return enableIntegrityCheck;
    }

    @DataBoundSetter
    public void setEnableIntegrityCheck(boolean enableIntegrityCheck) {
        this.enableIntegrityCheck = enableIntegrityCheck;
    }

    public boolean isAllowIncomplete() {
        return allowIncomplete;
    }

    @DataBoundSetter
    public void setAllowIncomplete(boolean allowIncomplete) {
        this.allowIncomplete = allowIncomplete;
    }

    public boolean isSkipStoppedCheck() {
        return skipStoppedCheck;
    }

    @DataBoundSetter
    public void setSkipStoppedCheck(boolean skipStoppedCheck) {
        this.skipStoppedCheck = skipStoppedCheck;
    }

    public boolean isRebuildCatalog() {
        return rebuildCatalog;
    }

    /**
     * Before selecting the restore point, recreate the manifests the catalog lacks from the providers' listings
     * (a disaster-recovery controller whose catalog directory is empty).
     */
    @DataBoundSetter
    public void setRebuildCatalog(boolean rebuildCatalog) {
        this.rebuildCatalog = rebuildCatalog;
    }

    public RestoreArguments arguments() {
        return new RestoreArguments(restorePoint, pointInTime,
                new ComponentChoice(home, database, search, getMeshHomes()),
                allowReplace, dryRun, sharedHome, enableIntegrityCheck, allowIncomplete, skipStoppedCheck,
                rebuildCatalog);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new RestoreExecution(context, BitbucketOpsConfiguration.get().requireInstance(instance), arguments());
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "bitbucketRestore";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.BitbucketRestoreStep_displayName();
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
