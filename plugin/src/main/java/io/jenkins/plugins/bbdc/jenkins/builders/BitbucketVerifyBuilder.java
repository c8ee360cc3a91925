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
import io.jenkins.plugins.bbdc.jenkins.steps.BitbucketVerifyStep;
import io.jenkins.plugins.bbdc.jenkins.steps.BlockingOperations;
import java.io.IOException;
import jenkins.tasks.SimpleBuildStep;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/** Freestyle "Restore test of Bitbucket Data Center": the same settings and engine as {@code bitbucketVerify}. */
public final class BitbucketVerifyBuilder extends Builder implements SimpleBuildStep {
    private final BitbucketVerifyStep verify;

    @DataBoundConstructor
    public BitbucketVerifyBuilder(BitbucketVerifyStep verify) {
        this.verify = verify;
    }

    public BitbucketVerifyStep getVerify() {
        return verify;
    }

    @Override
    public BuildStepMonitor getRequiredMonitorService() {
        return BuildStepMonitor.NONE;
    }

    @Override
    public void perform(@NonNull Run<?, ?> run, @NonNull FilePath workspace, @NonNull EnvVars env,
                        @NonNull Launcher launcher, @NonNull TaskListener listener)
            throws InterruptedException, IOException {
        FreestyleOperation.run("verify", verify.getInstance(), run, launcher, listener,
                (instance, rt) -> BlockingOperations.verify(instance, verify.arguments(), rt));
    }

    @Extension
    @Symbol("bitbucketVerifyBuilder")
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {
        @Override
        @SuppressWarnings("rawtypes")
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.BitbucketVerifyStep_displayName();
        }
    }
}
