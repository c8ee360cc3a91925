package io.jenkins.plugins.bbdc.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.backup.BackupPhase;
import io.jenkins.plugins.bbdc.core.backup.BackupState;
import io.jenkins.plugins.bbdc.core.backup.Components;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.ops.InstanceLock;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.restorepoint.ManifestJson;
import io.jenkins.plugins.bbdc.jenkins.actions.OperationAction;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.config.MeshHome;
import io.jenkins.plugins.bbdc.jenkins.provider.AuroraSnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.BtrfsSnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.ClosingProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.ComponentProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.EbsSnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.RdsSnapshotProvider;
import io.jenkins.plugins.bbdc.testkit.aws.AwsEndpoint;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copies to the disaster-recovery region as the plugin runs them: the providers' {@code copyRegion} and
 * {@code copyKmsKeyId} reach the engine, the step's result carries each component's copies and the copy failures
 * (which make the build UNSTABLE), a backup resumed in phase COPYING finishes its copies, and a controller with an
 * empty catalog in the copy region rebuilds it from the copies before it restores. Real AWS SDK against the testkit
 * AWS endpoint, real OkHttp against the Bitbucket simulator.
 */
class BackupCopiesTest {
    private static final String REGION = AwsBackedInstance.REGION;
    private static final String DR = "eu-central-1";

    @TempDir
    Path tmp;
    AwsBackedInstance bb;
    AwsEndpoint aws;
    BitbucketSimulator sim;
    BitbucketInstance instance;
    LocalServices services;
    List<String> log;

    @BeforeEach
    void start() {
        bb = new AwsBackedInstance(7, "Bb-Copies-S3cret-4711", tmp.resolve("catalog"));
        aws = bb.aws;
        sim = bb.sim;
        instance = bb.instance;
        services = bb.services;
        log = bb.log;
        bb.home.setCopyRegion(DR);
        bb.home.setCopyKmsKeyId("alias/bitbucket-dr");
        bb.database.setCopyRegion(DR);
    }

    @AfterEach
    void stop() {
        bb.close();
    }

    /** What {@code bitbucketBackup} (and its freestyle builder, through BlockingOperations) hands the engine. */
    private Map<String, Object> backup(String checkpoint) throws Exception {
        BackupArguments args = new BackupArguments(null, new ComponentChoice(null, null, null), 1);
        Map<String, ComponentProvider> chosen = args.components.resolve(instance);
        Map<String, SnapshotProvider> providers = ComponentChoice.toEngine(chosen, services);
        try {
            var engine = BackupOperation.engine(instance, args, providers, ComponentChoice.copyDestinations(chosen),
                    bb.admin(), new ProcessCommandRunner(), tmp.resolve("catalog"), bb::record,
                    new BackgroundWork.Progress("backup", null));
            return checkpoint == null ? BackupOperation.run(engine) : BackupOperation.resume(engine, checkpoint);
        } finally {
            ClosingProvider.closeAll(providers.values());
        }
    }

