package io.jenkins.plugins.bbdc.core.restore;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdmin;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.event.OperationEvent;
import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import io.jenkins.plugins.bbdc.core.ops.InstanceLock;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.ProviderCapability;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.provider.RestoreOutcome;
import io.jenkins.plugins.bbdc.core.provider.RestoreRequest;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.core.restorepoint.ComponentRecord;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;
import io.jenkins.plugins.bbdc.core.time.Sleeper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Restores a restore point: selection (by id, latest, point in time), a preflight that refuses unless Bitbucket is
 * stopped everywhere and every component can be restored, all components restored in parallel, then the stale git
 * locks removed and Bitbucket's integrity check switched on. Databases that can recover to an instant are recovered
 * to exactly the restore point's fence, so home and database match.
 */
public final class RestoreEngine {
    private final FileCatalog catalog;
    private final BitbucketAdmin admin;
    private final CommandRunner runner;
    private final Clock clock;
    private final Sleeper sleeper;
    private final EventSink events;
    private final SharedHomeWork sharedHomeWork;

    /**
     * The work a restore does in the restored shared home once every component is back: the stale git locks removed
     * and, if asked, Bitbucket's integrity check switched on. {@link #LOCAL} does it in this JVM; a caller whose shared
     * home is mounted on another machine does the same there (the Jenkins plugin: on the build's agent).
     */
    @FunctionalInterface
    public interface SharedHomeWork {
        SharedHomeWork LOCAL = RestoreEngine::finishSharedHome;

        GitLockCleaner.Report finish(Path sharedHome, boolean enableIntegrityCheck)
                throws IOException, InterruptedException;
    }

    /** @param admin the Bitbucket client for the stopped check; may be null only with the skip override */
    public RestoreEngine(FileCatalog catalog, BitbucketAdmin admin, CommandRunner runner, Clock clock,
                         Sleeper sleeper, EventSink events) {
        this.catalog = catalog;
        this.admin = admin;
        this.runner = runner;
        this.clock = clock == null ? Clock.systemUTC() : clock;
        this.sleeper = sleeper == null ? Sleeper.SYSTEM : sleeper;
        this.events = events == null ? EventSink.NONE : events;
        this.sharedHomeWork = SharedHomeWork.LOCAL;
    }

    private RestoreEngine(RestoreEngine base, SharedHomeWork sharedHomeWork) {
        this.catalog = base.catalog;
        this.admin = base.admin;
        this.runner = base.runner;
        this.clock = base.clock;
        this.sleeper = base.sleeper;
        this.events = base.events;
        this.sharedHomeWork = sharedHomeWork;
    }

    /** This engine, doing the shared home's work of a restore through {@code work} instead of in this JVM. */
    public RestoreEngine withSharedHomeWork(SharedHomeWork work) {
        return new RestoreEngine(this, work);
    }

    /** How long a stopped restore waits for its component restores to end. */
    static final Duration WORKER_STOP = Duration.ofSeconds(30);

    /** Finds the restore point a selection names, or refuses with the reason. */
    public RestorePoint select(String instanceId, RestoreSelection selection)
            throws IOException, RestoreRefusedException {
        Optional<RestorePoint> p;
        if (selection.id() != null) {
            p = catalog.find(instanceId, selection.id());
        } else if (selection.pointInTime() != null) {
            p = catalog.newestCompleteAtOrBefore(instanceId, selection.pointInTime());
        } else {
            p = catalog.latestComplete(instanceId);
        }
        if (p.isEmpty()) {
            throw new RestoreRefusedException(List.of(notFound(instanceId, selection)));
        }
        return p.get();
    }

