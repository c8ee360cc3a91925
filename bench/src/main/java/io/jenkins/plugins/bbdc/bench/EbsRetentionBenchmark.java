package io.jenkins.plugins.bbdc.bench;

import io.jenkins.plugins.bbdc.core.backup.Components;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.PreparedCapture;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.core.provider.aws.EbsConfig;
import io.jenkins.plugins.bbdc.core.provider.aws.EbsSnapshotProvider;
import io.jenkins.plugins.bbdc.core.restorepoint.ComponentRecord;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointId;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;
import io.jenkins.plugins.bbdc.core.retention.RetentionExecutor;
import io.jenkins.plugins.bbdc.core.retention.RetentionPlan;
import io.jenkins.plugins.bbdc.core.retention.RetentionPlanner;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Issue 9 (5) through the cloud path: N restore points whose home is a real EBS snapshot in the testkit AWS endpoint
 * (captured by the EBS provider over the real AWS SDK), listed with pagination (page size 100), planned and
 * executed by the RetentionPlanner / RetentionExecutor. Counts the AWS calls of the retention run by action.
 */
final class EbsRetentionBenchmark implements Benchmark {
    static final int PAGE_SIZE = 100;

    @Override
    public String name() {
        return "retention-ebs";
    }

    @Override
    public String description() {
        return "retention through the EBS provider and the testkit AWS endpoint, paginated listing";
    }

    @Override
    public List<Table> run(BenchOptions o) throws Exception {
        String sizes = System.getProperty("bench.ebsPoints", o.full() ? "2500,5000,10000" : "250,500,1000");
        Table t = new Table("Retention through EBS (" + RetentionBenchmark.POLICY.describe() + "; DescribeSnapshots"
                + " page size " + PAGE_SIZE + ")", "restore points", "deleted", "plan (ms)", "execute (ms)",
                "DescribeSnapshots calls", "DeleteSnapshot calls", "all AWS calls", "execute ms / deleted point");
        for (String size : sizes.split(",")) {
            int n = Integer.parseInt(size.trim());
            try (AwsFixture f = new AwsFixture(Duration.ZERO)) {
                String volume = f.aws.ec2().addVolume(AwsFixture.REGION, "eu-west-1a", 100, "gp3");
                EbsSnapshotProvider home = new EbsSnapshotProvider(EbsConfig.builder().volumeId(volume)
                        .pageSize(PAGE_SIZE).build(), f.clients);
                BenchProvider database = BenchProvider.local();
                String instance = "ebsret";
                ProcessCommandRunner runner = new ProcessCommandRunner();
                ProviderContext homeCtx = new ProviderContext(instance, ComponentRole.HOME, BackupMode.ZERO_DOWNTIME,
                        runner, Clock.systemUTC(), null, null);
                FileCatalog catalog = new FileCatalog(Files.createDirectories(o.workDir().resolve("ebsret-" + n)));
                Instant now = Instant.parse("2026-11-21T12:00:00Z");
                Random random = new Random(n);
                for (int i = 0; i < n; i++) {
                    Instant at = now.minus(Duration.ofHours(i + 1L));
                    String id = RestorePointId.generate(at, random);
                    SnapshotRef h;
                    try (PreparedCapture pc = home.prepare(homeCtx)) {
                        h = home.capture(pc, new CaptureRequest(id, instance, ComponentRole.HOME,
                                BackupMode.ZERO_DOWNTIME), homeCtx);
                        h = home.awaitDurable(pc, h, homeCtx);
                    }
                    SnapshotRef d = new SnapshotRef(BenchProvider.KIND, "database", "db-" + id, id, instance, at,
                            at, 1L, Map.of());
                    database.add(d);
                    catalog.save(new RestorePoint(RestorePoint.SCHEMA_VERSION, id, instance, "8.19.1",
                            BackupMode.ZERO_DOWNTIME, RestorePointStatus.COMPLETE, at, 1L, null, at, at,
                            List.of(ComponentRecord.of(h), ComponentRecord.of(d)), List.of(), null, List.of()));
                }
                Components components = Components.builder().home(home).database(database).build();
                List<RestorePoint> points = catalog.list(instance);
                f.aws.clearCalls();
                long t0 = System.nanoTime();
                RetentionPlan plan = new RetentionPlanner(RetentionBenchmark.POLICY).plan(instance, points, now);
                long t1 = System.nanoTime();
                RetentionExecutor.Report report = new RetentionExecutor(catalog, components,
                        role -> new ProviderContext(instance, role, null, runner, Clock.systemUTC(), null, null),
                        Clock.systemUTC(), null).execute(plan);
                long t2 = System.nanoTime();
                if (!report.clean()) {
                    t.note(n + " points: not clean: " + report.problems());
                }
                long left = f.aws.ec2().snapshots(AwsFixture.REGION).size();
                if (left != plan.toKeep().size()) {
                    t.note(n + " points: " + left + " EBS snapshots left, plan kept " + plan.toKeep().size());
                }
                t.row(n, report.deleted().size(), (t1 - t0) / 1e6, (t2 - t1) / 1e6, f.calls("DescribeSnapshots"),
                        f.calls("DeleteSnapshot"), f.aws.calls().size(),
                        report.deleted().isEmpty() ? "-" : (t2 - t1) / 1e6 / report.deleted().size());
            }
        }
        t.note("home = EBS snapshots (real AWS SDK v2, testkit endpoint, retry policy as in the throttle benchmark);"
                + " database = the local benchmark provider");
        return List.of(t);
    }
}
