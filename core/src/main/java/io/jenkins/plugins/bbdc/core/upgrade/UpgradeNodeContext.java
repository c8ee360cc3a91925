package io.jenkins.plugins.bbdc.core.upgrade;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The node a hook or node action works on, as plain values.
 *
 * @param alreadyStarted true when the persisted state shows this action was started before (asynchronous actions
 *                       use it to check on work they launched instead of launching it twice)
 */
public record UpgradeNodeContext(String nodeId, String nodeName, String nodeHost, String nodeUrl,
                                 String originalVersion, String targetVersion, int position, int nodeCount,
                                 boolean alreadyStarted) {

    /** The placeholders of command templates ({@code {nodeName}} …) and their values. */
    public Map<String, String> placeholders() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("nodeId", nodeId);
        m.put("nodeName", nodeName);
        m.put("nodeHost", nodeHost);
        m.put("nodeUrl", nodeUrl);
        m.put("targetVersion", targetVersion);
        m.put("originalVersion", originalVersion);
        return m;
    }

    /** The {@code BITBUCKET_NODE_*} environment given to commands and to the Jenkins body. */
    public Map<String, String> environment() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("BITBUCKET_NODE_ID", nodeId);
        m.put("BITBUCKET_NODE_NAME", nodeName);
        m.put("BITBUCKET_NODE_HOST", nodeHost);
        m.put("BITBUCKET_NODE_URL", nodeUrl);
        m.put("BITBUCKET_TARGET_VERSION", targetVersion);
        m.put("BITBUCKET_ORIGINAL_VERSION", originalVersion);
        m.put("BITBUCKET_NODE_POSITION", Integer.toString(position));
        m.put("BITBUCKET_NODE_COUNT", Integer.toString(nodeCount));
        return m;
    }
}
