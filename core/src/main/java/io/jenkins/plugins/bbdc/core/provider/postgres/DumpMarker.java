package io.jenkins.plugins.bbdc.core.provider.postgres;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The small file {@value #FILE_NAME} written into a dump directory once {@code pg_dump} finished. It makes the dump
 * rediscoverable without a catalog and scoped to one instance (a directory name alone cannot tell instances apart),
 * and its presence means the dump is complete. Plain {@code key=value} lines; never a secret.
 */
record DumpMarker(String instanceId, String restorePointId, String role, Instant capturedAt, Instant durableAt,
                  Map<String, String> attributes) {
    static final String FILE_NAME = "bbdc-dump.properties";
    private static final String[] CORE = {"instance", "restorePoint", "role", "capturedAt", "durableAt"};

    DumpMarker {
        attributes = Map.copyOf(attributes);
    }

    byte[] toBytes() {
        StringBuilder sb = new StringBuilder("# written by Bitbucket DC Ops once pg_dump finished; identifies this dump\n");
        sb.append("instance=").append(instanceId).append('\n')
                .append("restorePoint=").append(restorePointId).append('\n')
                .append("role=").append(role).append('\n')
                .append("capturedAt=").append(capturedAt).append('\n')
                .append("durableAt=").append(durableAt).append('\n');
        new java.util.TreeMap<>(attributes).forEach((k, v) -> sb.append(k).append('=').append(oneLine(v)).append('\n'));
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Empty when a required key is missing or malformed: such a directory is not one of ours. */
    static Optional<DumpMarker> parse(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        text.lines().filter(l -> !l.startsWith("#") && l.contains("="))
                .forEach(l -> m.put(l.substring(0, l.indexOf('=')).strip(), l.substring(l.indexOf('=') + 1).strip()));
        for (String k : CORE) {
            if (m.get(k) == null || m.get(k).isEmpty()) {
                return Optional.empty();
            }
        }
        try {
            Instant captured = Instant.parse(m.get("capturedAt"));
            Instant durable = Instant.parse(m.get("durableAt"));
            Map<String, String> attrs = new LinkedHashMap<>(m);
            for (String k : CORE) {
                attrs.remove(k);
            }
            return Optional.of(new DumpMarker(m.get("instance"), m.get("restorePoint"), m.get("role"), captured, durable,
                    attrs));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String oneLine(String v) {
        return v == null ? "" : v.replace('\n', ' ').replace('\r', ' ');
    }
}
