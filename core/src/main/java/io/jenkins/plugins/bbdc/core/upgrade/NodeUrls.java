package io.jenkins.plugins.bbdc.core.upgrade;

import java.net.URI;
import java.util.Map;

/**
 * Finds each node's own base URL: {@code /status} must be read on the node itself, never through the load balancer
 * (which answers for whichever node it picked). Configured URLs are keyed by node name, host or id; a template such
 * as {@code http://{nodeHost}:7990} covers the rest.
 */
final class NodeUrls {
    private final Map<String, String> byKey;
    private final String template;

    NodeUrls(UpgradeOptions options) {
        this.byKey = options.nodeUrls();
        this.template = options.nodeUrlTemplate();
    }

    /** The URL without a trailing slash, or null when none is configured for this node. */
    String resolve(String id, String name, String host) {
        String url = first(byKey.get(name), byKey.get(host), byKey.get(id));
        if (url == null && template != null && !template.isBlank()) {
            url = template.replace("{nodeName}", nz(name)).replace("{nodeHost}", nz(host)).replace("{nodeId}", nz(id));
        }
        if (url == null) {
            return null;
        }
        URI.create(url); // rejects a malformed URL here rather than at the first poll
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Configured keys that match no node of the cluster (a stopped node is invisible in a STABLE cluster). */
    boolean matches(String key, String id, String name, String host) {
        return key.equals(id) || key.equals(name) || key.equals(host);
    }

    Map<String, String> configured() {
        return byKey;
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
