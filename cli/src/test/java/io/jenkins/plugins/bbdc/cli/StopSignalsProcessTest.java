package io.jenkins.plugins.bbdc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.core.restorepoint.ComponentRecord;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointId;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import io.jenkins.plugins.bbdc.testkit.postgres.ThrowawayPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C and SIGTERM for the commands other than backup and upgrade, as real processes: the slow part is a script
 * provider command that starts a grandchild ({@code sleep}) and waits, as pg_restore, rsync or git would. After the
 * signal the command's whole process tree is gone, what it owned is removed, and the exit code is 143 (SIGTERM) or
 * 130 (SIGINT).
 */
class StopSignalsProcessTest {
    private static final Duration STARTED = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    /**
     * The script provider: capture at once; the operation named in {@code pids/slow} starts a sleeping grandchild
     * and waits; list prints {@code pids/listing}.
     */
    private Path script() throws Exception {
        Path s = tmp.resolve("snap.sh");
        Files.writeString(s, """
                #!/bin/sh
                slow() {
                  [ "$(cat "$PIDS/slow")" = "$BBDC_OPERATION" ] || return 0
                  echo $$ > "$PIDS/$BBDC_OPERATION.pid"
                  sleep 300 &
                  echo $! > "$PIDS/$BBDC_OPERATION.child.pid"
                  wait
                }
                case "$BBDC_OPERATION" in
                  capture) echo "id=snap-$BBDC_RESTORE_POINT_ID"; echo "durable=true" ;;
                  restore) mkdir -p "$BBDC_RESTORE_TARGET_PATH"; echo partial > "$BBDC_RESTORE_TARGET_PATH/f"; slow ;;
                  list) slow; cat "$PIDS/listing" 2>/dev/null ;;
                  delete) slow ;;
                esac
                exit 0
                """);
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwx------"));
        Files.createDirectories(tmp.resolve("pids"));
        Files.writeString(tmp.resolve("pids/slow"), "restore");
        return s;
    }

    private String scriptProvider() throws Exception {
        return "{script: {capture: [%s], restore: [%s], list: [%s], delete: [%s], scratchRestore: true, env: {PIDS: %s}}}"
                .formatted(script(), script(), script(), script(), tmp.resolve("pids"));
    }

    private Path config(String extra) throws Exception {
        Path secret = Files.writeString(tmp.resolve("pw"), "admin");
        return Files.writeString(tmp.resolve("c.yaml"), """
                instance: {id: prod, url: http://127.0.0.1:9, username: admin, password: {file: %s}, nodes: []}
                catalog: %s
                backup:
                  mode: locked
                  databaseOnHomeVolume: true
                  home: %s
                """.formatted(secret, tmp.resolve("catalog"), scriptProvider()) + extra);
    }

    private String catalogued(Instant at) throws Exception {
        String id = RestorePointId.generate(at, new Random(at.getEpochSecond()));
        SnapshotRef ref = new SnapshotRef("script", "home", "snap-" + id, id, "prod", at, at, 1L, Map.of());
        new FileCatalog(tmp.resolve("catalog")).save(new RestorePoint(RestorePoint.SCHEMA_VERSION, id, "prod",
                "8.19.1", BackupMode.LOCKED, RestorePointStatus.COMPLETE, at, 0L, 10L, at, at,
                List.of(ComponentRecord.of(ref)), List.of(), null, List.of()));
        Files.createDirectories(tmp.resolve("pids"));
        Files.writeString(tmp.resolve("pids/listing"), "{\"id\":\"snap-%s\",\"restorePointId\":\"%s\",\"capturedAt\":\"%s\"}\n"
                .formatted(id, id, at), java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        return id;
    }

    private void assertTreeGone(String operation) throws Exception {
        for (String f : List.of(operation + ".pid", operation + ".child.pid")) {
            long pid = Long.parseLong(Files.readString(tmp.resolve("pids").resolve(f)).trim());
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("process " + pid + " (" + f + ") still running").isFalse();
        }
    }

    private void slow(String operation) throws Exception {
        Files.writeString(tmp.resolve("pids/slow"), operation);
    }

    private boolean started(String operation) {
        return Files.exists(tmp.resolve("pids").resolve(operation + ".child.pid"));
    }

    @Test
    void sigtermDuringARestoreEndsItsChildProcessesAndExits143() throws Exception {
        catalogued(Instant.parse("2026-11-01T00:00:00Z"));
        Path config = config("restore: {targets: {home: {path: %s}}}\n".formatted(tmp.resolve("target")));
        try (CliProcess p = CliProcess.start(tmp, "restore", "--skip-stopped-check", "--config", config.toString())) {
            p.waitUntil(() -> started("restore"), STARTED);

            p.sigterm();

            CliTestSupport.Run r = p.await(Duration.ofSeconds(60));
            assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.STOPPED_SIGTERM);
            assertThat(r.err()).contains("stopped").contains("do not start Bitbucket");
        }
        assertTreeGone("restore");
    }

