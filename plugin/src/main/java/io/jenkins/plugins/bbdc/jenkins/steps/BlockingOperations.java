package io.jenkins.plugins.bbdc.jenkins.steps;

import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.provider.ClosingProvider;
import io.jenkins.plugins.bbdc.jenkins.runtime.CatalogLocation;
import io.jenkins.plugins.bbdc.jenkins.runtime.EventLines;
import java.io.PrintStream;
import java.util.Map;

/**
 * The same engine calls the Pipeline steps make, run to completion on the calling thread: freestyle build steps
 * simply block (they have no restart durability anyway). Share everything else with the steps.
 */
public final class BlockingOperations {
    private BlockingOperations() {
    }

    public static Map<String, Object> backup(BitbucketInstance instance, BackupArguments args, StepRuntime rt)
            throws Exception {
        Map<String, SnapshotProvider> providers = ComponentChoice.toEngine(args.components.resolve(instance), rt.services);
        BackgroundWork.Progress progress = new BackgroundWork.Progress("backup", null);
        PrintStream log = rt.log();
        try {
            var runner = rt.services.commandRunner("backup of " + instance.getId());
            var events = EventLines.sink(log, progress::status, false);
            return BackupOperation.run(BackupOperation.engine(instance, args, providers, rt.admin(instance),
                    runner, CatalogLocation.root(instance), events, progress),
                    BackupOperation.retention(instance, args, providers, runner, CatalogLocation.root(instance),
                            events));
        } finally {
            ClosingProvider.closeAll(providers.values());
        }
    }

    public static Map<String, Object> restore(BitbucketInstance instance, RestoreArguments args, StepRuntime rt)
            throws Exception {
        Map<String, SnapshotProvider> providers = ComponentChoice.toEngine(args.components.resolve(instance), rt.services);
        try {
            return RestoreOperation.run(instance, args, providers, args.skipStoppedCheck ? null : rt.admin(instance),
                    rt.services.commandRunner("restore of " + instance.getId()), CatalogLocation.root(instance),
                    EventLines.sink(rt.log(), s -> { }, false));
        } finally {
            ClosingProvider.closeAll(providers.values());
        }
    }

    /** Unwraps a failure that carries a result into a plain build failure (the page already shows the result). */
    public static AbortException failure(Exception e) {
        if (e instanceof AbortException a) {
            return a;
        }
        return new AbortException(e.getMessage() == null ? e.toString() : e.getMessage());
    }
}
