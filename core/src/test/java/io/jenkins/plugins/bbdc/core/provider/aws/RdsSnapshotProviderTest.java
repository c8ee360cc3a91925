package io.jenkins.plugins.bbdc.core.provider.aws;

import static io.jenkins.plugins.bbdc.core.provider.aws.AwsTestSupport.REGION;
import static io.jenkins.plugins.bbdc.core.provider.aws.AwsTestSupport.context;
import static io.jenkins.plugins.bbdc.core.provider.aws.AwsTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.PreparedCapture;
import io.jenkins.plugins.bbdc.core.provider.ProviderCapability;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.RestoreOutcome;
import io.jenkins.plugins.bbdc.core.provider.RestoreRequest;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.testkit.aws.AwsEndpoint;
import io.jenkins.plugins.bbdc.testkit.aws.CallRecord;
import io.jenkins.plugins.bbdc.testkit.aws.RdsFake;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The RDS / Aurora provider through the real AWS SDK against the testkit's RDS endpoint. */
class RdsSnapshotProviderTest {
    private AwsEndpoint aws;
    private AwsClientFactory clients;
    private final EventSink.Collecting events = new EventSink.Collecting();

    @BeforeEach
    void start() {
        aws = AwsEndpoint.start(11);
        aws.rds().timings(Duration.ofMillis(120), Duration.ofMillis(120));
        aws.rds().addInstance(REGION, "bitbucket-db", "db.m6g.large", 7);
        aws.rds().addCluster(REGION, "bitbucket-aurora", "db.r6g.large");
        clients = AwsTestSupport.clients(aws);
    }

    @AfterEach
    void stop() {
        clients.close();
        aws.close();
    }

    private RdsSnapshotProvider instanceProvider() {
        return new RdsSnapshotProvider(RdsConfig.builder().dbInstanceIdentifier("bitbucket-db").pageSize(20).build(),
                clients);
    }

    private RdsSnapshotProvider clusterProvider() {
        return new RdsSnapshotProvider(RdsConfig.builder().dbClusterIdentifier("bitbucket-aurora").build(), clients);
    }

    private ProviderContext ctx() {
        return context("bb-prod", ComponentRole.DATABASE, new AwsTestSupport.RecordingRunner(Set.of()), events);
    }

    private SnapshotRef backup(RdsSnapshotProvider p, String restorePoint) throws Exception {
        try (PreparedCapture prepared = p.prepare(ctx())) {
            SnapshotRef ref = p.capture(prepared, request(restorePoint, "bb-prod", ComponentRole.DATABASE), ctx());
            assertThat(ref.durableAt()).isNull();
            return p.awaitDurable(prepared, ref, ctx());
        }
    }

    @Test
    void instanceSnapshotIsTaggedAwaitedListedAndDeleted() throws Exception {
        RdsSnapshotProvider p = instanceProvider();
        SnapshotRef ref = backup(p, "rp-1");

        assertThat(p.capabilities()).contains(ProviderCapability.POINT_IN_TIME);
        assertThat(ref.id()).isEqualTo("bbdc-bb-prod-rp-1-database");
        assertThat(ref.durableAt()).isNotNull();
        RdsFake.SnapshotView snap = aws.rds().snapshots(REGION).get(0);
        assertThat(snap.status()).isEqualTo("available");
        assertThat(snap.tags()).containsEntry("bbdc:restore-point", "rp-1").containsEntry("bbdc:role", "database")
                .containsEntry("bbdc:instance", "bb-prod").containsKey("bbdc:durable-at");
        aws.rds().seedSnapshots(REGION, "bitbucket-db", 2, Map.of("bbdc:instance", "bb-staging",
                "bbdc:role", "database", "bbdc:restore-point", "rp-s"));

        assertThat(p.list(ctx())).singleElement().satisfies(r -> {
            assertThat(r.restorePointId()).isEqualTo("rp-1");
            assertThat(r.id()).isEqualTo(ref.id());
            assertThat(r.durableAt()).isNotNull();
        });
        assertThat(aws.calls("DescribeDBSnapshots")).anySatisfy(c ->
                assertThat(c.param("SnapshotType")).isEqualTo("manual"));

        p.delete(ref, ctx());
        assertThat(p.list(ctx())).isEmpty();
        p.delete(ref, ctx()); // already gone
    }

