package jenkins.model;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Action;
import hudson.model.Item;
import hudson.model.Job;
import hudson.model.Queue;
import hudson.model.Run;
import hudson.model.queue.QueueTaskFuture;

public abstract class ParameterizedJobMixIn<
        JobT extends Job<JobT, RunT> & ParameterizedJobMixIn.ParameterizedJob<JobT, RunT> & Queue.Task,
        RunT extends Run<JobT, RunT> & Queue.Executable> {

    public final @CheckForNull QueueTaskFuture<RunT> scheduleBuild2(int quietPeriod, Action... actions) {
        throw new UnsupportedOperationException();
    }

    /**
     * Real supertypes: BuildableItem (= Item, Queue.Task) and TriggeredItem (= Item); the intermediate interfaces are
     * left out, their supertypes kept.
     */
    public interface ParameterizedJob<
                    JobT extends Job<JobT, RunT> & ParameterizedJobMixIn.ParameterizedJob<JobT, RunT> & Queue.Task,
                    RunT extends Run<JobT, RunT> & Queue.Executable>
            extends Item, Queue.Task {

        @CheckForNull
        default QueueTaskFuture<RunT> scheduleBuild2(int quietPeriod, Action... actions) {
            throw new UnsupportedOperationException();
        }
    }
}
