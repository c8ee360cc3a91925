package io.jenkins.plugins.bbdc.jenkins.steps;

import io.jenkins.plugins.bbdc.jenkins.Messages;
import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Jenkins body of {@code bitbucketRollingUpgrade} as the upgrade engine's asynchronous node action: the first
 * time the engine asks for a node the body is started (once) with that node in its environment, and the engine is
 * told "in progress" until the body's callback reports success or failure. Persisted with the step, so after a
 * controller restart (when the body itself resumes) the engine keeps waiting for the same node instead of starting
 * the body twice.
 */
public final class NodeBodies implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What the engine is told. */
    public enum Progress { IN_PROGRESS, DONE }

    private enum Outcome { RUNNING, SUCCEEDED, FAILED }

    private String nodeId;
    private Outcome outcome;
    private String failure;

    /**
     * Called by the node action for {@code nodeId}.
     *
     * @param start starts the body for this node (called at most once per node)
     * @throws Exception when the body failed on this node (the engine then stops the upgrade safely)
     */
    public synchronized Progress perform(String nodeId, Runnable start) throws Exception {
        if (nodeId.equals(this.nodeId)) {
            switch (outcome) {
                case RUNNING:
                    return Progress.IN_PROGRESS;
                case SUCCEEDED:
                    this.nodeId = null;
                    return Progress.DONE;
                default:
                    String why = failure;
                    this.nodeId = null;
                    throw new Exception(Messages.NodeBodies_failed(nodeId, why));
            }
        }
        this.nodeId = nodeId;
        this.outcome = Outcome.RUNNING;
        this.failure = null;
        start.run();
        return Progress.IN_PROGRESS;
    }

    /** The body's callback: the body for {@code nodeId} ended. Reports for another node are ignored. */
    public synchronized void finished(String nodeId, Throwable error) {
        if (nodeId.equals(this.nodeId) && outcome == Outcome.RUNNING) {
            outcome = error == null ? Outcome.SUCCEEDED : Outcome.FAILED;
            failure = error == null ? null : (error.getMessage() == null ? error.toString() : error.getMessage());
        }
    }

    /** Every persisted value, to tell whether it changed. */
    public synchronized List<Object> persisted() {
        return Arrays.asList(nodeId, outcome, failure);
    }

    /** The node whose body is running, or null. */
    public synchronized String runningNode() {
        return outcome == Outcome.RUNNING ? nodeId : null;
    }

    /** The environment the body sees for one node. */
    public static Map<String, String> environment(String nodeId, String nodeName, String nodeHost, String nodeUrl,
                                                  String targetVersion, int position, int count) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("BITBUCKET_NODE_ID", nodeId);
        env.put("BITBUCKET_NODE_NAME", nodeName);
        env.put("BITBUCKET_NODE_HOST", nodeHost);
        env.put("BITBUCKET_NODE_URL", nodeUrl);
        env.put("BITBUCKET_TARGET_VERSION", targetVersion);
        env.put("BITBUCKET_NODE_POSITION", Integer.toString(position));
        env.put("BITBUCKET_NODE_COUNT", Integer.toString(count));
        return env;
    }
}
