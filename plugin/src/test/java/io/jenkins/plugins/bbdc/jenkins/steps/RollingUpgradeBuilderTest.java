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
        StepRuntime rt = new StepRuntime("prod", null, null, null);
        assertThatThrownBy(() -> BlockingOperations.rollingUpgrade(prod, step, rt))
                .isInstanceOf(AbortException.class).hasMessageContaining("set nodeCommand");
        BitbucketRollingUpgradeStep noVersion = new BitbucketRollingUpgradeStep("prod", " ");
        noVersion.setNodeCommand("/opt/upgrade.sh {nodeHost}");
        assertThatThrownBy(() -> BlockingOperations.rollingUpgrade(prod, noVersion, rt))
                .isInstanceOf(AbortException.class).hasMessageContaining("targetVersion");
    }

    @Test
    void theBuilderAndTheStepBuildTheSameEngineOptions() {
        UpgradeOptions o = UpgradeExecution.options("prod", "8.19.3", "node-b, node-a", 7, true);
        assertThat(o.targetVersion()).isEqualTo("8.19.3");
        assertThat(o.nodeOrder()).containsExactly("node-b", "node-a");
        assertThat(o.nodeTimeout()).isEqualTo(Duration.ofMinutes(7));
        assertThat(o.backupFirst()).isTrue();
    }
}
