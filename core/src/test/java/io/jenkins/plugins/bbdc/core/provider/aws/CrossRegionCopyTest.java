package io.jenkins.plugins.bbdc.core.provider.aws;

import static io.jenkins.plugins.bbdc.core.provider.aws.AwsTestSupport.REGION;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.core.backup.BackupConfig;
import io.jenkins.plugins.bbdc.core.backup.BackupEngine;
import io.jenkins.plugins.bbdc.core.backup.BackupOutcome;
import io.jenkins.plugins.bbdc.core.backup.BackupPhase;
import io.jenkins.plugins.bbdc.core.backup.BackupState;
import io.jenkins.plugins.bbdc.core.backup.BackupStateSink;
import io.jenkins.plugins.bbdc.core.backup.Components;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdminClient;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketClientOptions;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.event.OperationEvent;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.core.restorepoint.ComponentRecord;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;
import io.jenkins.plugins.bbdc.core.retention.RetentionExecutor;
import io.jenkins.plugins.bbdc.core.retention.RetentionPlanner;
import io.jenkins.plugins.bbdc.core.retention.RetentionPolicy;
import io.jenkins.plugins.bbdc.testkit.aws.AwsEndpoint;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-region copies through the backup engine, the real SDK and the testkit AWS endpoint: after the snapshots are
 * durable they are copied to the disaster-recovery region, the copies are recorded in the manifest, a failed copy
 * never fails the restore point, a resumed backup finishes its copies without starting them again, and retention
 * deletes the copies with their restore point.
 */
class CrossRegionCopyTest {
    private static final String DR = "eu-central-1";
    private static final String KMS = "arn:aws:kms:eu-central-1:123456789012:key/dr";

    @TempDir
    Path tmp;