    @Test
    void sigintDuringACatalogRebuildEndsItsChildProcessesAndExits130() throws Exception {
        Path config = config("");
        slow("list");
        try (CliProcess p = CliProcess.start(tmp, "rebuild-catalog", "--config", config.toString())) {
            p.waitUntil(() -> started("list"), STARTED);

            p.sigint();

            CliTestSupport.Run r = p.await(Duration.ofSeconds(60));
            assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.STOPPED_SIGINT);
        }
        assertTreeGone("list");
    }

    @Test
    void sigtermDuringPruneEndsItsChildProcessesAndKeepsTheManifest() throws Exception {
        String oldest = catalogued(Instant.parse("2026-11-01T00:00:00Z"));
        catalogued(Instant.parse("2026-11-02T00:00:00Z"));
        Path config = config("retention: {keepLast: 1}\n");
        slow("delete");
        try (CliProcess p = CliProcess.start(tmp, "prune", "--config", config.toString())) {
            p.waitUntil(() -> started("delete"), STARTED);

            p.sigterm();

            CliTestSupport.Run r = p.await(Duration.ofSeconds(60));
            assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.STOPPED_SIGTERM);
        }
        assertTreeGone("delete");
        assertThat(new FileCatalog(tmp.resolve("catalog")).find("prod", oldest)).as("not deleted: kept").isPresent();
    }

    @Test
    void sigtermDuringARestoreTestRemovesItsScratchCopies() throws Exception {
        ThrowawayPostgres pg = ThrowawayPostgres.shared();
        String db = "stop" + System.nanoTime();
        pg.createDatabase(db);
        Files.createDirectories(tmp.resolve("dumps"));
        Path pgSecret = Files.writeString(tmp.resolve("pg.pw"), pg.password());
        try (BitbucketSimulator sim = BitbucketSimulator.builder().nodes(1).drainTime(Duration.ofMillis(50))
                .start()) {
            Path secret = Files.writeString(tmp.resolve("pw"), "admin");
            Path config = Files.writeString(tmp.resolve("c.yaml"), """
                    instance: {id: prod, url: %s, username: admin, password: {file: %s}, nodes: []}
                    catalog: %s
                    backup:
                      mode: locked
                      drainPollInterval: 50ms
                      home: %s
                      database:
                        postgres: {host: %s, port: %d, database: %s, user: %s, password: {file: %s}, dumpDir: %s}
                    verify:
                      homeScratch: {path: %s}
                      databaseScratch: {database: %s_verify}
                      originalSharedHome: %s
                    """.formatted(sim.baseUrl(), secret, tmp.resolve("catalog"), scriptProvider(), pg.host(),
                    pg.port(), db, pg.user(), pgSecret, tmp.resolve("dumps"), tmp.resolve("scratch"), db,
                    tmp.resolve("shared")));
            CliTestSupport.Run backup = CliTestSupport.run("backup", "--config", config.toString());
            assertThat(backup.exitCode()).as(backup.err()).isZero();

            try (CliProcess p = CliProcess.start(tmp, "verify", "--json", "--config", config.toString())) {
                p.waitUntil(() -> started("restore"), STARTED);

                p.sigterm();

                CliTestSupport.Run r = p.await(Duration.ofSeconds(90));
                assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.STOPPED_SIGTERM);
                assertThat(r.err()).contains("its scratch copies were removed");
                assertThat(JsonOutput.MAPPER.readTree(r.out()).get("status").asText()).isEqualTo("STOPPED");
            }
            assertTreeGone("restore");
            assertThat(tmp.resolve("scratch")).doesNotExist();
            assertThat(pg.queryLong("postgres", "SELECT count(*) FROM pg_database WHERE datname = '" + db
                    + "_verify'")).isZero();
        }
    }
}
