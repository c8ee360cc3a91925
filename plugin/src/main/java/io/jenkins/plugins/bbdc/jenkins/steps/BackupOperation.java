package io.jenkins.plugins.bbdc.jenkins.steps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.backup.BackupConfig;
import io.jenkins.plugins.bbdc.core.backup.BackupEngine;
import io.jenkins.plugins.bbdc.core.backup.BackupOutcome;
import io.jenkins.plugins.bbdc.core.backup.BackupRefusedException;
import io.jenkins.plugins.bbdc.core.backup.BackupState;
import io.jenkins.plugins.bbdc.core.backup.FileBackupStateStore;
import io.jenkins.plugins.bbdc.core.backup.Components;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdmin;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.core.restorepoint.ComponentRecord;
import io.jenkins.plugins.bbdc.core.restorepoint.ManifestJson;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A backup as the Jenkins step runs it: the backup engine with the instance's settings, every state transition
 * handed to the step as a checkpoint (so a controller restart resumes or cleans up), the restore point returned as
 * plain values.
 */
final class BackupOperation {
    private static final ObjectMapper JSON = ManifestJson.mapper();

    private BackupOperation() {
    }

    /**
     * @param copies role value → where its snapshots are copied once the point is complete (see
     *               {@link ComponentChoice#copyDestinations})
     * @throws AbortException when the engine refuses the components (e.g. a copy destination without a region)
     */
    static BackupEngine engine(BitbucketInstance instance, BackupArguments args, Map<String, SnapshotProvider> providers,
                               Map<String, Map<String, String>> copies, BitbucketAdmin admin, CommandRunner runner,
                               Path catalogRoot, EventSink events, BackgroundWork.Progress progress)
            throws AbortException {
        BackupConfig config = BackupConfig.of(instance.getId(), components(providers, copies), args.mode(instance))
                .withDrain(BackupConfig.DEFAULT_DRAIN_POLL_INTERVAL, args.drainTimeout());
        return new BackupEngine(config, admin, new FileCatalog(catalogRoot), runner, null, null, events,
                state -> progress.checkpoint(toJson(state)));
    }

    /**
     * Retention to apply after a successful backup, or null when the step and the instance keep everything.
     *
     * @throws AbortException when the step's retention rules are invalid
     */
    static BackupRetention retention(BitbucketInstance instance, BackupArguments args,
                                     Map<String, SnapshotProvider> providers, Map<String, Map<String, String>> copies,
                                     CommandRunner runner, Path catalogRoot, EventSink events) throws AbortException {
        var policy = BackupRetention.policy(args.retention, instance.getKeepLast());
        if (policy == null) {
            return null;
        }
        return new BackupRetention(instance.getId(), policy, new FileCatalog(catalogRoot),
                components(providers, copies), runner, events, null);
    }

