package io.jenkins.plugins.bbdc.cli.config;

import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import io.jenkins.plugins.bbdc.core.upgrade.CommandLoadBalancerHook;
import io.jenkins.plugins.bbdc.core.upgrade.CommandNodeAction;
import io.jenkins.plugins.bbdc.core.upgrade.CommandTemplate;
import io.jenkins.plugins.bbdc.core.upgrade.LoadBalancerHook;
import io.jenkins.plugins.bbdc.core.upgrade.NodeAction;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeOptions;
import io.jenkins.plugins.bbdc.core.upgrade.aws.CloudFormationNodeAction;
import io.jenkins.plugins.bbdc.core.upgrade.aws.CloudFormationUpgradeConfig;
import java.time.Clock;
import java.time.Duration;

/**
 * The {@code upgrade} section: the node command (run once per node, e.g. over ssh), optional load-balancer commands,
 * node URLs, order and timeouts. Commands are argument lists with placeholders, never shell strings.
 */
public final class UpgradeSection {
    private static final String[] KEYS = {"nodeCommand", "nodeCommandTimeout", "loadBalancerOut", "loadBalancerIn",
        "nodeUrls", "nodeUrlTemplate", "order", "minActiveNodes", "nodeTimeout", "pollInterval",
        "finalizationTimeout", "maxFinalizationRetries", "backupFirst", "replacesNodes", "cloudFormation"};
    private static final String[] CLOUD_FORMATION_KEYS = {"region", "autoScalingGroup", "stack", "versionParameter",
        "nodeInstances", "stackUpdateTimeout", "replacementTimeout", "credentials", "endpoint"};

    private UpgradeSection() {
    }

    private static ConfigNode section(CliConfig config) {
        ConfigNode n = config.section("upgrade");
        if (!n.isPresent()) {
            throw n.error("required for upgrade: at least nodeCommand, e.g. [ssh, \"{nodeHost}\", sudo,"
                    + " /opt/upgrade-bitbucket.sh, \"{targetVersion}\"], or cloudFormation (the Auto Scaling method)");
        }
        return n.allowOnly(KEYS);
    }

    public static UpgradeOptions options(CliConfig config, String target, String resumeCommand) {
        ConfigNode n = section(config);
        UpgradeOptions.Builder b = UpgradeOptions.builder(target).resumeCommand(resumeCommand)
                .nodeOrder(n.strings("order"))
                .nodeTimeout(n.duration("nodeTimeout", UpgradeOptions.DEFAULT_NODE_TIMEOUT))
                .pollInterval(n.duration("pollInterval", UpgradeOptions.DEFAULT_POLL_INTERVAL))
                .finalizationTimeout(n.duration("finalizationTimeout", UpgradeOptions.DEFAULT_FINALIZATION_TIMEOUT))
                .backupFirst(n.bool("backupFirst", false))
                .replacesNodes(replacesNodes(n));
        if (n.has("maxFinalizationRetries")) {
            b.maxFinalizationRetries(n.integer("maxFinalizationRetries", 0));
        }
        if (n.has("minActiveNodes")) {
            b.minActiveNodes(n.integer("minActiveNodes", 0));
        }
        n.child("nodeUrls").entries().forEach((k, v) -> b.nodeUrl(k, CliConfig.uri(v, v.asText()).toString()));
        if (n.has("nodeUrlTemplate")) {
            b.nodeUrlTemplate(n.string("nodeUrlTemplate"));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw n.error(e.getMessage());
        }
    }

    /** The CloudFormation method always replaces nodes; an explicit {@code replacesNodes: false} contradicts it. */
    private static boolean replacesNodes(ConfigNode n) {
        boolean cloudFormation = n.has("cloudFormation");
        if (cloudFormation && n.has("replacesNodes") && !n.bool("replacesNodes", true)) {
            throw n.child("replacesNodes").error("cannot be false with cloudFormation: the Auto Scaling group replaces"
                    + " every node by a new one; remove replacesNodes");
        }
        return n.bool("replacesNodes", cloudFormation);
    }

    /** The node command, or the CloudFormation method (its AWS clients are closed with {@code providers}). */
    public static NodeAction nodeAction(CliConfig config, CommandRunner runner, ProviderFactory providers) {
        ConfigNode n = section(config);
        if (n.has("cloudFormation")) {
            if (n.has("nodeCommand")) {
                throw n.child("nodeCommand").error("give either nodeCommand or cloudFormation, not both: with"
                        + " cloudFormation the Auto Scaling group replaces the nodes");
            }
            return cloudFormation(n.child("cloudFormation"), providers);
        }
        return new CommandNodeAction(runner, template(n, "nodeCommand", true));
    }

    private static NodeAction cloudFormation(ConfigNode cf, ProviderFactory providers) {
        cf.allowOnly(CLOUD_FORMATION_KEYS);
        CloudFormationUpgradeConfig.Builder b = CloudFormationUpgradeConfig.builder().region(cf.string("region"))
                .autoScalingGroup(cf.string("autoScalingGroup"))
                .timeouts(cf.duration("stackUpdateTimeout", Duration.ofMinutes(60)),
                        cf.duration("replacementTimeout", Duration.ofMinutes(30)));
        if (cf.has("stack")) {
            b.stack(cf.string("stack"), cf.string("versionParameter", "BitbucketVersion"));
        } else if (cf.has("versionParameter")) {
            throw cf.child("versionParameter").error("only meaningful with stack: the stack whose parameter it is");
        }
        cf.child("nodeInstances").entries().forEach((node, instance) -> b.nodeInstance(node, instance.asText()));
        CloudFormationUpgradeConfig config = b.build();
        if (!config.problems().isEmpty()) {
            throw cf.error(String.join("; ", config.problems()));
        }
        return new CloudFormationNodeAction(providers.awsClients(cf), config, Clock.systemUTC());
    }

    public static LoadBalancerHook loadBalancer(CliConfig config, CommandRunner runner) {
        ConfigNode n = section(config);
        if (!n.has("loadBalancerOut") && !n.has("loadBalancerIn")) {
            return LoadBalancerHook.NONE;
        }
        return new CommandLoadBalancerHook(runner, template(n, "loadBalancerOut", false),
                template(n, "loadBalancerIn", false));
    }

    private static CommandTemplate template(ConfigNode n, String key, boolean required) {
        if (!n.has(key)) {
            if (required) {
                throw n.child(key).error("required: the command that upgrades one node, as a list of arguments");
            }
            return null;
        }
        try {
            return new CommandTemplate(n.strings(key), n.duration("nodeCommandTimeout", Duration.ofMinutes(30)));
        } catch (IllegalArgumentException e) {
            throw n.child(key).error(e.getMessage());
        }
    }
}
