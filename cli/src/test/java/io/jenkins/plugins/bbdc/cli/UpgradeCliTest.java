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

        assertThat(r.exitCode()).isEqualTo(ExitCodes.REFUSED);
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

    /** The config with the CloudFormation method against the testkit AWS endpoint instead of the node command. */
    private io.jenkins.plugins.bbdc.testkit.aws.AwsEndpoint cloudFormationConfig(String extra) throws Exception {
        io.jenkins.plugins.bbdc.testkit.aws.AwsEndpoint aws = io.jenkins.plugins.bbdc.testkit.aws.AwsEndpoint.start();
        java.util.List<String> instances = aws.autoScaling().addGroup("bb-group", 1, 4, 3, "8.19.1");
        aws.cloudFormation().addStack("bb-stack", new java.util.LinkedHashMap<>(java.util.Map.of(
                "BitbucketVersion", "8.19.1")), "bb-group", "BitbucketVersion");
        Path keyId = Files.writeString(tmp.resolve("aws-key-id"), "AKIATESTKEY");
        Path key = Files.writeString(tmp.resolve("aws-secret"), "test-secret-key");
        String cf = """
                  cloudFormation:
                    region: eu-west-1
                    endpoint: %s
                    credentials: {accessKeyId: {file: %s}, secretAccessKey: {file: %s}}
                    autoScalingGroup: bb-group
                    stack: bb-stack
                    nodeInstances: {bb-node-1: %s, bb-node-2: %s, bb-node-3: %s}
                """.formatted(aws.url(), keyId, key, instances.get(0), instances.get(1), instances.get(2));
        Files.writeString(config, Files.readString(config).replaceAll("(?m)^  nodeCommand:.*\\n", "") + cf + extra);
        return aws;
    }

    @Test
    void theCloudFormationPlanNamesTheStackUpdateAndEachInstanceAndChangesNothing() throws Exception {
        try (io.jenkins.plugins.bbdc.testkit.aws.AwsEndpoint aws = cloudFormationConfig("")) {
            java.util.List<String> before = aws.autoScaling().instances("bb-group").stream()
                    .map(i -> i.instanceId()).toList();
            CliTestSupport.Run r = CliTestSupport.run("upgrade", "--target", "8.19.2", "--dry-run", "--config",
                    config.toString());

            assertThat(r.exitCode()).as(r.err() + r.out()).isZero();
            assertThat(r.out()).contains("UpdateStack bb-stack").contains("BitbucketVersion=8.19.2")
                    .contains("TerminateInstanceInAutoScalingGroup " + before.get(0));
            assertThat(r.out() + r.err()).doesNotContain("test-secret-key");
            assertThat(aws.calls("UpdateStack")).isEmpty();
            assertThat(aws.calls("TerminateInstanceInAutoScalingGroup")).isEmpty();
            assertThat(aws.autoScaling().instances("bb-group")).extracting(i -> i.instanceId())
                    .containsExactlyElementsOf(before);
            assertThat(sim.calls("POST", "/rest/zdu")).isEmpty();
        }
    }

    @Test
    void cloudFormationWithANodeCommandOrWithoutReplacementIsAConfigurationError() throws Exception {
        String base = Files.readString(config);
        try (io.jenkins.plugins.bbdc.testkit.aws.AwsEndpoint aws = cloudFormationConfig(
                "  nodeCommand: [ssh, \"{nodeHost}\", /opt/up.sh]\n")) {
            CliTestSupport.Run r = CliTestSupport.run("upgrade", "--target", "8.19.2", "--config", config.toString());
            assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).contains("upgrade.nodeCommand").contains("either nodeCommand or cloudFormation");
        }
        Files.writeString(config, base);
        try (io.jenkins.plugins.bbdc.testkit.aws.AwsEndpoint aws = cloudFormationConfig("  replacesNodes: false\n")) {
            CliTestSupport.Run r = CliTestSupport.run("upgrade", "--target", "8.19.2", "--config", config.toString());
            assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).contains("upgrade.replacesNodes").contains("cannot be false with cloudFormation");
            assertThat(sim.upgradeModeEnabled()).isFalse();
        }
    }
}
