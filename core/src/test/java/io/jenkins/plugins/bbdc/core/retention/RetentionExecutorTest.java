package io.jenkins.plugins.bbdc.core.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.core.backup.BackupConfig;
import io.jenkins.plugins.bbdc.core.backup.BackupEngine;
import io.jenkins.plugins.bbdc.core.backup.Components;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;
import io.jenkins.plugins.bbdc.core.testsupport.DirectoryCopyProvider;
import io.jenkins.plugins.bbdc.core.testsupport.InMemoryMaintenance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention over restore points made by the real engine with real copy providers. */
class RetentionExecutorTest {
    @TempDir
    Path tmp;
    DirectoryCopyProvider home;
    DirectoryCopyProvider db;
    Components components;
    FileCatalog catalog;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(tmp.resolve("home"));
        Files.writeString(tmp.resolve("home/f"), "h");
        Files.createDirectories(tmp.resolve("db"));
        Files.writeString(tmp.resolve("db/f"), "d");
        home = DirectoryCopyProvider.snapshotting("dircopy", tmp.resolve("home"), tmp.resolve("store/home"));
        db = DirectoryCopyProvider.snapshotting("dircopy-db", tmp.resolve("db"), tmp.resolve("store/db"));
        components = Components.builder().home(home).database(db).build();
        catalog = new FileCatalog(tmp.resolve("catalog"));
    }

    private ProviderContext ctx(ComponentRole role) {
        return new ProviderContext("prod", role, null, new ProcessCommandRunner(), null, null, null);
    }

    private List<RestorePoint> backups(int n) throws Exception {
        List<RestorePoint> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new BackupEngine(BackupConfig.of("prod", components, BackupMode.ZERO_DOWNTIME),
                    new InMemoryMaintenance(), catalog, new ProcessCommandRunner(), null, null, null, null).run()
                    .point());
        }
        return out;
    }

    private RetentionExecutor executor() {
        return new RetentionExecutor(catalog, components, this::ctx, null, null);
    }

    @Test
    void dryRunChangesNothingAndExecutionDeletesExactlyThePlannedPoints() throws Exception {
        List<RestorePoint> made = backups(5);
        db.failCapture = "database unreachable";
        home.failDelete = "busy";
        RestorePoint failed = backups(1).get(0);
        assertThat(failed.status()).isEqualTo(RestorePointStatus.FAILED);
        assertThat(failed.leftovers()).hasSize(1);
        db.failCapture = null;
        home.failDelete = null;
        List<String> storedBefore = new ArrayList<>(home.storedSnapshots());
        storedBefore.addAll(db.storedSnapshots());

        RetentionPlan plan = new RetentionPlanner(RetentionPolicy.keepLast(2)).plan("prod", catalog.list("prod"),
                Instant.now());
        assertThat(plan.toDelete()).extracting(RestorePoint::id).containsExactlyInAnyOrder(
                made.get(0).id(), made.get(1).id(), made.get(2).id(), failed.id());
        List<String> storedAfterPlan = new ArrayList<>(home.storedSnapshots());
        storedAfterPlan.addAll(db.storedSnapshots());
        assertThat(storedAfterPlan).isEqualTo(storedBefore);
        assertThat(catalog.list("prod")).hasSize(6);

        RetentionExecutor.Report report = executor().execute(plan);
        assertThat(report.clean()).isTrue();
        assertThat(report.deleted()).hasSize(4);
        assertThat(catalog.list("prod")).extracting(RestorePoint::id)
                .containsExactlyInAnyOrder(made.get(3).id(), made.get(4).id());
        assertThat(home.storedSnapshots()).hasSize(2).allMatch(n -> n.contains(made.get(3).id())
                || n.contains(made.get(4).id()));
        assertThat(db.storedSnapshots()).hasSize(2);
    }

    @Test
    void aSnapshotThatCannotBeDeletedKeepsItsManifestWithOnlyWhatRemains() throws Exception {
        List<RestorePoint> made = backups(3);
        home.failDelete = "device busy";
        RetentionPlan plan = new RetentionPlanner(RetentionPolicy.keepLast(1)).plan("prod", catalog.list("prod"),
                Instant.now());
        RetentionExecutor.Report report = executor().execute(plan);

        assertThat(report.deleted()).isEmpty();
        assertThat(report.notFullyDeleted()).containsOnlyKeys(made.get(0).id(), made.get(1).id());
        assertThat(report.problems()).anyMatch(p -> p.contains("device busy"));
        RestorePoint first = catalog.find("prod", made.get(0).id()).orElseThrow();
        assertThat(first.status()).isEqualTo(RestorePointStatus.PARTIAL);
        assertThat(first.components()).extracting(c -> c.role()).containsExactly("home");
        assertThat(db.storedSnapshots()).hasSize(1);

        // the next run, with the device free again, finishes the job
        home.failDelete = null;
        RetentionExecutor.Report again = executor().execute(new RetentionPlanner(RetentionPolicy.keepLast(1))
                .plan("prod", catalog.list("prod"), Instant.now()));
        assertThat(again.deleted()).containsExactlyInAnyOrder(made.get(0).id(), made.get(1).id());
        assertThat(catalog.list("prod")).extracting(RestorePoint::id).containsExactly(made.get(2).id());
        assertThat(home.storedSnapshots()).hasSize(1);
    }

    @Test
    void providersAreListedAConstantNumberOfTimesWhateverTheNumberOfPoints() throws Exception {
        backups(12);
        home.listCalls.set(0);
        db.listCalls.set(0);
        executor().execute(new RetentionPlanner(RetentionPolicy.keepLast(1)).plan("prod", catalog.list("prod"),
                Instant.now()));
        assertThat(home.listCalls.get()).isEqualTo(2);
        assertThat(db.listCalls.get()).isEqualTo(2);
        assertThat(home.deletes.get()).isEqualTo(11);
    }
}
