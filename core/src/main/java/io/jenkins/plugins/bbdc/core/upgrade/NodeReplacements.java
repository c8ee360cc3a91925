package io.jenkins.plugins.bbdc.core.upgrade;

import io.jenkins.plugins.bbdc.core.bitbucket.NodeState;
import io.jenkins.plugins.bbdc.core.bitbucket.NodeStatus;
import io.jenkins.plugins.bbdc.core.bitbucket.ZduCluster;
import io.jenkins.plugins.bbdc.core.bitbucket.ZduNode;
import java.net.URI;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Option {@code replacesNodes}: a node action that replaces a node (Auto Scaling terminates the instance, a new one
 * joins) leaves a NEW Bitbucket node with a new id. After the action, a node that is ACTIVE on the target, answers
 * its own {@code /status} RUNNING and is none of the expected (or already replaced) nodes is that replacement; the
 * record then follows the new node and remembers the old one.
 */
final class NodeReplacements {
    private final EngineContext ctx;
    /** The last "no URL for a candidate" warning, so it is said once rather than at every poll. */
    private String lastWarning;

    NodeReplacements(EngineContext ctx) {
        this.ctx = ctx;
    }

    record Candidate(ZduNode node, String url, NodeStatus status) {
    }

    /** The first unknown node ready on the target, with its URL and status; empty when there is none yet. */
    Optional<Candidate> find(UpgradeState s, ZduCluster cluster) {
        Set<String> known = new HashSet<>();
        for (NodeRecord r : s.nodes) {
            known.add(r.id);
            if (r.replacedId != null) {
                known.add(r.replacedId);
            }
        }
        NodeUrls urls = new NodeUrls(s.options);
        for (ZduNode n : cluster.nodes()) {
            if (known.contains(n.id()) || n.nodeState() != NodeState.ACTIVE
                    || !s.options.targetVersion().equals(n.version())) {
                continue;
            }
            String url;
            try {
                url = urls.resolve(n.id(), n.name(), n.ipAddress());
            } catch (IllegalArgumentException e) {
                url = null;
            }
            if (url == null) {
                String warning = "node " + Preflight.label(n) + " (host " + n.ipAddress() + ") is ACTIVE on "
                        + n.version() + " but no node URL is configured for it, so it cannot be checked as a"
                        + " replacement: configure a node URL template such as http://{nodeHost}:7990";
                if (!warning.equals(lastWarning)) {
                    lastWarning = warning;
                    ctx.warn("node-wait", null, warning);
                }
                continue;
            }
            NodeStatus status = ctx.admin().nodeStatus(URI.create(url));
            if (status.ready()) {
                return Optional.of(new Candidate(n, url, status));
            }
        }
        return Optional.empty();
    }

    /** The record follows the replacement from now on (load balancer, health gate, final check, result). */
    void adopt(UpgradeState s, NodeRecord node, Candidate replacement) {
        String old = node.label();
        node.replacedId = node.id;
        node.replacedName = node.name;
        node.replacedHost = node.host;
        node.replacedUrl = node.url;
        node.id = replacement.node().id();
        node.name = replacement.node().name();
        node.host = replacement.node().ipAddress();
        node.url = replacement.url();
        node.sawRestart = true;
        s.currentNodeId = node.id;
        ctx.info("node-replaced", node, old + " (id " + node.replacedId + ") was replaced by " + node.label()
                + " (id " + node.id + ", " + node.url + "), ACTIVE on " + replacement.node().version());
    }
}
