package io.jenkins.plugins.bbdc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Black-box: bbdc-ops upgrade's plan and its refusals against the simulator. */
class UpgradeCliTest {
    @TempDir
    Path tmp;
    BitbucketSimulator sim;
    Path config;

    @BeforeEach
    void cluster() throws Exception {
        sim = BitbucketSimulator.builder().nodes(3).version("8.19.1").start();
        Path secret = Files.writeString(tmp.resolve("pw"), "admin");
        config = Files.writeString(tmp.resolve("c.yaml"), """
                instance: {id: prod, url: %s, username: admin, password: {file: %s}, nodes: []}
                catalog: %s
                upgrade:
                  nodeCommand: [ssh, "{nodeHost}", sudo, /opt/upgrade-bitbucket.sh, "{targetVersion}"]
                  nodeUrls: {bb-node-1: %s, bb-node-2: %s, bb-node-3: %s}
                """.formatted(sim.baseUrl(), secret, tmp.resolve("catalog"), sim.nodes().get(0).url(),
                sim.nodes().get(1).url(), sim.nodes().get(2).url()));
    }

    @AfterEach
    void close() {
        sim.close();
    }

    @Test
    void thePlanNamesTheOrderAndTheCommandsAndChangesNothing() {
        CliTestSupport.Run r = CliTestSupport.run("upgrade", "--target", "8.19.2", "--dry-run", "--config",
                config.toString());

        assertThat(r.exitCode()).as(r.err() + r.out()).isZero();
        assertThat(r.out()).contains("bb-node-1").contains("/opt/upgrade-bitbucket.sh").contains("8.19.2");
        assertThat(sim.clusterState()).isEqualTo("STABLE");
        assertThat(sim.calls("POST", "/rest/zdu")).isEmpty();
    }

    @Test
    void aFeatureUpgradeIsRefusedWithTheReasonAndNothingChanges() {
        CliTestSupport.Run r = CliTestSupport.run("upgrade", "--target", "8.20.0", "--config", config.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out() + r.err()).contains("feature");
        assertThat(sim.upgradeModeEnabled()).isFalse();
    }

    @Test
    void aMissingNodeCommandIsAConfigurationError() throws Exception {
        Files.writeString(config, Files.readString(config).replaceAll("(?m)^  nodeCommand:.*\\n", ""));

        CliTestSupport.Run r = CliTestSupport.run("upgrade", "--target", "8.19.2", "--config", config.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("upgrade.nodeCommand");
    }
}
