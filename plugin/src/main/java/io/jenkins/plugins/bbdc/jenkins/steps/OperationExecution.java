package io.jenkins.plugins.bbdc.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.actions.OperationAction;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * The Pipeline side of a long operation: a general (asynchronous) {@link StepExecution} that drives an
 * {@link OperationMachine} from {@link Timer} polls. Its only persisted state is the {@link OperationDriver} (plain
 * values and the engine's JSON state) and the copied step arguments, so after a controller restart
 * {@link #onResume()} simply polls again and the machine continues from what it observes.
 *
 * <p>{@link #stop} does not end the step at once: it asks the machine to end safely (release the maintenance lock,
 * cancel or park the upgrade) and the step fails only once that is done.
 */
public abstract class OperationExecution extends StepExecution {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(OperationExecution.class.getName());

    private final OperationDriver driver;
    private final String instanceId;
    private String ownerId;
    private transient volatile ScheduledFuture<?> task;

    protected OperationExecution(@NonNull StepContext context, String kind, String instanceId) {
        super(context);
        this.driver = new OperationDriver(kind);
        this.instanceId = instanceId;
    }

    /** Builds the machine for one poll from the persisted arguments and the current context. */
    protected abstract OperationMachine machine() throws IOException, InterruptedException;

    /** Called once with the final result before the step completes (e.g. to record a build page). */
    protected void finished(Map<String, Object> result, @CheckForNull String failure) {
    }

    protected final String instanceId() {
        return instanceId;
    }

    protected final TaskListener listener() throws IOException, InterruptedException {
        return getContext().get(TaskListener.class);
    }

    protected final Run<?, ?> run() throws IOException, InterruptedException {
        return getContext().get(Run.class);
    }

    @Override
    public boolean start() throws Exception {
        Run<?, ?> run = run();
        ownerId = run.getExternalizableId() + "#" + System.identityHashCode(this) + "-" + System.nanoTime();
        InstanceLocks.global().acquire(instanceId,
                new InstanceLocks.Holder(ownerId, driver.kind(), run.getFullDisplayName()));
        schedule(Duration.ZERO);
        return false;
    }

    @Override
    public void onResume() {
        if (driver.finished()) {
            return;
        }
        driver.markResumed();
        try {
            Run<?, ?> run = run();
            InstanceLocks.global().acquire(instanceId,
                    new InstanceLocks.Holder(ownerId, driver.kind(), run.getFullDisplayName()));
        } catch (IOException | InterruptedException e) {
            getContext().onFailure(e);
            return;
        }
        schedule(Duration.ZERO);
    }

    @Override
    public void stop(@NonNull Throwable cause) throws Exception {
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        driver.requestStop(reason);
        try {
            listener().getLogger().println(Messages.OperationExecution_stopping(driver.kind(), instanceId));
        } catch (IOException | InterruptedException e) {
            LOGGER.log(Level.FINE, "no listener while stopping", e);
        }
        schedule(Duration.ZERO);
    }

    @Override
    public String getStatus() {
        return driver.kind() + " of " + instanceId + ": " + driver.status();
    }

    private synchronized void schedule(Duration delay) {
        ScheduledFuture<?> previous = task;
        if (previous != null) {
            previous.cancel(false);
        }
        task = Timer.get().schedule(this::poll, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void poll() {
        if (driver.finished()) {
            return;
        }
        OperationDriver.Outcome outcome;
        try {
            outcome = driver.poll(machine());
        } catch (InterruptedException e) {
            schedule(OperationDriver.FIRST_RETRY);
            return;
        } catch (IOException | RuntimeException e) {
            // the machine could not even be built (configuration removed, credentials missing): nothing to resume
            driver.requestStop(e.getMessage());
            complete(null, e.getMessage() == null ? e.toString() : e.getMessage());
            return;
        }
        getContext().saveState();
        if (!outcome.finished()) {
            schedule(outcome.again());
            return;
        }
        complete(outcome.result(), outcome.failure());
    }

    private void complete(Map<String, Object> result, String failure) {
        InstanceLocks.global().release(instanceId, ownerId);
        try {
            finished(result, failure);
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "could not record the result of the " + driver.kind(), e);
        }
        if (failure == null) {
            getContext().onSuccess(result);
        } else {
            getContext().onFailure(new AbortException(failure));
        }
    }

    /** A number for this operation's page, unique among the build's Bitbucket pages. */
    protected final int nextPageIndex() {
        try {
            return run().getActions(OperationAction.class).size() + 1;
        } catch (IOException | InterruptedException e) {
            return 1;
        }
    }

    /** Adds this operation's page to the build. */
    protected final void record(OperationAction action) {
        try {
            run().addAction(action);
        } catch (IOException | InterruptedException e) {
            LOGGER.log(Level.WARNING, "could not add the " + driver.kind() + " page to the build", e);
        }
    }
}
