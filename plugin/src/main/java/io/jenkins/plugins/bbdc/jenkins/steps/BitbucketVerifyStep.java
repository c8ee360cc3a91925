package io.jenkins.plugins.bbdc.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketOpsConfiguration;
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
 * {@code bitbucketVerify 'prod'}: the restore test. Restores a restore point's home and database into scratch
 * locations (live data is never touched), verifies that they belong together and are usable (repository rows and
 * directories, fork alternates, a {@code git fsck} sample, locks, Liquibase lock, server id, schema version), and
 * removes the scratch copies. The home is checked where it was restored: on the build's agent for providers that run
 * commands. Returns {@code [restorePointId:, passed:, checks: [...], failedChecks: [...], restoreMillis:,
 * verifyMillis:, ...]}; a failed check fails the step unless {@code failOnProblems: false}.
 */
public final class BitbucketVerifyStep extends Step {
    static final int DEFAULT_FSCK_SAMPLE = 20;
    static final String DEFAULT_SHARED_HOME_SUBPATH = "shared";
    /**
     * The home snapshot is the shared home itself. Written {@code .} rather than empty: a form's text box shows its
     * default for an empty value, so an empty value would come back as {@code shared} after a form round trip.
     */
    static final String SNAPSHOT_ROOT = ".";

    private final String instance;
    private String restorePoint;
    private String pointInTime;
    private ComponentProvider home;
    private ComponentProvider database;
    private String originalSharedHome;
    private String sharedHomeSubpath;
    private String scratchHome;
    private String scratchDatabase;
    private int fsckSample = DEFAULT_FSCK_SAMPLE;
    private boolean failOnProblems = true;

    @DataBoundConstructor
    public BitbucketVerifyStep(String instance) {
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
    public String getOriginalSharedHome() {
        return originalSharedHome;
    }

    /** Where the shared home lives in production: fork alternates name it (required). */
    @DataBoundSetter
    public void setOriginalSharedHome(String originalSharedHome) {
        this.originalSharedHome = Text.trimToNull(originalSharedHome);
    }

    /**
     * {@code shared} (default) when the home snapshot is a node home; {@code .} when it is the shared home itself
     * (an empty value, as older scripts and saved jobs have it, means the same).
     */
    public String getSharedHomeSubpath() {
        if (sharedHomeSubpath == null) {
            return DEFAULT_SHARED_HOME_SUBPATH;
        }
        return sharedHomeSubpath.isEmpty() ? SNAPSHOT_ROOT : sharedHomeSubpath;
    }

    @DataBoundSetter
    public void setSharedHomeSubpath(String sharedHomeSubpath) {
        String v = sharedHomeSubpath == null ? null : sharedHomeSubpath.trim().replaceAll("^/+|/+$", "");
        if (v != null && (v.isEmpty() || v.equals(SNAPSHOT_ROOT))) {
            v = SNAPSHOT_ROOT;
        }
        this.sharedHomeSubpath = DEFAULT_SHARED_HOME_SUBPATH.equals(v) ? null : v;
    }

    @CheckForNull
    public String getScratchHome() {
        return scratchHome;
    }

    /** The scratch directory of the restored home; empty: the home provider's default scratch location. */
    @DataBoundSetter
    public void setScratchHome(String scratchHome) {
        this.scratchHome = Text.trimToNull(scratchHome);
    }

    @CheckForNull
    public String getScratchDatabase() {
        return scratchDatabase;
    }

    /** The scratch database; empty: the database provider's default ({@code bbdc_scratch_<restore point>}). */
    @DataBoundSetter
    public void setScratchDatabase(String scratchDatabase) {
        this.scratchDatabase = Text.trimToNull(scratchDatabase);
    }

    public int getFsckSample() {
        return fsckSample;
    }

    @DataBoundSetter
    public void setFsckSample(int fsckSample) {
        this.fsckSample = fsckSample;
    }

    public boolean isFailOnProblems() {
        return failOnProblems;
    }

    @DataBoundSetter
    public void setFailOnProblems(boolean failOnProblems) {
        this.failOnProblems = failOnProblems;
    }

    public VerifyArguments arguments() {
        return new VerifyArguments(restorePoint, pointInTime, new ComponentChoice(home, database, null),
                originalSharedHome, SNAPSHOT_ROOT.equals(getSharedHomeSubpath()) ? "" : getSharedHomeSubpath(),
                scratchHome, scratchDatabase, fsckSample, failOnProblems);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        VerifyArguments args = arguments();
        args.validate();
        return new VerifyExecution(context, BitbucketOpsConfiguration.get().requireInstance(instance), args);
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "bitbucketVerify";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.BitbucketVerifyStep_displayName();
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
    }
}
