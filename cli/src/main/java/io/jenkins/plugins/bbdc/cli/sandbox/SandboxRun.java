package io.jenkins.plugins.bbdc.cli.sandbox;

import io.jenkins.plugins.bbdc.core.backup.BackupConfig;
import io.jenkins.plugins.bbdc.core.backup.BackupEngine;
import io.jenkins.plugins.bbdc.core.backup.BackupOutcome;
import io.jenkins.plugins.bbdc.core.backup.Components;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdminClient;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketClientOptions;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.fs.BtrfsProvider;
import io.jenkins.plugins.bbdc.core.provider.fs.RsyncExcludes;
import io.jenkins.plugins.bbdc.core.provider.fs.RsyncProvider;
import io.jenkins.plugins.bbdc.core.provider.postgres.PostgresDumpConfig;
import io.jenkins.plugins.bbdc.core.provider.postgres.PostgresDumpProvider;
import io.jenkins.plugins.bbdc.core.restore.RestoreEngine;
import io.jenkins.plugins.bbdc.core.restore.RestoreResult;
import io.jenkins.plugins.bbdc.core.restore.RestoreSelection;
import io.jenkins.plugins.bbdc.core.restore.RestoreSettings;
import io.jenkins.plugins.bbdc.core.restore.RestoreVerification;
import io.jenkins.plugins.bbdc.core.restore.RestoreVerifier;
import io.jenkins.plugins.bbdc.core.restore.VerificationReport;
import io.jenkins.plugins.bbdc.core.restorepoint.ComponentRecord;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator.SimNode;
import io.jenkins.plugins.bbdc.core.upgrade.LoadBalancerHook;
import io.jenkins.plugins.bbdc.core.upgrade.NodeAction;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeEngine;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeNodeContext;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeOptions;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeResult;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sandbox story, step by step, on a {@link SandboxEnvironment}: the same engine code paths users run, with real
 * processes, a real PostgreSQL, real git repositories and (where the machine allows it) a real btrfs volume.
 */
public final class SandboxRun {
    static final String INSTANCE = "sandbox";

    private final SandboxEnvironment env;
    private final EventSink events;
    private final SandboxReport report = new SandboxReport();
    private final ProcessCommandRunner runner = new ProcessCommandRunner();
    private final FileCatalog catalog;
    private final BitbucketAdminClient admin;
    private final SnapshotProvider database;
    private final SnapshotProvider rsyncHome;
    private final SnapshotProvider btrfsHome;

