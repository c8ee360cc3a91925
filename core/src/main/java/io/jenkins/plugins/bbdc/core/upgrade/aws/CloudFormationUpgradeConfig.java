package io.jenkins.plugins.bbdc.core.upgrade.aws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Atlassian's CloudFormation upgrade method: the cluster's stack (optional: only when the version parameter is to be
 * changed), the Auto Scaling group that runs the nodes, and how each Bitbucket node maps to its EC2 instance.
 */
public final class CloudFormationUpgradeConfig {
    private final String region;
    private final String stackName;
    private final String versionParameter;
    private final String autoScalingGroup;
    private final Map<String, String> nodeInstances;
    private final Duration stackUpdateTimeout;
    private final Duration replacementTimeout;

    private CloudFormationUpgradeConfig(Builder b) {
        this.region = b.region;
        this.stackName = b.stackName;
        this.versionParameter = b.versionParameter;
        this.autoScalingGroup = b.autoScalingGroup;
        this.nodeInstances = Map.copyOf(b.nodeInstances);
        this.stackUpdateTimeout = b.stackUpdateTimeout;
        this.replacementTimeout = b.replacementTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (region == null || region.isBlank()) {
            out.add("'region' (where the stack and its Auto Scaling group are, e.g. eu-west-1) is required");
        }
        if (autoScalingGroup == null || autoScalingGroup.isBlank()) {
            out.add("'autoScalingGroup' (the name of the group that runs the Bitbucket nodes) is required");
        }
        if ((stackName == null) != (versionParameter == null)) {
            out.add("'stackName' and 'versionParameter' go together: set both to update the stack's version"
                    + " parameter before the first node, or neither to only replace nodes");
        }
        return out;
    }

    public String region() {
        return region;
    }

    public String stackName() {
        return stackName;
    }

    /** The stack parameter holding the Bitbucket version ({@code BitbucketVersion} in Atlassian's templates). */
    public String versionParameter() {
        return versionParameter;
    }

    public boolean updatesStack() {
        return stackName != null && versionParameter != null;
    }

    public String autoScalingGroup() {
        return autoScalingGroup;
    }

    /** Bitbucket node name, host or id → EC2 instance id; nodes not listed must report the instance id as host. */
    public Map<String, String> nodeInstances() {
        return nodeInstances;
    }

    public Duration stackUpdateTimeout() {
        return stackUpdateTimeout;
    }

    public Duration replacementTimeout() {
        return replacementTimeout;
    }

    public static final class Builder {
        private String region;
        private String stackName;
        private String versionParameter;
        private String autoScalingGroup;
        private final Map<String, String> nodeInstances = new LinkedHashMap<>();
        private Duration stackUpdateTimeout = Duration.ofMinutes(60);
        private Duration replacementTimeout = Duration.ofMinutes(30);

        public Builder region(String r) {
            this.region = r;
            return this;
        }

        public Builder stack(String name, String versionParameterName) {
            this.stackName = name;
            this.versionParameter = versionParameterName;
            return this;
        }

        public Builder autoScalingGroup(String name) {
            this.autoScalingGroup = name;
            return this;
        }

        public Builder nodeInstance(String nodeKey, String instanceId) {
            this.nodeInstances.put(nodeKey, instanceId);
            return this;
        }

        public Builder timeouts(Duration stackUpdate, Duration replacement) {
            this.stackUpdateTimeout = stackUpdate;
            this.replacementTimeout = replacement;
            return this;
        }

        public CloudFormationUpgradeConfig build() {
            return new CloudFormationUpgradeConfig(this);
        }
    }
}
