package io.jenkins.plugins.bbdc.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeOptions;
import io.jenkins.plugins.bbdc.jenkins.builders.BitbucketRollingUpgradeBuilder;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The freestyle rolling upgrade: the step's settings, a node command instead of a body. */
class RollingUpgradeBuilderTest {
    private final BitbucketInstance prod = new BitbucketInstance("prod", "https://bitbucket.example.com", "bb-admin");

    @Test
    void withoutANodeCommandNothingStartsAndTheMessageSaysWhatToSet() {
        BitbucketRollingUpgradeStep step = new BitbucketRollingUpgradeStep("prod", "8.19.3");
        BitbucketRollingUpgradeBuilder builder = new BitbucketRollingUpgradeBuilder(step);
        assertThat(builder.getUpgrade()).isSameAs(step);
        StepRuntime rt = new StepRuntime(prod, null, null, null);
        assertThatThrownBy(() -> BlockingOperations.rollingUpgrade(prod, step, rt))
                .isInstanceOf(AbortException.class).hasMessageContaining("set nodeCommand");
        BitbucketRollingUpgradeStep noVersion = new BitbucketRollingUpgradeStep("prod", " ");
        noVersion.setNodeCommand("/opt/upgrade.sh {nodeHost}");
        assertThatThrownBy(() -> BlockingOperations.rollingUpgrade(prod, noVersion, rt))
                .isInstanceOf(AbortException.class).hasMessageContaining("targetVersion");
    }

    @Test
    void theBuilderAndTheStepBuildTheSameEngineOptions() {
        BitbucketRollingUpgradeStep step = new BitbucketRollingUpgradeStep("prod", "8.19.3");
        step.setNodeOrder("node-b, node-a");
        step.setNodeTimeoutMinutes(7);
        step.setBackupFirst(true);
        step.setNodeUrlTemplate(" http://{nodeHost}:7990 ");
        step.setReplacesNodes(true);
        UpgradeOptions o = UpgradeExecution.options("prod", step,
                java.util.Map.of("4b1f-id", "http://10.0.1.11:7990"));
        assertThat(o.targetVersion()).isEqualTo("8.19.3");
        assertThat(o.nodeOrder()).containsExactly("node-b", "node-a");
        assertThat(o.nodeTimeout()).isEqualTo(Duration.ofMinutes(7));
        assertThat(o.backupFirst()).isTrue();
        assertThat(o.nodeUrls()).containsEntry("4b1f-id", "http://10.0.1.11:7990");
        assertThat(o.nodeUrlTemplate()).isEqualTo("http://{nodeHost}:7990");
        assertThat(o.replacesNodes()).isTrue();
        assertThat(o.resumeCommand()).contains("bitbucketRollingUpgrade(instance: 'prod', targetVersion: '8.19.3')");
    }

    @Test
    void replacingNodesWithoutAUrlTemplateIsRefusedBeforeBitbucketIsAsked() {
        BitbucketRollingUpgradeStep step = new BitbucketRollingUpgradeStep("prod", "8.19.3");
        step.setNodeCommand("/opt/asg-replace.sh {nodeHost}");
        step.setReplacesNodes(true);
        // no Jenkins, no credentials, no Bitbucket behind this runtime: the refusal must come first
        StepRuntime rt = new StepRuntime(prod, null, null, null);
        assertThatThrownBy(() -> BlockingOperations.rollingUpgrade(prod, step, rt))
                .isInstanceOf(AbortException.class).hasMessageContaining("replacesNodes needs a nodeUrlTemplate")
                .hasMessageContaining("http://{nodeHost}:7990");
    }

    @Test
    void aTemplateThatIsNoUrlOrHasNoPlaceholderIsRefusedWhenSet() {
        BitbucketRollingUpgradeStep step = new BitbucketRollingUpgradeStep("prod", "8.19.3");
        assertThatThrownBy(() -> step.setNodeUrlTemplate("bb-node:7990"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bb-node:7990");
        assertThatThrownBy(() -> step.setNodeUrlTemplate("http://bb-node-1:7990"))
                .hasMessageContaining("{nodeHost}");
        step.setNodeUrlTemplate("");
        assertThat(step.getNodeUrlTemplate()).isNull();
    }

    @Test
    void aNodeCommandOutsideNodeIsRefusedBeforeBitbucketIsAsked() throws Exception {
        BitbucketRollingUpgradeStep step = new BitbucketRollingUpgradeStep("prod", "8.19.3");
        step.setNodeCommand("/opt/upgrade.sh {nodeHost} {targetVersion}");
        assertThatThrownBy(() -> step.requireRunnable(false, false)).isInstanceOf(AbortException.class)
                .hasMessageContaining("nodeCommand").hasMessageContaining("inside a node block");
        step.requireRunnable(false, true);   // inside node
        step.requireRunnable(true, false);   // a body runs its own steps: no agent needed for the step itself
        BitbucketRollingUpgradeStep nothing = new BitbucketRollingUpgradeStep("prod", "8.19.3");
        assertThatThrownBy(() -> nothing.requireRunnable(false, true)).hasMessageContaining("a body")
                .hasMessageContaining("nodeCommand");
    }
}
