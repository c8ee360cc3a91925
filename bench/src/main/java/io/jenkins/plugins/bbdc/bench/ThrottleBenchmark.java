package io.jenkins.plugins.bbdc.bench;

import io.jenkins.plugins.bbdc.core.backup.BackupConfig;
import io.jenkins.plugins.bbdc.core.backup.BackupEngine;
import io.jenkins.plugins.bbdc.core.backup.BackupOutcome;
import io.jenkins.plugins.bbdc.core.backup.Components;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.aws.EbsConfig;
import io.jenkins.plugins.bbdc.core.provider.aws.EbsSnapshotProvider;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 9 (6): zero-downtime backups of an EC2 instance's EBS volumes (EBS provider, real AWS SDK v2 with the
 * production retry policy, testkit AWS endpoint) through the BackupEngine, alternating runs without faults and runs
 * where 30% of all AWS calls are throttled (RequestLimitExceeded). Reports completion and the added time.
 */
final class ThrottleBenchmark implements Benchmark {

    @Override
    public String name() {
        return "throttle";
    }

    @Override
    public String description() {
        return "EBS backups with 30% of AWS calls throttled: completion and added time";
    }

    @Override
    public List<Table> run(BenchOptions o) throws Exception {
        int runs = o.runsOr(4, 15);
        Stats clean = new Stats();
        Stats throttled = new Stats();
        int cleanOk = 0;
        int throttledOk = 0;
        long throttledCalls = 0;
        long throttledTotal = 0;
        try (AwsFixture f = new AwsFixture(Duration.ofMillis(300)); Simulated sim = new Simulated(
                Duration.ofMillis(200))) {
            Map<String, Integer> devices = new LinkedHashMap<>();
            devices.put("/dev/xvda", 8);
            devices.put("/dev/xvdf", 100);
            devices.put("/dev/xvdg", 50);
            String instance = f.aws.ec2().addInstance(AwsFixture.REGION, "eu-west-1a", "/dev/xvda", devices);
            EbsSnapshotProvider home = new EbsSnapshotProvider(EbsConfig.builder().instanceId(instance).build(),
                    f.clients);
            FileCatalog catalog = new FileCatalog(Files.createDirectories(o.workDir().resolve("throttle-catalog")));
            Components components = Components.builder().home(home).database(BenchProvider.local()).build();
            for (int i = 0; i < 2 * runs; i++) {
                boolean storm = i % 2 == 1;
                f.aws.faults().reset();
                f.aws.clearCalls();
                if (storm) {
                    f.aws.faults().throttle(0.3);
                }
                long t0 = System.nanoTime();
                BackupOutcome out = new BackupEngine(BackupConfig.of("throttle", components,
                        BackupMode.ZERO_DOWNTIME), sim.admin, catalog, new ProcessCommandRunner(), Clock.systemUTC(),
                        null, null, null).run();
                double ms = (System.nanoTime() - t0) / 1e6;
                if (storm) {
                    throttledCalls += f.throttled();
                    throttledTotal += f.aws.calls().size();
                    if (out.succeeded()) {
                        throttledOk++;
                        throttled.add(ms);
                    }
                } else if (out.succeeded()) {
                    cleanOk++;
                    clean.add(ms);
                }
            }
            f.aws.faults().reset();
        }
        Table t = new Table("EBS backup under throttling (instance with 2 data volumes + boot volume, snapshot"
                + " pending 300 ms; " + runs + " backups each, alternated)", "AWS calls throttled", "completed",
                "median wall time (ms)", "max (ms)", "added time, median (ms)", "ratio");
        t.row("0%", cleanOk + " / " + runs, clean.median(), clean.max(), "-", 1.0);
        t.row("30% (" + throttledCalls + " of " + throttledTotal + " calls refused)", throttledOk + " / " + runs,
                throttled.median(), throttled.max(), throttled.median() - clean.median(),
                throttled.median() / clean.median());
        t.note("retry policy: production shape scaled down 100× (first back-off 150 ms instead of 15 s, polls every"
                + " 150 ms): with the production policy the added time is about 100× larger; database component: the local benchmark"
                + " provider, so only EBS calls are throttled");
        return List.of(t);
    }
}