    @Test
    void listPagesWithMarkers() throws Exception {
        aws.rds().seedSnapshots(REGION, "bitbucket-db", 250, Map.of("bbdc:instance", "bb-prod",
                "bbdc:role", "database", "bbdc:restore-point", "rp-seeded"));
        List<SnapshotRef> listed = instanceProvider().list(ctx());
        assertThat(listed).hasSize(250);
        assertThat(aws.calls("DescribeDBSnapshots")).hasSize(13)
                .allSatisfy(c -> assertThat(c.param("MaxRecords")).isEqualTo("20"));
    }

    @Test
    void aThrottlingStormDoesNotFailABackup() throws Exception {
        aws.faults().throttle(0.3);
        RdsSnapshotProvider p = instanceProvider();
        for (int i = 0; i < 4; i++) {
            backup(p, "rp-" + i);
        }
        List<SnapshotRef> listed = p.list(ctx());
        assertThat(listed).hasSize(4);
        for (SnapshotRef r : listed) {
            p.delete(r, ctx());
        }
        assertThat(aws.calls()).filteredOn(c -> "Throttling".equals(c.errorCode())).isNotEmpty();
        assertThat(aws.rds().snapshots(REGION)).isEmpty();
    }

    @Test
    void restoreFromSnapshotGoesIntoANewInstanceAndNeverRenamesTheLiveOne() throws Exception {
        RdsSnapshotProvider p = new RdsSnapshotProvider(RdsConfig.builder().dbInstanceIdentifier("bitbucket-db")
                .instanceClass("db.r6g.xlarge").subnetGroupName("bb-private").securityGroupIds(
                        List.of("sg-0aaaaaaaaaaaaaaaa", "sg-0bbbbbbbbbbbbbbbb")).parameterGroupName("bb-pg15")
                .build(), clients);
        SnapshotRef ref = backup(p, "rp-1");

        RestoreOutcome out = p.restore(ref, new RestoreRequest(Map.of(), true, null, false, false), ctx());

        String id = out.location().get("identifier");
        assertThat(id).isEqualTo("bitbucket-db-rp-1");
        RdsFake.InstanceView restored = aws.rds().instance(REGION, id).orElseThrow();
        assertThat(restored.status()).isEqualTo("available");
        assertThat(restored.restoredFromSnapshot()).isEqualTo(ref.id());
        assertThat(restored).extracting(RdsFake.InstanceView::instanceClass, RdsFake.InstanceView::subnetGroup,
                RdsFake.InstanceView::securityGroups, RdsFake.InstanceView::parameterGroup).containsExactly(
                "db.r6g.xlarge", "bb-private", List.of("sg-0aaaaaaaaaaaaaaaa", "sg-0bbbbbbbbbbbbbbbb"), "bb-pg15");
        assertThat(out.location().get("address")).isEqualTo(restored.endpoint());
        assertThat(aws.rds().instance(REGION, "bitbucket-db").orElseThrow().status()).isEqualTo("available");
        assertThat(aws.calls()).noneMatch(c -> c.action().startsWith("Modify") || c.action().startsWith("Delete"));
        assertThat(out.operatorSteps()).anySatisfy(s -> assertThat(s).contains("jdbc.url")
                .contains(restored.endpoint()));
        assertThat(out.operatorSteps()).anySatisfy(s -> assertThat(s).contains("only after verification")
                .contains("--new-db-instance-identifier bitbucket-db"));
    }

    @Test
    void pointInTimeRestoreWaitsUntilTheFenceIsRecoverableAndRestoresExactlyToIt() throws Exception {
        aws.rds().restorableLag(Duration.ofMillis(400));
        RdsSnapshotProvider p = instanceProvider();
        SnapshotRef ref = backup(p, "rp-1");
        Instant fence = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        RestoreOutcome out = p.restore(ref, new RestoreRequest(Map.of("identifier", "bitbucket-db-pitr"), false,
                fence, false, false), ctx());

        RdsFake.InstanceView restored = aws.rds().instance(REGION, "bitbucket-db-pitr").orElseThrow();
        assertThat(restored.restoreTime()).isEqualTo(fence);
        assertThat(restored.sourceInstance()).isEqualTo("bitbucket-db");
        assertThat(out.location()).containsEntry("restoredTo", fence.toString());
        assertThat(aws.calls("RestoreDBInstanceToPointInTime")).singleElement()
                .satisfies(c -> assertThat(c.succeeded()).as("never asked before the fence was recoverable").isTrue());
        assertThat(aws.calls("RestoreDBInstanceFromDBSnapshot")).isEmpty();
    }