    /** The engine's components: each role's provider and copy destination, validated by the engine. */
    static Components components(Map<String, SnapshotProvider> providers, Map<String, Map<String, String>> copies)
            throws AbortException {
        Components.Builder b = Components.builder();
        providers.forEach((role, p) -> b.add(ComponentRole.parse(role), p));
        copies.forEach((role, d) -> b.copyTo(ComponentRole.parse(role), d));
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new AbortException(Messages.BackupOperation_invalidComponents(e.getMessage()));
        }
    }

    /** Everything resolved for one backup's engine except the progress it reports to. */
    interface Parts {
        BackupEngine engine(BackgroundWork.Progress progress) throws AbortException;

        /** Retention after a successful backup, or null. */
        @CheckForNull
        BackupRetention retention(BackgroundWork.Progress progress) throws AbortException;

        /**
         * The catalog's directory of the instance: the engine's run lock and the state of a backup a resumed step
         * could not end ({@link LeftoverBackup}).
         */
        Path instanceDirectory();

        /** Releases what the engine providers hold (AWS connection pools) once the backup is over. */
        void close();
    }

    /**
     * The step's background work of a new backup. A stop reaches the engine through its own {@code stop()}; one that
     * came before the engine could start ends the work with nothing changed.
     */
    static BackgroundWork.EngineWork runWork(Parts parts) {
        return progress -> {
            try {
                BackupEngine engine = parts.engine(progress);
                if (progress.stopRequested()) {
                    throw new InterruptedException("stopped before the backup started");
                }
                return run(engine, parts.retention(progress), progress, parts.instanceDirectory());
            } finally {
                parts.close();
            }
        };
    }

    /**
     * The step's background work of a backup found running after a controller restart: the engine's {@code resume}
     * from the last checkpoint. A stop — also one asked for before this work began — reaches the engine through its
     * own {@code stop()}, never as an interrupt of this thread, so the engine can still take its run lock and
     * release what the backup holds (Bitbucket's maintenance lock, partial snapshots).
     */
    static BackgroundWork.EngineWork resumeWork(Parts parts, String checkpoint) {
        return progress -> {
            try {
                progress.checkpoint(checkpoint);
                return resume(parts.engine(progress), checkpoint, parts.retention(progress), progress,
                        parts.instanceDirectory());
            } finally {
                parts.close();
            }
        };
    }

    static Map<String, Object> run(BackupEngine engine) throws Exception {
        return run(engine, null);
    }

    /** On the calling thread; a stop is an interrupt of this thread (freestyle builds). */
    static Map<String, Object> run(BackupEngine engine, BackupRetention retention) throws Exception {
        return run(engine, retention, null, null);
    }

    /**
     * Finishes a backup a resumed step had to leave behind (see {@link LeftoverBackup}), then runs a new one.
     *
     * @param progress          where stops come from (routed to {@link BackupEngine#stop()} while the engine runs);
     *                          null: a stop is an interrupt of the calling thread
     * @param instanceDirectory the catalog's directory of the instance, where a left-over backup is kept; null: none
     */
    static Map<String, Object> run(BackupEngine engine, BackupRetention retention,
                                   @CheckForNull BackgroundWork.Progress progress,
                                   @CheckForNull Path instanceDirectory) throws Exception {
        Map<String, Object> result;
        try (BackgroundWork.StopRoute ignored = stopsTo(engine, progress)) {
            finishLeftover(engine, instanceDirectory);
            BackupOutcome outcome = engine.run();
            LeftoverBackup.settled(instanceDirectory, outcome.state());
            result = finish(outcome, false, instanceDirectory);
        } catch (BackupRefusedException e) {
            throw new AbortException(Messages.BackupOperation_refused(String.join("; ", e.reasons())));
        }
        return afterSuccess(result, retention);
    }

    /** The engine's resume of a kept backup; a new backup only starts once Bitbucket is no longer locked by it. */
    private static void finishLeftover(BackupEngine engine, @CheckForNull Path instanceDirectory)
            throws IOException, BackupRefusedException {
        Optional<BackupState> left = LeftoverBackup.unfinished(instanceDirectory);
        if (left.isEmpty()) {
            return;
        }
        BackupOutcome outcome = engine.resume(left.get());
        LeftoverBackup.settled(instanceDirectory, outcome.state());
        if (outcome.state().holdsSomething()) {
            throw new AbortException(Messages.BackupOperation_leftoverNotEnded(left.get().restorePointId(),
                    LeftoverBackup.whatIsLeft(outcome.state())));
        }
    }

    static Map<String, Object> resume(BackupEngine engine, String checkpoint) throws Exception {
        return resume(engine, checkpoint, null, null, null);
    }

    /**
     * Continues (or, stopped, ends) the backup of {@code checkpoint} after a controller restart. When the engine
     * refuses to because another operation holds the instance's run lock, the backup is kept for the next backup or
     * the CLI and the failure says what is left (Bitbucket locked, snapshots) and how to continue.
     *
     * @param progress          as for {@link #run(BackupEngine, BackupRetention, BackgroundWork.Progress, Path)}
     * @param instanceDirectory as for {@link #run(BackupEngine, BackupRetention, BackgroundWork.Progress, Path)}
     */
    static Map<String, Object> resume(BackupEngine engine, String checkpoint, BackupRetention retention,
                                      @CheckForNull BackgroundWork.Progress progress,
                                      @CheckForNull Path instanceDirectory) throws Exception {
        if (checkpoint == null) {
            // the restart came before the engine recorded anything: nothing was locked or captured
            throw new AbortException(Messages.BackupOperation_restartBeforeStart());
        }
        BackupState state = JSON.readValue(checkpoint, BackupState.class);
        Map<String, Object> result;
        try (BackgroundWork.StopRoute ignored = stopsTo(engine, progress)) {
            BackupOutcome outcome = engine.resume(state);
            LeftoverBackup.settled(instanceDirectory, outcome.state());
            result = finish(outcome, true, instanceDirectory);
        } catch (BackupRefusedException e) {
            String reasons = String.join("; ", e.reasons()).replaceAll("[.\\s]+$", "");
            if (instanceDirectory == null || !state.holdsSomething()) {
                throw new AbortException(Messages.BackupOperation_refused(reasons));
            }
            Path kept = LeftoverBackup.keep(instanceDirectory, state);
            throw new AbortException(Messages.BackupOperation_resumeRefused(state.restorePointId(), reasons,
                    LeftoverBackup.whatIsLeft(state), kept, instanceDirectory.getParent()));
        }
        return afterSuccess(result, retention);
    }

    private static BackgroundWork.StopRoute stopsTo(BackupEngine engine, @CheckForNull BackgroundWork.Progress p) {
        return p == null ? () -> { } : p.stopThrough(engine::stop);
    }

    /**
     * Applies retention once the restore point is COMPLETE. A retention problem never fails the backup (the new
     * point is good); it is reported in the result's {@code retention} entry and on the build page.
     */
    static Map<String, Object> afterSuccess(Map<String, Object> result, BackupRetention retention)
            throws InterruptedException {
        if (retention == null) {
            return result;
        }
        if (Thread.currentThread().isInterrupted()) {
            // stopped while the copies ran: the point is COMPLETE and reported; nothing more is deleted now
            result.put("retentionSummary", Messages.BackupOperation_retentionSkippedOnStop());
            return result;
        }
        Map<String, Object> r;
        try {
            r = retention.apply();
            result.put("retentionSummary", BackupRetention.summary(r));
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            r = new LinkedHashMap<>();
            r.put("clean", false);
            r.put("error", String.valueOf(e.getMessage()));
            result.put("retentionSummary", Messages.BackupRetention_failed(String.valueOf(e.getMessage())));
        }
        result.put("retention", r);
        return result;
    }

    private static Map<String, Object> finish(BackupOutcome outcome, boolean resumed,
                                              @CheckForNull Path instanceDirectory)
            throws BackgroundWork.ResultfulFailure {
        Map<String, Object> map = toMap(outcome.point(), outcome.stillLocked(), resumed);
        map.put("copyFailures", new LinkedHashMap<String, Object>(outcome.copyFailures()));
        if (!outcome.succeeded()) {
            RestorePoint p = outcome.point();
            throw new BackgroundWork.ResultfulFailure(Messages.BackupOperation_failed(p.id(), p.status(),
                    String.valueOf(p.failureReason()), outcome.stillLocked()
                            ? stillLocked(outcome, instanceDirectory) : Messages.BackupOperation_unlocked()), map);
        }
        return map;
    }

    /**
     * Bitbucket stays locked by this backup: its state, with the unlock token, is kept in the catalog (as the CLI
     * keeps it), so that the next backup of the instance releases the lock before anything else.
     */
    private static String stillLocked(BackupOutcome outcome, @CheckForNull Path instanceDirectory) {
        if (instanceDirectory == null) {
            return Messages.BackupOperation_stillLocked();
        }
        try {
            Path kept = LeftoverBackup.keep(instanceDirectory, outcome.state());
            return Messages.BackupOperation_stillLockedKept(kept,
                    new FileBackupStateStore(instanceDirectory).unlockTokenExpression());
        } catch (RuntimeException e) {
            return Messages.BackupOperation_stillLockedNotKept(String.valueOf(e.getMessage()));
        }
    }

    static String toJson(BackupState state) {
        try {
            return JSON.writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot record the backup state: " + e.getOriginalMessage(), e);
        }
    }

    /** The step's return value and the build page: plain strings, numbers, booleans, lists and maps. */
    static Map<String, Object> toMap(RestorePoint p, boolean stillLocked, boolean resumed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("restorePointId", p.id());
        m.put("status", p.status().name());
        m.put("mode", p.mode() == null ? null : p.mode().name());
        m.put("bitbucketVersion", p.bitbucketVersion());
        m.put("fence", str(p.fence()));
        m.put("skewMillis", p.skewMillis());
        m.put("lockWindowMillis", p.lockWindowMillis());
        m.put("startedAt", str(p.startedAt()));
        m.put("finishedAt", str(p.finishedAt()));
        if (p.startedAt() != null && p.finishedAt() != null) {
            m.put("elapsedMillis", p.finishedAt().toEpochMilli() - p.startedAt().toEpochMilli());
        }
        m.put("failureReason", p.failureReason());
        m.put("stillLocked", stillLocked);
        m.put("resumedAfterRestart", resumed);
        List<Map<String, Object>> components = new ArrayList<>();
        for (ComponentRecord c : p.components()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("role", c.role());
            row.put("provider", c.provider());
            row.put("snapshot", c.reference().id());
            row.put("capturedAt", str(c.capturedAt()));
            row.put("durableAt", str(c.durableAt()));
            if (c.capturedAt() != null && c.durableAt() != null) {
                row.put("durableAfterMillis", c.durableAt().toEpochMilli() - c.capturedAt().toEpochMilli());
            }
            row.put("sizeBytes", c.sizeBytes());
            row.put("copies", copies(c));
            components.add(row);
        }
        m.put("components", components);
        List<String> leftovers = new ArrayList<>();
        for (SnapshotRef r : p.leftovers()) {
            leftovers.add(r.provider() + " " + r.id() + " (" + r.role() + ")");
        }
        m.put("leftovers", leftovers);
        m.put("notes", new ArrayList<>(p.notes()));
        return m;
    }

    /** The copies of a component in other regions: region, snapshot id, and when it was complete (null: not yet). */
    private static List<Map<String, Object>> copies(ComponentRecord c) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SnapshotRef copy : c.copies()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("region", copy.attribute("region"));
            row.put("id", copy.id());
            row.put("durableAt", str(copy.durableAt()));
            out.add(row);
        }
        return out;
    }

    /**
     * The warnings of a finished backup whose copies failed: one line per component, saying what happened and what
     * to do. Empty when every configured copy was made (or none is configured). A non-empty list makes the build
     * UNSTABLE: the restore point is COMPLETE and usable, but the disaster-recovery copy is missing.
     */
    static List<String> copyWarnings(Map<String, Object> result) {
        List<String> out = new ArrayList<>();
        if (result != null && result.get("copyFailures") instanceof Map<?, ?> failures) {
            failures.forEach((role, reason) -> out.add(Messages.BackupOperation_copyFailed(role, reason)));
        }
        return out;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
