package io.jenkins.plugins.bbdc.core.bitbucket;

import java.util.Map;
import java.util.TreeMap;
import okhttp3.HttpUrl;

/**
 * One call the client is about to make: verb, URL, why (for messages), and what is special about it.
 *
 * @param purpose          what the call is for, as a verb phrase ("take the maintenance lock")
 * @param maintenanceToken sent as {@code X-Atlassian-Maintenance-Token}, or null
 * @param authenticated    false only for a node's {@code /status}
 * @param hints            extra advice per HTTP status, appended to the error message
 */
record HttpCall(String method, HttpUrl url, String purpose, String maintenanceToken, boolean authenticated,
                Map<Integer, String> hints) {

    static final String MAINTENANCE_HEADER = "X-Atlassian-Maintenance-Token";

    HttpCall {
        hints = Map.copyOf(hints);
    }

    static HttpCall get(HttpUrl url, String purpose) {
        return new HttpCall("GET", url, purpose, null, true, Map.of());
    }

    static HttpCall post(HttpUrl url, String purpose) {
        return new HttpCall("POST", url, purpose, null, true, Map.of());
    }

    static HttpCall delete(HttpUrl url, String purpose) {
        return new HttpCall("DELETE", url, purpose, null, true, Map.of());
    }

    HttpCall withMaintenanceToken(String token) {
        return new HttpCall(method, url, purpose, token, authenticated, hints);
    }

    HttpCall unauthenticated() {
        return new HttpCall(method, url, purpose, maintenanceToken, false, hints);
    }

    HttpCall hint(int status, String text) {
        Map<Integer, String> h = new TreeMap<>(hints);
        h.put(status, text);
        return new HttpCall(method, url, purpose, maintenanceToken, authenticated, h);
    }

    /** Only reads are replayed automatically (rule 12). */
    boolean idempotent() {
        return "GET".equals(method);
    }

    /** True when the call carries a maintenance token (header or {@code token=} query parameter). */
    boolean carriesMaintenanceToken() {
        return maintenanceToken != null || url.queryParameter("token") != null;
    }

    /** {@code METHOD url} with every token redacted: safe for messages and logs. */
    String describe() {
        return method + " " + Redaction.url(url) + (maintenanceToken != null ? " [" + MAINTENANCE_HEADER + ": "
                + Redaction.MASK + "]" : "");
    }
}
