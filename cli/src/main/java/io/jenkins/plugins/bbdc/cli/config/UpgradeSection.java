package io.jenkins.plugins.bbdc.cli.config;

import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import io.jenkins.plugins.bbdc.core.upgrade.CommandLoadBalancerHook;
import io.jenkins.plugins.bbdc.core.upgrade.CommandNodeAction;
import io.jenkins.plugins.bbdc.core.upgrade.CommandTemplate;
import io.jenkins.plugins.bbdc.core.upgrade.LoadBalancerHook;
import io.jenkins.plugins.bbdc.core.upgrade.NodeAction;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeOptions;
import java.time.Duration;

/**
 * The {@code upgrade} section: the node command (run once per node, e.g. over ssh), optional load-balancer commands,
 * node URLs, order and timeouts. Commands are argument lists with placeholders, never shell strings.
 */
public final class UpgradeSection {
    private static final String[] KEYS = {"nodeCommand", "nodeCommandTimeout", "loadBalancerOut", "loadBalancerIn",
        "nodeUrls", "nodeUrlTemplate", "order", "minActiveNodes", "nodeTimeout", "pollInterval",
        "finalizationTimeout", "maxFinalizationRetries", "backupFirst", "replacesNodes"};

    private UpgradeSection() {
    }

    private static ConfigNode section(CliConfig config) {
        ConfigNode n = config.section("upgrade");
        if (!n.isPresent()) {
            throw n.error("required for upgrade: at least nodeCommand, e.g. [ssh, \"{nodeHost}\", sudo,"
                    + " /opt/upgrade-bitbucket.sh, \"{targetVersion}\"]");
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
                .replacesNodes(n.bool("replacesNodes", false));
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

    public static NodeAction nodeAction(CliConfig config, CommandRunner runner) {
        ConfigNode n = section(config);
        return new CommandNodeAction(runner, template(n, "nodeCommand", true));
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