    /** Why nothing matched; when a PARTIAL point would have, names it and the override that restores it. */
    private String notFound(String instanceId, RestoreSelection selection) throws IOException {
        if (selection.id() != null) {
            return "restore point " + selection.id() + " is not in the catalog of instance '" + instanceId
                    + "' (list the restore points, or rebuild the catalog from the providers)";
        }
        String what = selection.pointInTime() == null ? "no COMPLETE restore point"
                : "no COMPLETE restore point with its fence at or before " + selection.pointInTime();
        Optional<RestorePoint> partial = catalog.list(instanceId).stream()
                .filter(r -> r.status() == RestorePointStatus.PARTIAL)
                .filter(r -> selection.pointInTime() == null || !r.effectiveFence().isAfter(selection.pointInTime()))
                .max(Comparator.comparing(RestorePoint::effectiveFence).thenComparing(RestorePoint::id));
        if (partial.isPresent()) {
            RestorePoint r = partial.get();
            return what + " is in the catalog of instance '" + instanceId + "'; the newest candidate is " + r.id()
                    + ", which is PARTIAL" + (r.failureReason() == null ? "" : " (" + r.failureReason() + ")")
                    + ": to restore the components it has, select it by id with the allow-incomplete override"
                    + " (bbdc-ops restore --id " + r.id() + " --allow-incomplete; Jenkins: restorePoint: '" + r.id()
                    + "', allowIncomplete: true)";
        }
        return what + " is in the catalog of instance '" + instanceId
                + "' (list the restore points, or rebuild the catalog from the providers)";
    }

    /** The preflight and each provider's dry run: exactly what would be created, replaced or renamed. */
    public RestoreResult plan(RestoreSettings settings, RestoreSelection selection)
            throws IOException, InterruptedException, RestoreRefusedException {
        long start = System.nanoTime();
        RestorePoint point = select(settings.instanceId(), selection);
        preflight(settings, point);
        Map<String, RestoreOutcome> outcomes = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        for (ComponentRecord c : point.components()) {
            try {
                outcomes.put(c.role(), restoreOne(settings, point, c, true));
            } catch (ProviderException e) {
                failures.put(c.role(), e.getMessage());
            }
        }
        return new RestoreResult(point.id(), point.fence(), outcomes, failures, null,
                operatorSteps(settings, outcomes), millisSince(start));
    }