    @Test
    void auroraClusterSnapshotRestoresToTheFenceWithAWriter() throws Exception {
        RdsSnapshotProvider p = clusterProvider();
        SnapshotRef ref = backup(p, "rp-9");
        assertThat(aws.calls("CreateDBClusterSnapshot")).hasSize(1);
        assertThat(ref.attribute("type")).isEqualTo("cluster");
        Instant fence = Instant.now().minusMillis(50).truncatedTo(ChronoUnit.MILLIS);

        RestoreOutcome out = p.restore(ref, new RestoreRequest(Map.of(), false, fence, false, false), ctx());

        RdsFake.ClusterView restored = aws.rds().cluster(REGION, "bitbucket-aurora-rp-9").orElseThrow();
        assertThat(restored.restoreTime()).isEqualTo(fence);
        assertThat(restored.sourceCluster()).isEqualTo("bitbucket-aurora");
        assertThat(restored.members()).containsExactly("bitbucket-aurora-rp-9-writer");
        assertThat(aws.rds().instance(REGION, "bitbucket-aurora-rp-9-writer").orElseThrow().instanceClass())
                .isEqualTo("db.r6g.large");
        assertThat(out.location().get("address")).isEqualTo(restored.endpoint());
        assertThat(out.operatorSteps()).anySatisfy(s -> assertThat(s).contains("reader instances"));

        RestoreOutcome fromSnapshot = p.restore(ref, new RestoreRequest(Map.of("identifier", "bb-aurora-snap"),
                false, null, true, false), ctx());
        assertThat(aws.rds().cluster(REGION, "bb-aurora-snap").orElseThrow().restoredFromSnapshot())
                .isEqualTo(ref.id());
        assertThat(fromSnapshot.operatorSteps()).singleElement().asString().contains("delete-db-cluster");
    }

    @Test
    void restoreRefusesInPlaceAndExistingIdentifiers() throws Exception {
        RdsSnapshotProvider p = instanceProvider();
        SnapshotRef ref = backup(p, "rp-1");
        aws.clearCalls();

        assertThatThrownBy(() -> p.restore(ref, new RestoreRequest(Map.of("identifier", "bitbucket-db"), true, null,
                false, false), ctx())).hasMessageContaining("cannot restore in place");
        aws.rds().addInstance(REGION, "bitbucket-db-rp-1", "db.m6g.large", 7);
        assertThatThrownBy(() -> p.restore(ref, new RestoreRequest(Map.of(), true, null, false, false), ctx()))
                .hasMessageContaining("already exists");
        assertThat(aws.calls()).noneMatch(c -> c.action().startsWith("Restore") || c.action().startsWith("Modify"));
    }

    @Test
    void pointInTimeNeedsAutomatedBackups() throws Exception {
        aws.rds().addInstance(REGION, "no-backups", "db.t4g.medium", 0);
        RdsSnapshotProvider p = new RdsSnapshotProvider(RdsConfig.builder().dbInstanceIdentifier("no-backups")
                .build(), clients);
        assertThat(p.check(ctx()).findings()).anySatisfy(f -> assertThat(f.message()).contains("automated backups"));
        SnapshotRef ref = backup(p, "rp-1");
        assertThatThrownBy(() -> p.restore(ref, new RestoreRequest(Map.of(), false, Instant.now().minusSeconds(1),
                false, false), ctx())).hasMessageContaining("automated backups disabled");
    }

    @Test
    void copyToAnotherRegionByArn() throws Exception {
        RdsSnapshotProvider p = instanceProvider();
        SnapshotRef ref = backup(p, "rp-1");
        String key = "arn:aws:kms:us-west-2:123456789012:key/dr";

        SnapshotRef copy = p.copy(ref, Map.of("region", "us-west-2", "kmsKeyId", key), ctx());

        assertThat(copy.attribute("region")).isEqualTo("us-west-2");
        assertThat(copy.durableAt()).isNotNull();
        RdsFake.SnapshotView c = aws.rds().snapshots("us-west-2").get(0);
        assertThat(c.status()).isEqualTo("available");
        assertThat(c.kmsKeyId()).isEqualTo(key);
        assertThat(c.copiedFrom()).isEqualTo(REGION + "/" + ref.id());
        assertThat(c.tags()).containsEntry("bbdc:restore-point", "rp-1")
                .containsEntry("bbdc:copied-from", REGION + "/" + ref.id());
        assertThat(aws.calls("CopyDBSnapshot")).singleElement().satisfies(call ->
                assertThat(call.param("SourceDBSnapshotIdentifier")).isEqualTo(ref.attribute("arn")));
    }

