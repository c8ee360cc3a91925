package org.jenkinsci.plugins.workflow.job;

import hudson.model.Queue;
import hudson.model.Run;
import java.io.IOException;
import org.kohsuke.stapler.HttpResponse;

/**
 * Real supertypes: FlowExecutionOwner.Executable (which extends Queue.Executable), LazyLoadingRun and RunWithSCM;
 * only Queue.Executable is kept.
 */
public final class WorkflowRun extends Run<WorkflowJob, WorkflowRun> implements Queue.Executable {
    public WorkflowRun(WorkflowJob job) throws IOException {
        super(job);
    }

    public HttpResponse doStop() {
        throw new UnsupportedOperationException();
    }
}
