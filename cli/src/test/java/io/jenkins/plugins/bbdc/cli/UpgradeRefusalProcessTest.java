package io.jenkins.plugins.bbdc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.core.upgrade.UpgradeOptions;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradePhase;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeState;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bbdc-ops upgrade as a real process: a refusal records nothing that blocks the next, correct command; the progress
 * without load-balancer hooks says what was actually done. The node command fails at once ({@code false}), so the
 * correct command runs up to the first node action and stops safely.
 */
class UpgradeRefusalProcessTest {
    @TempDir
    Path tmp;
    BitbucketSimulator sim;
    Path config;
    Path stateFile;

    @BeforeEach
    void cluster() throws Exception {
        sim = BitbucketSimulator.builder().nodes(3).version("8.19.1").start();
        Path secret = Files.writeString(tmp.resolve("pw"), "admin");
        config = Files.writeString(tmp.resolve("c.yaml"), """
                instance: {id: prod, url: %s, username: admin, password: {file: %s}, nodes: []}
                catalog: %s
                upgrade:
                  nodeCommand: ["false", "{nodeHost}"]
                  pollInterval: 100ms
                  nodeUrls: {bb-node-1: %s, bb-node-2: %s, bb-node-3: %s}
                """.formatted(sim.baseUrl(), secret, tmp.resolve("catalog"), sim.nodes().get(0).url(),
                sim.nodes().get(1).url(), sim.nodes().get(2).url()));
        stateFile = tmp.resolve("catalog/prod/upgrade-state.json");
    }

    @AfterEach
    void close() {
        sim.close();
    }

    @Test
    void aRefusedFeatureUpgradeRecordsNothingAndTheCorrectCommandThenRuns() throws Exception {
        CliTestSupport.Run refused = CliProcess.run(tmp, "upgrade", "--target", "8.20.0", "--config",
                config.toString());

        assertThat(refused.exitCode()).as(refused.err()).isEqualTo(ExitCodes.REFUSED);
        assertThat(refused.err()).contains("feature").contains("nothing was changed and nothing is recorded");
        assertThat(stateFile).doesNotExist();
        assertThat(sim.upgradeModeEnabled()).isFalse();

        CliTestSupport.Run next = CliProcess.run(tmp, "upgrade", "--target", "8.19.2", "--config",
                config.toString());

        assertThat(next.err()).doesNotContain("an unfinished upgrade to 8.20.0");
        assertThat(next.exitCode()).as(next.err()).isEqualTo(ExitCodes.FAILED);
        assertThat(sim.calls("POST", "/rest/zdu/start")).as(next.err()).hasSize(1);
        assertThat(next.err()).contains("the node action failed");
        // no load-balancer hook configured: the progress never claims a node was taken out or put back
        assertThat(next.err()).contains("was not taken out of the load balancer (no load-balancer hook configured)")
                .doesNotContain("is out of the load balancer").doesNotContain("OUT of the load balancer");
    }

    @Test
    void aRefusedStateFileOfAnOlderVersionIsNotAnUnfinishedUpgrade() throws Exception {
        UpgradeState old = UpgradeState.initial(UpgradeOptions.builder("8.20.0").build(), Instant.now());
        old.phase = UpgradePhase.REFUSED;
        old.failure = "8.19.1 → 8.20.0 is a feature upgrade";
        Files.createDirectories(stateFile.getParent());
        Files.writeString(stateFile, old.toJson());

        CliTestSupport.Run next = CliProcess.run(tmp, "upgrade", "--target", "8.19.2", "--config",
                config.toString());

        assertThat(next.exitCode()).as(next.err()).isNotEqualTo(ExitCodes.USAGE);
        assertThat(next.err()).contains("note: " + stateFile + " records an upgrade to 8.20.0 that was refused")
                .doesNotContain("continue it with --target 8.20.0");
        assertThat(sim.calls("POST", "/rest/zdu/start")).hasSize(1);
    }
}
