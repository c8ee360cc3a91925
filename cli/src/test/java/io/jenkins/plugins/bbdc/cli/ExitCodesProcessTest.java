package io.jenkins.plugins.bbdc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.ops.InstanceLock;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.core.restorepoint.ComponentRecord;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointId;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exit codes a monitoring check branches on, each from a real bbdc-ops process against the simulator (a locked
 * backup whose home is a script provider), and the one JSON document of a backup that first resumed a killed one.
 */
class ExitCodesProcessTest {
    @TempDir
    Path tmp;
    BitbucketSimulator sim;
    Path config;

    @BeforeEach
    void setUp() throws Exception {
        sim = BitbucketSimulator.builder().nodes(2).drainTime(Duration.ofMillis(100)).start();
        Path script = Files.writeString(tmp.resolve("snap.sh"), """
                #!/bin/sh
                case "$BBDC_OPERATION" in
                  capture) echo "id=snap-$BBDC_RESTORE_POINT_ID"; echo "durable=true" ;;
                  restore) mkdir -p "$BBDC_RESTORE_TARGET_PATH" ;;
                esac
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Path secret = Files.writeString(tmp.resolve("pw"), "admin");
        config = Files.writeString(tmp.resolve("c.yaml"), """
                instance: {id: codes, url: %s, username: admin, password: {file: %s}, nodes: [%s]}
                catalog: %s
                backup:
                  mode: locked
                  drainPollInterval: 50ms
                  databaseOnHomeVolume: true
                  home: {script: {capture: [%s], delete: [%s], restore: [%s]}}
                restore: {targets: {home: {path: %s}}}
                """.formatted(sim.baseUrl(), secret, sim.nodes().get(0).url(), tmp.resolve("catalog"), script,
                script, script, tmp.resolve("restored")));
    }

    @AfterEach
    void tearDown() {
        sim.close();
    }

    @Test
    void aConfigurationErrorIsTwo() throws Exception {
        Files.writeString(config, Files.readString(config).replace("mode: locked", "mode: lockd"));

        CliTestSupport.Run r = CliProcess.run(tmp, "backup", "--config", config.toString());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void aBackupIsZeroAndARestoreRefusedBecauseBitbucketRunsIsThree() throws Exception {
        CliTestSupport.Run backup = CliProcess.run(tmp, "backup", "--config", config.toString());
        assertThat(backup.exitCode()).as(backup.err()).isEqualTo(ExitCodes.OK);

        CliTestSupport.Run restore = CliProcess.run(tmp, "restore", "--json", "--config", config.toString());

        assertThat(restore.exitCode()).as(restore.err()).isEqualTo(ExitCodes.REFUSED);
        assertThat(restore.err()).contains("restore refused, nothing was changed")
                .contains(sim.nodes().get(0).url().toString());
        JsonNode doc = JsonOutput.MAPPER.readTree(restore.out());
        assertThat(doc.get("status").asText()).isEqualTo("REFUSED");
        assertThat(doc.get("exitCode").asInt()).isEqualTo(ExitCodes.REFUSED);
        assertThat(doc.get("reasons").toString()).contains(sim.nodes().get(0).url().toString());
        assertThat(tmp.resolve("restored")).doesNotExist();
    }

    @Test
    void anInstanceHeldByAnotherOperationIsFour() throws Exception {
        try (InstanceLock held = InstanceLock.acquire(tmp.resolve("catalog/codes"), "codes", "restore",
                Instant.now())) {
            CliTestSupport.Run backup = CliProcess.run(tmp, "backup", "--config", config.toString());

            assertThat(backup.exitCode()).as(backup.err()).isEqualTo(ExitCodes.HELD);
            assertThat(backup.err()).contains("restore of codes");
        }
        assertThat(sim.calls("POST", "/mvc/maintenance/lock")).isEmpty();
    }

    @Test
    void aMaintenanceLockThatIsNotOursIsFour() throws Exception {
        sim.faults().lockHeldElsewhere(true);

        CliTestSupport.Run backup = CliProcess.run(tmp, "backup", "--config", config.toString());

        assertThat(backup.exitCode()).as(backup.err()).isEqualTo(ExitCodes.HELD);
        assertThat(backup.err()).contains("already locked for maintenance by another operation");
    }

    @Test
    void bitbucketStillLockedAfterAFailedUnlockIsSixAndSaysHowToUnlock() throws Exception {
        sim.faults().drainNeverFinishes(true);
        try (CliProcess p = CliProcess.start(tmp, "backup", "--json", "--config", config.toString())) {
            p.waitUntil(() -> !sim.calls("GET", "/mvc/maintenance").isEmpty(), Duration.ofSeconds(60));
            sim.faults().failNext("/mvc/maintenance/lock", 1000, 500); // every unlock from now on fails
            sim.faults().drainNeverFinishes(false);

            CliTestSupport.Run r = p.await(Duration.ofMinutes(3));

            assertThat(sim.isLocked()).isTrue();
            assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.NOT_SAFE);
            assertThat(r.err()).contains("STILL LOCKED").contains("DELETE <url>/mvc/maintenance/lock?token=")
                    .contains(".backup-state.json");
            assertThat(JsonOutput.MAPPER.readTree(r.out()).get("status").asText()).isEqualTo("NOT_SAFE");
        }
    }

    @Test
    void aBackupThatResumedAKilledOnePrintsOneDocumentWithBoth() throws Exception {
        sim.faults().drainNeverFinishes(true);
        try (CliProcess killed = CliProcess.start(tmp, "backup", "--config", config.toString())) {
            // killed once its state holds the unlock token (a kill between the lock call and that save loses it)
            Path state = tmp.resolve("catalog").resolve("codes").resolve(".backup-state.json");
            killed.waitUntil(() -> sim.isLocked() && holdsTheLock(state), Duration.ofSeconds(60));
            killed.close(); // SIGKILL: its state file stays in the catalog
        }
        sim.faults().drainNeverFinishes(false);

        CliTestSupport.Run r = CliProcess.run(tmp, "backup", "--json", "--config", config.toString());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.err()).contains("had not ended; it was ended first");
        JsonNode doc = JsonOutput.MAPPER.readTree(r.out()); // one document: trailing content would fail here
        assertThat(JsonOutput.MAPPER.readValues(JsonOutput.MAPPER.createParser(r.out()), JsonNode.class).readAll())
                .hasSize(1);
        assertThat(doc.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(doc.get("exitCode").asInt()).isZero();
        assertThat(doc.get("point").get("status").asText()).isEqualTo("COMPLETE");
        assertThat(doc.get("resumed").get("status").asText()).isEqualTo("FAILED");
        assertThat(doc.get("resumedStatus").asText()).isEqualTo("FAILED");
        assertThat(doc.get("resumed").get("id").asText()).isNotEqualTo(doc.get("point").get("id").asText());
        assertThat(sim.isLocked()).isFalse();
    }

    @Test
    void onlyAPartialPointIsNamedWithTheOverrideThatRestoresIt() throws Exception {
        Instant at = Instant.parse("2026-11-01T00:00:00Z");
        String id = RestorePointId.generate(at, new Random(1));
        SnapshotRef ref = new SnapshotRef("script", "home", "snap-" + id, id, "codes", at, at, 1L, Map.of());
        new FileCatalog(tmp.resolve("catalog")).save(new RestorePoint(RestorePoint.SCHEMA_VERSION, id, "codes",
                "8.19.1", BackupMode.LOCKED, RestorePointStatus.PARTIAL, at, 0L, 10L, at, at,
                List.of(ComponentRecord.of(ref)), List.of(), "database: missing", List.of()));

        CliTestSupport.Run r = CliProcess.run(tmp, "restore", "--config", config.toString());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.REFUSED);
        assertThat(r.err()).doesNotContain("no the latest")
                .contains("no COMPLETE restore point is in the catalog of instance 'codes'")
                .contains(id + ", which is PARTIAL (database: missing)")
                .contains("bbdc-ops restore --id " + id + " --allow-incomplete");
    }

    private static boolean holdsTheLock(Path stateFile) {
        try {
            return Files.isRegularFile(stateFile)
                    && Files.readString(stateFile).matches("(?s).*\"lockHeld\"\\s*:\\s*true.*");
        } catch (IOException e) {
            return false; // being replaced at this instant
        }
    }
}
