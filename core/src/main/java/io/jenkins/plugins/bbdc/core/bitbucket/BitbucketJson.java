package io.jenkins.plugins.bbdc.core.bitbucket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Bitbucket's JSON into the DTOs, leniently (rule 7): unknown fields are ignored, enums stay raw strings,
 * optional fields may be absent, ids may be strings or numbers, lists may be bare arrays or paged {@code values}.
 */
final class BitbucketJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private BitbucketJson() {
    }

    /** Parses JSON text; throws when it is not JSON at all. */
    static JsonNode parse(String text) throws JsonProcessingException {
        JsonNode node = MAPPER.readTree(text);
        if (node == null || node.isMissingNode()) {
            throw new JsonProcessingException("empty document") {
                private static final long serialVersionUID = 1L;
            };
        }
        return node;
    }

    /** The first {@code errors[].message} of a Bitbucket error body, or null. */
    static String errorMessage(JsonNode body) {
        if (body == null) {
            return null;
        }
        JsonNode errors = body.path("errors");
        if (errors.isArray()) {
            for (JsonNode e : errors) {
                String m = text(e, "message");
                if (m != null && !m.isBlank()) {
                    return m;
                }
            }
        }
        return text(body, "message");
    }

    static String unlockToken(JsonNode body) {
        return text(body, "unlockToken");
    }

    static String cancelToken(JsonNode body) {
        return text(body, "cancelToken");
    }

    static MaintenanceStatus maintenanceStatus(JsonNode body) {
        JsonNode task = body.path("task");
        return new MaintenanceStatus(text(body, "db-state"), text(body, "scm-state"),
                task.isObject() ? text(task, "state") : null);
    }

    static ApplicationProperties applicationProperties(JsonNode body) {
        return new ApplicationProperties(text(body, "version"), text(body, "buildNumber"), text(body, "buildDate"),
                text(body, "displayName"));
    }

    static ClusterInfo clusterInfo(JsonNode body) {
        List<ClusterInfo.ClusterNode> nodes = new ArrayList<>();
        for (JsonNode n : elements(body.path("nodes"))) {
            nodes.add(clusterNode(n));
        }
        JsonNode local = body.path("localNode");
        return new ClusterInfo(body.path("running").asBoolean(false), local.isObject() ? clusterNode(local) : null,
                nodes);
    }

    private static ClusterInfo.ClusterNode clusterNode(JsonNode n) {
        JsonNode address = n.path("address");
        String host;
        Integer port;
        if (address.isObject()) {
            host = text(address, "address");
            port = integer(address, "port");
        } else {
            host = text(n, "address");
            port = integer(n, "port");
        }
        return new ClusterInfo.ClusterNode(text(n, "id"), text(n, "name"), host, port, text(n, "buildVersion"),
                n.path("local").asBoolean(false));
    }

    /** A bare array, or Bitbucket's paged envelope {@code {"values":[...]}}. */
    static List<MeshNode> meshNodes(JsonNode body) {
        JsonNode list = body.isArray() ? body : body.path("values");
        List<MeshNode> out = new ArrayList<>();
        for (JsonNode n : elements(list)) {
            out.add(meshNode(n));
        }
        return out;
    }

    static boolean isMeshList(JsonNode body) {
        return body.isArray() || body.path("values").isArray();
    }

    static MeshNode meshNode(JsonNode n) {
        return new MeshNode(text(n, "id"), text(n, "name"), text(n, "rpcId"), text(n, "rpcUrl"),
                text(n, "availabilityZone"), longValue(n, "lastSeenDate"), n.path("offline").asBoolean(false),
                text(n, "state"));
    }

    static ZduCluster zduCluster(JsonNode body) {
        List<ZduNode> nodes = new ArrayList<>();
        for (JsonNode n : elements(body.path("nodes"))) {
            nodes.add(zduNode(n));
        }
        JsonNode hft = body.path("hasFinalizationTasks");
        return new ZduCluster(body.path("upgradeModeEnabled").asBoolean(false),
                hft.isBoolean() ? hft.booleanValue() : null, text(body, "state"), text(body, "originalVersion"),
                nodes, links(body.path("links")));
    }

    static ZduStateResponse zduState(JsonNode body) {
        JsonNode info = body.path("buildInfo");
        return new ZduStateResponse(text(body, "state"), info.isObject() ? zduNode(info) : null);
    }

    static ZduNode zduNode(JsonNode n) {
        return new ZduNode(text(n, "id"), text(n, "name"), text(n, "ipAddress"), text(n, "state"),
                integer(n, "tasksTotal"), integer(n, "activeUserCount"), text(n, "buildNumber"), text(n, "version"),
                n.path("local").asBoolean(false), integer(n, "portNumber"), links(n.path("links")));
    }

    /** {@code /status}: the {@code state} member, or null. */
    static String statusState(JsonNode body) {
        return text(body, "state");
    }

    private static List<Link> links(JsonNode array) {
        List<Link> out = new ArrayList<>();
        for (JsonNode l : elements(array)) {
            String rel = text(l, "rel");
            String href = text(l, "href");
            if (rel != null && href != null) {
                out.add(new Link(rel, href));
            }
        }
        return out;
    }

    private static Iterable<JsonNode> elements(JsonNode node) {
        return node != null && node.isArray() ? node : List.of();
    }

    /** Strings as they are; numbers and booleans as their text; null, objects and arrays as null. */
    static String text(JsonNode obj, String field) {
        JsonNode v = obj == null ? null : obj.get(field);
        if (v == null || v.isNull() || v.isContainerNode()) {
            return null;
        }
        return v.asText();
    }

    private static Integer integer(JsonNode obj, String field) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            return v.intValue();
        }
        if (v.isTextual()) {
            try {
                return Integer.valueOf(v.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static Long longValue(JsonNode obj, String field) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            return v.longValue();
        }
        if (v.isTextual()) {
            try {
                return Long.valueOf(v.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
