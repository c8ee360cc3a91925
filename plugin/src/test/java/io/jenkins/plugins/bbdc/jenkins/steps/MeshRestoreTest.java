package io.jenkins.plugins.bbdc.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.restorepoint.ComponentRecord;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.config.MeshHome;
import io.jenkins.plugins.bbdc.jenkins.provider.ClosingProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.ComponentProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.EbsSnapshotProvider;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restore points holding a Mesh node's home, restored from Jenkins: {@code bitbucketRestore}'s {@code meshHomes}
 * reach the restore engine (a point with a Mesh home is refused without one) and the catalog rebuild. Real AWS SDK
 * against the testkit AWS endpoint, real OkHttp against the Bitbucket simulator, the real backup and restore engines.
 */
class MeshRestoreTest {
    private static final String REGION = AwsBackedInstance.REGION;

    @TempDir
    Path tmp;
    AwsBackedInstance bb;
    BitbucketSimulator sim;
    BitbucketInstance instance;
    String meshVolume;

    @BeforeEach
    void start() {
        bb = new AwsBackedInstance(11, "Bb-Mesh-S3cret-2718", tmp.resolve("catalog"));
        sim = bb.sim;
        instance = bb.instance;
        meshVolume = bb.aws.ec2().addVolume(REGION, REGION + "b", 50, "gp3");
    }

    @AfterEach
    void stop() {
        bb.close();
    }

    private MeshHome mesh1() {
        EbsSnapshotProvider p = bb.connected(new EbsSnapshotProvider(REGION));
        p.setVolumeId(meshVolume);
        return new MeshHome("mesh-1", p);
    }

    private String backupWithMesh() throws Exception {
        BackupArguments args = new BackupArguments(null, new ComponentChoice(null, null, null, List.of(mesh1())), 1);
        Map<String, ComponentProvider> chosen = args.components.resolve(instance);
        Map<String, SnapshotProvider> providers = ComponentChoice.toEngine(chosen, bb.services);
        try {
            var engine = BackupOperation.engine(instance, args, providers, Map.of(), bb.admin(),
                    new ProcessCommandRunner(), tmp.resolve("catalog"), bb::record,
                    new BackgroundWork.Progress("backup", null));
            return (String) BackupOperation.run(engine).get("restorePointId");
        } finally {
            ClosingProvider.closeAll(providers.values());
        }
    }

    private Map<String, Object> restore(BitbucketInstance target, BitbucketRestoreStep step) throws Exception {
        return bb.restore(target, step);
    }

    private BitbucketRestoreStep dryRun() {
        BitbucketRestoreStep step = new BitbucketRestoreStep("prod");
        step.setDryRun(true);
        step.setSkipStoppedCheck(true);
        return step;
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPointWithAMeshHomeIsRestoredWithTheStepsMeshHomesAndRefusedWithoutThem() throws Exception {
        String id = backupWithMesh();
        assertThat(new FileCatalog(tmp.resolve("catalog")).find("prod", id).orElseThrow().components())
                .extracting(ComponentRecord::role).contains("mesh-home:mesh-1");

        BitbucketRestoreStep without = dryRun();
        assertThat(without.getMeshHomes()).isEmpty();
        assertThatThrownBy(() -> restore(instance, without)).isInstanceOf(AbortException.class)
                .hasMessageContaining("no provider is configured to restore the mesh-home:mesh-1 component");

        BitbucketRestoreStep with = dryRun();
        with.setMeshHomes(List.of(mesh1()));
        Map<String, Object> result = restore(instance, with);
        assertThat(result).containsEntry("restorePointId", id).containsEntry("succeeded", true);
        assertThat((List<Map<String, Object>>) result.get("components")).extracting(c -> c.get("role"))
                .contains("mesh-home:mesh-1");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theCatalogRebuildFindsTheMeshSnapshotsThroughTheStepsMeshHomes() throws Exception {
        String id = backupWithMesh();
        BitbucketInstance fresh = new BitbucketInstance("prod", sim.baseUrl().toString(), "bb-admin");
        fresh.setCatalogDirectory(tmp.resolve("rebuilt-catalog").toString());
        fresh.setHome(instance.getHome());
        fresh.setDatabase(instance.getDatabase());

        BitbucketRestoreStep step = dryRun();
        step.setRebuildCatalog(true);
        step.setMeshHomes(List.of(mesh1()));
        Map<String, Object> result = restore(fresh, step);

        assertThat((Map<String, Object>) result.get("catalogRebuild")).containsEntry("created", List.of(id))
                .containsEntry("partial", List.of());
        var point = new FileCatalog(tmp.resolve("rebuilt-catalog")).find("prod", id).orElseThrow();
        assertThat(point.status()).isEqualTo(RestorePointStatus.COMPLETE);
        assertThat(point.components()).extracting(ComponentRecord::role)
                .containsExactlyInAnyOrder("home", "database", "mesh-home:mesh-1");
    }
}