    SandboxRun(SandboxEnvironment env, EventSink events) throws Exception {
        this.env = env;
        this.events = events;
        this.catalog = new FileCatalog(env.dir("catalog"));
        this.admin = new BitbucketAdminClient(BitbucketClientOptions.builder(env.simulator.baseUrl())
                .basicAuth("admin", "admin").connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(5))
                .build());
        this.database = new PostgresDumpProvider(PostgresDumpConfig.builder().host(env.postgres.host())
                .port(env.postgres.port()).database(SandboxEnvironment.DATABASE).user(env.postgres.user())
                .password(env.postgres::password).dumpRoot(env.dir("dumps").toString()).jobs(2)
                .binDir(env.postgres.binDir().toString()).build());
        this.rsyncHome = new RsyncProvider(env.home.toString(), env.dir("rsync").toString(), RsyncExcludes.DC_HOME,
                List.of());
        this.btrfsHome = env.volume == null ? null : new BtrfsProvider(env.home.toString(),
                java.nio.file.Files.createDirectories(env.volume.mountPoint().resolve("snapshots")).toString());
    }

    public static SandboxReport run(Path workDir, EventSink events) throws Exception {
        try (SandboxEnvironment env = SandboxEnvironment.start(workDir)) {
            SandboxRun run = new SandboxRun(env, events);
            try {
                run.story();
            } catch (Exception e) {
                if (run.report.passed) { // not already recorded by fail()
                    run.report.passed = false;
                    run.report.failures.add(e.getMessage() == null ? e.toString() : e.getMessage());
                }
            }
            return run.report;
        }
    }

    private void story() throws Exception {
        RestorePoint zeroDowntime = null;
        if (btrfsHome != null) {
            // a git process is mid-write while the instant snapshot is taken: its lock files are captured too
            List<Path> locks = env.fixture.leaveStaleLocks(env.fixture.databaseRepositories().get(1).id());
            zeroDowntime = step("zero-downtime backup (btrfs home + PostgreSQL)",
                    () -> backup(BackupMode.ZERO_DOWNTIME, btrfsHome));
            for (Path lock : locks) {
                java.nio.file.Files.deleteIfExists(lock); // ... and finishes afterwards on the live system
            }
        } else {
            report.skipped.add("zero-downtime backup: " + env.btrfsUnavailable
                    + " (btrfs loop volumes are needed for an instant snapshot of the home)");
        }
        Instant between = Instant.now();
        env.fixture.addCommit(env.fixture.databaseRepositories().get(0).id());
        env.fixture.addRepository(env.fixture.databaseRepositories().get(0).projectKey(), "added-after-first-backup");
        RestorePoint locked = step("locked backup (rsync home + PostgreSQL)",
                () -> backup(BackupMode.LOCKED, rsyncHome));
        step("restore test of " + locked.id(), () -> restoreTest(locked));
        if (zeroDowntime != null) {
            RestorePoint target = zeroDowntime;
            step("point-in-time restore to " + between, () -> pointInTimeRestore(between, target));
        } else {
            report.skipped.add("point-in-time restore: needs the zero-downtime point taken before " + between);
        }
        step("rolling upgrade " + SandboxEnvironment.VERSION + " → " + SandboxEnvironment.TARGET_VERSION
                + " under load", this::rollingUpgrade);
    }

    private Void rollingUpgrade() throws Exception {
        SnapshotProvider home = btrfsHome != null ? btrfsHome : rsyncHome;
        BackupMode mode = btrfsHome != null ? BackupMode.ZERO_DOWNTIME : BackupMode.LOCKED;
        UpgradeOptions.Builder options = UpgradeOptions.builder(SandboxEnvironment.TARGET_VERSION)
                .pollInterval(Duration.ofMillis(100)).nodeTimeout(Duration.ofMinutes(1))
                .finalizationTimeout(Duration.ofMinutes(1)).backupFirst(true)
                .resumeCommand("bbdc-ops sandbox");
        for (SimNode n : env.simulator.nodes()) {
            options.nodeUrl(n.name(), n.url().toString());
        }
        UpgradeEngine engine = UpgradeEngine.builder(admin, restartOnTarget()).loadBalancer(drainingHook())
                .backup(reason -> backup(mode, home).id()).events(events).build();
        env.simulator.loadBalancer().resetCounters();
        UpgradeResult result;
        try (LoadProbe probe = new LoadProbe(env.simulator.baseUrl())) {
            result = engine.run(options.build());
        }
        report.loadRequestsAnswered = env.simulator.loadBalancer().answered();
        report.loadRequestsFailed = env.simulator.loadBalancer().failed();
        report.upgradeMillis = result.total() == null ? null : result.total().toMillis();
        report.upgrade = (result.succeeded() ? "PASS" : "FAIL") + " — " + result.originalVersion() + " → "
                + result.finalVersion() + ", restore point first: " + result.restorePointId()
                + (result.failure() == null ? "" : "; " + result.failure());
        for (UpgradeResult.NodeTiming n : result.nodes()) {
            report.upgradeTimeline.add(new SandboxReport.NodeTiming(n.name(), n.originalVersion(), n.version(),
                    n.total() == null ? -1 : n.total().toMillis()));
        }
        if (!result.succeeded()) {
            fail("rolling upgrade failed: " + result.report());
        }
        if (report.loadRequestsFailed > 0) {
            fail("the load balancer saw " + report.loadRequestsFailed + " failed requests during the upgrade");
        }
        return null;
    }

    /** What "ssh node 'stop; install; start'" does to a host, done to the simulated node. */
    private NodeAction restartOnTarget() {
        return node -> {
            SimNode n = env.simulator.node(node.nodeId());
            n.stop();
            n.start(node.targetVersion());
            return NodeAction.Progress.DONE;
        };
    }

    /** The load balancer hook: out of rotation (in-flight requests finish first), back in after the health gate. */
    private LoadBalancerHook drainingHook() {
        return new LoadBalancerHook() {
            @Override
            public void takeOut(UpgradeNodeContext node) {
                env.simulator.loadBalancer().drain(node.nodeId());
            }

            @Override
            public void putBack(UpgradeNodeContext node) throws InterruptedException {
                // like a real hook: return once the load balancer sends traffic to the node again, because the engine
                // takes the next node out right after (on two nodes that would otherwise leave none in rotation)
                env.simulator.loadBalancer().enable(node.nodeId());
                if (!env.simulator.loadBalancer().awaitInRotation(node.nodeId(), java.time.Duration.ofSeconds(30))) {
                    throw new IllegalStateException(node.nodeName() + " did not pass the load balancer's health check"
                            + " within 30 s of being put back");
                }
            }
        };
    }

    private interface Step<T> {
        T run() throws Exception;
    }

    private <T> T step(String name, Step<T> step) throws Exception {
        long t0 = System.nanoTime();
        report.steps.add(name);
        try {
            return step.run();
        } finally {
            report.stepMillis.put(name, (System.nanoTime() - t0) / 1_000_000);
        }
    }

    private RestorePoint backup(BackupMode mode, SnapshotProvider home) throws Exception {
        Components components = Components.builder().home(home).database(database).build();
        BackupConfig config = BackupConfig.of(INSTANCE, components, mode)
                .withDrain(Duration.ofMillis(100), Duration.ofMinutes(2));
        BackupOutcome outcome = new BackupEngine(config, admin, catalog, runner, Clock.systemUTC(), null, events,
                null).run();
        RestorePoint p = outcome.point();
        report.restorePoints.add(new SandboxReport.Point(p.id(), mode.name().toLowerCase(Locale.ROOT)
                .replace('_', '-'), p.status().name(), String.valueOf(p.fence()), p.skewMillis(),
                p.lockWindowMillis(), p.components().stream().map(c -> c.role() + "=" + c.provider()).toList()));
        if (!outcome.succeeded()) {
            fail(mode + " backup failed: " + p.failureReason());
        }
        return p;
    }

    private Void restoreTest(RestorePoint point) throws Exception {
        RestoreVerification.Settings settings = new RestoreVerification.Settings(INSTANCE, providerOf(point, "home"),
                Map.of(RsyncProvider.TARGET_PATH, env.workDir.resolve("verify-home").toString()), "shared",
                database, Map.of(PostgresDumpProvider.TARGET_DATABASE, "bitbucket_verify"),
                name -> env.postgres.connect(name), env.fixture.sharedHome(),
                RestoreVerifier.Options.defaults().withSample(10));
        RestoreVerification.Result r = new RestoreVerification(runner, Clock.systemUTC(), events).run(point,
                settings);
        report.restoreTest = (r.passed() ? "PASS" : "FAIL") + " — " + summary(r.report())
                + (r.leftovers().isEmpty() ? "" : "; left behind: " + r.leftovers());
        report.restoreTestMillis = r.restoreMillis();
        if (!r.passed()) {
            fail("restore test failed:\n" + r.report().describe());
        }
        return null;
    }

    private Void pointInTimeRestore(Instant at, RestorePoint expected) throws Exception {
        // a restore only runs with Bitbucket stopped everywhere: stop the nodes, prove it, restore, start them again
        for (SimNode n : env.simulator.nodes()) {
            n.stop();
        }
        waitUntil(() -> env.simulator.nodes().stream().noneMatch(n -> admin.nodeStatus(n.url()).reachable()),
                Duration.ofSeconds(20), "nodes to stop");
        List<URI> nodes = env.simulator.nodes().stream().map(SimNode::url).toList();
        RestoreSettings settings = new RestoreSettings(INSTANCE, Map.of("home", btrfsHome, "database", database),
                Map.of(), true, nodes, env.fixture.sharedHome(), true, false, false);
        RestoreResult result = new RestoreEngine(catalog, admin, runner, Clock.systemUTC(), null, events)
                .restore(settings, RestoreSelection.atOrBefore(at));
        if (!result.restorePointId().equals(expected.id())) {
            fail("point-in-time selection chose " + result.restorePointId() + ", expected " + expected.id());
        }
        VerificationReport verification;
        try (Connection c = env.postgres.connect(SandboxEnvironment.DATABASE)) {
            verification = new RestoreVerifier(runner).verify(env.fixture.sharedHome(), c,
                    RestoreVerifier.Options.defaults().withSample(10).withExpected(RestoreVerification.expectedFrom(
                            expected.component("database").orElseThrow())));
        }
        report.pointInTimeRestore = (result.succeeded() && verification.passed() ? "PASS" : "FAIL") + " — restored "
                + result.restorePointId() + " (fence " + result.fence() + ", chosen for " + at + "); "
                + summary(verification) + "; " + result.lockCleanup().removed().size() + " stale locks removed";
        report.pointInTimeRestoreMillis = result.elapsedMillis();
        if (!result.succeeded() || !verification.passed()) {
            fail("point-in-time restore failed: " + result.failures() + "\n" + verification.describe());
        }
        for (SimNode n : env.simulator.nodes()) {
            n.start(SandboxEnvironment.VERSION);
        }
        waitUntil(() -> env.simulator.nodes().stream().allMatch(n -> admin.nodeStatus(n.url()).ready()),
                Duration.ofSeconds(30), "nodes to start");
        return null;
    }

    private SnapshotProvider providerOf(RestorePoint point, String role) {
        ComponentRecord c = point.component(role).orElseThrow();
        return c.provider().equals(BtrfsProvider.KIND) ? btrfsHome : rsyncHome;
    }

    private static String summary(VerificationReport r) {
        return r.repositoriesInDatabase() + " repositories, " + r.fsckSampled() + " checked with git fsck, "
                + r.checks().size() + " checks";
    }

    private void fail(String message) {
        report.passed = false;
        report.failures.add(message);
        throw new IllegalStateException(message);
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitUntil(Condition c, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!c.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
