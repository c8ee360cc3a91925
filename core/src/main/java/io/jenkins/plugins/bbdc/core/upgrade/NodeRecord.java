package io.jenkins.plugins.bbdc.core.upgrade;

import java.time.Duration;
import java.time.Instant;

/**
 * One expected node inside the persisted {@link UpgradeState}: who it is, where it is in its upgrade, what was last
 * observed and when each step happened. Plain public fields so it serializes as it reads.
 */
public final class NodeRecord {
    public String id;
    public String name;
    /** The node's IP address or host name as Bitbucket reports it. */
    public String host;
    /** The node's own base URL (for {@code /status}). */
    public String url;
    public String originalVersion;
    /**
     * Set when the node action replaced this node by a new one (option {@code replacesNodes}): the replaced node's
     * id, name, host and URL. {@link #id}, {@link #name}, {@link #host} and {@link #url} then name the replacement.
     */
    public String replacedId;
    public String replacedName;
    public String replacedHost;
    public String replacedUrl;
    /** Active users plus tasks when the order was decided. */
    public int load;
    public NodeStep step = NodeStep.PENDING;

    /** Last observation: ZDU node state, version and {@code /status} state. */
    public String lastState;
    public String lastVersion;
    public String lastStatus;
    /** The node was seen not ACTIVE (stopped, starting) after its action began: it really restarted. */
    public boolean sawRestart;
    /** How many times the node action was called for this node (asynchronous actions are asked repeatedly). */
    public int actionCalls;
    /** The load-balancer hook took the node out and has not put it back yet. */
    public boolean outOfLoadBalancer;

    public Instant startedAt;
    public Instant outAt;
    public Instant actionStartedAt;
    public Instant actionEndedAt;
    public Instant readyAt;
    public Instant backInAt;
    public Instant doneAt;
    public String failure;

    public NodeRecord() {
    }

    public NodeRecord(String id, String name, String host, String url, String originalVersion, int load) {
        this.id = id;
        this.name = name;
        this.host = host;
        this.url = url;
        this.originalVersion = originalVersion;
        this.load = load;
    }

    /** Taking the node out of the load balancer. */
    public Duration outTime() {
        return between(startedAt, outAt);
    }

    /** The node action itself. */
    public Duration actionTime() {
        return between(actionStartedAt, actionEndedAt);
    }

    /** From the end of the action until ACTIVE on the target and RUNNING. */
    public Duration waitTime() {
        return between(actionEndedAt, readyAt);
    }

    /** Putting it back into the load balancer. */
    public Duration backInTime() {
        return between(readyAt, backInAt);
    }

    /** The whole node, from the start of its turn until it passed the health gate. */
    public Duration totalTime() {
        return between(startedAt, doneAt);
    }

    public String label() {
        return name == null || name.isBlank() || "Not configured".equals(name) ? id : name;
    }

    /** The replaced node's label, or null when this node was not replaced. */
    public String replacedLabel() {
        if (replacedId == null) {
            return null;
        }
        return replacedName == null || replacedName.isBlank() || "Not configured".equals(replacedName)
                ? replacedId : replacedName;
    }

    private static Duration between(Instant a, Instant b) {
        return a == null || b == null ? null : Duration.between(a, b);
    }
}
