package io.jenkins.plugins.bbdc.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.config.MeshHome;
import io.jenkins.plugins.bbdc.jenkins.provider.BtrfsSnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.ComponentProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.PostgresDumpProvider;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mesh node homes join the restore point as mesh-home:<node> components, each node once. */
class MeshHomesTest {
    private final BitbucketInstance prod = new BitbucketInstance("prod", "https://bitbucket.example.com", "bb-admin");
    private final ComponentProvider home = new BtrfsSnapshotProvider("/srv/bb/shared", "/srv/.snapshots");
    private final ComponentProvider db = new PostgresDumpProvider("db", "bitbucket", "pg", "/backups/pg");

    @Test
    void everyMeshNodeBecomesItsOwnComponent() throws Exception {
        ComponentProvider mesh1 = new BtrfsSnapshotProvider("/srv/mesh1", "/srv/.snapshots");
        ComponentProvider mesh2 = new BtrfsSnapshotProvider("/srv/mesh2", "/srv/.snapshots");
        BitbucketBackupStep step = new BitbucketBackupStep("prod");
        step.setHome(home);
        step.setDatabase(db);
        step.setMeshHomes(List.of(new MeshHome("mesh-1", mesh1), new MeshHome(" mesh-2 ", mesh2)));

        Map<String, ComponentProvider> chosen = step.arguments().components.resolve(prod);

        assertThat(chosen).containsOnlyKeys("home", "database", "mesh-home:mesh-1", "mesh-home:mesh-2");
        assertThat(chosen.get("mesh-home:mesh-2")).isSameAs(mesh2);
        assertThat(new BitbucketBackupStep("prod").getMeshHomes()).isEmpty();
    }

    @Test
    void badDuplicateOrProviderlessNodesAreRefusedClearly() {
        ComponentProvider mesh = new BtrfsSnapshotProvider("/srv/mesh1", "/srv/.snapshots");
        assertThatThrownBy(() -> choice(new MeshHome("mesh 1", mesh)).resolve(prod))
                .isInstanceOf(AbortException.class).hasMessageContaining("'mesh 1' is not a Mesh node name");
        assertThatThrownBy(() -> choice(new MeshHome("mesh-1", mesh), new MeshHome("mesh-1", mesh)).resolve(prod))
                .isInstanceOf(AbortException.class).hasMessageContaining("'mesh-1' is listed twice");
        assertThatThrownBy(() -> choice(new MeshHome("mesh-1", null)).resolve(prod))
                .isInstanceOf(AbortException.class).hasMessageContaining("names no provider");
    }

    private ComponentChoice choice(MeshHome... meshHomes) {
        return new ComponentChoice(home, db, null, List.of(meshHomes));
    }
}
