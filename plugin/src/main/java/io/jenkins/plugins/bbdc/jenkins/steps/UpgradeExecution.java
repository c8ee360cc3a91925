package io.jenkins.plugins.bbdc.jenkins.steps;

import hudson.Launcher;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdmin;
import io.jenkins.plugins.bbdc.core.bitbucket.NodeState;
import io.jenkins.plugins.bbdc.core.bitbucket.ZduNode;
import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import io.jenkins.plugins.bbdc.core.upgrade.CommandNodeAction;
import io.jenkins.plugins.bbdc.core.upgrade.CommandTemplate;
import io.jenkins.plugins.bbdc.core.upgrade.NodeAction;
import io.jenkins.plugins.bbdc.core.upgrade.NodeRecord;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeEngine;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeNodeContext;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeOptions;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradePhase;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeState;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.actions.OperationAction;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.runtime.EventLines;
import io.jenkins.plugins.bbdc.jenkins.upgrade.CloudFormationUpgrade;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * Runs {@code bitbucketRollingUpgrade}: each poll takes one step of the upgrade engine's state machine from the
 * persisted {@link UpgradeState} JSON, so a controller restart simply continues from what the cluster shows. The body
 * is the engine's asynchronous node action ({@link NodeBodies}), as are the node command
 * ({@link BackgroundNodeCommand}) and the CloudFormation method ({@link BackgroundAwsAction}); a stop makes the engine
 * park the cluster safely.
 */
final class UpgradeExecution extends OperationExecution {
    private static final long serialVersionUID = 1L;

    private final BitbucketInstance instance;
    private final String targetVersion;
    private final String nodeOrder;
    private final String nodeCommand;
    private final int nodeTimeoutMinutes;
    private final boolean backupFirst;
    private final String nodeUrlTemplate;
    private final boolean replacesNodes;
    private final CloudFormationUpgrade cloudFormation;
    private final NodeBodies bodies = new NodeBodies();

    UpgradeExecution(StepContext context, BitbucketInstance instance, BitbucketRollingUpgradeStep step) {
        super(context, Messages.UpgradeExecution_kind(), instance.getId());
        this.instance = instance;
        this.targetVersion = step.getTargetVersion();
        this.nodeOrder = step.getNodeOrder();
        this.nodeCommand = step.getNodeCommand();
        this.nodeTimeoutMinutes = step.getNodeTimeoutMinutes();
        this.backupFirst = step.isBackupFirst();
        this.nodeUrlTemplate = step.getNodeUrlTemplate();
        this.replacesNodes = step.isReplacesNodes();
        this.cloudFormation = step.getCloudFormation();
    }

    /**
     * The engine options of a step or freestyle builder with these settings.
     *
     * @param nodeUrlsById the instance's node URLs, keyed by the node each one reaches
     */
    static UpgradeOptions options(String instanceId, BitbucketRollingUpgradeStep step,
                                  Map<String, String> nodeUrlsById) {
        UpgradeOptions.Builder b = UpgradeOptions.builder(step.getTargetVersion()).nodeOrder(order(step.getNodeOrder()))
                .nodeTimeout(Duration.ofMinutes(step.getNodeTimeoutMinutes())).backupFirst(step.isBackupFirst())
                .nodeUrlTemplate(step.getNodeUrlTemplate()).replacesNodes(step.followsReplacements())
                .resumeCommand(Messages.UpgradeExecution_resumeCommand(instanceId, step.getTargetVersion()));
        nodeUrlsById.forEach(b::nodeUrl);
        return b.build();
    }

    private BitbucketRollingUpgradeStep settings() {
        BitbucketRollingUpgradeStep step = new BitbucketRollingUpgradeStep(instance.getId(), targetVersion);
        step.setNodeOrder(nodeOrder);
        step.setNodeCommand(nodeCommand);
        step.setNodeTimeoutMinutes(nodeTimeoutMinutes);
        step.setBackupFirst(backupFirst);
        step.setNodeUrlTemplate(nodeUrlTemplate);
        step.setReplacesNodes(replacesNodes);
        step.setCloudFormation(cloudFormation);
        return step;
    }

