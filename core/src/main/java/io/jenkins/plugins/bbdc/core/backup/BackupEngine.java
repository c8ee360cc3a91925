package io.jenkins.plugins.bbdc.core.backup;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdmin;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketException;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketVersion;
import io.jenkins.plugins.bbdc.core.bitbucket.MaintenanceLock;
import io.jenkins.plugins.bbdc.core.bitbucket.MaintenanceStatus;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.event.OperationEvent;
import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import io.jenkins.plugins.bbdc.core.ops.InstanceLock;
import io.jenkins.plugins.bbdc.core.ops.OperationOutcome;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.CheckReport;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.PreparedCapture;
import io.jenkins.plugins.bbdc.core.provider.ProviderCapability;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.core.restorepoint.ComponentRecord;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointId;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;
import io.jenkins.plugins.bbdc.core.time.Sleeper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Takes one restore point of one Bitbucket instance (see docs/backup.md).
 *
 * <p><b>Zero-downtime:</b> every provider prepares (the slow part), then all captures fire together on separate
 * threads behind a start barrier; the instant the barrier opens is the <i>fence</i>, the spread of the capture
 * instants is measured as {@code skewMillis}; then every component is awaited in parallel.
 *
 * <p><b>Locked:</b> prepare (an rsync pre-pass runs here) → lock → start the external backup → poll the drain at the
 * configured interval until DRAINED or the deadline → capture every component in parallel, reporting progress 1–99
 * as they finish → progress 100 → unlock → await durability (a database dump runs after the unlock). On every failure
 * path the backup is cancelled and Bitbucket unlocked exactly once, every snapshot of the restore point is deleted,
 * and anything that could not be deleted is recorded as a leftover of a FAILED restore point.
 *
 * <p>Every transition is handed to the {@link BackupStateSink} first, so {@link #resume(BackupState)} can finish or
 * clean up a run whose process died.
 */
public final class BackupEngine {
    private static final String OP = "backup";
    /** How long a stopped copy phase waits for its workers to delete their unfinished copies. */
    private static final Duration COPY_CLEANUP_WAIT = Duration.ofMinutes(5);

    private final BackupConfig config;
    private final BitbucketAdmin admin;
    private final FileCatalog catalog;
    private final CommandRunner runner;
    private final Clock clock;
    private final Sleeper sleeper;
    private final EventSink events;
    private final BackupStateSink stateSink;
    private volatile Thread runner0;
    private volatile boolean stopRequested;

    public BackupEngine(BackupConfig config, BitbucketAdmin admin, FileCatalog catalog, CommandRunner runner,
                        Clock clock, Sleeper sleeper, EventSink events, BackupStateSink stateSink) {
        this.config = Objects.requireNonNull(config, "config");
        this.admin = Objects.requireNonNull(admin, "Bitbucket admin client");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.runner = Objects.requireNonNull(runner, "command runner");
        this.clock = clock == null ? Clock.systemUTC() : clock;
        this.sleeper = sleeper == null ? Sleeper.SYSTEM : sleeper;
        this.events = events == null ? EventSink.NONE : events;
        this.stateSink = stateSink == null ? BackupStateSink.NONE : stateSink;
    }

    /**
     * Runs one backup. Returns the catalogued restore point (COMPLETE, or FAILED with the reason and any leftovers).
     *
     * @throws BackupRefusedException nothing was changed: configuration, capability, version or provider checks
     *                                failed, or another operation holds the instance
     */
    public BackupOutcome run() throws BackupRefusedException, InterruptedException, IOException {
        return runEndingEarlier(earlier -> { });
    }

    /**
     * Runs one backup, as {@link #run()}. When the state sink is a {@link BackupStateStore} whose last state still
     * holds something (Bitbucket locked, an unfinished restore point), that backup is ended first, under the same run
     * lock, and handed to {@code earlier}; if Bitbucket then stays locked by it, no new backup starts (the refusal
     * says how to release the lock by hand) and its state is kept.
     *
     * @throws BackupRefusedException as for {@link #run()}; also when the stored state cannot be read, and when
     *                                an earlier backup's maintenance lock could not be released
     *                                ({@link io.jenkins.plugins.bbdc.core.ops.OperationOutcome#NOT_SAFE})
     */
    public BackupOutcome runEndingEarlier(Consumer<BackupOutcome> earlier)
            throws BackupRefusedException, InterruptedException, IOException {
        Instant started = clock.instant();
        String id = RestorePointId.generate(started);
        if (Thread.interrupted() || stopRequested) {
            // nothing has started; and the run lock's file channel would refuse an interrupted thread anyway
            throw new InterruptedException("the backup was stopped before it started; nothing was changed");
        }
        try (InstanceLock ignored = acquireRunLock("backup", started)) {
            runner0 = Thread.currentThread();
            try {
                endEarlier(earlier);
                if (stopRequested || Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("the backup was stopped while an earlier one was being ended; no"
                            + " new backup was started");
                }
                emit(OperationEvent.Level.INFO, "preflight", null, "backup " + id + " of " + config.instanceId()
                        + " (" + config.mode() + ") starting");
                String version = preflight();
                Run run = new Run(BackupState.started(id, config.instanceId(), config.mode(), version, started));
                run.persist();
                return run.execute();
            } finally {
                runner0 = null;
            }
        }
    }

    /**
     * Continues a backup whose process died, from its persisted state: a run that died before every capture fired
     * (or while Bitbucket was locked and not yet finished) is cancelled, unlocked, its snapshots deleted and recorded
     * FAILED; a run that died while waiting for durability resumes the wait. A terminal state returns its restore
     * point.
     */
    public BackupOutcome resume(BackupState state) throws BackupRefusedException, IOException {
        Objects.requireNonNull(state, "state");
        if (!config.instanceId().equals(state.instance())) {
            throw new BackupRefusedException(List.of("the state belongs to instance " + state.instance()
                    + ", not " + config.instanceId()));
        }
        if (state.phase().terminal() && !state.lockHeld()) {
            RestorePoint p = catalog.find(state.instance(), state.restorePointId())
                    .orElseGet(() -> new Run(state).manifest(state.phase() == BackupPhase.COMPLETE
                            ? RestorePointStatus.COMPLETE : RestorePointStatus.FAILED, state.captured(), List.of(),
                            state.failureReason(), List.of()));
            return new BackupOutcome(p, state);
        }
        // A stop may already be pending (a Jenkins abort right after a restart). The run lock's file channel would
        // refuse an interrupted thread, and then nothing would unlock Bitbucket: hold the interrupt back, take the
        // lock, and carry the stop into the resumed run as a stop request.
        boolean stop = Thread.interrupted() || stopRequested;
        try (InstanceLock ignored = acquireRunLock("backup resume", clock.instant())) {
            runner0 = Thread.currentThread();
            try {
                return resumeHeld(state, stop);
            } finally {
                runner0 = null;
            }
        }
    }

    /** {@link #resume} with the run lock already held. */
    private BackupOutcome resumeHeld(BackupState state, boolean stop) {
        Run run = new Run(state);
        emit(OperationEvent.Level.WARNING, "resume", null, "resuming backup " + state.restorePointId()
                + " found in phase " + state.phase() + (state.lockHeld() ? " with Bitbucket locked" : "")
                + (stop || stopRequested ? "; a stop was requested, so it is ended safely" : ""));
        if (stop || stopRequested) {
            stopRequested = true;
            return run.resumeStopped();
        }
        return run.resume();
    }

    /**
     * Ends the backup the state store records as still holding something (see {@link #runEndingEarlier(Consumer)}); refuses the
     * new backup while Bitbucket stays locked by it, or when the state cannot be read.
     */
    private void endEarlier(Consumer<BackupOutcome> earlier) throws BackupRefusedException {
        if (!(stateSink instanceof BackupStateStore store)) {
            return;
        }
        BackupState previous;
        try {
            previous = store.read().orElse(null);
        } catch (IOException e) {
            emit(OperationEvent.Level.ERROR, "resume", null, e.getMessage());
            throw new BackupRefusedException(List.of(e.getMessage()));
        }
        if (previous == null || !previous.holdsSomething() || !config.instanceId().equals(previous.instance())) {
            return;
        }
        BackupOutcome ended = resumeHeld(previous, Thread.interrupted());
        earlier.accept(ended);
        if (ended.stillLocked()) {
            String how = ManualUnlock.instructions(previous.restorePointId(), admin.maintenanceUrls(),
                    store.unlockTokenExpression());
            emit(OperationEvent.Level.ERROR, "resume", null, "no new backup started: " + how);
            throw new BackupRefusedException(List.of(how), OperationOutcome.NOT_SAFE);
        }
        if (previous.lockHeld()) {
            emit(OperationEvent.Level.INFO, "resume", null, "released the maintenance lock that backup "
                    + previous.restorePointId() + " had left on Bitbucket; the new backup starts now");
        }
    }

    /** How a person reads the unlock token, for the instructions of a lock that could not be released. */
    private String unlockTokenExpression() {
        return stateSink instanceof BackupStateStore store ? store.unlockTokenExpression()
                : "the unlockToken of the backup's persisted state";
    }

    /** The dry run: every check, Bitbucket call and provider command this backup would make. Changes nothing. */
    public BackupPlan plan() throws InterruptedException {
        return BackupPlan.of(config, admin, this::context);
    }

    /** Asks a running backup to stop: it cancels, unlocks, deletes what it captured and records FAILED. */
    public void stop() {
        stopRequested = true;
        Thread t = runner0;
        if (t != null) {
            t.interrupt();
        }
    }

    private InstanceLock acquireRunLock(String operation, Instant now) throws BackupRefusedException, IOException {
        try {
            return InstanceLock.acquire(catalog.instanceDirectory(config.instanceId()), config.instanceId(),
                    operation, now);
        } catch (InstanceLock.HeldException e) {
            throw new BackupRefusedException(e);
        }
    }

    ProviderContext context(ComponentRole role) {
        return new ProviderContext(config.instanceId(), role, config.mode(), runner, clock, sleeper, events);
    }

    /** Everything that can refuse the backup before anything changes. Returns the Bitbucket version (or null). */
    private String preflight() throws BackupRefusedException, InterruptedException {
        List<String> reasons = new ArrayList<>();
        String version = null;
        try {
            version = admin.applicationProperties().version();
            BitbucketVersion v = BitbucketVersion.parse(version);
            if (config.mode() == BackupMode.ZERO_DOWNTIME && !v.atLeast(4, 8)) {
                reasons.add("Bitbucket " + v + " cannot be backed up without downtime (zero-downtime backup needs"
                        + " Bitbucket 4.8 or later): use mode LOCKED, or upgrade Bitbucket");
            }
        } catch (BitbucketException | IllegalArgumentException e) {
            if (config.mode() == BackupMode.ZERO_DOWNTIME) {
                reasons.add("cannot read Bitbucket's version (" + e.getMessage() + "); zero-downtime backup needs"
                        + " Bitbucket 4.8 or later, so the version must be known");
            } else {
                emit(OperationEvent.Level.WARNING, "preflight", null, "cannot read Bitbucket's version ("
                        + e.getMessage() + "); continuing, the manifest will not record it");
            }
        }
        for (Map.Entry<ComponentRole, SnapshotProvider> e : config.components().providers().entrySet()) {
            ComponentRole role = e.getKey();
            SnapshotProvider p = e.getValue();
            reasons.addAll(capabilityRefusals(config.mode(), role, p));
            CheckReport report = p.check(context(role));
            for (CheckReport.Finding f : report.findings()) {
                if (f.error()) {
                    reasons.add(role + " (" + p.kind() + "): " + f.message());
                } else {
                    emit(OperationEvent.Level.WARNING, "preflight", role.value(), p.kind() + ": " + f.message());
                }
            }
        }
        if (!reasons.isEmpty()) {
            emit(OperationEvent.Level.ERROR, "preflight", null, "backup refused: " + String.join("; ", reasons));
            throw new BackupRefusedException(reasons);
        }
        return version;
    }

    static List<String> capabilityRefusals(BackupMode mode, ComponentRole role, SnapshotProvider p) {
        Set<ProviderCapability> caps = p.capabilities();
        if (mode == BackupMode.ZERO_DOWNTIME && !caps.contains(ProviderCapability.ZERO_DOWNTIME)) {
            return List.of("the " + p.kind() + " provider of '" + role + "' cannot capture at one instant without the"
                    + " maintenance lock (it copies data while Bitbucket keeps writing, so the copy would not be"
                    + " consistent): use mode LOCKED, or a snapshot provider for this component (btrfs, LVM, ZFS,"
                    + " EBS, fsfreeze, an exported PostgreSQL snapshot …)");
        }
        if (mode == BackupMode.LOCKED && !caps.contains(ProviderCapability.LOCKED)) {
            return List.of("the " + p.kind() + " provider of '" + role + "' does not support locked backups: use"
                    + " mode ZERO_DOWNTIME or another provider");
        }
        return List.of();
    }

    private void emit(OperationEvent.Level level, String phase, String component, String message) {
        events.emit(new OperationEvent(clock.instant(), level, OP, phase, component, null, null, null, message));
    }

    /** A step failed; the message is the reason recorded in the manifest. */
    private static final class StepFailure extends Exception {
        private static final long serialVersionUID = 1L;
        /** Bitbucket was already locked by someone else. */
        final boolean lockHeldElsewhere;

        StepFailure(String message) {
            this(message, false);
        }

        StepFailure(String message, boolean lockHeldElsewhere) {
            super(message);
            this.lockHeldElsewhere = lockHeldElsewhere;
        }
    }

    /** One run (or resume) of one restore point. */
    private final class Run {
        private volatile BackupState state;
        private final Map<ComponentRole, PreparedCapture> prepared = new ConcurrentHashMap<>();
        private final Map<ComponentRole, SnapshotRef> captured = new ConcurrentHashMap<>();
        private final List<String> notes = new ArrayList<>();
        private MaintenanceLock lock;
        private boolean unlockAttempted;
        private ExecutorService pool;

        Run(BackupState state) {
            this.state = state;
            for (SnapshotRef ref : state.captured()) {
                captured.put(ref.componentRole(), ref);
            }
            if (state.unlockToken() != null) {
                lock = new MaintenanceLock(state.unlockToken());
            }
        }

        synchronized void persist() {
            stateSink.persist(state);
        }

        synchronized void update(java.util.function.UnaryOperator<BackupState> change) {
            state = change.apply(state);
            stateSink.persist(state);
        }

        /**
         * For cleanup paths: a state sink that fails (disk full) must not stop the unlock and the deletions. Returns
         * why persisting failed, or null.
         */
        synchronized String updateQuietly(java.util.function.UnaryOperator<BackupState> change) {
            state = change.apply(state);
            try {
                stateSink.persist(state);
                return null;
            } catch (RuntimeException e) {
                emit(OperationEvent.Level.ERROR, "state", null, "could not persist the backup state: " + e.getMessage());
                return e.getMessage();
            }
        }

        BackupOutcome execute() {
            pool = newPool();
            try {
                prepareAll();
                checkStop();
                if (config.mode() == BackupMode.ZERO_DOWNTIME) {
                    captureAtFence();
                } else {
                    captureLocked();
                }
                awaitDurableAll(true);
                return copyAll(complete());
            } catch (InterruptedException e) {
                return fail("the backup was stopped while " + describePhase() + " (interrupted)", true);
            } catch (StepFailure e) {
                return fail(e.getMessage(), false, e.lockHeldElsewhere);
            } catch (RuntimeException e) {
                return fail("unexpected error while " + describePhase() + ": " + e, false);
            } finally {
                stopWorkers();
                closePrepared();
            }
        }

        BackupOutcome resume() {
            pool = newPool();
            try {
                switch (state.phase()) {
                    case STARTED, LOCKED, CAPTURING:
                        return fail("the process running this backup stopped while " + describePhase()
                                + "; the restore point cannot be trusted, so it was cleaned up", false);
                    case AWAITING_DURABLE:
                        if (state.lockHeld()) {
                            unlock();
                        }
                        awaitDurableAll(false);
                        return copyAll(complete());
                    case COPYING:
                        emit(OperationEvent.Level.INFO, "copy", null, "restore point " + state.restorePointId()
                                + " is COMPLETE; continuing its copies");
                        return copyAll(new BackupOutcome(manifestFromState(), state));
                    default:
                        // terminal but still locked: the earlier unlock (and maybe the cancel) failed
                        if (state.phase() == BackupPhase.FAILED) {
                            cancelQuietly();
                        }
                        unlock();
                        return new BackupOutcome(manifestFromState(), state);
                }
            } catch (InterruptedException e) {
                return fail("the resumed backup was stopped (interrupted)", true);
            } catch (StepFailure e) {
                return fail(e.getMessage(), false);
            } catch (RuntimeException e) {
                return fail("unexpected error while resuming: " + e, false);
            } finally {
                stopWorkers();
            }
        }

        /**
         * Resume with a stop already requested: a backup whose snapshots were not all complete is cleaned up like a
         * stopped one (cancel, unlock, delete, FAILED); a COMPLETE point being copied stays COMPLETE and its
         * unfinished copies are deleted; a finished one that is still locked is unlocked.
         */
        BackupOutcome resumeStopped() {
            switch (state.phase()) {
                case STARTED, LOCKED, CAPTURING, AWAITING_DURABLE:
                    return fail("the backup was stopped (the stop reached it while it was being resumed in "
                            + describePhase() + ")", true);
                case COPYING:
                    for (ComponentRole role : config.components().copiedRoles()) {
                        if (copyPending(role)) {
                            copyFailed(role, config.components().provider(role),
                                    state.copyOf(role.value()).orElse(null), "the backup was stopped while copying to "
                                            + config.components().copyDestination(role).get("region"));
                        }
                    }
                    return recordCopies(false);
                default:
                    if (state.lockHeld()) {
                        unlock();
                    }
                    return new BackupOutcome(manifestFromState(), state);
            }
        }

        private ExecutorService newPool() {
            int n = Math.max(1, config.components().providers().size());
            AtomicInteger count = new AtomicInteger();
            return Executors.newFixedThreadPool(n, r -> {
                Thread t = new Thread(r, "bbdc-backup-" + state.restorePointId() + "-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }

        private String describePhase() {
            return switch (state.phase()) {
                case STARTED -> "preparing the components";
                case LOCKED -> "Bitbucket was locked and draining";
                case CAPTURING -> "capturing the components";
                case AWAITING_DURABLE -> "waiting for the snapshots to complete";
                default -> state.phase().name().toLowerCase(java.util.Locale.ROOT);
            };
        }

        private void checkStop() throws InterruptedException {
            if (stopRequested || Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("stop requested");
            }
        }

        // ---- prepare

        private void prepareAll() throws InterruptedException, StepFailure {
            Instant t0 = clock.instant();
            Map<ComponentRole, Future<PreparedCapture>> futures = new LinkedHashMap<>();
            for (Map.Entry<ComponentRole, SnapshotProvider> e : config.components().providers().entrySet()) {
                ComponentRole role = e.getKey();
                SnapshotProvider p = e.getValue();
                futures.put(role, pool.submit(() -> {
                    PreparedCapture pc = p.prepare(context(role));
                    prepared.put(role, pc);
                    return pc;
                }));
            }
            List<String> failures = gather(futures, "prepare");
            if (!failures.isEmpty()) {
                throw new StepFailure("preparing failed: " + String.join("; ", failures));
            }
            emit(OperationEvent.Level.INFO, "prepare", null, "all " + futures.size() + " components prepared in "
                    + Duration.between(t0, clock.instant()).toMillis() + " ms");
        }

        // ---- zero-downtime: all captures behind one barrier

        private void captureAtFence() throws InterruptedException, StepFailure {
            update(s -> s.phase(BackupPhase.CAPTURING, clock.instant()));
            Map<ComponentRole, SnapshotProvider> providers = config.components().providers();
            CountDownLatch ready = new CountDownLatch(providers.size());
            CountDownLatch go = new CountDownLatch(1);
            Map<ComponentRole, Future<SnapshotRef>> futures = new LinkedHashMap<>();
            for (ComponentRole role : providers.keySet()) {
                futures.put(role, pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return captureOne(role);
                }));
            }
            if (!ready.await(config.captureStartTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new StepFailure("the capture threads did not all start within " + config.captureStartTimeout()
                        + "; nothing was captured");
            }
            Instant fence = clock.instant();
            go.countDown();
            update(s -> s.fence(fence, clock.instant()));
            List<String> failures = gather(futures, "capture");
            if (!failures.isEmpty()) {
                throw new StepFailure("capture failed: " + String.join("; ", failures));
            }
            recordSkew();
        }

        // ---- locked: lock, drain, capture, progress, unlock

        private void captureLocked() throws InterruptedException, StepFailure {
            try {
                lock = admin.lock();
            } catch (BitbucketException e) {
                if (e.kind() == BitbucketException.Kind.CONFLICT) {
                    throw new StepFailure("Bitbucket is already locked for maintenance by another operation (HTTP "
                            + e.httpStatus() + "); this backup did not take the lock and did not release it. Wait"
                            + " for that operation to finish, or have its owner unlock Bitbucket", true);
                }
                throw new StepFailure("could not lock Bitbucket for maintenance: " + e.getMessage());
            }
            Instant lockedAt = clock.instant();
            update(s -> s.locked(lock.unlockToken(), lockedAt));
            emit(OperationEvent.Level.INFO, "lock", null, "Bitbucket locked for maintenance (" + lock + ")");
            String cancelToken;
            try {
                cancelToken = admin.startExternalBackup(lock);
            } catch (BitbucketException e) {
                throw new StepFailure("Bitbucket refused to start the external backup: " + e.getMessage());
            }
            update(s -> s.cancelToken(cancelToken, clock.instant()));
            drain();
            checkStop();

            Map<ComponentRole, SnapshotProvider> providers = config.components().providers();
            int total = providers.size();
            update(s -> s.phase(BackupPhase.CAPTURING, clock.instant()));
            Instant fence = clock.instant();
            update(s -> s.fence(fence, clock.instant()));
            ExecutorCompletionService<SnapshotRef> done = new ExecutorCompletionService<>(pool);
            Map<Future<SnapshotRef>, ComponentRole> roles = new LinkedHashMap<>();
            for (ComponentRole role : providers.keySet()) {
                roles.put(done.submit(() -> captureOne(role)), role);
            }
            List<String> failures = new ArrayList<>();
            for (int finished = 1; finished <= total; finished++) {
                Future<SnapshotRef> f = done.take();
                try {
                    f.get();
                    if (failures.isEmpty()) {
                        reportProgress(Math.min(99, 1 + (finished * 98) / total));
                    }
                } catch (ExecutionException e) {
                    failures.add(roles.get(f) + ": " + message(e.getCause()));
                    break; // stop the others at once: Bitbucket is locked
                }
            }
            if (!failures.isEmpty()) {
                throw new StepFailure("capture failed: " + String.join("; ", failures));
            }
            recordSkew();
            reportProgress(100);
            update(s -> s.finishedInBitbucket(clock.instant()));
            if (!unlock()) {
                notes.add(ManualUnlock.instructions(state.restorePointId(), admin.maintenanceUrls(),
                        unlockTokenExpression()));
            }
        }

        private void drain() throws InterruptedException, StepFailure {
            Instant start = clock.instant();
            Instant deadline = start.plus(config.drainTimeout());
            int polls = 0;
            while (true) {
                checkStop();
                MaintenanceStatus st;
                try {
                    st = admin.maintenanceStatus(lock);
                } catch (BitbucketException e) {
                    throw new StepFailure("could not read the drain state from Bitbucket: " + e.getMessage());
                }
                polls++;
                if (st.taskFailed()) {
                    throw new StepFailure("Bitbucket's backup task left RUNNING (task.state " + st.taskState()
                            + ") while draining: Bitbucket abandoned the backup; see Bitbucket's log");
                }
                if (st.drained()) {
                    emit(OperationEvent.Level.INFO, "drain", null, "Bitbucket drained after " + polls + " polls in "
                            + Duration.between(start, clock.instant()).toMillis() + " ms");
                    return;
                }
                Instant now = clock.instant();
                if (!now.isBefore(deadline)) {
                    throw new StepFailure("Bitbucket did not drain within " + config.drainTimeout() + " (db-state "
                            + st.dbState() + ", scm-state " + st.scmState() + " after " + polls + " polls): long"
                            + " git operations or database connections are still running; retry later or raise"
                            + " the drain timeout");
                }
                Duration left = Duration.between(now, deadline);
                sleeper.sleep(left.compareTo(config.drainPollInterval()) < 0 ? left : config.drainPollInterval());
            }
        }

        /** A failed progress call never fails the backup: it is reported and the backup goes on. */
        private void reportProgress(int percentage) {
            try {
                admin.reportProgress(lock, percentage);
                emit(OperationEvent.Level.INFO, "progress", null, "progress " + percentage + "% reported to Bitbucket");
            } catch (BitbucketException | RuntimeException e) {
                emit(OperationEvent.Level.WARNING, "progress", null, "could not report progress " + percentage
                        + "% to Bitbucket (" + e.getMessage() + "); the backup continues");
            }
        }

        /** The one unlock of this run. Returns false when it failed (Bitbucket is still locked). */
        private boolean unlock() {
            if (unlockAttempted || lock == null) {
                return !state.lockHeld();
            }
            unlockAttempted = true;
            try {
                admin.unlock(lock);
            } catch (BitbucketException | RuntimeException e) {
                emit(OperationEvent.Level.ERROR, "unlock", null, "could not unlock Bitbucket (" + e.getMessage()
                        + "): Bitbucket is still in maintenance mode");
                return false;
            }
            updateQuietly(s -> s.unlocked(clock.instant()));
            emit(OperationEvent.Level.INFO, "unlock", null, "Bitbucket unlocked; lock window "
                    + state.lockWindowMillis() + " ms");
            return true;
        }

        private SnapshotRef captureOne(ComponentRole role) throws ProviderException, InterruptedException {
            SnapshotProvider p = config.components().provider(role);
            PreparedCapture pc = prepared.getOrDefault(role, PreparedCapture.none());
            SnapshotRef ref = p.capture(pc, new CaptureRequest(state.restorePointId(), config.instanceId(), role,
                    config.mode()), context(role));
            recordCaptured(ref);
            emit(OperationEvent.Level.INFO, "capture", role.value(), p.kind() + " captured " + ref.id() + " at "
                    + ref.capturedAt());
            return ref;
        }

        private void recordCaptured(SnapshotRef ref) {
            captured.put(ref.componentRole(), ref);
            update(s -> s.withCaptured(orderedCaptured(), s.skewMillis(), clock.instant()));
        }

        private List<SnapshotRef> orderedCaptured() {
            List<SnapshotRef> out = new ArrayList<>();
            for (ComponentRole role : config.components().roles()) {
                SnapshotRef r = captured.get(role);
                if (r != null) {
                    out.add(r);
                }
            }
            return out;
        }

        private void recordSkew() {
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (SnapshotRef r : captured.values()) {
                if (r.capturedAt() != null) {
                    min = Math.min(min, r.capturedAt().toEpochMilli());
                    max = Math.max(max, r.capturedAt().toEpochMilli());
                }
            }
            Long skew = min == Long.MAX_VALUE ? null : max - min;
            update(s -> s.withCaptured(orderedCaptured(), skew, clock.instant()));
            emit(OperationEvent.Level.INFO, "capture", null, "all components captured; fence " + state.fence()
                    + ", skew " + skew + " ms");
        }

        // ---- durability

        private void awaitDurableAll(boolean withPrepared) throws InterruptedException, StepFailure {
            update(s -> s.phase(BackupPhase.AWAITING_DURABLE, clock.instant()));
            Map<ComponentRole, Future<SnapshotRef>> futures = new LinkedHashMap<>();
            for (SnapshotRef ref : orderedCaptured()) {
                ComponentRole role = ref.componentRole();
                SnapshotProvider p = config.components().provider(role);
                if (p == null) {
                    throw new StepFailure("the snapshot " + ref.id() + " is for '" + role + "', which is no longer"
                            + " configured");
                }
                if (ref.durableAt() != null) {
                    continue;
                }
                PreparedCapture pc = withPrepared ? prepared.getOrDefault(role, PreparedCapture.none())
                        : PreparedCapture.none();
                futures.put(role, pool.submit(() -> {
                    SnapshotRef d = p.awaitDurable(pc, ref, context(role));
                    captured.put(role, d);
                    update(s -> s.withCaptured(orderedCaptured(), s.skewMillis(), clock.instant()));
                    emit(OperationEvent.Level.INFO, "durable", role.value(), p.kind() + " snapshot " + d.id()
                            + " complete" + (d.sizeBytes() == null ? "" : " (" + d.sizeBytes() + " bytes)"));
                    return d;
                }));
            }
            List<String> failures = gather(futures, "completion");
            if (!failures.isEmpty()) {
                throw new StepFailure("a snapshot did not complete: " + String.join("; ", failures));
            }
        }

        /** Waits for every future; returns "role: reason" for each failure. Interrupts propagate. */
        private <T> List<String> gather(Map<ComponentRole, Future<T>> futures, String what)
                throws InterruptedException {
            List<String> failures = new ArrayList<>();
            for (Map.Entry<ComponentRole, Future<T>> e : futures.entrySet()) {
                try {
                    e.getValue().get();
                } catch (ExecutionException ex) {
                    failures.add(e.getKey() + " (" + config.components().provider(e.getKey()).kind() + " " + what
                            + "): " + message(ex.getCause()));
                }
            }
            return failures;
        }

        // ---- endings

        private BackupOutcome complete() {
            RestorePoint point = manifest(RestorePointStatus.COMPLETE, orderedCaptured(), List.of(), null, notes);
            try {
                catalog.save(point);
            } catch (IOException e) {
                return fail("the restore point could not be written to the catalog (" + e.getMessage() + ")", false);
            }
            BackupPhase next = config.components().copiedRoles().isEmpty() ? BackupPhase.COMPLETE
                    : BackupPhase.COPYING;
            update(s -> s.phase(next, clock.instant()));
            emit(OperationEvent.Level.INFO, "done", null, "restore point " + point.id() + " COMPLETE"
                    + (point.lockWindowMillis() == null ? "" : "; lock window " + point.lockWindowMillis() + " ms")
                    + "; skew " + point.skewMillis() + " ms");
            return new BackupOutcome(point, state);
        }

        // ---- copies to other locations (after the point is COMPLETE: a failed copy never fails the backup)

        /**
         * Copies every component that has a copy destination, in parallel, and records the copies (or why one is
         * missing) in the manifest. A stop request ends the copies safely: an unfinished copy is deleted, or kept in
         * the manifest (so retention deletes it later) when deleting it fails.
         */
        private BackupOutcome copyAll(BackupOutcome completed) {
            if (state.phase() != BackupPhase.COPYING) {
                return completed;
            }
            try {
                return copyAllComponents();
            } catch (RuntimeException e) {
                // the restore point is COMPLETE whatever happens here: never let this reach the failure path
                emit(OperationEvent.Level.ERROR, "copy", null, "copying stopped on an unexpected error: " + e
                        + "; the restore point is COMPLETE without (all) its copies");
                updateQuietly(s -> s.phase(BackupPhase.COMPLETE, clock.instant()));
                return new BackupOutcome(manifestFromState(), state);
            }
        }

        private BackupOutcome copyAllComponents() {
            Map<ComponentRole, Future<SnapshotRef>> futures = new LinkedHashMap<>();
            for (ComponentRole role : config.components().copiedRoles()) {
                SnapshotRef source = captured.get(role);
                if (source == null || !copyPending(role)) {
                    continue;
                }
                SnapshotRef started = state.copyOf(role.value()).orElse(null);
                futures.put(role, pool.submit(() -> copyOne(role, source, started)));
            }
            boolean interrupted = false;
            for (Future<SnapshotRef> f : futures.values()) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                } catch (ExecutionException e) {
                    // copyOne records its own failures; anything else is unexpected but must not fail the point
                    emit(OperationEvent.Level.ERROR, "copy", null, "unexpected error while copying: "
                            + message(e.getCause()));
                }
            }
            if (interrupted) {
                // each worker deletes its unfinished copy and records why; a deletion throttled by AWS may take a
                // while, and the manifest must not be written before the workers have recorded what they left
                if (!stopWorkers()) {
                    awaitWorkers(COPY_CLEANUP_WAIT);
                }
            }
            return recordCopies(interrupted);
        }

        /** The role's copy is neither complete nor recorded as failed: there is still something to do. */
        private boolean copyPending(ComponentRole role) {
            return !state.copyFailures().containsKey(role.value())
                    && !state.copyOf(role.value()).map(c -> c.durableAt() != null).orElse(false);
        }

        /**
         * Ends the copy phase: the manifest with every copy (and why one is missing) is written, the state becomes
         * COMPLETE and the outcome is reported. A stop request ({@code interrupted}, or one arriving meanwhile) is
         * handed back to the caller afterwards.
         */
        private BackupOutcome recordCopies(boolean interrupted) {
            RestorePoint point = manifest(RestorePointStatus.COMPLETE, orderedCaptured(), List.of(), null, notes);
            // a stop request must not cost the record of copies that exist: save with the interrupt held back
            interrupted |= Thread.interrupted();
            try {
                catalog.save(point);
            } catch (IOException e) {
                emit(OperationEvent.Level.ERROR, "copy", null, "the copies of restore point " + point.id()
                        + " could not be recorded in the catalog (" + message(e) + "); they carry the restore"
                        + " point's tags, so a catalog rebuild in their region finds them");
            }
            interrupted |= Thread.interrupted();
            updateQuietly(s -> s.phase(BackupPhase.COMPLETE, clock.instant()));
            int copied = (int) point.components().stream().filter(c -> !c.copies().isEmpty()
                    && c.copyFailure() == null).count();
            int failed = (int) point.components().stream().filter(c -> c.copyFailure() != null).count();
            emit(failed == 0 ? OperationEvent.Level.INFO : OperationEvent.Level.ERROR, "copy", null,
                    "restore point " + point.id() + ": " + copied + " component(s) copied"
                            + (failed == 0 ? "" : ", " + failed + " copy(ies) FAILED — the restore point itself is"
                            + " COMPLETE and restorable here, but has no copy there; fix the cause: later backups"
                            + " make their own copies (this point's copy is not retried), and retention keeps the"
                            + " newest point whose copies are complete"));
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return new BackupOutcome(point, state);
        }

        /** Starts (unless already started) and awaits one copy; records the outcome and never throws. */
        private SnapshotRef copyOne(ComponentRole role, SnapshotRef source, SnapshotRef alreadyStarted) {
            SnapshotProvider p = config.components().provider(role);
            Map<String, String> destination = new LinkedHashMap<>(config.components().copyDestination(role));
            String where = destination.get("region");
            SnapshotRef copy = alreadyStarted;
            try {
                if (copy == null) {
                    emit(OperationEvent.Level.INFO, "copy", role.value(), "copying " + p.kind() + " snapshot "
                            + source.id() + " to " + where);
                    destination.put("wait", "false"); // start only; the wait below is resumable
                    SnapshotRef started = p.copy(source, destination, context(role));
                    update(s -> s.withCopy(started, clock.instant()));
                    copy = started;
                }
                SnapshotRef done = p.awaitDurable(PreparedCapture.none(), copy, context(role));
                update(s -> s.withCopy(done, clock.instant()));
                emit(OperationEvent.Level.INFO, "copy", role.value(), p.kind() + " copy " + done.id() + " complete in "
                        + where);
                return done;
            } catch (InterruptedException e) {
                copyFailed(role, p, copy, "the backup was stopped while copying to " + where + maybeStarted(copy,
                        where, source));
            } catch (ProviderException | RuntimeException e) {
                // only a request that got no answer may have started a copy nobody knows of
                boolean unknown = e instanceof ProviderException pe && pe.outcomeUnknown();
                copyFailed(role, p, copy, "copy to " + where + " failed: " + message(e)
                        + (unknown ? maybeStarted(copy, where, source) : ""));
            }
            return null;
        }

        /** When the copy request itself did not answer, AWS may still have started it: say where to look. */
        private String maybeStarted(SnapshotRef copy, String where, SnapshotRef source) {
            return copy != null ? "" : "; if the copy request reached " + where + " before it was cut off, a copy"
                    + " tagged bbdc:restore-point=" + source.restorePointId() + " exists there: delete it, or rebuild"
                    + " the catalog in " + where + " to adopt it";
        }

        /** Deletes an unfinished copy (best effort) and records why the component has no copy. */
        private void copyFailed(ComponentRole role, SnapshotProvider p, SnapshotRef unfinished, String reason) {
            boolean wasInterrupted = Thread.interrupted(); // let the deletion's own calls run
            SnapshotRef kept = null;
            String fullReason = reason;
            if (unfinished != null) {
                try {
                    p.delete(unfinished, context(role));
                    fullReason += "; the unfinished copy " + unfinished.id() + " was deleted";
                } catch (ProviderException | RuntimeException | InterruptedException e) {
                    kept = unfinished;
                    fullReason += "; the unfinished copy " + unfinished.id() + " could not be deleted ("
                            + message(e) + ") and is kept in the manifest, so retention deletes it with the point";
                }
            }
            SnapshotRef keptCopy = kept;
            String recorded = fullReason;
            updateQuietly(s -> s.copyFailed(role.value(), keptCopy, recorded, clock.instant()));
            emit(OperationEvent.Level.ERROR, "copy", role.value(), recorded);
            if (wasInterrupted) {
                Thread.currentThread().interrupt();
            }
        }

        private BackupOutcome fail(String reason, boolean interrupted) {
            return fail(reason, interrupted, false);
        }

        /** Tells Bitbucket the backup was abandoned, unless it had finished; best effort. */
        private boolean cancelQuietly() {
            if (state.cancelToken() == null || state.bitbucketFinished()) {
                return true;
            }
            try {
                admin.cancelBackup(state.cancelToken());
                emit(OperationEvent.Level.INFO, "cancel", null, "Bitbucket's backup task cancelled");
                return true;
            } catch (BitbucketException | RuntimeException e) {
                emit(OperationEvent.Level.WARNING, "cancel", null, "could not cancel Bitbucket's backup task ("
                        + e.getMessage() + ")");
                return false;
            }
        }

        private BackupOutcome fail(String reason, boolean interrupted, boolean lockHeldElsewhere) {
            boolean wasInterrupted = Thread.interrupted() || interrupted;
            emit(OperationEvent.Level.ERROR, "cleanup", null, "backup " + state.restorePointId() + " failed: " + reason
                    + "; cleaning up");
            List<String> problems = new ArrayList<>();
            // 1. stop the workers first, so nothing keeps copying after Bitbucket is unlocked
            if (!stopWorkers()) {
                problems.add("a provider did not stop within " + config.captureStartTimeout() + "; a snapshot it"
                        + " creates later is not deleted and is found by the next catalog rebuild or retention");
            }
            // 2. cancel and unlock, exactly once
            if (state.lockHeld()) {
                if (!cancelQuietly()) {
                    problems.add("could not cancel Bitbucket's backup task");
                }
                if (!unlock()) {
                    problems.add(ManualUnlock.instructions(state.restorePointId(), admin.maintenanceUrls(),
                            unlockTokenExpression()));
                }
            }
            // 3. delete every snapshot of this restore point and prove they are gone
            SnapshotCleaner cleaner = new SnapshotCleaner(config.components(), BackupEngine.this::context);
            SnapshotCleaner.Result cleanup;
            try {
                cleanup = cleaner.deleteAll(orderedCaptured(), Set.of(state.restorePointId()), config.instanceId());
            } catch (InterruptedException e) {
                wasInterrupted = true;
                cleanup = new SnapshotCleaner.Result(orderedCaptured(), List.of(), List.of("cleanup interrupted"));
            }
            problems.addAll(cleanup.problems());
            if (!cleanup.deleted().isEmpty()) {
                emit(OperationEvent.Level.INFO, "cleanup", null, "deleted " + cleanup.deleted().size()
                        + " snapshot(s) of the failed restore point");
            }
            String fullReason = problems.isEmpty() ? reason : reason + " — cleanup: " + String.join("; ", problems);
            List<SnapshotRef> leftovers = cleanup.remaining();
            String notPersisted = updateQuietly(s -> s.withCaptured(leftovers, s.skewMillis(), clock.instant())
                    .failed(fullReason, clock.instant()));
            RestorePoint point = manifest(RestorePointStatus.FAILED, List.of(), leftovers, fullReason, notes);
            try {
                catalog.save(point);
            } catch (IOException e) {
                emit(OperationEvent.Level.ERROR, "cleanup", null, "the FAILED restore point could not be written to"
                        + " the catalog: " + e.getMessage());
                notPersisted = notPersisted == null ? e.getMessage() : notPersisted;
            }
            if (notPersisted != null) {
                // the state on disk still describes the run as it was: say that the next backup ends it again
                point = manifest(RestorePointStatus.FAILED, List.of(), leftovers, fullReason + " — this ending could"
                        + " not be recorded (" + notPersisted + "); Bitbucket is " + (state.lockHeld()
                        ? "STILL LOCKED" : "unlocked") + " and " + (leftovers.isEmpty() ? "no snapshot of it is left"
                        : leftovers.size() + " snapshot(s) are left") + ". Once the catalog can be written again,"
                        + " the next backup ends this one again from the state it recorded last", notes);
            }
            if (!leftovers.isEmpty()) {
                emit(OperationEvent.Level.ERROR, "cleanup", null, "leftover snapshots: " + leftovers.stream()
                        .map(SnapshotCleaner::describe).toList());
            }
            if (wasInterrupted) {
                Thread.currentThread().interrupt();
            }
            return new BackupOutcome(point, state, lockHeldElsewhere);
        }

        /** Waits up to {@code limit} more for stopped workers to finish; an interrupt meanwhile is kept. */
        private void awaitWorkers(Duration limit) {
            boolean interrupted = Thread.interrupted();
            try {
                pool.awaitTermination(limit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Interrupts and waits for the worker threads (bounded). True when they all stopped. */
        private boolean stopWorkers() {
            if (pool == null) {
                return true;
            }
            pool.shutdownNow();
            boolean interrupted = Thread.interrupted();
            try {
                return pool.awaitTermination(config.captureStartTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
                return false;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void closePrepared() {
            for (PreparedCapture pc : prepared.values()) {
                try {
                    pc.close();
                } catch (RuntimeException e) {
                    emit(OperationEvent.Level.WARNING, "cleanup", null, "closing a prepared capture failed: " + e);
                }
            }
            prepared.clear();
        }

        private RestorePoint manifestFromState() {
            boolean complete = state.phase() == BackupPhase.COMPLETE || state.phase() == BackupPhase.COPYING;
            return manifest(complete ? RestorePointStatus.COMPLETE : RestorePointStatus.FAILED,
                    complete ? state.captured() : List.of(), complete ? List.of() : state.captured(),
                    state.failureReason(), notes);
        }

        RestorePoint manifest(RestorePointStatus status, List<SnapshotRef> components, List<SnapshotRef> leftovers,
                              String reason, List<String> extraNotes) {
            List<ComponentRecord> records = components.stream().map(this::record).toList();
            return new RestorePoint(RestorePoint.SCHEMA_VERSION, state.restorePointId(), state.instance(),
                    state.bitbucketVersion(), state.mode(), status, state.fence(), state.skewMillis(),
                    state.lockWindowMillis(), state.startedAt(), clock.instant(), records, leftovers, reason,
                    extraNotes);
        }

        /** The manifest record of a captured snapshot, with its copies (or why it has none) from the state. */
        private ComponentRecord record(SnapshotRef ref) {
            List<SnapshotRef> copies = state.copies().stream().filter(c -> c.role().equals(ref.role())).toList();
            String failure = state.copyFailures().get(ref.role());
            ComponentRecord r = ComponentRecord.of(ref);
            return copies.isEmpty() && failure == null ? r : r.withCopies(copies, failure);
        }
    }

    static String message(Throwable t) {
        if (t instanceof InterruptedException) {
            return "interrupted";
        }
        if (t == null) {
            return "unknown error";
        }
        String m = t.getMessage();
        return t instanceof ProviderException || t instanceof BitbucketException ? m
                : t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