    @Test
    void theManualSnapshotQuotaFailsAtOnceNamingTheQuotaAndWhatToDo() throws Exception {
        aws.rds().limits(3, 20);
        aws.rds().seedSnapshots(REGION, "bitbucket-db", 3, Map.of("purpose", "kept by someone else"));
        RdsSnapshotProvider p = instanceProvider();
        PreparedCapture prepared = p.prepare(ctx());

        assertThatThrownBy(() -> p.capture(prepared, request("rp-1", "bb-prod", ComponentRole.DATABASE), ctx()))
                .isInstanceOf(AwsCallException.class)
                .hasMessageContaining("AWS quota reached for rds:CreateDBSnapshot (SnapshotQuotaExceeded)")
                .hasMessageContaining("'Manual DB instance snapshots' quota")
                .hasMessageContaining("Cannot create more than 3 manual snapshots")
                .hasMessageContaining("Delete snapshots that are no longer needed")
                .hasMessageContaining("Service Quotas");
        assertThat(aws.calls("CreateDBSnapshot")).as("a hard quota is not waited for").singleElement()
                .satisfies(c -> assertThat(c.errorCode()).isEqualTo("SnapshotQuotaExceeded"));

        // Aurora: the cluster snapshot quota is its own and is named as such
        aws.rds().limits(0, 20);
        RdsSnapshotProvider aurora = clusterProvider();
        PreparedCapture preparedAurora = aurora.prepare(ctx());
        assertThatThrownBy(() -> aurora.capture(preparedAurora, request("rp-1", "bb-prod", ComponentRole.DATABASE),
                ctx())).hasMessageContaining("rds:CreateDBClusterSnapshot (SnapshotQuotaExceeded)")
                .hasMessageContaining("'Manual DB cluster snapshots' quota");
        assertThat(aws.rds().snapshots(REGION)).noneMatch(RdsFake.SnapshotView::cluster);
    }

    @Test
    void crossRegionCopiesQueueBehindTheConcurrentCopyLimit() throws Exception {
        RdsSnapshotProvider p = instanceProvider();
        SnapshotRef first = backup(p, "rp-1");
        SnapshotRef second = backup(p, "rp-2");
        aws.rds().limits(100, 1);
        // the first copy stays creating long enough for the second CopyDBSnapshot to meet the limit of one
        aws.rds().timings(Duration.ofMillis(1000), Duration.ofMillis(120));

        SnapshotRef queued = p.copy(first, Map.of("region", "us-west-2", "wait", "false"), ctx());
        assertThat(queued.durableAt()).isNull();
        SnapshotRef copy = p.copy(second, Map.of("region", "us-west-2"), ctx());

        assertThat(copy.durableAt()).isNotNull();
        assertThat(aws.calls("CopyDBSnapshot")).filteredOn(c -> "SnapshotQuotaExceeded".equals(c.errorCode()))
                .as("the second copy waited for the first").isNotEmpty();
        assertThat(aws.calls("CopyDBSnapshot")).filteredOn(CallRecord::succeeded).hasSize(2);
        assertThat(aws.rds().snapshots("us-west-2")).extracting(RdsFake.SnapshotView::id)
                .containsExactly(first.id(), second.id());
        assertThat(events.events()).anySatisfy(e -> assertThat(e.message())
                .contains("rds:CopyDBSnapshot waits for an AWS limit (SnapshotQuotaExceeded)")
                .contains("Cannot copy more than 1 snapshots across regions"));
    }

    @Test
    void accessDeniedNamesTheAction() throws Exception {
        aws.faults().deny("CreateDBSnapshot");
        RdsSnapshotProvider p = instanceProvider();
        PreparedCapture prepared = p.prepare(ctx());
        assertThatThrownBy(() -> p.capture(prepared, request("rp-1", "bb-prod", ComponentRole.DATABASE), ctx()))
                .hasMessageContaining("rds:CreateDBSnapshot").hasMessageContaining("AccessDenied");
    }

    @Test
    void anAuroraMemberConfiguredAsInstanceIsExplained() {
        RdsSnapshotProvider p = new RdsSnapshotProvider(RdsConfig.builder()
                .dbInstanceIdentifier("bitbucket-aurora-writer").build(), clients);
        assertThatThrownBy(() -> p.prepare(ctx())).hasMessageContaining("dbClusterIdentifier: bitbucket-aurora");
    }
}
