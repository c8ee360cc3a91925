package io.jenkins.plugins.bbdc.jenkins.builders;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractProject;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.BuildStepMonitor;
import hudson.tasks.Builder;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.steps.BitbucketBackupStep;
import java.io.IOException;
import jenkins.tasks.SimpleBuildStep;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * Freestyle "Back up Bitbucket Data Center": the same settings and engine as {@code bitbucketBackup}, blocking
 * the build until the restore point is complete.
 */
public final class BitbucketBackupBuilder extends Builder implements SimpleBuildStep {
    private final BitbucketBackupStep backup;

    @DataBoundConstructor
    public BitbucketBackupBuilder(BitbucketBackupStep backup) {
        this.backup = backup;
    }

    public BitbucketBackupStep getBackup() {
        return backup;
    }

    @Override
    public BuildStepMonitor getRequiredMonitorService() {
        return BuildStepMonitor.NONE;
    }

    @Override
    public void perform(@NonNull Run<?, ?> run, @NonNull FilePath workspace, @NonNull EnvVars env,
                        @NonNull Launcher launcher, @NonNull TaskListener listener)
            throws InterruptedException, IOException {
        FreestyleOperation.run("backup", backup.getInstance(), run, launcher, listener,
                (instance, rt) -> io.jenkins.plugins.bbdc.jenkins.steps.BlockingOperations.backup(instance,
                        backup.arguments(), rt));
    }

    @Extension
    @Symbol("bitbucketBackupBuilder")
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {
        @Override
        @SuppressWarnings("rawtypes")
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.BitbucketBackupStep_displayName();
        }
    }
}
