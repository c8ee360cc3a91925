package io.jenkins.plugins.bbdc.core.upgrade;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketVersion;
import io.jenkins.plugins.bbdc.core.bitbucket.ClusterInfo;
import io.jenkins.plugins.bbdc.core.bitbucket.ClusterState;
import io.jenkins.plugins.bbdc.core.bitbucket.NodeState;
import io.jenkins.plugins.bbdc.core.bitbucket.ZduCluster;
import io.jenkins.plugins.bbdc.core.bitbucket.ZduNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rules checked before anything changes, decided from one observation of {@code /rest/zdu/cluster} and
 * {@code /rest/api/latest/admin/cluster}. Pure: no calls, so the plan (dry run) and the engine use the same rules.
 */
public final class Preflight {

    /** What the observed cluster means for this upgrade. */
    public enum Mode {
        /** STABLE on the original version: enable upgrade mode and upgrade every node. */
        FRESH,
        /** Upgrade mode already on (an earlier run): continue, skipping nodes already on the target. */
        CONTINUE,
        /** Every node is on the target and finalization is running or failed: continue with finalization. */
        FINALIZING,
        /** STABLE and every node already runs the target: nothing to do. */
        ALREADY_DONE
    }

    /**
     * @param refusals empty when the upgrade may go ahead; otherwise every reason, each saying what to do
     * @param nodes    the expected nodes in upgrade order (those already on the target are {@link NodeStep#SKIPPED})
     */
    public record Result(Mode mode, String originalVersion, List<NodeRecord> nodes, List<String> refusals,
                         List<String> notes) {
        public boolean refused() {
            return !refusals.isEmpty();
        }
    }

    private Preflight() {
    }

    public static Result check(UpgradeOptions options, ZduCluster zdu, ClusterInfo members) {
        List<String> refusals = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        BitbucketVersion target;
        try {
            target = BitbucketVersion.parse(options.targetVersion());
        } catch (IllegalArgumentException e) {
            return new Result(null, null, List.of(), List.of(e.getMessage()), notes);
        }
        ClusterState state = zdu.clusterState();
        List<ZduNode> zduNodes = zdu.nodes();

        checkMembership(zduNodes, members, refusals);
        if (zduNodes.size() < 2) {
            refusals.add("a rolling upgrade needs at least two nodes; this cluster has " + zduNodes.size()
                    + ": upgrading the only node takes Bitbucket down, so use Bitbucket's upgrade procedure with"
                    + " downtime");
        }
        if (zduNodes.size() - 1 < options.minActiveNodes()) {
            refusals.add("at least " + options.minActiveNodes() + " node(s) must stay active, but this cluster has "
                    + zduNodes.size() + " node(s): taking one out would leave " + (zduNodes.size() - 1)
                    + "; lower minActiveNodes or add nodes");
        }

        Mode mode;
        String original;
        switch (state) {
            case STABLE -> {
                original = checkStable(zduNodes, target, refusals);
                mode = original != null && original.equals(target.toString())
                        && refusals.isEmpty() ? Mode.ALREADY_DONE : Mode.FRESH;
                if (zdu.upgradeModeEnabled()) {
                    refusals.add("Bitbucket reports STABLE with upgrade mode enabled, which the rolling upgrade does"
                            + " not understand; check the rolling upgrade page in Bitbucket's administration");
                }
            }
            case READY_TO_UPGRADE, MIXED, READY_TO_RUN_UPGRADE_TASKS -> {
                mode = Mode.CONTINUE;
                original = checkContinue(zdu, target, refusals, notes);
            }
            case RUNNING_UPGRADE_TASKS, UPGRADE_TASKS_FAILED -> {
                mode = Mode.FINALIZING;
                original = zdu.originalVersion();
                for (ZduNode n : zduNodes) {
                    if (!target.toString().equals(n.version())) {
                        refusals.add("Bitbucket is finalizing an upgrade (" + state + ") but node " + label(n)
                                + " runs " + n.version() + ", not the target " + target
                                + ": that upgrade was to another version; finish it first");
                    }
                }
                notes.add("finalization is under way (" + state + "): continuing with it");
            }
            default -> {
                mode = null;
                original = null;
                refusals.add("Bitbucket reports the unknown rolling-upgrade state '" + zdu.state()
                        + "': check the rolling upgrade page in Bitbucket's administration before upgrading");
            }
        }

        List<NodeRecord> records = buildRecords(options, zduNodes, target, mode, refusals);
        List<NodeRecord> ordered = NodeOrder.order(records, options.nodeOrder(), refusals);
        return new Result(mode, original, ordered, List.copyOf(refusals), List.copyOf(notes));
    }

    /** Every member of the cluster must appear in the rolling-upgrade view, or it would be forgotten. */
    private static void checkMembership(List<ZduNode> zduNodes, ClusterInfo members, List<String> refusals) {
        if (members == null) {
            return;
        }
        for (ClusterInfo.ClusterNode m : members.nodes()) {
            boolean seen = zduNodes.stream().anyMatch(z -> sameNode(z, m));
            if (!seen) {
                refusals.add("node " + (m.name() != null ? m.name() : m.id()) + " (" + m.address()
                        + ") is a cluster member but absent from Bitbucket's rolling-upgrade view; it could not be"
                        + " checked or upgraded: let it finish joining, then run again");
            }
        }
    }

