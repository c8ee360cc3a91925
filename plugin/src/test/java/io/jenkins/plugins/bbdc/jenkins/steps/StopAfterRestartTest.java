package io.jenkins.plugins.bbdc.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.backup.BackupEngine;
import io.jenkins.plugins.bbdc.core.backup.BackupPhase;
import io.jenkins.plugins.bbdc.core.backup.BackupState;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdmin;
import io.jenkins.plugins.bbdc.core.bitbucket.MaintenanceLock;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointId;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.util.BitbucketClients;
import io.jenkins.plugins.bbdc.jenkins.util.UsernamePassword;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build stopped right after a controller restart while its locked-mode backup held Bitbucket's maintenance lock:
 * the recovered work runs the real backup engine's resume, which must still take its run lock and unlock Bitbucket.
 * Real engine, real OkHttp client against the Bitbucket simulator.
 */
class StopAfterRestartTest {
    private static final String PASSWORD = "Bb-Stop-S3cret-0815";

    @TempDir
    Path tmp;
    BitbucketSimulator sim;
    BitbucketInstance instance;
    BitbucketAdmin admin;
    final List<String> log = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        sim = BitbucketSimulator.builder().nodes(1).user("jenkins-ops", PASSWORD, true).start();
        admin = BitbucketClients.open(sim.baseUrl().toString(), null, new UsernamePassword("jenkins-ops", PASSWORD));
        instance = new BitbucketInstance("prod", sim.baseUrl().toString(), "bb-admin");
        instance.setBackupMode("LOCKED");
        instance.setCatalogDirectory(catalogRoot().toString());
        BackgroundWork.forgetAllForTests();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private Path catalogRoot() {
        return tmp.resolve("catalog");
    }

    /**
     * What the step persisted before the restart: the engine's checkpoint of a locked-mode backup that had locked
     * Bitbucket and started its external backup, and nothing captured yet (phase LOCKED).
     */
    private String persistedBeforeRestart() throws Exception {
        MaintenanceLock lock = admin.lock();
        String cancelToken = admin.startExternalBackup(lock);
        Instant now = Instant.now();
        BackupState locked = new BackupState(BackupState.SCHEMA_VERSION, RestorePointId.generate(now), "prod",
                BackupMode.LOCKED, BackupPhase.LOCKED, true, lock.unlockToken(), cancelToken, false, List.of(),
                admin.applicationProperties().version(), now, now, null, null, null, null, now, List.of(), Map.of());
        return new BackgroundWork.State("work-of-the-previous-controller", BackupOperation.toJson(locked),
                "backup of prod").toJson();
    }

    /** The parts {@code BackupExecution} builds for the engine, here with in-memory snapshot providers. */
    private BackupOperation.Parts parts() throws AbortException {
        BackupArguments args = new BackupArguments(null, new ComponentChoice(null, null, null), 1);
        Map<String, SnapshotProvider> providers = Map.of("home", new BackupRetentionTest.MemoryProvider(),
                "database", new BackupRetentionTest.MemoryProvider());
        return new BackupOperation.Parts() {
            @Override
            public BackupEngine engine(BackgroundWork.Progress progress) throws AbortException {
                return BackupOperation.engine(instance, args, providers, Map.of(), admin, new ProcessCommandRunner(),
                        catalogRoot(), e -> log.add(e.level() + " " + e.phase() + ": " + e.message()), progress);
            }

            @Override
            public BackupRetention retention(BackgroundWork.Progress progress) {
                return null;
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void aStopReachingTheRecoveredBackupUnlocksBitbucket() throws Exception {
        String persisted = persistedBeforeRestart();
        assertThat(sim.isLocked()).isTrue();

        // the first poll after the restart already carries the stop (the user aborted while Jenkins restarted)
        BackgroundWork work = new BackgroundWork(Duration.ofMillis(20));
        BackgroundWork.Recovery recovery = checkpoint -> BackupOperation.resumeWork(parts(), checkpoint);
        Advance a = work.advance(persisted, true, null, "backup of prod", recovery);
        for (int i = 0; i < 1500 && !a.terminal(); i++) {
            TimeUnit.MILLISECONDS.sleep(10);
            a = work.advance(a.state(), true, null, "backup of prod", recovery);
        }

        assertThat(a.terminal()).isTrue();
        assertThat(sim.isLocked()).as("Bitbucket is out of maintenance mode; log: %s", log).isFalse();
        assertThat(a.failure()).contains("FAILED").contains("Bitbucket is not locked")
                .doesNotContain("ClosedByInterruptException");
        assertThat(new FileCatalog(catalogRoot()).list("prod")).extracting(RestorePoint::status)
                .containsExactly(RestorePointStatus.FAILED);
    }
}