    private static List<String> order(String nodeOrder) {
        List<String> order = new ArrayList<>();
        if (nodeOrder != null) {
            for (String n : nodeOrder.split("[,\\s]+")) {
                if (!n.isBlank()) {
                    order.add(n.trim());
                }
            }
        }
        return order;
    }

    @Override
    protected OperationMachine machine() throws IOException, InterruptedException {
        StepRuntime rt = new StepRuntime(instance, run(), listener(), getContext().get(Launcher.class));
        boolean body = getContext().hasBody();
        String owner = ownerId();
        return machine(owner, !body && cloudFormation == null, new PollSetup() {
            @Override
            public BitbucketAdmin admin() throws IOException {
                return rt.admin(instance);
            }

            @Override
            public NodeAction action(BitbucketAdmin admin) {
                if (body) {
                    return new BodyAction();
                }
                if (cloudFormation != null) {
                    return new BackgroundAwsAction(owner, () -> cloudFormation.open(rt.services), rt.log()::println);
                }
                return new BackgroundNodeCommand(owner, commandAction(
                        rt.services.commandRunner(Messages.UpgradeExecution_nodeCommandUse()), nodeCommand,
                        nodeTimeoutMinutes), node -> untouched(admin, node), rt.log()::println);
            }

            @Override
            public UpgradeOptions options() throws IOException, InterruptedException {
                return UpgradeExecution.options(instance.getId(), settings(), rt.nodeUrlsById(instance));
            }

            @Override
            public PrintStream log() {
                return rt.log();
            }
        });
    }

    /** What one poll of the upgrade resolves from Jenkins (credentials, the agent, the log). */
    interface PollSetup {
        BitbucketAdmin admin() throws Exception;

        NodeAction action(BitbucketAdmin admin) throws Exception;

        /** The engine options; asked on the first poll only. */
        UpgradeOptions options() throws Exception;

        PrintStream log();
    }

    /**
     * The upgrade as the step's machine: one engine step per poll from the persisted state.
     *
     * @param commandAction the node action is a {@link BackgroundNodeCommand} of {@code owner}: a stop first
     *                      interrupts a running command and waits (briefly) for it to end, so that the engine judges
     *                      the node once the command is really over. An AWS call of a {@link BackgroundAwsAction} in
     *                      flight is waited for too (not interrupted).
     */
    static OperationMachine machine(String owner, boolean commandAction, PollSetup setup) {
        return (state, stop, resumed) -> {
            if (stop && commandAction && BackgroundNodeCommand.stopping(owner)) {
                return Advance.again(state, Messages.UpgradeExecution_stoppingCommand(), Duration.ofSeconds(1));
            }
            if (stop && BackgroundAwsAction.stopping(owner)) {
                return Advance.again(state, Messages.UpgradeExecution_stoppingAwsCall(), Duration.ofSeconds(1));
            }
            BitbucketAdmin admin = setup.admin();
            UpgradeEngine engine = UpgradeEngine.builder(admin, setup.action(admin))
                    .events(EventLines.sink(setup.log(), s -> { }, false))
                    .abortSignal(() -> stop)
                    .build();
            UpgradeState s = state == null ? engine.start(setup.options()) : UpgradeState.fromJson(state);
            return advance(engine, s);
        };
    }

    /** The node command as the engine's synchronous action (the freestyle builder runs it as it is). */
    static CommandNodeAction commandAction(CommandRunner runner, String nodeCommand, int nodeTimeoutMinutes) {
        return new CommandNodeAction(runner, new CommandTemplate(Arrays.asList(nodeCommand.trim().split("\\s+")),
                Duration.ofMinutes(nodeTimeoutMinutes)));
    }

    /** The node as the engine left it: still ACTIVE on the version it had before the upgrade. */
    static boolean untouched(BitbucketAdmin admin, UpgradeNodeContext node) throws Exception {
        ZduNode observed = admin.zduCluster().node(node.nodeId()).orElse(null);
        return observed != null && observed.nodeState() == NodeState.ACTIVE
                && node.originalVersion().equals(observed.version());
    }

