package io.jenkins.plugins.bbdc.core.restore;

import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.event.OperationEvent;
import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import io.jenkins.plugins.bbdc.core.ops.OperationOutcome;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.provider.RestoreOutcome;
import io.jenkins.plugins.bbdc.core.provider.RestoreRequest;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.restorepoint.ComponentRecord;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The "restore test": restores a restore point's home and database into scratch locations (never touching live
 * data), verifies them with {@link RestoreVerifier}, measures the restore time and removes the scratch copies.
 * Runnable on its own for any restore point, for example nightly.
 */
public final class RestoreVerification {

    /**
     * @param homeProvider         provider of the {@code home} component
     * @param homeScratchTarget    its scratch target settings (e.g. {@code path=/var/tmp/bbdc-verify/home})
     * @param sharedHomeSubpath    where the shared home sits inside the restored home snapshot ({@code shared} when
     *                             the snapshot is a node home, empty when it is the shared home itself)
     * @param databaseProvider     provider of the {@code database} component
     * @param databaseScratchTarget its scratch target settings (e.g. {@code database=bitbucket_verify})
     * @param connector            opens connections on the database server holding the scratch database
     * @param originalSharedHome   where the shared home lives in production (fork alternates name it)
     */
    public record Settings(String instanceId, SnapshotProvider homeProvider, Map<String, String> homeScratchTarget,
                           String sharedHomeSubpath, SnapshotProvider databaseProvider,
                           Map<String, String> databaseScratchTarget, DatabaseConnector connector,
                           Path originalSharedHome, RestoreVerifier.Options options) {
    }

    /** What the restore test found; {@code leftovers} names scratch copies that could not be removed. */
    public record Result(String restorePointId, VerificationReport report, long restoreMillis,
                         List<String> leftovers) {
        public boolean passed() {
            return report.passed() && leftovers.isEmpty();
        }
    }

    private final CommandRunner runner;
    private final Clock clock;
    private final EventSink events;

    public RestoreVerification(CommandRunner runner, Clock clock, EventSink events) {
        this.runner = runner;
        this.clock = clock == null ? Clock.systemUTC() : clock;
        this.events = events == null ? EventSink.NONE : events;
    }

    public Result run(RestorePoint point, Settings s) throws Exception {
        return run(point, s, null);
    }

