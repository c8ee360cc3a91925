package io.jenkins.plugins.bbdc.jenkins.builders;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractProject;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.BuildStepMonitor;
import hudson.tasks.Builder;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.steps.BitbucketBackupStep;
import io.jenkins.plugins.bbdc.jenkins.steps.BlockingOperations;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import jenkins.tasks.SimpleBuildStep;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * Freestyle "Back up Bitbucket Data Center": the same settings and engine as {@code bitbucketBackup}, blocking
 * the build until the restore point is complete. A backup whose copies to the disaster-recovery region failed marks the
 * build UNSTABLE.
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
        FreestyleOperation.run("backup", backup.getInstance(), run, launcher, listener, (instance, rt) -> {
            Map<String, Object> result = BlockingOperations.backup(instance, backup.arguments(), rt);
            // copies to the disaster-recovery region failed: the point is usable, the build needs attention
            List<String> warnings = BlockingOperations.copyWarnings(result);
            if (!warnings.isEmpty()) {
                warnings.forEach(listener.getLogger()::println);
                listener.getLogger().println(Messages.BackupOperation_copyUnstable(warnings.size()));
                run.setResult(Result.UNSTABLE);
            }
            return result;
        });
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
