package org.jenkinsci.plugins.workflow.job;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Action;
import hudson.model.ItemGroup;
import hudson.model.Job;
import hudson.model.TopLevelItem;
import hudson.model.queue.QueueTaskFuture;
import jenkins.model.ParameterizedJobMixIn;
import org.jenkinsci.plugins.workflow.flow.FlowDefinition;

/** Left out: the supertypes LazyLoadingJob, Queue.FlyweightTask, SCMTriggerItem and BlockableResume. */
@SuppressWarnings("rawtypes")
public final class WorkflowJob extends Job<WorkflowJob, WorkflowRun>
        implements ParameterizedJobMixIn.ParameterizedJob<WorkflowJob, WorkflowRun>, TopLevelItem {

    public WorkflowJob(ItemGroup parent, String name) {
        super(parent, name);
    }

    public FlowDefinition getDefinition() {
        throw new UnsupportedOperationException();
    }

    public void setDefinition(FlowDefinition definition) {
        throw new UnsupportedOperationException();
    }

    @Override
    public WorkflowRun getBuildByNumber(int n) {
        throw new UnsupportedOperationException();
    }

    @Override
    public @CheckForNull QueueTaskFuture<WorkflowRun> scheduleBuild2(int quietPeriod, Action... actions) {
        throw new UnsupportedOperationException();
    }
}
