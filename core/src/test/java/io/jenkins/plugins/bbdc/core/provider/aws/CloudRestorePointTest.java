package io.jenkins.plugins.bbdc.core.provider.aws;

import static io.jenkins.plugins.bbdc.core.provider.aws.AwsTestSupport.REGION;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.core.backup.BackupConfig;
import io.jenkins.plugins.bbdc.core.backup.BackupEngine;
import io.jenkins.plugins.bbdc.core.backup.Components;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdminClient;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketClientOptions;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.restore.RestoreEngine;
import io.jenkins.plugins.bbdc.core.restore.RestoreResult;
import io.jenkins.plugins.bbdc.core.restore.RestoreSelection;
import io.jenkins.plugins.bbdc.core.restore.RestoreSettings;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;
import io.jenkins.plugins.bbdc.testkit.aws.AwsEndpoint;
import io.jenkins.plugins.bbdc.testkit.aws.RdsFake;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cloud restore point through the engines: a zero-downtime backup of an EBS home and an RDS database, then a
 * restore in which the database is recovered to exactly the restore point's fence (point-in-time restore), never to
 * the snapshot's own, slightly different instant — so home and database match.
 */
class CloudRestorePointTest {
    @TempDir
    Path tmp;

    @Test
    void theDatabaseIsRecoveredToTheHomeSnapshotsFence() throws Exception {
        try (AwsEndpoint aws = AwsEndpoint.start(5);
             BitbucketSimulator sim = BitbucketSimulator.builder().nodes(2).start()) {
            aws.ec2().timings(Duration.ofMillis(60), Duration.ofMillis(20), Duration.ofMillis(30));
            aws.rds().timings(Duration.ofMillis(60), Duration.ofMillis(60));
            aws.rds().addInstance(REGION, "bitbucket-db", "db.m6g.large", 7);
            String instance = aws.ec2().addInstance(REGION, "eu-west-1a", "/dev/xvda",
                    Map.of("/dev/xvda", 8, "/dev/xvdf", 100));
            String homeVolume = aws.ec2().volumeAt(REGION, instance, "/dev/xvdf");
            try (AwsClientFactory clients = AwsTestSupport.clients(aws)) {
                EbsSnapshotProvider home = new EbsSnapshotProvider(EbsConfig.builder().volumeId(homeVolume)
                        .restoreTarget("eu-west-1a", null).build(), clients);
                RdsSnapshotProvider database = new RdsSnapshotProvider(RdsConfig.builder()
                        .dbInstanceIdentifier("bitbucket-db").restoreIdentifier("bitbucket-db-restored").build(),
                        clients);
                FileCatalog catalog = new FileCatalog(tmp.resolve("catalog"));
                AwsTestSupport.RecordingRunner runner = new AwsTestSupport.RecordingRunner(Set.of());
                BitbucketAdminClient admin = new BitbucketAdminClient(BitbucketClientOptions
                        .builder(sim.baseUrl()).basicAuth("admin", "admin").build());

                RestorePoint point = new BackupEngine(BackupConfig.of("prod", Components.builder().home(home)
                        .database(database).build(), BackupMode.ZERO_DOWNTIME), admin, catalog, runner, null, null,
                        EventSink.NONE, null).run().point();
                assertThat(point.status()).as(point.failureReason()).isEqualTo(RestorePointStatus.COMPLETE);

                RestoreResult result = new RestoreEngine(catalog, null, runner, Clock.systemUTC(), null,
                        EventSink.NONE).restore(new RestoreSettings("prod", Map.of("home", home, "database",
                        database), Map.of(), true, List.of(), null, false, true, false), RestoreSelection.latest());

                assertThat(result.succeeded()).as(result.failures().toString()).isTrue();
                RdsFake.InstanceView restored = aws.rds().instance(REGION, "bitbucket-db-restored").orElseThrow();
                assertThat(restored.restoreTime()).isEqualTo(point.fence());
                assertThat(aws.calls("RestoreDBInstanceToPointInTime")).hasSize(1);
                assertThat(aws.calls("RestoreDBInstanceFromDBSnapshot")).isEmpty();
                assertThat(aws.calls("CreateVolume")).hasSize(1);
                assertThat(result.operatorSteps()).anyMatch(s -> s.contains("jdbc.url"));
            }
        }
    }
}
