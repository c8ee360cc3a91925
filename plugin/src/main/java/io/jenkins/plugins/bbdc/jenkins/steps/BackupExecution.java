package io.jenkins.plugins.bbdc.jenkins.steps;

import io.jenkins.plugins.bbdc.jenkins.Messages;
import hudson.Launcher;
import io.jenkins.plugins.bbdc.core.backup.BackupEngine;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.actions.OperationAction;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.provider.ClosingProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.ComponentProvider;
import io.jenkins.plugins.bbdc.jenkins.runtime.CatalogLocation;
import io.jenkins.plugins.bbdc.jenkins.runtime.EventLines;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Runs {@code bitbucketBackup}: the backup engine on a background thread, polled by the step. Every engine state
 * transition is persisted with the step, so after a controller restart the engine's {@code resume} finishes the
 * backup (a capture already fired: wait for durability) or cancels, unlocks and cleans it up.
 */
final class BackupExecution extends OperationExecution {
    private static final long serialVersionUID = 1L;
    static final BackgroundWork WORK = new BackgroundWork(Duration.ofSeconds(1));

    private final BitbucketInstance instance;
    private final BackupArguments args;

    BackupExecution(StepContext context, BitbucketInstance instance, BackupArguments args) {
        super(context, Messages.OperationKind_backup(), instance.getId());
        this.instance = instance;
        this.args = args;
    }

    @Override
    protected OperationMachine machine() throws IOException, InterruptedException {
        StepRuntime rt = new StepRuntime(instance, run(), listener(), getContext().get(Launcher.class));
        String what = Messages.Operation_what(Messages.OperationKind_backup(), instance.getId());
        return (state, stop, resumed) -> WORK.advance(state, stop,
                () -> BackupOperation.runWork(parts(rt, what)),
                what,
                checkpoint -> BackupOperation.resumeWork(parts(rt, what), checkpoint));
    }

    private BackupOperation.Parts parts(StepRuntime rt, String what) throws IOException, InterruptedException {
        Map<String, ComponentProvider> chosen = args.components.resolve(instance);
        Map<String, Map<String, String>> copies = ComponentChoice.copyDestinations(chosen);
        Map<String, SnapshotProvider> providers = ComponentChoice.toEngine(chosen, rt.services);
        io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdmin admin;
        java.nio.file.Path root;
        try {
            admin = rt.admin(instance);
            root = CatalogLocation.root(instance);
        } catch (IOException | RuntimeException e) {
            ClosingProvider.closeAll(providers.values()); // nothing will run: release the AWS clients
            throw e;
        }
        var runner = rt.services.commandRunner(what);
        return new BackupOperation.Parts() {
            @Override
            public BackupEngine engine(BackgroundWork.Progress progress) throws hudson.AbortException {
                return BackupOperation.engine(instance, args, providers, copies, admin, runner, root,
                        EventLines.sink(rt.log(), progress::status, false), progress);
            }

            @Override
            public BackupRetention retention(BackgroundWork.Progress progress) throws hudson.AbortException {
                return BackupOperation.retention(instance, args, providers, copies, runner, root,
                        EventLines.sink(rt.log(), progress::status, false));
            }

            @Override
            public java.nio.file.Path instanceDirectory() {
                return root.resolve(instance.getId());
            }

            @Override
            public void close() {
                ClosingProvider.closeAll(providers.values());
            }
        };
    }

    /**
     * Records the build page; a backup whose copies to the disaster-recovery region failed marks the build (and this
     * step's node) UNSTABLE with one log line per failure: the restore point is usable, the copy needs attention.
     */
    @Override
    protected void finished(Map<String, Object> result, String failure) {
        record(new OperationAction("backup", instance.getId(), nextPageIndex(), result, failure));
        List<String> warnings = BackupOperation.copyWarnings(result);
        if (!warnings.isEmpty()) {
            markUnstable(warnings, Messages.BackupOperation_copyUnstable(warnings.size()));
        }
    }
}
