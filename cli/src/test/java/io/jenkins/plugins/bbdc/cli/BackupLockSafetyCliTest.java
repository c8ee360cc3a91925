package io.jenkins.plugins.bbdc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A load balancer whose health check counts {@code MAINTENANCE} as down refuses every request while Bitbucket is
 * locked (503): the external-backup POST and an unlock through it fail. Real {@code bbdc-ops backup} processes must
 * still never leave Bitbucket locked for good: the unlock falls back to the nodes' own URLs, a state holding the lock
 * is never overwritten, and the next run releases that lock first — or refuses, saying how to release it by hand.
 */
class BackupLockSafetyCliTest {
    @TempDir
    Path tmp;
    BitbucketSimulator sim;

    @BeforeEach
    void start() {
        sim = BitbucketSimulator.builder().nodes(2).start();
        sim.loadBalancer().maintenanceIsDown(true);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private Path config(String name, URI adminUrl, List<URI> nodes) throws Exception {
        Path secret = Files.writeString(tmp.resolve("pw"), "admin");
        return Files.writeString(tmp.resolve(name + ".yaml"), """
                instance: {id: lk, url: %s, %s username: admin, password: {file: %s}, nodes: %s}
                catalog: %s
                backup:
                  mode: locked
                  drainPollInterval: 20ms
                  databaseOnHomeVolume: true
                  home: %s
                """.formatted(sim.baseUrl(), adminUrl == null ? "" : "adminUrl: " + adminUrl + ",", secret, nodes,
                tmp.resolve("catalog"), ScriptHome.yaml(tmp, "0", "")));
    }

    private Path stateFile() {
        return tmp.resolve("catalog/lk/.backup-state.json");
    }

    @Test
    void theUnlockFallsBackToTheNodesWhenTheLoadBalancerRefusesWhileLocked() throws Exception {
        Path config = config("nodes", null, List.of(sim.node("bb-node-1").url(), sim.node("bb-node-2").url()));

        CliTestSupport.Run r = CliProcess.run(tmp, "backup", "--config", config.toString());

        assertThat(r.exitCode()).as(r.all()).isEqualTo(ExitCodes.FAILED);
        assertThat(sim.isLocked()).as(r.all()).isFalse();
        assertThat(r.err()).contains("FAILED", "start the external backup").doesNotContain("STILL LOCKED");
        // the unlock through the load balancer got its 503, then the first node released the lock
        assertThat(sim.calls("DELETE", "/mvc/maintenance/lock")).extracting(c -> c.target() + " " + c.status())
                .containsExactly("lb 503", "bb-node-1 200");
        assertThat(ScriptHome.snapshots(tmp)).isZero();
    }

    @Test
    void aLockThatCannotBeReleasedIsKeptAndReleasedFirstByTheNextRun() throws Exception {
        Path noWayAround = config("lb-only", null, List.of());

        CliTestSupport.Run first = CliProcess.run(tmp, "backup", "--config", noWayAround.toString());

        assertThat(first.exitCode()).as(first.all()).isEqualTo(ExitCodes.NOT_SAFE);
        assertThat(sim.isLocked()).isTrue();
        JsonNode state = new ObjectMapper().readTree(stateFile().toFile());
        String token = state.path("unlockToken").asText();
        String id = state.path("restorePointId").asText();
        assertThat(state.path("lockHeld").asBoolean()).isTrue();
        String jq = "$(jq -r .unlockToken '" + stateFile().toAbsolutePath() + "')";
        assertThat(first.err()).contains("STILL LOCKED", "DELETE", "/mvc/maintenance/lock?token=" + jq,
                "Authorization", "The next backup retries the unlock first").doesNotContain(token);
        // the printed expression reads the token from the state file
        Process sh = new ProcessBuilder("sh", "-c", "printf %s \"" + jq + "\"").start();
        assertThat(new String(sh.getInputStream().readAllBytes())).isEqualTo(token);

        String kept = Files.readString(stateFile());
        CliTestSupport.Run second = CliProcess.run(tmp, "backup", "--config", noWayAround.toString());

        assertThat(second.exitCode()).as(second.all()).isEqualTo(ExitCodes.NOT_SAFE);
        assertThat(second.err()).contains("no new backup was started", "STILL LOCKED", id, jq)
                .doesNotContain(token).doesNotContain("another operation");
        assertThat(Files.readString(stateFile())).as("the only copy of the token is kept").isEqualTo(kept);
        assertThat(sim.calls("POST", "/mvc/maintenance/lock")).as("no second lock").hasSize(1);
        assertThat(sim.isLocked()).isTrue();

        Path withAdminUrl = config("admin", sim.node("bb-node-2").url(), List.of());
        CliTestSupport.Run third = CliProcess.run(tmp, "backup", "--config", withAdminUrl.toString());

        assertThat(third.exitCode()).as(third.all()).isZero();
        assertThat(third.err()).contains("released the maintenance lock that backup " + id)
                .doesNotContain("another operation").doesNotContain(token);
        assertThat(sim.isLocked()).isFalse();
        assertThat(third.out()).contains("COMPLETE");
    }
}
