package io.jenkins.plugins.bbdc.core.upgrade;

import io.jenkins.plugins.bbdc.core.bitbucket.ZduCluster;
import java.util.ArrayList;
import java.util.List;

/** The dry run: the preflight verdict, the node order and every API call and command the upgrade would make. */
public record UpgradePlan(boolean refused, List<String> refusals, Preflight.Mode mode, List<String> nodeOrder,
                          List<String> steps) {

    static UpgradePlan describe(UpgradeOptions o, ZduCluster zdu, Preflight.Result r, EngineContext ctx) {
        List<String> steps = new ArrayList<>();
        String target = o.targetVersion();
        steps.add("GET /rest/zdu/cluster and GET /rest/api/latest/admin/cluster: " + zdu.state() + ", "
                + zdu.nodes().size() + " node(s)" + (r.refused() ? " — REFUSED" : " — preflight passed"));
        r.notes().forEach(n -> steps.add("note: " + n));
        List<String> order = r.nodes().stream().map(NodeRecord::label).toList();
        if (!r.refused() && r.mode() == Preflight.Mode.ALREADY_DONE) {
            steps.add("nothing to do: every node already runs " + target);
        } else if (!r.refused()) {
            if (r.mode() == Preflight.Mode.FRESH) {
                if (o.backupFirst()) {
                    steps.add("take a restore point (backup engine)");
                }
                steps.add("POST /rest/zdu/start (upgrade mode on; expect READY_TO_UPGRADE, original version "
                        + r.originalVersion() + ")");
            }
            UpgradeState s = new UpgradeState();
            s.options = o;
            s.originalVersion = r.originalVersion();
            s.nodes = r.nodes();
            for (NodeRecord n : r.nodes()) {
                UpgradeNodeContext nc = ctx.nodeContext(s, n);
                String head = "node " + nc.position() + "/" + nc.nodeCount() + ": " + n.label() + " (host " + n.host
                        + ", " + n.url + ", active users + tasks " + n.load + ")";
                if (n.step == NodeStep.SKIPPED) {
                    steps.add(head + " — already on " + target + ", skipped");
                    continue;
                }
                steps.add(head);
                ctx.loadBalancer().describeOut(nc).forEach(l -> steps.add("  " + l));
                ctx.action().describe(nc).forEach(l -> steps.add("  " + l));
                steps.add("  wait: GET /rest/zdu/cluster and GET " + n.url + "/status every " + o.pollInterval()
                        + " until ACTIVE on " + target + " and 200 RUNNING (timeout " + o.nodeTimeout() + ")");
                ctx.loadBalancer().describeBack(nc).forEach(l -> steps.add("  " + l));
                steps.add("  health gate: no node in ERROR, the cluster answering");
            }
            if (r.mode() != Preflight.Mode.FINALIZING) {
                steps.add("check every expected node (" + order.size() + ") ACTIVE on " + target
                        + " with /status RUNNING — OFFLINE nodes count — and the cluster READY_TO_RUN_UPGRADE_TASKS");
                steps.add("POST /rest/zdu/approve");
            }
            steps.add("poll GET /rest/zdu/cluster until STABLE (timeout " + o.finalizationTimeout()
                    + "); on UPGRADE_TASKS_FAILED POST retryUpgrade when offered, at most "
                    + o.maxFinalizationRetries() + " time(s)");
        }
        return new UpgradePlan(r.refused(), r.refusals(), r.mode(), order, List.copyOf(steps));
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        if (refused) {
            sb.append("REFUSED:\n");
            refusals.forEach(r -> sb.append(" - ").append(r).append('\n'));
        }
        steps.forEach(s -> sb.append(s).append('\n'));
        return sb.toString();
    }
}
