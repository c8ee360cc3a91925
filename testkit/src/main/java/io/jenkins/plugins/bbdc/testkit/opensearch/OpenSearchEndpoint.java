package io.jenkins.plugins.bbdc.testkit.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A local OpenSearch / Elasticsearch endpoint implementing the snapshot API (repositories, snapshots, restore) and
 * the index calls a restore needs, with OpenSearch's JSON error bodies, basic or API-key authentication, over HTTP or
 * HTTPS. Snapshots go {@code IN_PROGRESS} → {@code SUCCESS} after a configurable duration; one snapshot at a time,
 * as OpenSearch. Load injection answers {@code 429 rejected_execution_exception} (any call) and {@code 503
 * process_cluster_event_timeout_exception} (snapshot creates and deletes, which queue for the cluster manager);
 * neither does anything. {@code GET /_snapshot/<repo>/_all} answers every snapshot at once: the get-snapshots API of
 * OpenSearch has no paging.
 */
public final class OpenSearchEndpoint implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SNAPSHOT_NAME = Pattern.compile("[a-z0-9][^\\\\/*?\"<>| ,#A-Z]*");

    private final HttpServer server;
    private final ExecutorService executor;
    private final Clock clock;
    private final String user;
    private final String password;
    private final Map<String, Index> indices = new LinkedHashMap<>();
    private final Map<String, Repo> repositories = new LinkedHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Fault> nextFaults = new LinkedHashMap<>();
    private Duration snapshotTime = Duration.ofMillis(100);
    private String failNextSnapshotState;
    private volatile String apiKey;
    private final Random random = new Random(42);
    private double rejectProbability;
    private double busyProbability;

    /** One received call: method, path with query, status answered. */
    public record Call(String method, String path, int status) { }

    /** What a test can see of a snapshot. */
    public record SnapshotView(String name, String state, List<String> indices, Map<String, Object> metadata) { }

    private record Fault(int status, String type, String reason) { }

    private static final class Index {
        String name;
        long docs;
        boolean open = true;
        String restoredFrom;
    }

    private static final class Repo {
        String type;
        JsonNode settings;
        final Map<String, Snap> snapshots = new LinkedHashMap<>();
    }

    private static final class Snap {
        String name;
        String uuid;
        List<String> indices;
        Map<String, Long> docs = new LinkedHashMap<>();
        Instant start;
        Instant end;
        String finalState = "SUCCESS";
        JsonNode metadata;
    }

    private OpenSearchEndpoint(String user, String password, Clock clock, SSLContext tls) throws IOException {
        this.user = user;
        this.password = password;
        this.clock = clock;
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls != null) {
            HttpsServer https = HttpsServer.create(loopback, 32);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            this.server = https;
        } else {
            this.server = HttpServer.create(loopback, 32);
        }
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "opensearch-endpoint");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts with basic authentication for {@code user}/{@code password} (null user: no authentication). */
    public static OpenSearchEndpoint start(String user, String password) {
        return start(user, password, Clock.systemUTC());
    }

    /** As {@link #start(String, String)}, with snapshot times following {@code clock}. */
    public static OpenSearchEndpoint start(String user, String password, Clock clock) {
        try {
            return new OpenSearchEndpoint(user, password, clock, null);
        } catch (IOException e) {
            throw new IllegalStateException("could not start the OpenSearch endpoint: " + e.getMessage(), e);
        }
    }

    /**
     * Starts over HTTPS with the key and certificate of {@code keyStore} (e.g. a self-signed certificate for
     * {@code 127.0.0.1}, as the demo certificates of a fresh cluster are).
     */
    public static OpenSearchEndpoint startHttps(String user, String password, KeyStore keyStore, char[] keyPassword) {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, keyPassword);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);
            return new OpenSearchEndpoint(user, password, Clock.systemUTC(), tls);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not start the OpenSearch endpoint over HTTPS: " + e.getMessage(),
                    e);
        }
    }

    public URI url() {
        return URI.create((server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:"
                + server.getAddress().getPort());
    }

    // ---------------------------------------------------------------- control API

    /** How long a snapshot stays IN_PROGRESS (default 100 ms). */
    public synchronized OpenSearchEndpoint snapshotTime(Duration d) {
        this.snapshotTime = d;
        return this;
    }

    /**
     * Also accept {@code Authorization: ApiKey <encoded>} with exactly this value (the base64 of {@code id:key}, as
     * the create-API-key call returns it as {@code encoded}); from then on a call without valid credentials is
     * refused even when the endpoint was started without a user.
     */
    public OpenSearchEndpoint apiKey(String encoded) {
        this.apiKey = encoded;
        return this;
    }

    /**
     * Load injection (seeded): each call is refused with {@code 429 rejected_execution_exception} with probability
     * {@code rejected}; each snapshot create or delete that gets past that is refused with {@code 503
     * process_cluster_event_timeout_exception} with probability {@code busy}. Refused calls do nothing.
     */
    public synchronized OpenSearchEndpoint throttle(double rejected, double busy) {
        this.rejectProbability = rejected;
        this.busyProbability = busy;
        return this;
    }

    /**
     * Completed ({@code SUCCESS}) snapshots made directly in the repository's state, in order, each
     * {@code name → metadata}, one millisecond apart ending now (for pagination and retention tests).
     */
    public synchronized OpenSearchEndpoint seedSnapshots(String repository, Map<String, Map<String, String>> nameToMetadata) {
        Repo r = repo(repository);
        Instant t = clock.instant().minusMillis(nameToMetadata.size());
        for (Map.Entry<String, Map<String, String>> e : nameToMetadata.entrySet()) {
            Snap s = new Snap();
            s.name = e.getKey();
            s.uuid = UUID.randomUUID().toString();
            s.indices = new ArrayList<>();
            s.start = t;
            s.end = t;
            s.metadata = JSON.valueToTree(e.getValue());
            t = t.plusMillis(1);
            r.snapshots.put(s.name, s);
        }
        return this;
    }

    public synchronized OpenSearchEndpoint addIndex(String name, long docs) {
        Index i = new Index();
        i.name = name;
        i.docs = docs;
        indices.put(name, i);
        return this;
    }

    /** A filesystem repository, as an operator registers it ({@code PUT /_snapshot/<name>}). */
    public synchronized OpenSearchEndpoint addRepository(String name, String location) {
        Repo r = new Repo();
        r.type = "fs";
        r.settings = JSON.createObjectNode().put("location", location);
        repositories.put(name, r);
        return this;
    }

    /** The next snapshot ends in this state ({@code PARTIAL} or {@code FAILED}) instead of SUCCESS. */
    public synchronized OpenSearchEndpoint failNextSnapshot(String state) {
        this.failNextSnapshotState = state;
        return this;
    }

    /** The next request whose "METHOD path" starts with {@code prefix} fails with this OpenSearch error. */
    public synchronized OpenSearchEndpoint failNext(String prefix, int status, String type, String reason) {
        nextFaults.put(prefix, new Fault(status, type, reason));
        return this;
    }

    public synchronized Optional<SnapshotView> snapshot(String repository, String name) {
        Repo r = repositories.get(repository);
        Snap s = r == null ? null : r.snapshots.get(name);
        return Optional.ofNullable(s).map(x -> new SnapshotView(x.name, state(x), List.copyOf(x.indices),
                JSON.convertValue(x.metadata == null ? JSON.createObjectNode() : x.metadata, Map.class)));
    }

    /** Index name → document count, of open and closed indices. */
    public synchronized Map<String, Long> indices() {
        Map<String, Long> out = new LinkedHashMap<>();
        indices.values().forEach(i -> out.put(i.name, i.docs));
        return out;
    }

    public synchronized boolean isOpen(String index) {
        Index i = indices.get(index);
        return i != null && i.open;
    }

    public synchronized String restoredFrom(String index) {
        Index i = indices.get(index);
        return i == null ? null : i.restoredFrom;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------- protocol

    private static final class Error extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String type;

        Error(int status, String type, String reason) {
            super(reason);
            this.status = status;
            this.type = type;
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            Map<String, String> query = query(ex.getRequestURI().getRawQuery());
            byte[] body = ex.getRequestBody().readAllBytes();
            int status;
            JsonNode reply;
            try {
                shed(method, path);
                authenticate(ex.getRequestHeaders().getFirst("Authorization"));
                reply = route(method, path, query, body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body));
                status = 200;
            } catch (Error e) {
                status = e.status;
                reply = error(e);
                if (status == 401) {
                    ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"OpenSearch Security\"");
                    if (apiKey != null) {
                        ex.getResponseHeaders().add("WWW-Authenticate", "ApiKey");
                    }
                }
            } catch (IOException e) {
                status = 400;
                reply = error(new Error(400, "parse_exception", "request body is not JSON: " + e.getMessage()));
            }
            calls.add(new Call(method, ex.getRequestURI().toString(), status));
            byte[] bytes = JSON.writeValueAsBytes(reply);
            ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Load injection: refuses the call before it does anything. */
    private synchronized void shed(String method, String path) {
        if (rejectProbability > 0 && random.nextDouble() < rejectProbability) {
            throw new Error(429, "rejected_execution_exception", "rejected execution of coordinating operation"
                    + " [" + method + " " + path + "]: the search thread pool queue is full");
        }
        boolean snapshotChange = path.startsWith("/_snapshot/") && path.split("/").length == 4
                && (method.equals("PUT") || method.equals("POST") || method.equals("DELETE"));
        if (snapshotChange && busyProbability > 0 && random.nextDouble() < busyProbability) {
            throw new Error(503, "process_cluster_event_timeout_exception", "failed to process cluster event ("
                    + (method.equals("DELETE") ? "delete snapshot" : "create_snapshot") + ") within 30s");
        }
    }

    private void authenticate(String header) {
        String key = apiKey;
        if (user == null && key == null) {
            return;
        }
        if (key != null && ("ApiKey " + key).equals(header)) {
            return;
        }
        String expected = user == null ? null : "Basic " + Base64.getEncoder().encodeToString((user + ":"
                + password).getBytes(StandardCharsets.UTF_8));
        if (header == null || !header.equals(expected)) {
            throw new Error(401, "security_exception", header == null
                    ? "missing authentication credentials for REST request [/_snapshot]"
                    : "unable to authenticate with the provided " + (header.startsWith("ApiKey ") ? "API key"
                    : "credentials") + " for REST request [/_snapshot]");
        }
    }

    private synchronized JsonNode route(String method, String path, Map<String, String> query, JsonNode body) {
        for (Map.Entry<String, Fault> f : nextFaults.entrySet()) {
            if ((method + " " + path).startsWith(f.getKey())) {
                nextFaults.remove(f.getKey());
                throw new Error(f.getValue().status(), f.getValue().type(), f.getValue().reason());
            }
        }
        String[] p = path.replaceAll("^/+|/+$", "").split("/");
        if (p.length >= 2 && p[0].equals("_snapshot")) {
            String repo = decode(p[1]);
            if (p.length == 2) {
                return switch (method) {
                    case "GET" -> getRepository(repo);
                    case "PUT", "POST" -> putRepository(repo, body);
                    default -> throw new Error(405, "method_not_allowed", method + " " + path);
                };
            }
            String snap = decode(p[2]);
            if (p.length == 4 && p[3].equals("_restore") && method.equals("POST")) {
                return restore(repo, snap, body);
            }
            if (p.length == 3) {
                return switch (method) {
                    case "GET" -> getSnapshots(repo, snap);
                    case "PUT", "POST" -> createSnapshot(repo, snap, body, "true".equals(query.get(
                            "wait_for_completion")));
                    case "DELETE" -> deleteSnapshot(repo, snap);
                    default -> throw new Error(405, "method_not_allowed", method + " " + path);
                };
            }
        }
        if (p.length == 1 && !p[0].isEmpty() && !p[0].startsWith("_")) {
            String name = decode(p[0]);
            if (method.equals("GET")) {
                Index i = index(name);
                ObjectNode o = JSON.createObjectNode();
                o.putObject(i.name).putObject("settings").putObject("index").put("number_of_shards", "1")
                        .put("verified_before_close", String.valueOf(!i.open));
                return o;
            }
            if (method.equals("DELETE")) {
                index(name);
                indices.remove(name);
                return JSON.createObjectNode().put("acknowledged", true);
            }
        }
        if (p.length == 2 && p[1].equals("_close") && method.equals("POST")) {
            index(decode(p[0])).open = false;
            return JSON.createObjectNode().put("acknowledged", true).put("shards_acknowledged", true);
        }
        if (p.length == 2 && p[1].equals("_open") && method.equals("POST")) {
            index(decode(p[0])).open = true;
            return JSON.createObjectNode().put("acknowledged", true).put("shards_acknowledged", true);
        }
        throw new Error(400, "illegal_argument_exception", "no handler found for uri [" + path + "] and method ["
                + method + "]");
    }

    private Repo repo(String name) {
        Repo r = repositories.get(name);
        if (r == null) {
            throw new Error(404, "repository_missing_exception", "[" + name + "] missing");
        }
        return r;
    }

    private Index index(String name) {
        Index i = indices.get(name);
        if (i == null) {
            throw new Error(404, "index_not_found_exception", "no such index [" + name + "]");
        }
        return i;
    }

    private JsonNode getRepository(String name) {
        Repo r = repo(name);
        ObjectNode o = JSON.createObjectNode();
        o.putObject(name).put("type", r.type).set("settings", r.settings);
        return o;
    }

    private JsonNode putRepository(String name, JsonNode body) {
        if (!body.hasNonNull("type")) {
            throw new Error(400, "action_request_validation_exception", "Validation Failed: 1: type is missing;");
        }
        Repo r = repositories.computeIfAbsent(name, n -> new Repo());
        r.type = body.get("type").asText();
        r.settings = body.path("settings");
        return JSON.createObjectNode().put("acknowledged", true);
    }

    private JsonNode createSnapshot(String repoName, String name, JsonNode body, boolean wait) {
        Repo r = repo(repoName);
        if (!SNAPSHOT_NAME.matcher(name).matches()) {
            throw new Error(400, "invalid_snapshot_name_exception", "[" + repoName + ":" + name
                    + "] Invalid snapshot name [" + name + "], must be lowercase and must not contain whitespace,"
                    + " ',', '#', '\\', '/', '*', '?', '\"', '<', '>', '|'");
        }
        if (r.snapshots.containsKey(name)) {
            throw new Error(400, "invalid_snapshot_name_exception", "[" + repoName + ":" + name
                    + "] Invalid snapshot name [" + name + "], snapshot with the same name already exists");
        }
        for (Repo any : repositories.values()) {
            for (Snap s : any.snapshots.values()) {
                if (state(s).equals("IN_PROGRESS")) {
                    throw new Error(503, "concurrent_snapshot_execution_exception", "[" + repoName + ":" + name
                            + "] a snapshot is already running");
                }
            }
        }
        List<String> wanted = patterns(body.path("indices"));
        Snap s = new Snap();
        s.name = name;
        s.uuid = UUID.randomUUID().toString();
        s.indices = new ArrayList<>();
        for (Index i : indices.values()) {
            if (wanted.stream().anyMatch(w -> glob(w, i.name))) {
                s.indices.add(i.name);
                s.docs.put(i.name, i.docs);
            }
        }
        s.start = clock.instant();
        s.end = s.start.plus(snapshotTime);
        s.metadata = body.path("metadata").isMissingNode() ? null : body.get("metadata");
        if (failNextSnapshotState != null) {
            s.finalState = failNextSnapshotState;
            failNextSnapshotState = null;
        }
        r.snapshots.put(name, s);
        if (wait) {
            s.end = s.start;
            ObjectNode o = JSON.createObjectNode();
            o.set("snapshot", snapshotJson(s));
            return o;
        }
        return JSON.createObjectNode().put("accepted", true);
    }

    private JsonNode getSnapshots(String repoName, String names) {
        Repo r = repo(repoName);
        ArrayNode arr = JSON.createArrayNode();
        if (names.equals("_all") || names.equals("*")) {
            r.snapshots.values().forEach(s -> arr.add(snapshotJson(s)));
        } else {
            for (String n : names.split(",")) {
                Snap s = r.snapshots.get(n);
                if (s == null) {
                    throw new Error(404, "snapshot_missing_exception", "[" + repoName + ":" + n + "] is missing");
                }
                arr.add(snapshotJson(s));
            }
        }
        ObjectNode o = JSON.createObjectNode();
        o.set("snapshots", arr);
        return o;
    }

    private JsonNode deleteSnapshot(String repoName, String name) {
        Repo r = repo(repoName);
        if (r.snapshots.remove(name) == null) {
            throw new Error(404, "snapshot_missing_exception", "[" + repoName + ":" + name + "] is missing");
        }
        return JSON.createObjectNode().put("acknowledged", true);
    }

    private JsonNode restore(String repoName, String name, JsonNode body) {
        Repo r = repo(repoName);
        Snap s = r.snapshots.get(name);
        if (s == null) {
            throw new Error(404, "snapshot_missing_exception", "[" + repoName + ":" + name + "] is missing");
        }
        if (!state(s).equals("SUCCESS")) {
            throw new Error(500, "snapshot_restore_exception", "[" + repoName + ":" + name + "] cannot restore"
                    + " a snapshot in state " + state(s));
        }
        List<String> wanted = body.has("indices") ? patterns(body.get("indices")) : List.of("*");
        String pattern = body.path("rename_pattern").asText(null);
        String replacement = body.path("rename_replacement").asText(null);
        Map<String, String> targets = new LinkedHashMap<>();
        for (String idx : s.indices) {
            if (wanted.stream().noneMatch(w -> glob(w, idx))) {
                continue;
            }
            String target = pattern != null && replacement != null ? idx.replaceAll(pattern, replacement) : idx;
            Index existing = indices.get(target);
            if (existing != null && existing.open) {
                throw new Error(500, "snapshot_restore_exception", "[" + repoName + ":" + name + "/" + s.uuid
                        + "] cannot restore index [" + target + "] because an open index with same name already"
                        + " exists in the cluster. Either close or delete the existing index or restore the index"
                        + " under a different name by providing a rename pattern and replacement name");
            }
            targets.put(idx, target);
        }
        targets.forEach((from, to) -> {
            Index i = new Index();
            i.name = to;
            i.docs = s.docs.get(from);
            i.restoredFrom = repoName + "/" + name + "/" + from;
            indices.put(to, i);
        });
        return JSON.createObjectNode().put("accepted", true);
    }

    private ObjectNode snapshotJson(Snap s) {
        ObjectNode o = JSON.createObjectNode();
        String state = state(s);
        o.put("snapshot", s.name).put("uuid", s.uuid).put("version_id", 136337827).put("version", "2.17.0");
        ArrayNode idx = o.putArray("indices");
        s.indices.forEach(idx::add);
        o.putArray("data_streams");
        o.put("include_global_state", false);
        if (s.metadata != null) {
            o.set("metadata", s.metadata);
        }
        o.put("state", state).put("start_time", s.start.toString()).put("start_time_in_millis", s.start.toEpochMilli());
        if (!state.equals("IN_PROGRESS")) {
            o.put("end_time", s.end.toString()).put("end_time_in_millis", s.end.toEpochMilli())
                    .put("duration_in_millis", Duration.between(s.start, s.end).toMillis());
        }
        ArrayNode failures = o.putArray("failures");
        int total = s.indices.size();
        int failed = state.equals("PARTIAL") ? Math.max(1, total / 2) : state.equals("FAILED") ? total : 0;
        if (failed > 0) {
            failures.addObject().put("index", s.indices.isEmpty() ? "" : s.indices.get(0)).put("shard_id", 0)
                    .put("reason", "IndexShardSnapshotFailedException[disk full]").put("status", "INTERNAL_SERVER_ERROR");
        }
        o.putObject("shards").put("total", total).put("failed", failed).put("successful", total - failed);
        return o;
    }

    private String state(Snap s) {
        return clock.instant().isBefore(s.end) ? "IN_PROGRESS" : s.finalState;
    }

    private static List<String> patterns(JsonNode indices) {
        List<String> out = new ArrayList<>();
        if (indices.isArray()) {
            indices.forEach(n -> out.add(n.asText()));
        } else if (indices.isTextual()) {
            for (String s : indices.asText().split(",")) {
                out.add(s.trim());
            }
        } else {
            out.add("*");
        }
        return out;
    }

    private static boolean glob(String pattern, String value) {
        return value.matches(Pattern.quote(pattern).replace("*", "\\E.*\\Q"));
    }

    private static JsonNode error(Error e) {
        ObjectNode o = JSON.createObjectNode();
        ObjectNode err = o.putObject("error");
        err.putArray("root_cause").addObject().put("type", e.type).put("reason", e.getMessage());
        err.put("type", e.type).put("reason", e.getMessage());
        o.put("status", e.status);
        return o;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                out.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return out;
    }
}
