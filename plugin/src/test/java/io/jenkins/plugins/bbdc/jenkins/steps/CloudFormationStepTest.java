package io.jenkins.plugins.bbdc.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeOptions;
import io.jenkins.plugins.bbdc.jenkins.builders.BitbucketRollingUpgradeBuilder;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.upgrade.CloudFormationUpgrade;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code cloudFormation} on {@code bitbucketRollingUpgrade} and its freestyle builder: it is the node action, so it
 * is refused next to a body or a node command, it implies {@code replacesNodes}, and unusable settings are refused
 * before anything is asked of Bitbucket or AWS.
 */
class CloudFormationStepTest {
    private final BitbucketInstance prod = new BitbucketInstance("prod", "https://bitbucket.example.com", "bb-admin");
    /** No Jenkins, no credentials, no Bitbucket behind it: a refusal must come before any of them is needed. */
    private final StepRuntime nothing = new StepRuntime(prod, null, null, null);

    private static BitbucketRollingUpgradeStep step(CloudFormationUpgrade cf) {
        BitbucketRollingUpgradeStep step = new BitbucketRollingUpgradeStep("prod", "8.19.3");
        step.setNodeUrlTemplate("http://{nodeHost}:7990");
        step.setCloudFormation(cf);
        return step;
    }

    private static CloudFormationUpgrade cloudFormation() {
        CloudFormationUpgrade cf = new CloudFormationUpgrade("eu-west-1", "bitbucket-ClusterNodeGroup");
        cf.setStack("bitbucket-prod");
        return cf;
    }

    @Test
    void itIsTheNodeActionAndNeedsNoAgent() throws Exception {
        BitbucketRollingUpgradeStep step = step(cloudFormation());
        step.requireRunnable(false, false);
        assertThat(step.getCloudFormation().getStack()).isEqualTo("bitbucket-prod");
    }

    @Test
    void withABodyItIsRefusedBeforeAnythingChanges() {
        BitbucketRollingUpgradeStep step = step(cloudFormation());
        assertThatThrownBy(() -> step.requireRunnable(true, true)).isInstanceOf(AbortException.class)
                .hasMessageContaining("cloudFormation").hasMessageContaining("remove the body");
    }

    @Test
    void withANodeCommandItIsRefusedInPipelineAndFreestyle() {
        BitbucketRollingUpgradeStep step = step(cloudFormation());
        step.setNodeCommand("/opt/bbdc/upgrade-node.sh {nodeHost}");
        assertThatThrownBy(() -> step.requireRunnable(false, true)).isInstanceOf(AbortException.class)
                .hasMessageContaining("either nodeCommand or cloudFormation, not both");
        assertThatThrownBy(() -> BlockingOperations.rollingUpgrade(prod, step, nothing))
                .isInstanceOf(AbortException.class).hasMessageContaining("either nodeCommand or cloudFormation");
    }

    @Test
    void itImpliesReplacesNodesAndSoNeedsANodeUrlTemplate() throws Exception {
        BitbucketRollingUpgradeStep step = step(cloudFormation());
        assertThat(step.isReplacesNodes()).as("the data-bound value stays as written").isFalse();
        UpgradeOptions o = UpgradeExecution.options("prod", step, Map.of());
        assertThat(o.replacesNodes()).isTrue();
        assertThat(o.nodeUrlTemplate()).isEqualTo("http://{nodeHost}:7990");

        step.setNodeUrlTemplate(null);
        assertThatThrownBy(() -> step.requireRunnable(false, false)).isInstanceOf(AbortException.class)
                .hasMessageContaining("cloudFormation replaces every node").hasMessageContaining("nodeUrlTemplate");
        assertThatThrownBy(() -> BlockingOperations.rollingUpgrade(prod, step, nothing))
                .hasMessageContaining("nodeUrlTemplate");
    }

    @Test
    void unusableSettingsAreRefusedBeforeBitbucketOrAwsIsAsked() {
        CloudFormationUpgrade cf = new CloudFormationUpgrade("Ireland", " ");
        BitbucketRollingUpgradeStep step = step(cf);
        assertThatThrownBy(() -> step.requireRunnable(false, false)).isInstanceOf(AbortException.class)
                .hasMessageContaining("'Ireland' is not an AWS region name")
                .hasMessageContaining("autoScalingGroup is required");
        BitbucketRollingUpgradeBuilder builder = new BitbucketRollingUpgradeBuilder(step);
        assertThatThrownBy(() -> BlockingOperations.rollingUpgrade(prod, builder.getUpgrade(), nothing))
                .isInstanceOf(AbortException.class).hasMessageContaining("'Ireland'");
    }

    @Test
    void withoutAnyNodeActionTheMessagesNameCloudFormation() {
        BitbucketRollingUpgradeStep step = new BitbucketRollingUpgradeStep("prod", "8.19.3");
        assertThatThrownBy(() -> step.requireRunnable(false, true)).hasMessageContaining("cloudFormation");
        assertThatThrownBy(() -> BlockingOperations.rollingUpgrade(prod, step, nothing))
                .hasMessageContaining("set nodeCommand").hasMessageContaining("cloudFormation");
    }
}
