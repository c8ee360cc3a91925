package io.jenkins.plugins.bbdc.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketOpsConfiguration;
import io.jenkins.plugins.bbdc.jenkins.runtime.BuildServices;
import io.jenkins.plugins.bbdc.jenkins.upgrade.CloudFormationUpgrade;
import io.jenkins.plugins.bbdc.jenkins.util.Text;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code bitbucketRollingUpgrade(instance: 'prod', targetVersion: '8.19.3') { … }}: a zero-downtime bug-fix upgrade,
 * one node at a time; the optional body runs once per node with {@code BITBUCKET_NODE_*} in its environment, else
 * {@code nodeCommand} does, or {@code cloudFormation} replaces each node through its Auto Scaling group. Durable:
 * resumes after a controller restart from what the cluster (and AWS) shows.
 */
public final class BitbucketRollingUpgradeStep extends Step {
    static final int DEFAULT_NODE_TIMEOUT_MINUTES = 20;

    private final String instance;
    private final String targetVersion;
    private String nodeOrder;
    private String nodeCommand;
    private int nodeTimeoutMinutes = DEFAULT_NODE_TIMEOUT_MINUTES;
    private boolean backupFirst;
    private String nodeUrlTemplate;
    private boolean replacesNodes;
    private CloudFormationUpgrade cloudFormation;

    @DataBoundConstructor
    public BitbucketRollingUpgradeStep(String instance, String targetVersion) {
        this.instance = Text.trimToNull(instance);
        this.targetVersion = Text.trimToNull(targetVersion);
    }

    public String getInstance() {
        return instance;
    }

    public String getTargetVersion() {
        return targetVersion;
    }

    @CheckForNull
    public String getNodeOrder() {
        return nodeOrder;
    }

    /** Node names or ids, comma-separated, in upgrade order; empty: fewest active users and tasks first. */
    @DataBoundSetter
    public void setNodeOrder(String nodeOrder) {
        this.nodeOrder = Text.trimToNull(nodeOrder);
    }

    @CheckForNull
    public String getNodeCommand() {
        return nodeCommand;
    }

    /** Without a body: the command run (on the agent) for each node, with {nodeName}, {nodeHost} … placeholders. */
    @DataBoundSetter
    public void setNodeCommand(String nodeCommand) {
        this.nodeCommand = Text.trimToNull(nodeCommand);
    }

    public int getNodeTimeoutMinutes() {
        return nodeTimeoutMinutes;
    }

    @DataBoundSetter
    public void setNodeTimeoutMinutes(int nodeTimeoutMinutes) {
        if (nodeTimeoutMinutes < 1) {
            throw new IllegalArgumentException(Messages.BitbucketRollingUpgradeStep_badTimeout(nodeTimeoutMinutes));
        }
        this.nodeTimeoutMinutes = nodeTimeoutMinutes;
    }

    public boolean isBackupFirst() {
        return backupFirst;
    }

    @DataBoundSetter
    public void setBackupFirst(boolean backupFirst) {
        this.backupFirst = backupFirst;
    }

    @CheckForNull
    public String getNodeUrlTemplate() {
        return nodeUrlTemplate;
    }

    /**
     * Each node's own URL built from what Bitbucket reports, e.g. {@code http://{nodeHost}:7990}; for nodes the
     * instance's node URLs do not reach (and for replacement nodes, which no list can name in advance).
     */
    @DataBoundSetter
    public void setNodeUrlTemplate(String nodeUrlTemplate) {
        String t = Text.trimToNull(nodeUrlTemplate);
        if (t != null && (!t.matches("(?i)https?://.+") || !t.matches(".*\\{node(Host|Name|Id)}.*"))) {
            throw new IllegalArgumentException(Messages.BitbucketRollingUpgradeStep_badTemplate(t));
        }
        this.nodeUrlTemplate = t;
    }

    public boolean isReplacesNodes() {
        return replacesNodes;
    }

    /** The node action replaces each node by a new one (Auto Scaling): the new node is followed in its place. */
    @DataBoundSetter
    public void setReplacesNodes(boolean replacesNodes) {
        this.replacesNodes = replacesNodes;
    }

    @CheckForNull
    public CloudFormationUpgrade getCloudFormation() {
        return cloudFormation;
    }

    /**
     * Atlassian's CloudFormation method as the node action: each node's EC2 instance is replaced through its Auto
     * Scaling group (after the stack's version parameter was changed, if a stack is given). Instead of a body or
     * {@code nodeCommand}; implies {@link #isReplacesNodes() replacesNodes}.
     */
    @DataBoundSetter
    public void setCloudFormation(CloudFormationUpgrade cloudFormation) {
        this.cloudFormation = cloudFormation;
    }

    /** Whether the upgrade follows replacement nodes: asked for, or implied by {@code cloudFormation}. */
    boolean followsReplacements() {
        return replacesNodes || cloudFormation != null;
    }

    /**
     * Refuses, before anything is asked of Bitbucket, a step that could not upgrade a single node: no body, no
     * node command and no {@code cloudFormation}, a node command outside {@code node} (it runs on an agent; otherwise
     * it would fail only at the first node, after the pre-flight and with upgrade mode already on), or contradictory
     * settings.
     */
    void requireRunnable(boolean hasBody, boolean hasAgent) throws AbortException {
        if (hasBody && cloudFormation != null) {
            throw new AbortException(Messages.BitbucketRollingUpgradeStep_cloudFormationAndBody());
        }
        if (!hasBody && nodeCommand == null && cloudFormation == null) {
            throw new AbortException(Messages.BitbucketRollingUpgradeStep_noAction());
        }
        if (!hasBody && cloudFormation == null && !hasAgent) {
            throw new AbortException(Messages.Step_needsNode(Messages.UpgradeExecution_nodeCommandUse()));
        }
        requireConsistent();
    }

    /** Settings that contradict each other or cannot be used, refused before anything is asked of Bitbucket. */
    void requireConsistent() throws AbortException {
        if (cloudFormation != null) {
            if (nodeCommand != null) {
                throw new AbortException(Messages.BitbucketRollingUpgradeStep_cloudFormationAndNodeCommand());
            }
            cloudFormation.toConfig();
            if (nodeUrlTemplate == null) {
                throw new AbortException(Messages.BitbucketRollingUpgradeStep_cloudFormationNeedsTemplate());
            }
        }
        if (replacesNodes && nodeUrlTemplate == null) {
            throw new AbortException(Messages.BitbucketRollingUpgradeStep_replacementNeedsTemplate());
        }
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        var bitbucket = BitbucketOpsConfiguration.get().requireInstance(instance);
        if (targetVersion == null) {
            throw new AbortException(Messages.Validation_required("targetVersion"));
        }
        requireRunnable(context.hasBody(), context.get(Launcher.class) != null);
        if (cloudFormation != null) {
            // the AWS settings and credentials, checked as the build before upgrade mode is switched on
            cloudFormation.open(new BuildServices(bitbucket, context.get(Run.class),
                    context.get(TaskListener.class), null)).close();
        }
        return new UpgradeExecution(context, bitbucket, this);
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "bitbucketRollingUpgrade";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.BitbucketRollingUpgradeStep_displayName();
        }

        @Override
        public boolean takesImplicitBlockArgument() {
            return true;
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        @CheckForNull
        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            Object i = namedArgs.get("instance");
            Object v = namedArgs.get("targetVersion");
            return i == null ? null : i + (v == null ? "" : " → " + v);
        }
    }
}
