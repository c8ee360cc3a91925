package io.jenkins.plugins.bbdc.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A position in the YAML configuration that knows its file and key path, so that every error says where it is and
 * what was expected. Unknown keys are refused (a typo must not silently fall back to a default).
 */
public final class ConfigNode {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private final String file;
    private final String path;
    private final JsonNode node;
    private final Function<String, String> environment;

    public ConfigNode(String file, String path, JsonNode node) {
        this(file, path, node, System::getenv);
    }

    /** @param environment where {@code {env: NAME}} secrets are looked up (the process environment in production) */
    public ConfigNode(String file, String path, JsonNode node, Function<String, String> environment) {
        this.file = file;
        this.path = path;
        this.node = node == null ? MissingNode.getInstance() : node;
        this.environment = environment;
    }

    public String path() {
        return path;
    }

    public String file() {
        return file;
    }

    public boolean isPresent() {
        return !node.isMissingNode() && !node.isNull();
    }

    public boolean isList() {
        return node.isArray();
    }

    public boolean has(String key) {
        return child(key).isPresent();
    }

    public ConfigNode child(String key) {
        return new ConfigNode(file, path.isEmpty() ? key : path + "." + key, node.path(key), environment);
    }

    public ConfigException error(String problem) {
        return ConfigException.at(file, path, problem);
    }

    /** Refuses keys other than {@code allowed}. */
    public ConfigNode allowOnly(String... allowed) {
        return allowOnly(List.of(allowed));
    }

    /** Refuses keys other than {@code allowed}. */
    public ConfigNode allowOnly(Collection<String> allowed) {
        if (!isPresent()) {
            return this;
        }
        requireObject();
        Set<String> ok = new TreeSet<>(allowed);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!ok.contains(k)) {
                throw ConfigException.at(file, path.isEmpty() ? k : path + "." + k,
                        "unknown key; expected one of " + String.join(", ", ok));
            }
        }
        return this;
    }

    public ConfigNode requireObject() {
        if (!node.isObject()) {
            throw error("expected a mapping (key: value lines), found " + describe());
        }
        return this;
    }

    public Map<String, ConfigNode> entries() {
        Map<String, ConfigNode> out = new LinkedHashMap<>();
        if (!isPresent()) {
            return out;
        }
        requireObject();
        node.fieldNames().forEachRemaining(k -> out.put(k, child(k)));
        return out;
    }

    public List<ConfigNode> items() {
        List<ConfigNode> out = new ArrayList<>();
        if (!isPresent()) {
            return out;
        }
        if (!node.isArray()) {
            throw error("expected a list, found " + describe());
        }
        for (int i = 0; i < node.size(); i++) {
            out.add(new ConfigNode(file, path + "[" + i + "]", node.get(i), environment));
        }
        return out;
    }

    public String string(String key) {
        ConfigNode c = child(key);
        if (!c.isPresent()) {
            throw c.error("required; expected a text value");
        }
        return c.asText();
    }

    public String string(String key, String defaultValue) {
        ConfigNode c = child(key);
        return c.isPresent() ? c.asText() : defaultValue;
    }

    public String asText() {
        if (!node.isValueNode()) {
            throw error("expected a text value, found " + describe());
        }
        return node.asText();
    }

    public List<String> strings(String key) {
        List<String> out = new ArrayList<>();
        for (ConfigNode item : child(key).items()) {
            out.add(item.asText());
        }
        return out;
    }

    public int integer(String key, int defaultValue) {
        ConfigNode c = child(key);
        if (!c.isPresent()) {
            return defaultValue;
        }
        if (!c.node.canConvertToInt() || !c.node.isIntegralNumber()) {
            throw c.error("expected a whole number, found " + c.describe());
        }
        return c.node.asInt();
    }

    public Integer optionalInteger(String key) {
        return has(key) ? integer(key, 0) : null;
    }

    public boolean bool(String key, boolean defaultValue) {
        ConfigNode c = child(key);
        if (!c.isPresent()) {
            return defaultValue;
        }
        if (!c.node.isBoolean()) {
            throw c.error("expected true or false, found " + c.describe());
        }
        return c.node.asBoolean();
    }

    public Path pathValue(String key) {
        return Path.of(string(key));
    }

    /** {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 7d} or ISO-8601 ({@code PT10M}). */
    public Duration duration(String key, Duration defaultValue) {
        ConfigNode c = child(key);
        if (!c.isPresent()) {
            return defaultValue;
        }
        return parseDuration(c.asText(), c);
    }

    public Duration optionalDuration(String key) {
        return has(key) ? duration(key, null) : null;
    }

    static Duration parseDuration(String text, ConfigNode where) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw where.error("'" + text + "' is not a duration; expected for example 500ms, 30s, 10m, 2h, 7d");
        }
    }

    /**
     * A secret given by reference: {@code {env: NAME}} or {@code {file: /path}}. A literal value is refused so that
     * secrets never sit in configuration files; the value itself is never echoed.
     */
    public SecretRef secret(String key) {
        ConfigNode c = child(key);
        if (!c.isPresent()) {
            throw c.error("required; give the secret by reference: {env: VARIABLE} or {file: /path/to/file}");
        }
        if (c.node.isValueNode()) {
            throw c.error("secrets are given by reference, never literally: use {env: VARIABLE} or"
                    + " {file: /path/to/file}");
        }
        c.allowOnly("env", "file");
        if (c.has("env") == c.has("file")) {
            throw c.error("expected exactly one of env or file");
        }
        return c.has("env") ? SecretRef.env(c.string("env"), c.path, environment)
                : SecretRef.file(Path.of(c.string("file")), c.path);
    }

    public SecretRef optionalSecret(String key) {
        return has(key) ? secret(key) : null;
    }

    private String describe() {
        if (node.isMissingNode() || node.isNull()) {
            return "nothing";
        }
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        return "'" + node.asText() + "'";
    }
}
