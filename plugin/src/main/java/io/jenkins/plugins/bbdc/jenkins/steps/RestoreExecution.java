package io.jenkins.plugins.bbdc.jenkins.steps;

import hudson.Launcher;
import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.actions.OperationAction;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.provider.ClosingProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.ComponentProvider;
import io.jenkins.plugins.bbdc.jenkins.runtime.CatalogLocation;
import io.jenkins.plugins.bbdc.jenkins.runtime.EventLines;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/** Runs {@code bitbucketRestore}: the restore engine on a background thread, polled by the step. */
final class RestoreExecution extends OperationExecution {
    private static final long serialVersionUID = 1L;
    static final BackgroundWork WORK = new BackgroundWork(Duration.ofSeconds(1));

    private final BitbucketInstance instance;
    private final RestoreArguments args;

    RestoreExecution(StepContext context, BitbucketInstance instance, RestoreArguments args) {
        super(context, Messages.OperationKind_restore(), instance.getId());
        this.instance = instance;
        this.args = args;
    }

    @Override
    protected OperationMachine machine() throws IOException, InterruptedException {
        StepRuntime rt = new StepRuntime(instance, run(), listener(), getContext().get(Launcher.class));
        String what = Messages.Operation_what(Messages.OperationKind_restore(), instance.getId());
        return (state, stop, resumed) -> WORK.advance(state, stop, () -> {
            Map<String, ComponentProvider> chosen = args.components.resolve(instance);
            var site = RestoreOperation.requireSite(instance, args, chosen, rt.fileWork);
            Map<String, SnapshotProvider> providers = ComponentChoice.toEngine(chosen, rt.services);
            var admin = args.skipStoppedCheck ? null : rt.admin(instance);
            var runner = rt.services.commandRunner(what);
            return progress -> {
                EventSink events = EventLines.sink(rt.log(), progress::status, false);
                try {
                    return RestoreOperation.run(instance, args, providers, admin, runner, site.sharedHomeWork(),
                            CatalogLocation.root(instance), events);
                } finally {
                    ClosingProvider.closeAll(providers.values());
                }
            };
        }, what, checkpoint -> {
            throw new hudson.AbortException(Messages.RestoreExecution_interrupted(instance.getId()));
        });
    }

    @Override
    protected void finished(Map<String, Object> result, String failure) {
        record(new OperationAction("restore", instance.getId(), nextPageIndex(), result, failure));
    }
}
