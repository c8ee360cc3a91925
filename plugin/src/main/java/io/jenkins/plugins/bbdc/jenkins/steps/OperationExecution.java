package io.jenkins.plugins.bbdc.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.bbdc.jenkins.actions.OperationAction;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.actions.WarningAction;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * The Pipeline side of a long operation: a general (asynchronous) {@link StepExecution} that drives an
 * {@link OperationMachine} through an {@link OperationLoop}: {@link Timer} waits out the delay between polls, the
 * plugin's {@link PollThreads} run them. Its only persisted state is the loop (plain values and the engine's JSON
 * state) and the copied step arguments, so after a controller restart {@link #onResume()} simply polls again and the
 * machine continues from what it observes.
 *
 * <p>{@link #stop} returns at once: it asks the machine to end safely (release the maintenance lock, cancel or park
 * the upgrade) and the step fails only once that is done.
 */
public abstract class OperationExecution extends StepExecution {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(OperationExecution.class.getName());

    private final OperationLoop loop;

    protected OperationExecution(@NonNull StepContext context, String kind, String instanceId) {
        super(context);
        this.loop = new OperationLoop(kind, instanceId);
    }

    /** Builds the machine for one poll from the persisted arguments and the current context. */
    protected abstract OperationMachine machine() throws IOException, InterruptedException;

    /**
     * Called once with the final result before the step completes (e.g. to record a build page); not again for a step
     * resumed after a restart that came between this call and the step's end.
     */
    protected void finished(Map<String, Object> result, @CheckForNull String failure) {
    }

    protected final String instanceId() {
        return loop.instanceId();
    }

    /** Unique to this run of the step, kept across restarts. */
    protected final String ownerId() {
        return loop.ownerId();
    }

    protected final TaskListener listener() throws IOException, InterruptedException {
        return getContext().get(TaskListener.class);
    }

    protected final Run<?, ?> run() throws IOException, InterruptedException {
        return getContext().get(Run.class);
    }

    @Override
    public boolean start() throws Exception {
        loop.start(run().getExternalizableId(), host());
        return false;
    }

    @Override
    public void onResume() {
        loop.resume(host());
    }

    @Override
    public void stop(@NonNull Throwable cause) throws Exception {
        loop.stop(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(), host());
    }

    @Override
    public String getStatus() {
        return loop.status();
    }

    /**
     * What this execution persists besides the loop and the (unchanging) step arguments and may change during a poll,
     * so the step is saved when it changed; null when nothing.
     */
    protected Object executionState() {
        return null;
    }

    /** Called when the step ended, after the build page was recorded (e.g. to forget background work). */
    protected void ended() {
    }

    private OperationLoop.Host host() {
        return new OperationLoop.Host() {
            @Override
            public ScheduledExecutorService timer() {
                return Timer.get();
            }

            @Override
            public Executor pollThreads() {
                // as the SYSTEM user, like the timer threads the polls ran on before
                return poll -> PollThreads.shared().execute(() -> {
                    try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
                        poll.run();
                    }
                });
            }

            @Override
            public Object executionState() {
                return OperationExecution.this.executionState();
            }

            @Override
            public OperationMachine machine() throws IOException, InterruptedException {
                return OperationExecution.this.machine();
            }

            @Override
            public String buildName() throws IOException, InterruptedException {
                return run().getFullDisplayName();
            }

            @Override
            public void log(String line) {
                try {
                    listener().getLogger().println(line);
                } catch (IOException | InterruptedException e) {
                    LOGGER.log(Level.FINE, "no listener for: " + line, e);
                }
            }

            @Override
            public void saveState() {
                getContext().saveState();
            }

            @Override
            public void finished(Map<String, Object> result, String failure) {
                OperationExecution.this.finished(result, failure);
            }

            @Override
            public void complete(Map<String, Object> result, String failure) {
                try {
                    ended();
                } catch (RuntimeException e) {
                    LOGGER.log(Level.FINE, "clean-up after the " + loop.kind() + " failed", e);
                }
                if (failure == null) {
                    getContext().onSuccess(result);
                } else {
                    getContext().onFailure(new AbortException(failure));
                }
            }
        };
    }

    /** A number for this operation's page, unique among the build's Bitbucket pages. */
    protected final int nextPageIndex() {
        try {
            return run().getActions(OperationAction.class).size() + 1;
        } catch (IOException | InterruptedException e) {
            return 1;
        }
    }

    /**
     * Logs each warning and marks the build UNSTABLE, and this step's node with a warning (as the {@code unstable}
     * step does, so stage views show the stage yellow): the operation succeeded, but something the user relies on
     * needs attention.
     */
    protected final void markUnstable(List<String> warnings, String summary) {
        try {
            TaskListener listener = listener();
            warnings.forEach(listener.getLogger()::println);
            listener.getLogger().println(summary);
            FlowNode node = getContext().get(FlowNode.class);
            if (node != null) {
                node.addOrReplaceAction(new WarningAction(Result.UNSTABLE).withMessage(summary));
            }
            run().setResult(Result.UNSTABLE);
        } catch (IOException | InterruptedException | RuntimeException e) {
            LOGGER.log(Level.WARNING, "could not mark the build unstable after the " + loop.kind() + ": " + summary, e);
        }
    }

    /** Adds this operation's page to the build. */
    protected final void record(OperationAction action) {
        try {
            run().addAction(action);
        } catch (IOException | InterruptedException e) {
            LOGGER.log(Level.WARNING, "could not add the " + loop.kind() + " page to the build", e);
        }
    }
}