    /** One engine step as the step's machine sees it. */
    static Advance advance(UpgradeEngine engine, UpgradeState s) {
        UpgradeState next = engine.advance(s);
        String json = next.toJson();
        String status = next.phase + ": " + (next.message == null ? "" : next.message);
        if (!next.terminal()) {
            return Advance.again(json, status, next.waiting ? next.options.pollInterval() : Duration.ZERO);
        }
        Map<String, Object> result = toMap(next);
        if (next.phase == UpgradePhase.DONE) {
            return Advance.succeeded(json, status, result);
        }
        return Advance.failed(json, status, next.phase + ": " + next.failure
                + (next.report == null ? "" : "\n" + next.report), result);
    }

    /** The node whose body runs and how it ended (saved by the loop when a poll changed it). */
    @Override
    protected Object executionState() {
        return bodies.persisted();
    }

    @Override
    protected void ended() {
        BackgroundNodeCommand.forget(ownerId());
        BackgroundAwsAction.forget(ownerId());
    }

    static Map<String, Object> toMap(UpgradeState s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("phase", s.phase.name());
        m.put("originalVersion", s.originalVersion);
        m.put("targetVersion", s.options == null ? null : s.options.targetVersion());
        m.put("finalVersion", s.finalVersion);
        m.put("restorePointId", s.restorePointId);
        m.put("startedAt", str(s.startedAt));
        m.put("finishedAt", str(s.finishedAt));
        m.put("failure", s.failure);
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (NodeRecord n : s.nodes) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("node", n.name);
            row.put("id", n.id);
            row.put("host", n.host);
            row.put("from", n.originalVersion);
            row.put("to", n.lastVersion);
            row.put("step", n.step == null ? null : n.step.name());
            row.put("started", str(n.startedAt));
            row.put("out", str(n.outAt));
            row.put("actionEnded", str(n.actionEndedAt));
            row.put("ready", str(n.readyAt));
            row.put("backIn", str(n.backInAt));
            row.put("failure", n.failure);
            row.put("replacedNode", n.replacedName);
            row.put("replacedId", n.replacedId);
            nodes.add(row);
        }
        m.put("nodes", nodes);
        return m;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    @Override
    protected void finished(Map<String, Object> result, String failure) {
        record(new OperationAction("upgrade", instance.getId(), nextPageIndex(), result, failure));
    }

    /** The body as an asynchronous node action: started once per node, waited for through its callback. */
    private final class BodyAction implements NodeAction {
        @Override
        public Progress perform(UpgradeNodeContext node) throws Exception {
            NodeBodies.Progress p = bodies.perform(node.nodeId(), () -> startBody(node));
            return p == NodeBodies.Progress.DONE ? Progress.DONE : Progress.IN_PROGRESS;
        }

        @Override
        public boolean synchronous() {
            return false;
        }
    }

    private void startBody(UpgradeNodeContext node) {
        try {
            EnvironmentExpander env = EnvironmentExpander.merge(getContext().get(EnvironmentExpander.class),
                    EnvironmentExpander.constant(node.environment()));
            getContext().newBodyInvoker().withContext(env).withDisplayName(node.nodeName())
                    .withCallback(new BodyDone(node.nodeId())).start();
        } catch (IOException | InterruptedException e) {
            bodies.finished(node.nodeId(), e);
        }
    }

    void bodyFinished(String nodeId, Throwable error) {
        bodies.finished(nodeId, error);
        getContext().saveState();
    }

    /** Reports the end of a node's body to the execution (found by its context, also after a restart). */
    private static final class BodyDone extends BodyExecutionCallback {
        private static final long serialVersionUID = 1L;
        private final String nodeId;

        BodyDone(String nodeId) {
            this.nodeId = nodeId;
        }

        @Override
        public void onSuccess(StepContext context, Object result) {
            report(context, null);
        }

        @Override
        public void onFailure(StepContext context, Throwable t) {
            report(context, t);
        }

        private void report(StepContext context, Throwable t) {
            StepExecution.acceptAll(UpgradeExecution.class, e -> {
                if (e.getContext().equals(context)) {
                    e.bodyFinished(nodeId, t);
                }
            });
        }
    }
}