    /**
     * Restores every component of the selected point in parallel, holding the instance's run lock so that no
     * backup, retention or catalog rebuild runs meanwhile (retention could delete the snapshots being restored).
     */
    public RestoreResult restore(RestoreSettings settings, RestoreSelection selection)
            throws IOException, InterruptedException, RestoreRefusedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("the restore was stopped before it started; nothing was changed");
        }
        try (InstanceLock ignored = InstanceLock.acquire(catalog.instanceDirectory(settings.instanceId()),
                settings.instanceId(), "restore", clock.instant())) {
            return restoreHoldingTheLock(settings, selection);
        } catch (InstanceLock.HeldException e) {
            throw new RestoreRefusedException(e);
        }
    }

    private RestoreResult restoreHoldingTheLock(RestoreSettings settings, RestoreSelection selection)
            throws IOException, InterruptedException, RestoreRefusedException {
        long start = System.nanoTime();
        RestorePoint point = select(settings.instanceId(), selection);
        emit("preflight", null, "checking " + point.id() + " (fence " + point.fence() + ")");
        preflight(settings, point);

        Map<String, RestoreOutcome> outcomes = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, point.components().size()), r -> {
            Thread t = new Thread(r, "restore-component");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, Future<RestoreOutcome>> futures = new LinkedHashMap<>();
            for (ComponentRecord c : point.components()) {
                futures.put(c.role(), pool.submit(() -> {
                    long t0 = System.nanoTime();
                    emit("restore", c.role(), "restoring " + c.provider() + " " + c.reference().id());
                    RestoreOutcome o = restoreOne(settings, point, c, false);
                    events.emit(event("restore", c.role(), "restored: " + o.summary()).withPercent(100)
                            .withElapsed(millisSince(t0)));
                    return o;
                }));
            }
            for (Map.Entry<String, Future<RestoreOutcome>> f : futures.entrySet()) {
                try {
                    outcomes.put(f.getKey(), f.getValue().get());
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    failures.put(f.getKey(), cause.getMessage() == null ? cause.toString() : cause.getMessage());
                    events.emit(event("restore", f.getKey(), "failed: " + failures.get(f.getKey()))
                            .withLevel(OperationEvent.Level.ERROR));
                }
            }
        } catch (InterruptedException e) {
            // stopped: end the component restores (their child processes with them) before returning, so nothing
            // keeps writing into the targets after the process has exited
            pool.shutdownNow();
            boolean ended = pool.awaitTermination(WORKER_STOP.toMillis(), TimeUnit.MILLISECONDS);
            List<String> unfinished = point.components().stream().map(ComponentRecord::role)
                    .filter(r -> !outcomes.containsKey(r)).toList();
            InterruptedException stopped = new InterruptedException("restored before the stop: "
                    + (outcomes.isEmpty() ? "nothing" : String.join(", ", outcomes.keySet())) + "; stopped: "
                    + String.join(", ", unfinished) + (ended ? "" : " (still ending after " + WORKER_STOP + ")"));
            stopped.initCause(e);
            throw stopped;
        } finally {
            pool.shutdown();
        }

        GitLockCleaner.Report cleanup = null;
        if (settings.sharedHome() != null && failures.isEmpty()) {
            cleanup = sharedHomeWork.finish(settings.sharedHome(), settings.enableIntegrityCheck());
            emit("cleanup", "home", "removed " + cleanup.removed().size() + " stale git lock files in "
                    + cleanup.repositories() + " repositories");
        }
        RestoreResult result = new RestoreResult(point.id(), point.fence(), outcomes, failures, cleanup,
                failures.isEmpty() ? operatorSteps(settings, outcomes) : recoverySteps(failures, outcomes),
                millisSince(start));
        emit("done", null, (result.succeeded() ? "restored " : "restore FAILED for ") + point.id() + " in "
                + result.elapsedMillis() + " ms");
        return result;
    }

    private void preflight(RestoreSettings settings, RestorePoint point)
            throws RestoreRefusedException, InterruptedException {
        List<String> reasons = new ArrayList<>();
        if (!point.isComplete() && !settings.allowIncomplete()) {
            reasons.add("restore point " + point.id() + " is " + point.status()
                    + (point.failureReason() == null ? "" : " (" + point.failureReason() + ")")
                    + ": only COMPLETE points are restored unless the incomplete override is given");
        }
        if (!settings.skipStoppedCheck()) {
            if (admin == null) {
                reasons.add("no Bitbucket connection is configured to prove that Bitbucket is stopped;"
                        + " configure the instance URL and node URLs, or give the explicit override");
            } else if (settings.nodeUrls().isEmpty()) {
                reasons.add("no node URLs are configured: every node's /status must be checked to prove Bitbucket"
                        + " is stopped everywhere");
            } else {
                for (String r : new BitbucketStoppedCheck().stillRunning(admin, settings.nodeUrls())) {
                    reasons.add(r);
                }
            }
        }
        for (ComponentRecord c : point.components()) {
            SnapshotProvider p = settings.providerFor(c.role());
            if (p == null) {
                reasons.add("no provider is configured to restore the " + c.role() + " component ("
                        + c.provider() + ")");
                continue;
            }
            if (!p.kind().equals(c.provider())) {
                reasons.add("the " + c.role() + " component was captured by '" + c.provider()
                        + "' but the configured provider is '" + p.kind() + "'");
                continue;
            }
            if (!p.capabilities().contains(ProviderCapability.RESTORE)) {
                reasons.add("the " + p.kind() + " provider cannot restore");
                continue;
            }
            ProviderContext ctx = context(settings, c.role());
            try {
                boolean present = p.list(ctx).stream().map(SnapshotRef::id).anyMatch(c.reference().id()::equals);
                if (!present) {
                    reasons.add("the " + c.role() + " snapshot " + c.reference().id() + " no longer exists in "
                            + p.kind() + ": choose another restore point");
                    continue;
                }
                restoreOne(settings, point, c, true);
            } catch (ProviderException e) {
                reasons.add(c.role() + ": " + e.getMessage());
            }
        }
        if (!reasons.isEmpty()) {
            emit("preflight", null, "refused: " + String.join("; ", reasons));
            throw new RestoreRefusedException(reasons);
        }
    }

    private RestoreOutcome restoreOne(RestoreSettings settings, RestorePoint point, ComponentRecord c,
                                      boolean dryRun) throws ProviderException, InterruptedException {
        SnapshotProvider p = settings.providerFor(c.role());
        Instant pit = null;
        if (ComponentRole.DATABASE.value().equals(c.role()) && point.fence() != null
                && p.capabilities().contains(ProviderCapability.POINT_IN_TIME)) {
            pit = point.fence(); // recover the database to exactly the instant the home represents
        }
        RestoreRequest req = new RestoreRequest(settings.targetFor(c.role()), settings.allowReplace(), pit, false,
                dryRun);
        return p.restore(c.reference(), req, context(settings, c.role()));
    }

    private ProviderContext context(RestoreSettings settings, String role) {
        return new ProviderContext(settings.instanceId(), ComponentRole.parse(role), null, runner, clock, sleeper,
                events);
    }

    /** {@link SharedHomeWork#LOCAL}: the shared home's work of a restore, in this JVM. */
    public static GitLockCleaner.Report finishSharedHome(Path sharedHome, boolean enableIntegrityCheck)
            throws IOException {
        GitLockCleaner.Report cleanup = new GitLockCleaner().clean(sharedHome.resolve("data").resolve("repositories"));
        if (enableIntegrityCheck) {
            enableIntegrityCheck(sharedHome);
        }
        return cleanup;
    }

    /** Sets {@code disaster.recovery=true} so Bitbucket runs its integrity check on first start. */
    static void enableIntegrityCheck(Path sharedHome) throws IOException {
        Path props = sharedHome.resolve("bitbucket.properties");
        List<String> lines = Files.exists(props) ? new ArrayList<>(Files.readAllLines(props, StandardCharsets.UTF_8))
                : new ArrayList<>();
        lines.removeIf(l -> l.strip().startsWith("disaster.recovery"));
        lines.add("disaster.recovery=true");
        Path tmp = props.resolveSibling(props.getFileName() + ".bbdc-tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, props, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static List<String> operatorSteps(RestoreSettings settings, Map<String, RestoreOutcome> outcomes) {
        List<String> steps = new ArrayList<>();
        outcomes.values().forEach(o -> steps.addAll(o.operatorSteps()));
        steps.add("Start Bitbucket on one node and wait until its /status answers RUNNING, then start the others.");
        if (settings.enableIntegrityCheck() && settings.sharedHome() != null) {
            steps.add("Bitbucket runs its integrity check on first start (disaster.recovery=true was set in "
                    + settings.sharedHome().resolve("bitbucket.properties") + "); when it has finished, set"
                    + " disaster.recovery=false so it does not run on every restart.");
        } else {
            steps.add("Run Bitbucket's integrity check: add disaster.recovery=true to shared/bitbucket.properties"
                    + " before the first start, and remove it afterwards.");
        }
        steps.add("If search was not restored, Bitbucket rebuilds the search index after start; reindexing takes"
                + " a while on large instances.");
        return steps;
    }

    private static List<String> recoverySteps(Map<String, String> failures, Map<String, RestoreOutcome> outcomes) {
        List<String> steps = new ArrayList<>();
        steps.add("Do NOT start Bitbucket: the components below did not restore, so home and database would not"
                + " match.");
        failures.forEach((role, why) -> steps.add("fix " + role + ": " + why));
        if (!outcomes.isEmpty()) {
            steps.add("Components already restored (" + String.join(", ", outcomes.keySet()) + ") can be"
                    + " restored again: run the same restore with replacement allowed once the cause is fixed.");
        }
        return steps;
    }

    private OperationEvent event(String phase, String component, String message) {
        return OperationEvent.info(clock.instant(), "restore", phase, message).withComponent(component);
    }

    private void emit(String phase, String component, String message) {
        events.emit(event(phase, component, message));
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
