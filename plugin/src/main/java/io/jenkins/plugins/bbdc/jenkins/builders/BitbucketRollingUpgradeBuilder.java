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
import io.jenkins.plugins.bbdc.jenkins.steps.BitbucketRollingUpgradeStep;
import io.jenkins.plugins.bbdc.jenkins.steps.BlockingOperations;
import java.io.IOException;
import jenkins.tasks.SimpleBuildStep;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * Freestyle "Rolling upgrade of Bitbucket Data Center": the settings and engine of {@code bitbucketRollingUpgrade},
 * blocking the build until every node runs the target version; each node's action is the node command template run
 * on the build's agent (freestyle has no body) or, with {@code cloudFormation}, the replacement of its EC2 instance
 * through the Auto Scaling group (AWS calls from the controller). Aborting the build parks the cluster safely.
 */
public final class BitbucketRollingUpgradeBuilder extends Builder implements SimpleBuildStep {
    private final BitbucketRollingUpgradeStep upgrade;

    @DataBoundConstructor
    public BitbucketRollingUpgradeBuilder(BitbucketRollingUpgradeStep upgrade) {
        this.upgrade = upgrade;
    }

    public BitbucketRollingUpgradeStep getUpgrade() {
        return upgrade;
    }

    @Override
    public BuildStepMonitor getRequiredMonitorService() {
        return BuildStepMonitor.NONE;
    }

    @Override
    public void perform(@NonNull Run<?, ?> run, @NonNull FilePath workspace, @NonNull EnvVars env,
                        @NonNull Launcher launcher, @NonNull TaskListener listener)
            throws InterruptedException, IOException {
        FreestyleOperation.run("upgrade", upgrade.getInstance(), run, launcher, listener,
                (instance, rt) -> BlockingOperations.rollingUpgrade(instance, upgrade, rt));
    }

    @Extension
    @Symbol("bitbucketRollingUpgradeBuilder")
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {
        @Override
        @SuppressWarnings("rawtypes")
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.BitbucketRollingUpgradeStep_displayName();
        }
    }
}
