package io.jenkins.plugins.bbdc.testkit.bitbucket;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One HTTP request as a node sees it; {@code path} is relative to the context path. */
final class SimRequest {
    final String method;
    final String path;
    final String query;
    final Map<String, List<String>> headers;
    final byte[] body;
    private final Map<String, String> params;

    SimRequest(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        this.method = method;
        this.path = path;
        this.query = query;
        this.headers = headers;
        this.body = body;
        this.params = Collections.unmodifiableMap(parseQuery(query));
    }

    /** First value of a header, case-insensitively; null when absent. */
    String header(String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }

    String param(String name) {
        return params.get(name);
    }

    boolean isMutating() {
        return !("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method) || "TRACE".equals(method));
    }

    private static Map<String, String> parseQuery(String query) {
        Map<String, String> result = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return result;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            result.putIfAbsent(URLDecoder.decode(key, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return result;
    }
}