    @Test
    void theCopySettingsOfEveryComponentReachTheEngine() throws Exception {
        EbsSnapshotProvider mesh = bb.connected(new EbsSnapshotProvider(REGION));
        mesh.setVolumeId("vol-0123456789abcdef0");
        mesh.setCopyRegion(" us-east-2 ");
        Map<String, ComponentProvider> chosen = new ComponentChoice(null, null, null,
                List.of(new MeshHome("mesh-1", mesh))).resolve(instance);
        Map<String, Map<String, String>> copies = ComponentChoice.copyDestinations(chosen);
        assertThat(copies).containsOnlyKeys("home", "database", "mesh-home:mesh-1");
        assertThat(copies.get("home")).containsExactlyEntriesOf(Map.of("region", DR, "kmsKeyId", "alias/bitbucket-dr"));
        assertThat(copies.get("database")).containsExactlyEntriesOf(Map.of("region", DR));
        assertThat(copies.get("mesh-home:mesh-1")).containsExactlyEntriesOf(Map.of("region", "us-east-2"));

        Map<String, SnapshotProvider> providers = ComponentChoice.toEngine(chosen, services);
        try {
            Components components = BackupOperation.components(providers, copies);
            assertThat(components.copiedRoles()).containsExactly(ComponentRole.HOME,
                    ComponentRole.meshHome("mesh-1"), ComponentRole.DATABASE);
            assertThat(components.copyDestination(ComponentRole.HOME)).containsEntry("kmsKeyId", "alias/bitbucket-dr");

            // a key without a region is not silently dropped: the engine refuses it before anything changes
            mesh.setCopyRegion(null);
            mesh.setCopyKmsKeyId("alias/mesh");
            assertThatThrownBy(() -> BackupOperation.components(providers, ComponentChoice.copyDestinations(chosen)))
                    .isInstanceOf(AbortException.class).hasMessageContaining("refused before anything changed")
                    .hasMessageContaining("'mesh-home:mesh-1' needs a 'region'");
        } finally {
            ClosingProvider.closeAll(providers.values());
        }
        // only the providers that can copy have the settings: a copy destination elsewhere cannot be written
        assertThat(new BtrfsSnapshotProvider("/srv/bb/shared", "/srv/.snapshots").copyDestination()).isEmpty();
        assertThat(new AuroraSnapshotProvider("bitbucket-cluster", REGION)).satisfies(a -> {
            a.setCopyRegion(DR);
            assertThat(a.copyDestination()).containsEntry("region", DR);
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyCopyIsInTheResultAndOnTheBuildPage() throws Exception {
        Map<String, Object> result = backup(null);

        BackupOperationTest.assertPlain(result);
        assertThat(result).containsEntry("status", "COMPLETE").containsEntry("copyFailures", Map.of());
        List<Map<String, Object>> components = (List<Map<String, Object>>) result.get("components");
        for (Map<String, Object> c : components) {
            assertThat((List<Map<String, Object>>) c.get("copies")).as(c.get("role") + " copies").singleElement()
                    .satisfies(copy -> {
                        assertThat(copy).containsEntry("region", DR).containsKey("durableAt");
                        assertThat(copy.get("id")).isNotNull();
                        assertThat(copy.get("durableAt")).isNotNull();
                    });
        }
        assertThat(aws.ec2().snapshots(DR)).singleElement()
                .satisfies(s -> assertThat(s.kmsKeyId()).isEqualTo("alias/bitbucket-dr"));
        assertThat(aws.rds().snapshots(DR)).hasSize(1);
        assertThat(BackupOperation.copyWarnings(result)).as("nothing makes the build unstable").isEmpty();

        OperationAction page = new OperationAction("backup", "prod", 1, result, null);
        assertThat(page.getCopies()).extracting(r -> r.get("role")).containsExactly("home", "database");
        assertThat(page.getCopies()).allSatisfy(r -> assertThat(r).containsEntry("region", DR)
                .containsEntry("complete", true));
        assertThat(page.columns("components")).as("copies get their own table").doesNotContain("copies");
        assertThat(page.getCopyFailures()).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFailedCopyKeepsThePointCompleteAndMakesTheBuildUnstableSayingWhatToDo() throws Exception {
        aws.faults().deny("CopySnapshot");

        Map<String, Object> result = backup(null);

        assertThat(result).containsEntry("status", "COMPLETE");
        Map<String, Object> failures = (Map<String, Object>) result.get("copyFailures");
        assertThat(failures).containsOnlyKeys("home");
        assertThat((String) failures.get("home")).contains(DR).contains("ec2:CopySnapshot");
        List<Map<String, Object>> components = (List<Map<String, Object>>) result.get("components");
        assertThat(components.get(0)).containsEntry("role", "home").containsEntry("copies", List.of());
        assertThat((List<Object>) components.get(1).get("copies")).hasSize(1);

        List<String> warnings = BackupOperation.copyWarnings(result);
        assertThat(warnings).singleElement().satisfies(w -> assertThat(w).startsWith("WARNING: the copy of 'home'")
                .contains("ec2:CopySnapshot").contains("COMPLETE and can be restored here")
                .contains("this point's copy is not retried"));
        OperationAction page = new OperationAction("backup", "prod", 1, result, null);
        assertThat(page.getCopyFailures()).containsOnlyKeys("home");
        assertThat(page.getCopies()).extracting(r -> r.get("role")).containsExactly("database");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aBackupResumedWhileCopyingFinishesItsCopies() throws Exception {
        // the checkpoint a restart finds when the controller died right after the point became COMPLETE
        EbsSnapshotProvider home = (EbsSnapshotProvider) instance.getHome();
        RdsSnapshotProvider database = (RdsSnapshotProvider) instance.getDatabase();
        home.setCopyRegion(null);
        home.setCopyKmsKeyId(null);
        database.setCopyRegion(null);
        Map<String, Object> first = backup(null);
        assertThat(aws.ec2().snapshots(DR)).isEmpty();
        ObjectMapper json = ManifestJson.mapper();
        String id = (String) first.get("restorePointId");
        BackupState done = json.readValue(json.writeValueAsString(lastState(id)), BackupState.class);
        BackupState copying = new BackupState(done.schemaVersion(), done.restorePointId(), done.instance(),
                done.mode(), BackupPhase.COPYING, false, null, null, done.bitbucketFinished(), done.captured(),
                done.bitbucketVersion(), done.startedAt(), done.lockedAt(), done.unlockedAt(), done.fence(),
                done.skewMillis(), null, done.updatedAt(), List.of(), Map.of());
        home.setCopyRegion(DR);
        database.setCopyRegion(DR);

        Map<String, Object> resumed = backup(BackupOperation.toJson(copying));

        assertThat(resumed).containsEntry("restorePointId", id).containsEntry("status", "COMPLETE")
                .containsEntry("resumedAfterRestart", true).containsEntry("copyFailures", Map.of());
        assertThat((List<Map<String, Object>>) resumed.get("components"))
                .allSatisfy(c -> assertThat((List<Object>) c.get("copies")).hasSize(1));
        assertThat(aws.ec2().snapshots(DR)).hasSize(1);
        assertThat(aws.rds().snapshots(DR)).hasSize(1);
        assertThat(log).anyMatch(l -> l.contains("is COMPLETE; continuing its copies"));
    }

    @Test
    void aCopyToTheProvidersOwnRegionIsRefusedBeforeAnythingChanges() throws Exception {
        ((EbsSnapshotProvider) instance.getHome()).setCopyRegion(REGION); // a script, not the form: no warning seen

        assertThatThrownBy(() -> backup(null)).isInstanceOf(AbortException.class)
                .hasMessageContaining("refused before anything changed")
                .hasMessageContaining("ebs " + REGION + " would copy its snapshots to " + REGION + ", its own region")
                .hasMessageContaining("Set copyRegion to another region");
        assertThat(aws.ec2().snapshots(REGION)).isEmpty();
        assertThat(aws.rds().snapshots(REGION)).isEmpty();
        assertThat(new io.jenkins.plugins.bbdc.core.catalog.FileCatalog(tmp.resolve("catalog")).list("prod"))
                .isEmpty();
    }

    /** The state of a finished backup, as the catalog's manifest and the engine recorded it. */
    private BackupState lastState(String id) throws Exception {
        var point = new io.jenkins.plugins.bbdc.core.catalog.FileCatalog(tmp.resolve("catalog")).find("prod", id)
                .orElseThrow();
        return new BackupState(BackupState.SCHEMA_VERSION, id, "prod", point.mode(), BackupPhase.COMPLETE, false,
                null, null, false, point.components().stream().map(c -> c.reference()).toList(),
                point.bitbucketVersion(), point.startedAt(), null, null, point.fence(), point.skewMillis(), null,
                point.finishedAt(), List.of(), Map.of());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aControllerInTheCopyRegionRebuildsItsEmptyCatalogFromTheCopiesBeforeItRestores() throws Exception {
        String id = (String) backup(null).get("restorePointId");

        // the disaster-recovery controller: the same kinds of providers, configured for the copy region
        BitbucketInstance dr = new BitbucketInstance("prod", sim.baseUrl().toString(), "bb-admin");
        dr.setCatalogDirectory(tmp.resolve("dr-catalog").toString());
        EbsSnapshotProvider drHome = bb.connected(new EbsSnapshotProvider(DR));
        drHome.setVolumeId("vol-0123456789abcdef0");
        drHome.setRestoreAvailabilityZone(DR + "a");
        dr.setHome(drHome);
        dr.setDatabase(bb.connected(new RdsSnapshotProvider("bitbucket-db", DR)));
        BitbucketRestoreStep step = new BitbucketRestoreStep("prod");
        step.setDryRun(true);
        step.setSkipStoppedCheck(true);

        assertThatThrownBy(() -> restore(dr, step)).as("an empty catalog has nothing to restore")
                .hasMessageContaining("in the catalog of instance 'prod'");

        step.setRebuildCatalog(true);
        // a backup (or retention) of the instance is writing manifests: the rebuild waits for nobody, writes nothing
        try (InstanceLock other = InstanceLock.acquire(tmp.resolve("dr-catalog").resolve("prod"), "prod", "backup",
                java.time.Instant.now())) {
            assertThatThrownBy(() -> restore(dr, step)).isInstanceOf(AbortException.class)
                    .hasMessageContaining("nothing was written").hasMessageContaining("another operation is running")
                    .hasMessageContaining("backup of prod");
        }
        assertThat(new io.jenkins.plugins.bbdc.core.catalog.FileCatalog(tmp.resolve("dr-catalog")).list("prod"))
                .isEmpty();

        Map<String, Object> result = restore(dr, step);

        assertThat(result).containsEntry("restorePointId", id);
        Map<String, Object> rebuild = (Map<String, Object>) result.get("catalogRebuild");
        assertThat(rebuild).containsEntry("created", List.of(id)).containsEntry("partial", List.of())
                .containsEntry("alreadyCatalogued", List.of());
        assertThat(log).anyMatch(l -> l.contains("Catalog of prod rebuilt") && l.contains("1 restore point(s)"));
        assertThat(new io.jenkins.plugins.bbdc.core.catalog.FileCatalog(tmp.resolve("dr-catalog")).find("prod", id))
                .isPresent();

        // run again: the point is catalogued now and left as it is
        Map<String, Object> again = (Map<String, Object>) restore(dr, step).get("catalogRebuild");
        assertThat(again).containsEntry("created", List.of()).containsEntry("alreadyCatalogued", List.of(id));
    }

    private Map<String, Object> restore(BitbucketInstance target, BitbucketRestoreStep step) throws Exception {
        return bb.restore(target, step);
    }
}
