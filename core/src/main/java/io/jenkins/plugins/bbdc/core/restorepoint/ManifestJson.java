package io.jenkins.plugins.bbdc.core.restorepoint;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;

/**
 * Reads and writes restore point manifests. Unknown fields are ignored (a newer minor version may add some); a
 * manifest whose {@code schemaVersion} is newer than this code understands is refused with a clear message rather
 * than half-read.
 */
public final class ManifestJson {
    private static final ObjectMapper MAPPER = mapper();

    private ManifestJson() {
    }

    /** The mapper used for manifests and other persisted engine state (ISO-8601 instants, unknown fields ignored). */
    public static ObjectMapper mapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
                .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .build();
    }

    public static byte[] write(RestorePoint point) {
        try {
            return MAPPER.writeValueAsBytes(point);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize restore point " + point.id(), e);
        }
    }

    public static String writeString(RestorePoint point) {
        return new String(write(point), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Parses a manifest; {@code source} names the file in error messages. */
    public static RestorePoint read(byte[] json, String source) throws IOException {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IOException("the manifest " + source + " is not valid JSON (" + rootMessage(e)
                    + "); move it aside and run a catalog rebuild to recreate it from the snapshots", e);
        }
        if (tree == null || !tree.isObject()) {
            throw new IOException("the manifest " + source + " is empty or not a JSON object");
        }
        int version = tree.path("schemaVersion").asInt(0);
        if (version > RestorePoint.SCHEMA_VERSION) {
            throw new IOException("the manifest " + source + " has schemaVersion " + version + " but this version of"
                    + " bbdc-ops understands up to " + RestorePoint.SCHEMA_VERSION + ": upgrade bbdc-ops / the plugin");
        }
        try {
            return MAPPER.treeToValue(tree, RestorePoint.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException("the manifest " + source + " cannot be read: " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
