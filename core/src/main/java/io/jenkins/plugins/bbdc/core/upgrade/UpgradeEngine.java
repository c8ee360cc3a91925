package io.jenkins.plugins.bbdc.core.upgrade;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdmin;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketException;
import io.jenkins.plugins.bbdc.core.bitbucket.ClusterInfo;
import io.jenkins.plugins.bbdc.core.bitbucket.ClusterState;
import io.jenkins.plugins.bbdc.core.bitbucket.NodeState;
import io.jenkins.plugins.bbdc.core.bitbucket.ZduCluster;
import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.time.Sleeper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The rolling upgrade as a resumable state machine. {@link #advance} takes one small, idempotent step from a
 * persisted {@link UpgradeState} and decides from what it observes (cluster state, node versions), so the Jenkins step
 * can call it from timer polls after a controller restart; {@link #run} is the CLI's driver loop.
 *
 * <p>Procedure: preflight → optional restore point → upgrade mode on → per node (load balancer out → node action →
 * wait until ACTIVE on the target and /status RUNNING → load balancer in → health gate) → every expected node checked
 * → approve → STABLE (retryUpgrade when finalization fails and Bitbucket offers it).
 */
public final class UpgradeEngine {
    private final EngineContext ctx;
    private final Sleeper sleeper;
    private final AbortSignal abortSignal;
    private final NodeUpgrader nodes;
    private final Finalizer finalizer;
    private final SafeStop safeStop;

    private UpgradeEngine(Builder b) {
        this.ctx = new EngineContext(b.admin, b.action, b.loadBalancer, b.backup, b.events, b.clock);
        this.sleeper = b.sleeper;
        this.abortSignal = b.abortSignal;
        this.nodes = new NodeUpgrader(ctx);
        this.finalizer = new Finalizer(ctx);
        this.safeStop = new SafeStop(ctx);
    }

    public static Builder builder(BitbucketAdmin admin, NodeAction action) {
        return new Builder(admin, action);
    }

    /** A new upgrade; nothing is called until the first {@link #advance}. */
    public UpgradeState start(UpgradeOptions options) {
        return UpgradeState.initial(options, ctx.now());
    }

    /**
     * Continue an upgrade that stopped (FAILED or ABORTED): the same options, the node history kept, the preflight
     * run again on what the cluster shows now. Nodes already on the target are skipped.
     */
    public UpgradeState resume(UpgradeState stopped) {
        UpgradeState s = stopped.copy();
        s.phase = UpgradePhase.PREFLIGHT;
        s.phaseStartedAt = ctx.now();
        s.failure = null;
        s.report = null;
        s.finishedAt = null;
        s.waiting = false;
        s.finalizationRetries = 0;
        s.message = "resuming";
        return s;
    }

    /** One step. Never changes {@code in}; a terminal state is returned unchanged. */
    public UpgradeState advance(UpgradeState in) {
        UpgradeState s = in.copy();
        s.waiting = false;
        if (s.terminal()) {
            return s;
        }
        if (Thread.currentThread().isInterrupted()) {
            return abort(s, "interrupted (the thread running the upgrade was interrupted)");
        }
        if (abortSignal.requested()) {
            return abort(s, "abort requested");
        }
        UpgradePhase before = s.phase;
        try {
            switch (s.phase) {
                case PREFLIGHT -> preflight(s);
                case BACKUP -> backup(s);
                case ENABLE_UPGRADE_MODE -> enableUpgradeMode(s);
                case UPGRADE_NODES -> nodes.step(s);
                case FINALIZE_CHECK -> finalizer.check(s);
                case APPROVE -> finalizer.approve(s);
                case AWAIT_FINALIZATION -> finalizer.await(s);
                default -> throw new IllegalStateException("unexpected phase " + s.phase);
            }
        } catch (UpgradeStoppedException e) {
            safeStop.stop(s, UpgradePhase.FAILED, e.getMessage());
        } catch (InterruptedException e) {
            return abort(s, "interrupted during " + before);
        } catch (Exception e) {
            safeStop.stop(s, UpgradePhase.FAILED, describe(e));
        }
        s.updatedAt = ctx.now();
        return s;
    }

    /**
     * Stop at the user's request, safely: before any node was upgraded, upgrade mode is cancelled; afterwards the
     * cluster keeps serving and the report says how to resume. Clears the thread's interrupt while it calls
     * Bitbucket and restores it afterwards.
     */
    public UpgradeState abort(UpgradeState in, String reason) {
        UpgradeState s = in.copy();
        if (s.terminal()) {
            return s;
        }
        boolean interrupted = Thread.interrupted();
        try {
            safeStop.stop(s, UpgradePhase.ABORTED, reason);
            s.updatedAt = ctx.now();
            return s;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The CLI's loop: advance until done, sleeping a poll interval whenever a step only waited. */
    public UpgradeResult run(UpgradeState initial, Consumer<UpgradeState> onChange) {
        UpgradeState s = initial;
        while (!s.terminal()) {
            s = advance(s);
            onChange.accept(s);
            if (!s.terminal() && s.waiting) {
                try {
                    sleeper.sleep(s.options.pollInterval());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    s = abort(s, "interrupted while waiting");
                    onChange.accept(s);
                }
            }
        }
        return UpgradeResult.from(s);
    }

    public UpgradeResult run(UpgradeOptions options) {
        return run(start(options), st -> { });
    }

    /** Dry run: the preflight verdict, the node order, the API calls and the commands, without changing anything. */
    public UpgradePlan plan(UpgradeOptions options) throws BitbucketException {
        ZduCluster zdu = ctx.admin().zduCluster();
        ClusterInfo members = ctx.admin().adminCluster();
        Preflight.Result r = Preflight.check(options, zdu, members);
        return UpgradePlan.describe(options, zdu, r, ctx);
    }

    private void preflight(UpgradeState s) throws Exception {
        ZduCluster zdu;
        ClusterInfo members;
        try {
            zdu = ctx.cluster();
            members = ctx.admin().adminCluster();
        } catch (BitbucketException e) {
            refuse(s, List.of("could not read the cluster: " + e.getMessage()));
            return;
        }
        s.clusterState = zdu.state();
        Preflight.Result r = Preflight.check(s.options, zdu, members);
        if (r.refused()) {
            refuse(s, r.refusals());
            return;
        }
        s.nodes = keepHistory(s.nodes, r.nodes());
        s.originalVersion = r.originalVersion();
        for (NodeRecord n : s.nodes) {
            if (n.step == NodeStep.PENDING && s.options.targetVersion().equals(n.lastVersion)
                    && NodeState.parse(n.lastState) == NodeState.STARTING) {
                // restarting on the target already (an interrupted earlier run): wait for it, do not act twice
                n.step = NodeStep.WAITING;
                n.sawRestart = true;
                n.actionEndedAt = ctx.now();
            }
        }
        r.notes().forEach(note -> ctx.info("preflight", null, note));
        ctx.info("preflight", null, "preflight passed (" + zdu.state() + ", " + s.nodes.size() + " nodes, "
                + s.originalVersion + " → " + s.options.targetVersion() + "); order: "
                + String.join(", ", s.nodes.stream().map(n -> n.label() + (n.step == NodeStep.SKIPPED
                ? " (already upgraded)" : "")).toList()));
        s.phaseStartedAt = ctx.now();
        switch (r.mode()) {
            case ALREADY_DONE -> {
                s.phase = UpgradePhase.DONE;
                s.finalVersion = s.options.targetVersion();
                s.finishedAt = ctx.now();
                s.message = "every node already runs " + s.options.targetVersion() + ": nothing to do";
                ctx.info("done", null, s.message);
            }
            case FRESH -> {
                s.phase = s.options.backupFirst() ? UpgradePhase.BACKUP : UpgradePhase.ENABLE_UPGRADE_MODE;
                s.message = "preflight passed";
            }
            case CONTINUE -> {
                s.phase = UpgradePhase.UPGRADE_NODES;
                s.message = "continuing the upgrade already in progress";
                if (s.options.backupFirst() && s.restorePointId == null) {
                    ctx.warn("backup", null, "no restore point is taken now: the cluster is already mid-upgrade");
                }
            }
            case FINALIZING -> {
                s.phase = UpgradePhase.AWAIT_FINALIZATION;
                s.message = "continuing finalization";
            }
            default -> throw new IllegalStateException("unexpected preflight mode " + r.mode());
        }
    }

    /** Nodes upgraded by an earlier run keep their timings when the resumed preflight finds them on the target. */
    private static List<NodeRecord> keepHistory(List<NodeRecord> previous, List<NodeRecord> fresh) {
        List<NodeRecord> out = new ArrayList<>();
        for (NodeRecord n : fresh) {
            if (previous.stream().anyMatch(p -> n.id.equals(p.replacedId))) {
                continue; // replaced by a new node earlier (replacesNodes): that node is followed instead
            }
            NodeRecord old = previous.stream().filter(p -> p.id.equals(n.id)).findFirst().orElse(null);
            if (old != null && old.replacedId != null) {
                n.replacedId = old.replacedId;
                n.replacedName = old.replacedName;
                n.replacedHost = old.replacedHost;
                n.replacedUrl = old.replacedUrl;
            }
            if (old != null && old.step == NodeStep.DONE && n.step == NodeStep.SKIPPED) {
                old.lastState = n.lastState;
                old.lastVersion = n.lastVersion;
                out.add(old);
            } else {
                out.add(n);
            }
        }
        return out;
    }

    private void refuse(UpgradeState s, List<String> refusals) {
        s.phase = UpgradePhase.REFUSED;
        s.failure = String.join("; ", refusals);
        s.finishedAt = ctx.now();
        StringBuilder report = new StringBuilder("The rolling upgrade to " + s.options.targetVersion()
                + " was refused; nothing was changed:");
        refusals.forEach(r -> report.append("\n - ").append(r));
        s.report = report.toString();
        s.message = "refused";
        ctx.error("preflight", null, s.report);
    }

    private void backup(UpgradeState s) throws Exception {
        if (ctx.backup() == null) {
            throw new UpgradeStoppedException("a restore point was asked for first, but no backup is configured:"
                    + " configure the backup, or turn the restore point option off; nothing was changed");
        }
        ctx.info("backup", null, "taking a restore point before the upgrade");
        try {
            s.restorePointId = ctx.backup().createRestorePoint("before the rolling upgrade from " + s.originalVersion
                    + " to " + s.options.targetVersion());
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new UpgradeStoppedException("the restore point could not be made (" + e.getMessage()
                    + "); nothing was changed");
        }
        s.phase = UpgradePhase.ENABLE_UPGRADE_MODE;
        s.phaseStartedAt = ctx.now();
        s.message = "restore point " + s.restorePointId + " taken";
        ctx.info("backup", null, s.message);
    }

    private void enableUpgradeMode(UpgradeState s) throws Exception {
        ZduCluster c;
        try {
            c = ctx.admin().startUpgradeMode();
        } catch (BitbucketException e) {
            if (e.kind() != BitbucketException.Kind.CONFLICT) {
                throw e;
            }
            c = ctx.cluster(); // 409: re-read; already READY_TO_UPGRADE (our own lost answer) counts as success
        }
        s.clusterState = c.state();
        if (c.clusterState() != ClusterState.READY_TO_UPGRADE || !c.upgradeModeEnabled()) {
            throw new UpgradeStoppedException("enabling upgrade mode left the cluster in " + c.state()
                    + " instead of READY_TO_UPGRADE");
        }
        s.upgradeModeEnabledByUs = true;
        s.phase = UpgradePhase.UPGRADE_NODES;
        s.phaseStartedAt = ctx.now();
        s.message = "upgrade mode enabled (original version " + c.originalVersion() + ")";
        ctx.info("upgrade-mode", null, s.message);
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    public static final class Builder {
        private final BitbucketAdmin admin;
        private final NodeAction action;
        private LoadBalancerHook loadBalancer = LoadBalancerHook.NONE;
        private PreUpgradeBackup backup;
        private EventSink events = EventSink.NONE;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private AbortSignal abortSignal = AbortSignal.NEVER;

        private Builder(BitbucketAdmin admin, NodeAction action) {
            this.admin = Objects.requireNonNull(admin, "a Bitbucket admin client is required");
            this.action = Objects.requireNonNull(action, "a node action (command or callback) is required");
        }

        public Builder loadBalancer(LoadBalancerHook hook) {
            this.loadBalancer = hook == null ? LoadBalancerHook.NONE : hook;
            return this;
        }

        public Builder backup(PreUpgradeBackup b) {
            this.backup = b;
            return this;
        }

        public Builder events(EventSink e) {
            this.events = e == null ? EventSink.NONE : e;
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c);
            return this;
        }

        public Builder sleeper(Sleeper s) {
            this.sleeper = Objects.requireNonNull(s);
            return this;
        }

        public Builder abortSignal(AbortSignal a) {
            this.abortSignal = a == null ? AbortSignal.NEVER : a;
            return this;
        }

        public UpgradeEngine build() {
            return new UpgradeEngine(this);
        }
    }
}
