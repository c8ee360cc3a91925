package io.jenkins.plugins.bbdc.jenkins.steps;

import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.upgrade.CommandNodeAction;
import io.jenkins.plugins.bbdc.core.upgrade.CommandTemplate;
import io.jenkins.plugins.bbdc.core.upgrade.NodeAction;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeEngine;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradePhase;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeState;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.provider.ClosingProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.ComponentProvider;
import io.jenkins.plugins.bbdc.jenkins.runtime.CatalogLocation;
import io.jenkins.plugins.bbdc.jenkins.runtime.EventLines;
import io.jenkins.plugins.bbdc.jenkins.runtime.HomeCheckOnNode;
import io.jenkins.plugins.bbdc.jenkins.upgrade.CloudFormationUpgrade;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The same engine calls the Pipeline steps make, run to completion on the calling thread: freestyle build steps
 * simply block (they have no restart durability anyway). Share everything else with the steps.
 */
public final class BlockingOperations {
    private BlockingOperations() {
    }

    public static Map<String, Object> backup(BitbucketInstance instance, BackupArguments args, StepRuntime rt)
            throws Exception {
        Map<String, ComponentProvider> chosen = args.components.resolve(instance);
        Map<String, Map<String, String>> copies = ComponentChoice.copyDestinations(chosen);
        Map<String, SnapshotProvider> providers = ComponentChoice.toEngine(chosen, rt.services);
        BackgroundWork.Progress progress = new BackgroundWork.Progress(Messages.OperationKind_backup(), null);
        PrintStream log = rt.log();
        try {
            var runner = rt.services.commandRunner(Messages.Operation_what(Messages.OperationKind_backup(), instance.getId()));
            var events = EventLines.sink(log, progress::status, false);
            java.nio.file.Path root = CatalogLocation.root(instance);
            // a stop is the interrupt of this (the build's) thread; a backup a resumed step left behind is finished
            return BackupOperation.run(BackupOperation.engine(instance, args, providers, copies, rt.admin(instance),
                    runner, root, events, progress),
                    BackupOperation.retention(instance, args, providers, copies, runner, root, events), null,
                    root.resolve(instance.getId()));
        } finally {
            ClosingProvider.closeAll(providers.values());
        }
    }

    /**
     * The log lines of a finished backup whose copies to another region failed (one per component, saying what to
     * do); the caller marks the build UNSTABLE when there are any.
     */
    public static List<String> copyWarnings(Map<String, Object> backupResult) {
        return BackupOperation.copyWarnings(backupResult);
    }

    public static Map<String, Object> restore(BitbucketInstance instance, RestoreArguments args, StepRuntime rt)
            throws Exception {
        Map<String, ComponentProvider> chosen = args.components.resolve(instance);
        var site = RestoreOperation.requireSite(instance, args, chosen, rt.fileWork);
        Map<String, SnapshotProvider> providers = ComponentChoice.toEngine(chosen, rt.services);
        try {
            return RestoreOperation.run(instance, args, providers, args.skipStoppedCheck ? null : rt.admin(instance),
                    rt.services.commandRunner(Messages.Operation_what(Messages.OperationKind_restore(), instance.getId())),
                    site.sharedHomeWork(), CatalogLocation.root(instance), EventLines.sink(rt.log(), s -> { }, false));
        } finally {
            ClosingProvider.closeAll(providers.values());
        }
    }

    public static Map<String, Object> verify(BitbucketInstance instance, VerifyArguments args, StepRuntime rt)
            throws Exception {
        args.validate();
        Map<String, ComponentProvider> chosen = VerifyPlacement.homeAndDatabase(args.components.resolve(instance));
        HomeCheckOnNode homeCheck = VerifyPlacement.homeCheck(instance, chosen.get(ComponentRole.HOME.value()), rt);
        Map<String, SnapshotProvider> providers = ComponentChoice.toEngine(chosen, rt.services);
        try {
            return VerifyOperation.run(instance, args, providers, homeCheck, homeCheck.where(),
                    rt.services.commandRunner(Messages.Operation_what(Messages.OperationKind_verify(), instance.getId())), CatalogLocation.root(instance),
                    EventLines.sink(rt.log(), s -> { }, false));
        } finally {
            ClosingProvider.closeAll(providers.values());
        }
    }

    /**
     * A rolling upgrade run to the end on the calling thread, each node's action being the step's command template
     * on the build's agent or, with {@code cloudFormation}, the replacement of its instance (AWS calls from this
     * thread, on the controller). Interrupting the thread (aborting the build) makes the engine park the cluster
     * safely.
     */
    public static Map<String, Object> rollingUpgrade(BitbucketInstance instance, BitbucketRollingUpgradeStep step,
                                                     StepRuntime rt) throws Exception {
        if (step.getTargetVersion() == null) {
            throw new AbortException(Messages.Validation_required("targetVersion"));
        }
        if (step.getNodeCommand() == null && step.getCloudFormation() == null) {
            throw new AbortException(Messages.BitbucketRollingUpgradeBuilder_noCommand());
        }
        step.requireConsistent();
        if (step.getCloudFormation() != null) {
            try (CloudFormationUpgrade.EngineAction cloudFormation = step.getCloudFormation().open(rt.services)) {
                return rollingUpgrade(instance, step, rt, cloudFormation.action());
            }
        }
        return rollingUpgrade(instance, step, rt, UpgradeExecution.commandAction(
                rt.services.commandRunner(Messages.UpgradeExecution_nodeCommandUse()), step.getNodeCommand(),
                step.getNodeTimeoutMinutes()));
    }

    private static Map<String, Object> rollingUpgrade(BitbucketInstance instance, BitbucketRollingUpgradeStep step,
                                                      StepRuntime rt, NodeAction action) throws Exception {
        var options = UpgradeExecution.options(instance.getId(), step, rt.nodeUrlsById(instance));
        AtomicBoolean aborted = new AtomicBoolean();
        UpgradeEngine engine = UpgradeEngine.builder(rt.admin(instance), action)
                .events(EventLines.sink(rt.log(), s -> { }, false))
                .abortSignal(aborted::get)
                .build();
        UpgradeState end = engine.start(options);
        while (!end.terminal()) {
            end = engine.advance(end);
            if (!end.terminal() && end.waiting) {
                try {
                    Thread.sleep(options.pollInterval().toMillis());
                } catch (InterruptedException e) {
                    // aborting the build: the engine parks the cluster safely, then the loop ends
                    if (!aborted.getAndSet(true)) {
                        end = engine.abort(end, Messages.BlockingOperations_aborted());
                    }
                }
            }
        }
        if (aborted.get()) {
            Thread.currentThread().interrupt();
        }
        Map<String, Object> result = UpgradeExecution.toMap(end);
        if (end.phase != UpgradePhase.DONE) {
            throw new BackgroundWork.ResultfulFailure(end.phase + ": " + end.failure
                    + (end.report == null ? "" : "\n" + end.report), result);
        }
        return result;
    }

    /** Unwraps a failure that carries a result into a plain build failure (the page already shows the result). */
    public static AbortException failure(Exception e) {
        if (e instanceof AbortException a) {
            return a;
        }
        return new AbortException(e.getMessage() == null ? e.toString() : e.getMessage());
    }
}
