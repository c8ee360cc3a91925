package io.jenkins.plugins.bbdc.core.upgrade;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the user asked for, as plain values. It is part of the persisted {@link UpgradeState}, so a resumed upgrade
 * keeps deciding with the options it started with. Hooks, actions and clients are not options: they are given to the
 * {@link UpgradeEngine}.
 *
 * @param targetVersion          the bug-fix release to upgrade to, e.g. 8.19.3
 * @param nodeOrder              node names or ids in the order to upgrade; empty = fewest active users plus tasks
 *                               first; nodes not listed follow in that default order
 * @param nodeUrls               each node's own base URL, keyed by node name, host (IP address) or id
 * @param nodeUrlTemplate        used for nodes absent from {@code nodeUrls}, e.g. {@code http://{nodeHost}:7990}
 * @param nodeTimeout            how long a node may take to be back ACTIVE on the target and RUNNING (default 20 min)
 * @param pollInterval           how often the cluster and the node are read while waiting (default 5 s)
 * @param finalizationTimeout    how long finalization may run after approve (default 30 min)
 * @param maxFinalizationRetries how many times a failed finalization is retried when Bitbucket offers it (default 2)
 * @param minActiveNodes         nodes that must stay ACTIVE while one is out (default 1)
 * @param backupFirst            take a restore point before anything changes
 * @param resumeCommand          the exact command or step that resumes this upgrade, quoted in failure reports
 * @param replacesNodes          the node action replaces a node by a new one (Auto Scaling): after the action, a new
 *                               node ACTIVE on the target and RUNNING is adopted as the replacement (default false)
 */
public record UpgradeOptions(String targetVersion, List<String> nodeOrder, Map<String, String> nodeUrls,
                             String nodeUrlTemplate, Duration nodeTimeout, Duration pollInterval,
                             Duration finalizationTimeout, Integer maxFinalizationRetries, Integer minActiveNodes,
                             boolean backupFirst, String resumeCommand, boolean replacesNodes) {

    public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofMinutes(20);
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_FINALIZATION_TIMEOUT = Duration.ofMinutes(30);

    public UpgradeOptions {
        nodeOrder = nodeOrder == null ? List.of() : List.copyOf(nodeOrder);
        nodeUrls = nodeUrls == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(nodeUrls));
        nodeTimeout = nodeTimeout == null ? DEFAULT_NODE_TIMEOUT : nodeTimeout;
        pollInterval = pollInterval == null ? DEFAULT_POLL_INTERVAL : pollInterval;
        finalizationTimeout = finalizationTimeout == null ? DEFAULT_FINALIZATION_TIMEOUT : finalizationTimeout;
        maxFinalizationRetries = maxFinalizationRetries == null ? 2 : maxFinalizationRetries;
        minActiveNodes = minActiveNodes == null ? 1 : minActiveNodes;
        if (targetVersion == null || targetVersion.isBlank()) {
            throw new IllegalArgumentException("no target version given: name the Bitbucket bug-fix release to"
                    + " upgrade to, for example 8.19.3");
        }
        targetVersion = targetVersion.trim();
        if (nodeTimeout.isNegative() || nodeTimeout.isZero() || pollInterval.isNegative() || pollInterval.isZero()
                || finalizationTimeout.isNegative() || finalizationTimeout.isZero()) {
            throw new IllegalArgumentException("the node timeout, poll interval and finalization timeout must be"
                    + " positive durations");
        }
        if (maxFinalizationRetries < 0 || minActiveNodes < 0) {
            throw new IllegalArgumentException("maxFinalizationRetries and minActiveNodes cannot be negative");
        }
    }

    /** Without node replacement: the constructor as it was before {@code replacesNodes} existed. */
    public UpgradeOptions(String targetVersion, List<String> nodeOrder, Map<String, String> nodeUrls,
                          String nodeUrlTemplate, Duration nodeTimeout, Duration pollInterval,
                          Duration finalizationTimeout, Integer maxFinalizationRetries, Integer minActiveNodes,
                          boolean backupFirst, String resumeCommand) {
        this(targetVersion, nodeOrder, nodeUrls, nodeUrlTemplate, nodeTimeout, pollInterval, finalizationTimeout,
                maxFinalizationRetries, minActiveNodes, backupFirst, resumeCommand, false);
    }

    public static Builder builder(String targetVersion) {
        return new Builder(targetVersion);
    }

    /** What to tell a user who must resume: the configured command, or a sentence saying what to run again. */
    public String resumeInstruction() {
        return resumeCommand != null && !resumeCommand.isBlank() ? resumeCommand
                : "run the rolling upgrade again with the same target version " + targetVersion + " and options";
    }

    public static final class Builder {
        private final String targetVersion;
        private List<String> nodeOrder;
        private final Map<String, String> nodeUrls = new LinkedHashMap<>();
        private String nodeUrlTemplate;
        private Duration nodeTimeout;
        private Duration pollInterval;
        private Duration finalizationTimeout;
        private Integer maxFinalizationRetries;
        private Integer minActiveNodes;
        private boolean backupFirst;
        private String resumeCommand;
        private boolean replacesNodes;

        private Builder(String targetVersion) {
            this.targetVersion = targetVersion;
        }

        public Builder nodeOrder(List<String> order) {
            this.nodeOrder = order;
            return this;
        }

        public Builder nodeUrl(String nameHostOrId, String url) {
            nodeUrls.put(nameHostOrId, url);
            return this;
        }

        public Builder nodeUrls(Map<String, String> urls) {
            nodeUrls.putAll(urls);
            return this;
        }

        public Builder nodeUrlTemplate(String template) {
            this.nodeUrlTemplate = template;
            return this;
        }

        public Builder nodeTimeout(Duration d) {
            this.nodeTimeout = d;
            return this;
        }

        public Builder pollInterval(Duration d) {
            this.pollInterval = d;
            return this;
        }

        public Builder finalizationTimeout(Duration d) {
            this.finalizationTimeout = d;
            return this;
        }

        public Builder maxFinalizationRetries(int n) {
            this.maxFinalizationRetries = n;
            return this;
        }

        public Builder minActiveNodes(int n) {
            this.minActiveNodes = n;
            return this;
        }

        public Builder backupFirst(boolean b) {
            this.backupFirst = b;
            return this;
        }

        public Builder resumeCommand(String c) {
            this.resumeCommand = c;
            return this;
        }

        /**
         * The node action replaces each node by a new one with a new Bitbucket node id (CloudFormation / Auto
         * Scaling): the engine adopts the new node. Its URL comes from the node URLs or the node URL template.
         */
        public Builder replacesNodes(boolean b) {
            this.replacesNodes = b;
            return this;
        }

        public UpgradeOptions build() {
            return new UpgradeOptions(targetVersion, nodeOrder, nodeUrls, nodeUrlTemplate, nodeTimeout, pollInterval,
                    finalizationTimeout, maxFinalizationRetries, minActiveNodes, backupFirst, resumeCommand,
                    replacesNodes);
        }
    }
}