    private AwsEndpoint aws;
    private BitbucketSimulator sim;
    private AwsClientFactory clients;
    private EbsSnapshotProvider home;
    private RdsSnapshotProvider database;
    private FileCatalog catalog;
    private final List<OperationEvent> events = new CopyOnWriteArrayList<>();
    private final List<BackupState> states = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        aws = AwsEndpoint.start(11);
        sim = BitbucketSimulator.builder().nodes(2).start();
        aws.ec2().timings(Duration.ofMillis(60), Duration.ofMillis(20), Duration.ofMillis(30));
        aws.rds().timings(Duration.ofMillis(60), Duration.ofMillis(60));
        aws.rds().addInstance(REGION, "bitbucket-db", "db.m6g.large", 7);
        String instance = aws.ec2().addInstance(REGION, "eu-west-1a", "/dev/xvda",
                Map.of("/dev/xvda", 8, "/dev/xvdf", 100));
        clients = AwsTestSupport.clients(aws);
        home = new EbsSnapshotProvider(EbsConfig.builder().volumeId(aws.ec2().volumeAt(REGION, instance,
                "/dev/xvdf")).build(), clients);
        database = new RdsSnapshotProvider(RdsConfig.builder().dbInstanceIdentifier("bitbucket-db").build(), clients);
        catalog = new FileCatalog(tmp.resolve("catalog"));
    }

    @AfterEach
    void stop() {
        clients.close();
        sim.close();
        aws.close();
    }

    private Components components() {
        return Components.builder().home(home).database(database)
                .copyTo(ComponentRole.HOME, Map.of("region", DR, "kmsKeyId", KMS))
                .copyTo(ComponentRole.DATABASE, Map.of("region", DR)).build();
    }

    private BackupEngine engine(Components components) {
        BitbucketAdminClient admin = new BitbucketAdminClient(BitbucketClientOptions.builder(sim.baseUrl())
                .basicAuth("admin", "admin").build());
        return new BackupEngine(BackupConfig.of("prod", components, BackupMode.ZERO_DOWNTIME), admin, catalog,
                new AwsTestSupport.RecordingRunner(Set.of()), null, null, events::add, states::add);
    }

    @Test
    void copiesAreMadeInTheOtherRegionAndRecordedInTheManifest() throws Exception {
        BackupOutcome outcome = engine(components()).run();

        RestorePoint point = outcome.point();
        assertThat(point.status()).as(point.failureReason()).isEqualTo(RestorePointStatus.COMPLETE);
        assertThat(outcome.copyFailures()).isEmpty();
        ComponentRecord homeRecord = point.component("home").orElseThrow();
        SnapshotRef homeCopy = homeRecord.copyIn(DR).orElseThrow();
        assertThat(homeCopy.attribute("kmsKeyId")).isEqualTo(KMS);
        assertThat(homeCopy.id()).isNotEqualTo(homeRecord.reference().id());
        assertThat(aws.ec2().snapshots(DR)).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo("completed");
            assertThat(s.tags()).containsEntry("bbdc:restore-point", point.id())
                    .containsEntry("bbdc:copied-from", REGION + "/" + homeRecord.reference().id());
        });
        SnapshotRef dbCopy = point.component("database").orElseThrow().copyIn(DR).orElseThrow();
        assertThat(aws.rds().snapshots(DR)).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo("available");
            assertThat(s.tags()).containsEntry("bbdc:restore-point", point.id());
        });
        assertThat(dbCopy.attribute("region")).isEqualTo(DR);
        // what a later run (or another controller) reads back from the catalog
        RestorePoint reread = catalog.find("prod", point.id()).orElseThrow();
        assertThat(reread.component("home").orElseThrow().copyIn(DR)).contains(homeCopy);
        assertThat(reread.component("database").orElseThrow().copyIn(DR)).contains(dbCopy);
        assertThat(states.get(states.size() - 1).phase()).isEqualTo(BackupPhase.COMPLETE);
        assertThat(events).anyMatch(e -> e.message().contains("2 component(s) copied"));
    }

    @Test
    void retentionDeletesTheCopiesWithTheirRestorePoint() throws Exception {
        RestorePoint first = engine(components()).run().point();
        RestorePoint second = engine(components()).run().point();
        assertThat(aws.ec2().snapshots(DR)).hasSize(2);
        assertThat(aws.rds().snapshots(DR)).hasSize(2);

        RetentionExecutor.Report report = new RetentionExecutor(catalog, components(),
                role -> AwsTestSupport.context("prod", role, new AwsTestSupport.RecordingRunner(Set.of()),
                        EventSink.NONE), null, null)
                .execute(new RetentionPlanner(RetentionPolicy.keepLast(1)).plan("prod", catalog.list("prod"),
                        Instant.now()));

        assertThat(report.deleted()).containsExactly(first.id());
        assertThat(report.problems()).isEmpty();
        assertThat(aws.ec2().snapshots(DR)).singleElement()
                .satisfies(s -> assertThat(s.tags()).containsEntry("bbdc:restore-point", second.id()));
        assertThat(aws.rds().snapshots(DR)).singleElement()
                .satisfies(s -> assertThat(s.tags()).containsEntry("bbdc:restore-point", second.id()));
        assertThat(aws.rds().snapshots(REGION)).singleElement()
                .satisfies(s -> assertThat(s.tags()).containsEntry("bbdc:restore-point", second.id()));
    }

    @Test
    void aFailedCopyLeavesTheRestorePointCompleteAndSaysWhy() throws Exception {
        aws.faults().deny("CopySnapshot");

        BackupOutcome outcome = engine(components()).run();

        assertThat(outcome.point().status()).isEqualTo(RestorePointStatus.COMPLETE);
        assertThat(outcome.succeeded()).isTrue();
        assertThat(outcome.copyFailures()).containsOnlyKeys("home");
        assertThat(outcome.copyFailures().get("home")).contains(DR).contains("ec2:CopySnapshot")
                .as("AWS answered: no copy can exist that nobody knows of").doesNotContain("before it was cut off");
        assertThat(outcome.point().component("database").orElseThrow().copyIn(DR)).isPresent();
        assertThat(catalog.find("prod", outcome.point().id()).orElseThrow().component("home").orElseThrow()
                .copyFailure()).contains("ec2:CopySnapshot");
        // the source snapshots are untouched
        assertThat(aws.ec2().snapshots(REGION)).singleElement()
                .satisfies(s -> assertThat(s.state()).isEqualTo("completed"));
        assertThat(aws.ec2().snapshots(DR)).isEmpty();
    }

    @Test
    void aCopyThatFailsInTheDestinationIsDeletedNotKept() throws Exception {
        BackupEngine engine = engine(components());
        Thread breaker = new Thread(() -> {
            // once the copy exists in the destination, make it fail there (as an expired KMS grant would)
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline) {
                List<io.jenkins.plugins.bbdc.testkit.aws.Ec2Fake.SnapshotView> copies = aws.ec2().snapshots(DR);
                if (!copies.isEmpty()) {
                    aws.ec2().failSnapshot(DR, copies.get(0).id());
                    return;
                }
                Thread.onSpinWait();
            }
        });
        aws.ec2().timings(Duration.ofMillis(400), Duration.ofMillis(20), Duration.ofMillis(30));
        breaker.start();
        BackupOutcome outcome = engine.run();
        breaker.join();

        assertThat(outcome.point().status()).isEqualTo(RestorePointStatus.COMPLETE);
        assertThat(outcome.copyFailures().get("home")).contains("deleted");
        assertThat(aws.ec2().snapshots(DR)).isEmpty();
        assertThat(outcome.point().component("home").orElseThrow().copies()).isEmpty();
    }

    @Test
    void stoppingDuringTheCopiesDeletesTheUnfinishedOnesAndKeepsThePoint() throws Exception {
        BitbucketAdminClient admin = new BitbucketAdminClient(BitbucketClientOptions.builder(sim.baseUrl())
                .basicAuth("admin", "admin").build());
        BackupEngine[] engine = new BackupEngine[1];
        java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
        EventSink slowCopiesThenStop = e -> {
            events.add(e);
            // the sources are complete; the database copy takes far longer than the test
            if ("copy".equals(e.phase()) && "database".equals(e.component()) && e.message().startsWith("copying")) {
                aws.rds().timings(Duration.ofSeconds(60), Duration.ofMillis(60));
            }
        };
        BackupStateSink stopOnceBothStarted = s -> {
            states.add(s);
            if (s.phase() == BackupPhase.COPYING && s.copies().stream().anyMatch(c -> c.role().equals("database"))
                    && s.copies().stream().anyMatch(c -> c.role().equals("home") && c.durableAt() != null)
                    && stopped.compareAndSet(false, true)) {
                engine[0].stop();
            }
        };
        engine[0] = new BackupEngine(BackupConfig.of("prod", components(), BackupMode.ZERO_DOWNTIME), admin,
                catalog, new AwsTestSupport.RecordingRunner(Set.of()), null, null, slowCopiesThenStop,
                stopOnceBothStarted);

        BackupOutcome outcome = engine[0].run();
        boolean stopReasserted = Thread.interrupted(); // the engine hands the stop request back to its caller

        assertThat(stopReasserted).isTrue();
        assertThat(outcome.point().status()).isEqualTo(RestorePointStatus.COMPLETE);
        assertThat(outcome.copyFailures()).containsOnlyKeys("database");
        assertThat(outcome.point().component("home").orElseThrow().copyIn(DR)).isPresent();
        assertThat(outcome.copyFailures().get("database")).contains("stopped while copying").contains("deleted");
        assertThat(aws.rds().snapshots(DR)).isEmpty();
        assertThat(aws.rds().snapshots(REGION)).singleElement()
                .satisfies(s -> assertThat(s.status()).isEqualTo("available"));
        assertThat(catalog.find("prod", outcome.point().id()).orElseThrow().status())
                .isEqualTo(RestorePointStatus.COMPLETE);
    }

    @Test
    void aResumedBackupAwaitsTheCopiesItStartedInsteadOfCopyingAgain() throws Exception {
        engine(components()).run();
        // the state a controller restart would have left: COPYING, both copies started, neither known complete
        BackupState midCopy = states.stream()
                .filter(s -> s.phase() == BackupPhase.COPYING && s.copies().size() == 2
                        && s.copies().stream().allMatch(c -> c.durableAt() == null))
                .findFirst().orElseThrow();
        long copiesBefore = aws.calls("CopySnapshot").size() + aws.calls("CopyDBSnapshot").size();
        events.clear();

        BackupOutcome resumed = engine(components()).resume(midCopy);

        assertThat(resumed.point().status()).isEqualTo(RestorePointStatus.COMPLETE);
        assertThat(resumed.copyFailures()).isEmpty();
        assertThat(resumed.point().component("home").orElseThrow().copyIn(DR)).isPresent();
        assertThat(resumed.point().component("database").orElseThrow().copyIn(DR)).isPresent();
        assertThat(aws.calls("CopySnapshot").size() + aws.calls("CopyDBSnapshot").size()).isEqualTo(copiesBefore);
        assertThat(resumed.state().phase()).isEqualTo(BackupPhase.COMPLETE);
        assertThat(events).anyMatch(e -> e.message().contains("continuing its copies"));
    }

    @Test
    void inTheOtherRegionACatalogRebuiltFromTheCopiesRestoresThem() throws Exception {
        RestorePoint point = engine(components()).run().point();
        assertThat(outcomeOf(point)).isEmpty();

        // the disaster: the source region and its controller are gone; a new one knows only the DR region
        try (AwsClientFactory dr = new AwsClientFactory(AwsTestSupport.settings(aws).region(DR).build())) {
            EbsSnapshotProvider drHome = new EbsSnapshotProvider(EbsConfig.builder().volumeId("vol-0123456789abcdef0")
                    .restoreTarget(DR + "a", null).build(), dr);
            RdsSnapshotProvider drDatabase = new RdsSnapshotProvider(RdsConfig.builder()
                    .dbInstanceIdentifier("bitbucket-db").restoreIdentifier("bitbucket-db-dr").build(), dr);
            FileCatalog drCatalog = new FileCatalog(tmp.resolve("dr-catalog"));
            AwsTestSupport.RecordingRunner runner = new AwsTestSupport.RecordingRunner(Set.of());
            new io.jenkins.plugins.bbdc.core.catalog.CatalogRebuilder(drCatalog, Components.builder().home(drHome)
                    .database(drDatabase).build(), AwsTestSupport.context("prod", ComponentRole.HOME, runner,
                    EventSink.NONE)).rebuild();
            RestorePoint rebuilt = drCatalog.find("prod", point.id()).orElseThrow();
            assertThat(rebuilt.status()).isEqualTo(RestorePointStatus.COMPLETE);

            io.jenkins.plugins.bbdc.core.restore.RestoreResult result = new io.jenkins.plugins.bbdc.core.restore
                    .RestoreEngine(drCatalog, null, runner, java.time.Clock.systemUTC(), null, EventSink.NONE)
                    .restore(new io.jenkins.plugins.bbdc.core.restore.RestoreSettings("prod", Map.of("home", drHome,
                            "database", drDatabase), Map.of(), true, List.of(), null, false, true, false),
                            io.jenkins.plugins.bbdc.core.restore.RestoreSelection.latest());

            assertThat(result.succeeded()).as(result.failures().toString()).isTrue();
            assertThat(aws.ec2().volumes(DR)).singleElement()
                    .satisfies(v -> assertThat(v.availabilityZone()).isEqualTo(DR + "a"));
            // no live source database in the DR region: the copy is restored as the snapshot it is
            assertThat(aws.rds().instance(DR, "bitbucket-db-dr")).isPresent();
            assertThat(aws.calls("RestoreDBInstanceFromDBSnapshot")).hasSize(1);
            assertThat(aws.calls("RestoreDBInstanceToPointInTime")).isEmpty();
            assertThat(result.outcomes().get("database").summary()).contains("a copy from " + REGION);
        }
    }

    @Test
    void aCopyStillBeingMadeIsNotRestorableAfterARebuild() throws Exception {
        RestorePoint point = engine(Components.builder().home(home).database(database).build()).run().point();
        aws.ec2().timings(Duration.ofSeconds(60), Duration.ofMillis(20), Duration.ofMillis(30));
        home.copy(point.component("home").orElseThrow().reference(), Map.of("region", DR, "wait", "false"),
                AwsTestSupport.context("prod", ComponentRole.HOME, new AwsTestSupport.RecordingRunner(Set.of()), EventSink.NONE));
        database.copy(point.component("database").orElseThrow().reference(), Map.of("region", DR),
                AwsTestSupport.context("prod", ComponentRole.DATABASE, new AwsTestSupport.RecordingRunner(Set.of()), EventSink.NONE));

        try (AwsClientFactory dr = new AwsClientFactory(AwsTestSupport.settings(aws).region(DR).build())) {
            FileCatalog drCatalog = new FileCatalog(tmp.resolve("dr-catalog"));
            io.jenkins.plugins.bbdc.core.catalog.CatalogRebuilder.Report report =
                    new io.jenkins.plugins.bbdc.core.catalog.CatalogRebuilder(drCatalog, Components.builder()
                            .home(new EbsSnapshotProvider(EbsConfig.builder().volumeId("vol-0123456789abcdef0")
                                    .build(), dr))
                            .database(new RdsSnapshotProvider(RdsConfig.builder().dbInstanceIdentifier("bitbucket-db")
                                    .build(), dr)).build(),
                            AwsTestSupport.context("prod", ComponentRole.HOME, new AwsTestSupport.RecordingRunner(Set.of()), EventSink.NONE)).rebuild();

            assertThat(report.partial()).containsExactly(point.id());
            assertThat(drCatalog.find("prod", point.id()).orElseThrow().failureReason())
                    .contains("not complete when listed: home");
        }
    }

    private java.util.Map<String, String> outcomeOf(RestorePoint point) {
        java.util.Map<String, String> failures = new java.util.TreeMap<>();
        point.components().forEach(c -> {
            if (c.copyFailure() != null) {
                failures.put(c.role(), c.copyFailure());
            }
        });
        return failures;
    }

    @Test
    void whenOneVolumeOfAnInstanceCannotBeCopiedTheOtherCopiesAreNotLeftBehind() throws Exception {
        String instance = aws.ec2().addInstance(REGION, "eu-west-1b", "/dev/xvda",
                Map.of("/dev/xvda", 8, "/dev/xvdf", 100, "/dev/xvdg", 50));
        EbsSnapshotProvider twoVolumes = new EbsSnapshotProvider(EbsConfig.builder().instanceId(instance)
                .build(), clients);
        aws.faults().failAfter("CopySnapshot", 1, 400, "InvalidParameterValue",
                "The snapshot's KMS key is not usable in this region");

        BackupOutcome outcome = engine(Components.builder().home(twoVolumes).database(database)
                .copyTo(ComponentRole.HOME, Map.of("region", DR)).build()).run();

        assertThat(outcome.point().status()).isEqualTo(RestorePointStatus.COMPLETE);
        assertThat(outcome.copyFailures().get("home")).contains("InvalidParameterValue");
        assertThat(aws.calls("CopySnapshot")).hasSize(2);
        assertThat(aws.ec2().snapshots(DR)).as("the first volume's copy was deleted again").isEmpty();
    }

    @Test
    void aStopPendingWhenACopyingBackupIsResumedEndsItsCopiesAndKeepsThePoint() throws Exception {
        engine(components()).run();
        BackupState midCopy = states.stream()
                .filter(s -> s.phase() == BackupPhase.COPYING && s.copies().size() == 2
                        && s.copies().stream().allMatch(c -> c.durableAt() == null))
                .findFirst().orElseThrow();

        Thread.currentThread().interrupt(); // a Jenkins abort right after the restart
        BackupOutcome resumed;
        try {
            resumed = engine(components()).resume(midCopy);
        } finally {
            Thread.interrupted();
        }

        assertThat(resumed.point().status()).isEqualTo(RestorePointStatus.COMPLETE);
        assertThat(resumed.state().phase()).isEqualTo(BackupPhase.COMPLETE);
        assertThat(resumed.copyFailures()).containsOnlyKeys("home", "database")
                .allSatisfy((role, why) -> assertThat(why).contains("stopped while copying").contains("deleted"));
        assertThat(aws.ec2().snapshots(DR)).isEmpty();
        assertThat(aws.rds().snapshots(DR)).isEmpty();
        assertThat(catalog.find("prod", resumed.point().id()).orElseThrow().component("home").orElseThrow()
                .copyFailure()).contains("stopped while copying");
    }

    @Test
    void aCopyDestinationNeedsACopyingProviderAndARegion() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Components.builder().home(home).database(database)
                        .copyTo(ComponentRole.HOME, Map.of("kmsKeyId", KMS)).build())
                .hasMessageContaining("copy destination of 'home' needs a 'region'");
    }
}