    /**
     * As {@link #run(RestorePoint, Settings)}, with the filesystem checks of the restored home run by
     * {@code homeCheck} (null: in this JVM). The database checks always use {@link Settings#connector()} here.
     */
    public Result run(RestorePoint point, Settings s, RestoreVerifier.HomeCheck homeCheck) throws Exception {
        ComponentRecord home = point.component(ComponentRole.HOME.value()).orElseThrow(() ->
                new RestoreRefusedException(List.of("restore point " + point.id() + " has no home component")));
        ComponentRecord database = point.component(ComponentRole.DATABASE.value()).orElseThrow(() ->
                new RestoreRefusedException(List.of("restore point " + point.id() + " has no database component;"
                        + " a restore test needs both the home and the database")));
        ProviderContext homeCtx = context(s, ComponentRole.HOME);
        ProviderContext dbCtx = context(s, ComponentRole.DATABASE);
        List<String> leftovers = new ArrayList<>();
        long start = System.nanoTime();
        emit("restore", null, "restoring " + point.id() + " into scratch locations");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<RestoreOutcome> homeF = pool.submit(() -> s.homeProvider().restore(home.reference(),
                new RestoreRequest(s.homeScratchTarget(), false, null, true, false), homeCtx));
        Future<RestoreOutcome> dbF = pool.submit(() -> s.databaseProvider().restore(database.reference(),
                new RestoreRequest(s.databaseScratchTarget(), false, null, true, false), dbCtx));
        pool.shutdown();
        RestoreOutcome homeOut = null;
        RestoreOutcome dbOut = null;
        boolean cleanedUp = false;
        try {
            homeOut = unwrap(homeF);
            dbOut = unwrap(dbF);
            long restoreMillis = (System.nanoTime() - start) / 1_000_000;
            emit("verify", null, "restored in " + restoreMillis + " ms; verifying");
            String homePath = homeOut.location().get("path");
            if (homePath == null || homePath.isBlank()) {
                throw new RestoreRefusedException(List.of("the " + s.homeProvider().kind() + " provider restored the"
                        + " home to " + homeOut.location() + ", not to a directory; the restore test reads the"
                        + " restored home from disk, so it needs a home provider that restores to a directory"
                        + " (btrfs, rsync, or your own scripts with a scratch restore)"));
            }
            Path restoredHome = Path.of(homePath);
            Path shared = s.sharedHomeSubpath() == null || s.sharedHomeSubpath().isEmpty() ? restoredHome
                    : restoredHome.resolve(s.sharedHomeSubpath());
            RestoreVerifier.Options options = s.options()
                    .withOriginalHome(s.originalSharedHome(), true)
                    .withExpected(expectedFrom(database));
            VerificationReport report;
            try (Connection c = s.connector().connect(dbOut.location().get("database"))) {
                RestoreVerifier verifier = new RestoreVerifier(runner);
                report = verifier.verify(shared, c, options, homeCheck == null ? verifier::verifyHome : homeCheck);
            }
            emit("verify", null, report.passed() ? "verification passed" : "verification FAILED");
            return new Result(point.id(), report, restoreMillis, leftovers);
        } catch (InterruptedException e) {
            // stopped (a signal, an abort): end the scratch restores (their child processes with them), then remove
            // what they created, also a half-restored scratch copy
            pool.shutdownNow();
            if (!pool.awaitTermination(WORKER_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
                leftovers.add("a scratch restore did not stop within " + WORKER_STOP + "; check "
                        + s.homeScratchTarget() + " and " + s.databaseScratchTarget());
            }
            discard(s.homeProvider(), homeOut != null ? homeOut : scratchOf(homeF, s.homeScratchTarget()), homeCtx,
                    leftovers);
            discard(s.databaseProvider(), dbOut != null ? dbOut : scratchOf(dbF, s.databaseScratchTarget()), dbCtx,
                    leftovers);
            cleanedUp = true;
            throw new StoppedException(point.id(), leftovers);
        } finally {
            if (!cleanedUp) {
                discard(s.homeProvider(), homeOut != null ? homeOut : tryGet(homeF), homeCtx, leftovers);
                discard(s.databaseProvider(), dbOut != null ? dbOut : tryGet(dbF), dbCtx, leftovers);
            }
        }
    }

    /** How long a stopped restore test waits for its scratch restores to end before it removes their copies. */
    static final Duration WORKER_STOP = Duration.ofSeconds(30);

    /** The restore test was stopped; its scratch copies were removed except {@link #leftovers()}. */
    public static final class StoppedException extends Exception implements OperationOutcome.Classified {
        private static final long serialVersionUID = 1L;
        private final List<String> leftovers;

        StoppedException(String pointId, List<String> leftovers) {
            super("the restore test of " + pointId + " was stopped; " + (leftovers.isEmpty()
                    ? "its scratch copies were removed" : "NOT removed (remove by hand): " + String.join("; ",
                    leftovers)));
            this.leftovers = List.copyOf(leftovers);
        }

        public List<String> leftovers() {
            return leftovers;
        }

        @Override
        public OperationOutcome outcome() {
            return OperationOutcome.STOPPED;
        }
    }

    /** What a scratch restore produced, or (stopped half-way) its scratch target: removing a partial copy. */
    private static RestoreOutcome scratchOf(Future<RestoreOutcome> f, Map<String, String> target) {
        if (f.isDone() && !f.isCancelled()) {
            try {
                return f.get();
            } catch (ExecutionException | InterruptedException e) {
                // fall through: the restore ended half-way
            }
        }
        return new RestoreOutcome("stopped scratch restore", target, null, null);
    }

    /** Identity the database provider recorded inside its snapshot at backup time, if it did. */
    public static RestoreVerifier.Expected expectedFrom(ComponentRecord database) {
        Map<String, String> a = database.reference().attributes();
        return new RestoreVerifier.Expected(a.get("bitbucket.serverId"), parse(a.get("bitbucket.changelogCount")),
                parse(a.get("bitbucket.changelogMaxOrder")));
    }

    private static Integer parse(String s) {
        return s == null ? null : Integer.valueOf(s);
    }

    private void discard(SnapshotProvider p, RestoreOutcome outcome, ProviderContext ctx, List<String> leftovers) {
        if (outcome == null) {
            return;
        }
        try {
            p.discardScratch(outcome, ctx);
        } catch (ProviderException e) {
            leftovers.add(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            leftovers.add("interrupted while removing " + outcome.location());
        }
    }

    private static RestoreOutcome unwrap(Future<RestoreOutcome> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    /** Waits for a scratch restore to end so that whatever it created can be removed, even after a failure. */
    private static RestoreOutcome tryGet(Future<RestoreOutcome> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            return null;
        }
    }

    private ProviderContext context(Settings s, ComponentRole role) {
        return new ProviderContext(s.instanceId(), role, null, runner, clock, null, events);
    }

    private void emit(String phase, String component, String message) {
        events.emit(OperationEvent.info(clock.instant(), "verify", phase, message).withComponent(component));
    }
}
