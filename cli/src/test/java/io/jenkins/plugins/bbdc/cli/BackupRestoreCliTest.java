package io.jenkins.plugins.bbdc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import io.jenkins.plugins.bbdc.testkit.fixture.BitbucketDataFixture;
import io.jenkins.plugins.bbdc.testkit.postgres.ThrowawayPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Black-box: bbdc-ops backup / list / verify / restore against the simulator, a real PostgreSQL, real rsync and real
 * git repositories; the JSON results, the exit codes, and no secret in any output.
 */
class BackupRestoreCliTest {
    private static final String ADMIN_PASSWORD = "s3cret-admin-pw-for-cli";

    @TempDir
    Path tmp;
    BitbucketSimulator sim;
    ThrowawayPostgres pg;
    BitbucketDataFixture fixture;
    Path config;

    @BeforeEach
    void setUp() throws Exception {
        sim = BitbucketSimulator.builder().nodes(2).user("backup", ADMIN_PASSWORD, true)
                .drainTime(Duration.ofMillis(100)).start();
        pg = ThrowawayPostgres.shared();
        String db = "cli" + System.nanoTime();
        pg.createDatabase(db);
        fixture = BitbucketDataFixture.builder(tmp.resolve("home")).database(pg, db).projects(1)
                .repositoriesPerProject(3).forks(1).orphanUpstreams(0).build();
        Files.createDirectories(tmp.resolve("rsync"));
        Files.createDirectories(tmp.resolve("dumps"));
        Path adminSecret = Files.writeString(tmp.resolve("admin.pw"), ADMIN_PASSWORD + "\n");
        Path pgSecret = Files.writeString(tmp.resolve("pg.pw"), pg.password());
        config = Files.writeString(tmp.resolve("bbdc-ops.yaml"), """
                instance:
                  id: cli-test
                  url: %s
                  username: backup
                  password: {file: %s}
                  nodes: [%s, %s]
                catalog: %s
                backup:
                  mode: locked
                  drainPollInterval: 50ms
                  home: {rsync: {source: %s, destination: %s}}
                  database:
                    postgres: {host: %s, port: %d, database: %s, user: %s, password: {file: %s}, dumpDir: %s, jobs: 2}
                restore:
                  sharedHome: %s
                verify:
                  homeScratch: {path: %s}
                  databaseScratch: {database: %s_verify}
                  originalSharedHome: %s
                """.formatted(sim.baseUrl(), adminSecret, sim.nodes().get(0).url(), sim.nodes().get(1).url(),
                tmp.resolve("catalog"), fixture.home(), tmp.resolve("rsync"), pg.host(), pg.port(), db, pg.user(),
                pgSecret, tmp.resolve("dumps"), fixture.sharedHome(), tmp.resolve("scratch-home"), db,
                fixture.sharedHome()));
    }

    @AfterEach
    void tearDown() {
        sim.close();
    }

    @Test
    void backupListVerifyAndARefusedRestore() throws Exception {
        CliTestSupport.Run backup = CliTestSupport.run("backup", "--json", "--config", config.toString());

        assertThat(backup.exitCode()).as(backup.err()).isZero();
        JsonNode doc = JsonOutput.MAPPER.readTree(backup.out());
        assertThat(doc.get("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode point = doc.get("point");
        assertThat(point.get("status").asText()).isEqualTo("COMPLETE");
        assertThat(point.get("mode").asText()).isEqualTo("LOCKED");
        assertThat(point.get("lockWindowMillis").asLong()).isPositive();
        assertThat(point.get("components")).hasSize(2);
        assertThat(backup.err()).contains("backup").contains("unlock");
        assertThat(sim.isLocked()).isFalse();

        CliTestSupport.Run list = CliTestSupport.run("list", "--json", "--config", config.toString());
        assertThat(JsonOutput.MAPPER.readTree(list.out())).hasSize(1);

        CliTestSupport.Run verify = CliTestSupport.run("verify", "--json", "--config", config.toString());
        assertThat(verify.exitCode()).as(verify.err() + verify.out()).isZero();
        JsonNode result = JsonOutput.MAPPER.readTree(verify.out());
        assertThat(result.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(result.get("passed").asBoolean()).isTrue();
        assertThat(result.get("report").get("checks").toString()).doesNotContain("\"FAIL\"");
        assertThat(result.get("leftovers")).isEmpty();
        assertThat(pg.query("postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE '%_verify'").get(0)
                .get(0)).isEqualTo("0");

        // Bitbucket is running: the restore is refused, exit 3, nothing changed
        CliTestSupport.Run restore = CliTestSupport.run("restore", "--allow-replace", "--config", config.toString());
        assertThat(restore.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(restore.err()).contains("restore refused").contains(sim.nodes().get(0).url().toString());

        for (CliTestSupport.Run r : new CliTestSupport.Run[] {backup, list, verify, restore}) {
            assertThat(r.out() + r.err()).doesNotContain(ADMIN_PASSWORD).doesNotContain(pg.password());
        }
    }

    @Test
    void aFailedDrainIsExitCodeOneWithBitbucketUnlocked() throws Exception {
        sim.faults().taskStateAfterPolls(1, "FAILED");

        CliTestSupport.Run backup = CliTestSupport.run("backup", "--config", config.toString());

        assertThat(backup.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(backup.err()).contains("FAILED");
        assertThat(sim.isLocked()).isFalse();
        assertThat(sim.calls("DELETE", "/mvc/maintenance/lock")).hasSize(1);
    }

    @Test
    void thePlanListsTheLockAndTheProviderCommandsAndChangesNothing() throws Exception {
        CliTestSupport.Run plan = CliTestSupport.run("plan", "--config", config.toString());

        assertThat(plan.exitCode()).as(plan.err() + plan.out()).isZero();
        assertThat(plan.out()).contains("/mvc/maintenance/lock").contains("rsync").contains("pg_dump");
        assertThat(plan.out()).doesNotContain(pg.password()).doesNotContain(ADMIN_PASSWORD);
        assertThat(sim.calls("POST", "/mvc")).isEmpty();
        try (var dumps = Files.list(tmp.resolve("dumps"))) {
            assertThat(dumps).isEmpty();
        }
    }

}
