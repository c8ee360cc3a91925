package io.jenkins.plugins.bbdc.jenkins.builders;

import hudson.AbortException;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.bbdc.jenkins.actions.OperationAction;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketOpsConfiguration;
import io.jenkins.plugins.bbdc.jenkins.steps.BackgroundWork;
import io.jenkins.plugins.bbdc.jenkins.steps.BlockingOperations;
import io.jenkins.plugins.bbdc.jenkins.steps.InstanceLocks;
import io.jenkins.plugins.bbdc.jenkins.steps.StepRuntime;
import java.io.IOException;
import java.util.Map;

/** Runs one operation of a freestyle build step: the per-instance lock, the engine, the build page. */
final class FreestyleOperation {
    private FreestyleOperation() {
    }

    @FunctionalInterface
    interface Body {
        Map<String, Object> run(BitbucketInstance instance, StepRuntime rt) throws Exception;
    }

    static void run(String kind, String instanceId, Run<?, ?> run, Launcher launcher, TaskListener listener, Body body)
            throws IOException, InterruptedException {
        BitbucketInstance instance = BitbucketOpsConfiguration.get().requireInstance(instanceId);
        String owner = run.getExternalizableId() + "/" + kind;
        InstanceLocks.global().acquire(instance.getId(),
                new InstanceLocks.Holder(owner, kind, run.getFullDisplayName()));
        int page = run.getActions(OperationAction.class).size() + 1;
        try {
            Map<String, Object> result = body.run(instance, new StepRuntime(instance, run, listener, launcher));
            run.addAction(new OperationAction(kind, instance.getId(), page, result, null));
        } catch (BackgroundWork.ResultfulFailure f) {
            run.addAction(new OperationAction(kind, instance.getId(), page, f.result(), f.getMessage()));
            throw new AbortException(f.getMessage());
        } catch (InterruptedException | IOException e) {
            throw e;
        } catch (Exception e) {
            throw BlockingOperations.failure(e);
        } finally {
            InstanceLocks.global().release(instance.getId(), owner);
        }
    }
}