    static boolean sameNode(ZduNode z, ClusterInfo.ClusterNode m) {
        if (z.id() != null && m.id() != null
                && (z.id().equals(m.id()) || m.id().startsWith(z.id()) || z.id().startsWith(m.id()))) {
            return true;
        }
        if (z.name() != null && !"Not configured".equals(z.name()) && z.name().equals(m.name())) {
            return true;
        }
        return z.ipAddress() != null && z.ipAddress().equals(m.address());
    }

    private static String checkStable(List<ZduNode> nodes, BitbucketVersion target, List<String> refusals) {
        List<String> notActive = nodes.stream().filter(n -> n.nodeState() != NodeState.ACTIVE)
                .map(n -> label(n) + " is " + n.state()).toList();
        if (!notActive.isEmpty()) {
            refusals.add("every node must be ACTIVE before a rolling upgrade: " + String.join(", ", notActive)
                    + "; bring them back or remove them from the cluster, then run again");
        }
        Set<String> versions = nodes.stream().map(ZduNode::version).filter(Objects::nonNull)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        if (versions.size() > 1) {
            refusals.add("the nodes run different versions (" + nodes.stream().map(n -> label(n) + " " + n.version())
                    .collect(Collectors.joining(", ")) + ") although upgrade mode is off: bring every node to one"
                    + " version first");
            return null;
        }
        if (versions.isEmpty()) {
            return null;
        }
        String running = versions.iterator().next();
        if (running.equals(target.toString())) {
            return running;
        }
        versionRule(running, target, refusals);
        return running;
    }

    private static String checkContinue(ZduCluster zdu, BitbucketVersion target, List<String> refusals,
                                        List<String> notes) {
        String original = zdu.originalVersion();
        if (original == null) {
            original = zdu.nodes().stream().map(ZduNode::version).filter(Objects::nonNull)
                    .min((a, b) -> BitbucketVersion.parse(a).compareTo(BitbucketVersion.parse(b))).orElse(null);
        }
        if (original == null) {
            refusals.add("upgrade mode is on but Bitbucket reports no original version and no node version");
            return null;
        }
        versionRule(original, target, refusals);
        for (ZduNode n : zdu.nodes()) {
            if (n.nodeState() == NodeState.ERROR) {
                refusals.add("node " + label(n) + " is in ERROR: fix it, or shut it down gracefully, then run again");
            }
            if (n.version() != null && !n.version().equals(original) && !n.version().equals(target.toString())) {
                refusals.add("node " + label(n) + " runs " + n.version() + ", neither the original version "
                        + original + " nor the target " + target + ": upgrade mode was enabled for another upgrade;"
                        + " finish that one first");
            }
        }
        notes.add("upgrade mode is already enabled (" + zdu.state() + ", original version " + original
                + "): continuing; nodes already on " + target + " are skipped");
        return original;
    }

    private static void versionRule(String running, BitbucketVersion target, List<String> refusals) {
        try {
            String refusal = BitbucketVersion.parse(running).rollingUpgradeRefusal(target);
            if (refusal != null) {
                refusals.add(refusal);
            }
        } catch (IllegalArgumentException e) {
            refusals.add("Bitbucket reports the version '" + running + "', which cannot be compared: "
                    + e.getMessage());
        }
    }

    private static List<NodeRecord> buildRecords(UpgradeOptions options, List<ZduNode> zduNodes,
                                                 BitbucketVersion target, Mode mode, List<String> refusals) {
        NodeUrls urls = new NodeUrls(options);
        List<NodeRecord> records = new ArrayList<>();
        List<String> missingUrls = new ArrayList<>();
        for (ZduNode n : zduNodes) {
            String url;
            try {
                url = urls.resolve(n.id(), n.name(), n.ipAddress());
            } catch (IllegalArgumentException e) {
                refusals.add("the URL configured for node " + label(n) + " is not a URL: " + e.getMessage());
                url = null;
            }
            if (url == null) {
                missingUrls.add(label(n) + " (host " + n.ipAddress() + ", id " + n.id() + ")");
            }
            NodeRecord r = new NodeRecord(n.id(), n.name(), n.ipAddress(), url, n.version(), n.load());
            r.lastState = n.state();
            r.lastVersion = n.version();
            boolean onTarget = target.toString().equals(n.version());
            if (mode == Mode.FINALIZING || mode == Mode.ALREADY_DONE
                    || (mode == Mode.CONTINUE && onTarget && n.nodeState() == NodeState.ACTIVE)) {
                r.step = NodeStep.SKIPPED;
            }
            records.add(r);
        }
        if (!missingUrls.isEmpty()) {
            refusals.add("no node URL for " + String.join(", ", missingUrls) + ": each node's own /status must be"
                    + " read directly (the load balancer answers for any node); configure node URLs by node name,"
                    + " host or id, or a node URL template such as http://{nodeHost}:7990");
        }
        // with replacesNodes a configured URL may name a replacement that does not exist yet
        for (String key : options.replacesNodes() ? List.<String>of() : urls.configured().keySet()) {
            if (zduNodes.stream().noneMatch(n -> urls.matches(key, n.id(), n.name(), n.ipAddress()))) {
                refusals.add("a node URL is configured for '" + key + "' but the cluster has no such node: is it"
                        + " stopped? A stopped node is invisible to Bitbucket before upgrade mode; start it or"
                        + " remove it from the configuration");
            }
        }
        return records;
    }

    static String label(ZduNode n) {
        return n.name() == null || n.name().isBlank() || "Not configured".equals(n.name()) ? n.id() : n.name();
    }
}
