package io.jenkins.plugins.bbdc.core.upgrade;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdmin;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketException;
import io.jenkins.plugins.bbdc.core.bitbucket.NodeStatus;
import io.jenkins.plugins.bbdc.core.bitbucket.ZduCluster;
import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.event.OperationEvent;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** The collaborators every step uses, and the small helpers around them (time, events, observation). */
record EngineContext(BitbucketAdmin admin, NodeAction action, LoadBalancerHook loadBalancer, PreUpgradeBackup backup,
                     EventSink events, Clock clock) {
    static final String OPERATION = "upgrade";

    Instant now() {
        return clock.instant();
    }

    boolean expired(Instant since, Duration limit) {
        return since != null && Duration.between(since, now()).compareTo(limit) > 0;
    }

    void info(String phase, NodeRecord node, String message) {
        emit(OperationEvent.Level.INFO, phase, node, null, message);
    }

    void warn(String phase, NodeRecord node, String message) {
        emit(OperationEvent.Level.WARNING, phase, node, null, message);
    }

    void error(String phase, NodeRecord node, String message) {
        emit(OperationEvent.Level.ERROR, phase, node, null, message);
    }

    void emit(OperationEvent.Level level, String phase, NodeRecord node, Duration elapsed, String message) {
        OperationEvent e = new OperationEvent(now(), level, OPERATION, phase, null,
                node == null ? null : node.label(), null, elapsed == null ? null : elapsed.toMillis(), message);
        events.emit(e);
    }

    ZduCluster cluster() throws BitbucketException {
        return admin.zduCluster();
    }

    NodeStatus status(NodeRecord node) {
        return admin.nodeStatus(URI.create(node.url));
    }

    UpgradeNodeContext nodeContext(UpgradeState s, NodeRecord n) {
        int position = s.nodes.indexOf(n) + 1;
        return new UpgradeNodeContext(n.id, n.name, n.host, n.url, s.originalVersion, s.options.targetVersion(),
                position, s.nodes.size(), n.actionCalls > 0);
    }
}
