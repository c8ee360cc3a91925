package io.jenkins.plugins.bbdc.testkit.aws;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One Query-protocol call: the form parameters, the service and region of the signing scope and the access key that
 * signed it. Lists arrive flattened ({@code Name.1}, {@code Name.2} … for EC2, {@code Name.Member.1} … for RDS).
 */
public final class QueryRequest {
    private final String service;
    private final String region;
    private final String accessKeyId;
    private final Map<String, String> params;

    QueryRequest(String service, String region, String accessKeyId, Map<String, String> params) {
        this.service = service;
        this.region = region;
        this.accessKeyId = accessKeyId;
        this.params = Collections.unmodifiableMap(new TreeMap<>(params));
    }

    public String service() {
        return service;
    }

    public String region() {
        return region;
    }

    public String accessKeyId() {
        return accessKeyId;
    }

    public String action() {
        return params.get("Action");
    }

    public Map<String, String> params() {
        return params;
    }

    public String get(String name) {
        return params.get(name);
    }

    String required(String name) {
        String v = params.get(name);
        if (v == null || v.isEmpty()) {
            throw AwsFault.badRequest("MissingParameter", "The request must contain the parameter " + name);
        }
        return v;
    }

    boolean bool(String name, boolean dflt) {
        String v = params.get(name);
        return v == null ? dflt : Boolean.parseBoolean(v);
    }

    Integer integer(String name) {
        String v = params.get(name);
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            throw AwsFault.badRequest("InvalidParameterValue",
                    "Value (" + v + ") for parameter " + name + " is invalid. Expected an integer.");
        }
    }

    Instant instant(String name) {
        String v = params.get(name);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw AwsFault.badRequest("InvalidParameterValue", "Invalid timestamp for " + name + ": " + v);
        }
    }

    /** Values of {@code prefix.1}, {@code prefix.2} … in order. */
    List<String> list(String prefix) {
        List<String> out = new ArrayList<>();
        for (int i = 1; params.containsKey(prefix + "." + i); i++) {
            out.add(params.get(prefix + "." + i));
        }
        return out;
    }

    /** The structures {@code prefix.1.*}, {@code prefix.2.*} …, each as its sub-parameters without the prefix. */
    List<Map<String, String>> structs(String prefix) {
        List<Map<String, String>> out = new ArrayList<>();
        for (int i = 1; ; i++) {
            String p = prefix + "." + i + ".";
            Map<String, String> m = new LinkedHashMap<>();
            params.forEach((k, v) -> {
                if (k.startsWith(p)) {
                    m.put(k.substring(p.length()), v);
                }
            });
            if (m.isEmpty()) {
                return out;
            }
            out.add(m);
        }
    }

    /** Tags given as {@code prefix.N.Key} / {@code prefix.N.Value}. */
    Map<String, String> tags(String prefix) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (Map<String, String> t : structs(prefix)) {
            tags.put(t.get("Key"), t.getOrDefault("Value", ""));
        }
        return tags;
    }

    /** Values of a sub-list inside a struct map, e.g. {@code Value.1}, {@code Value.2}. */
    static List<String> subList(Map<String, String> struct, String prefix) {
        List<String> out = new ArrayList<>();
        for (int i = 1; struct.containsKey(prefix + "." + i); i++) {
            out.add(struct.get(prefix + "." + i));
        }
        return out;
    }

    /** AWS filter values accept {@code *} and {@code ?} wildcards. */
    static boolean globMatches(String pattern, String value) {
        if (value == null) {
            return false;
        }
        if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0) {
            return pattern.equals(value);
        }
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(java.util.regex.Pattern.quote(String.valueOf(c)));
            }
        }
        return value.matches(re.toString());
    }

    @Override
    public String toString() {
        return service + "/" + region + " " + params;
    }
}
