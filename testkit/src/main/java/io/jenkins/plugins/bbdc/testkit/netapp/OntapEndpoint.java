package io.jenkins.plugins.bbdc.testkit.netapp;

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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
 * A local NetApp ONTAP REST API for volume snapshots, as documented by NetApp: volumes looked up by name and SVM,
 * {@code /api/storage/volumes/{uuid}/snapshots} (list with {@code fields}, {@code name} filters with {@code *},
 * {@code max_records} and {@code _links.next} paging; create; delete), reverting a volume to a snapshot with
 * {@code PATCH /api/storage/volumes/{uuid}?restore_to.snapshot.name=…} (newer snapshots are deleted, as SnapRestore
 * does), and asynchronous jobs: every change answers 202 with {@code job.uuid} and takes effect only when the job
 * reaches {@code success} after a configurable delay ({@code /api/cluster/jobs/{uuid}}). Errors use ONTAP's
 * {@code {"error": {"message", "code"}}} body; basic authentication. Throttling injection answers
 * {@code 429 Too Many Requests} (optionally with {@code Retry-After}) before the request does anything.
 */
public final class OntapEndpoint implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneOffset.UTC);
    /** ONTAP error codes used below. */
    static final String ENTRY_DOESNT_EXIST = "4";
    static final String NOT_AUTHORIZED = "6";
    static final String SNAPSHOT_EXISTS = "1638555";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Clock clock;
    private final String user;
    private final String password;
    private final Map<String, Volume> volumes = new LinkedHashMap<>();
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private Duration jobTime = Duration.ofMillis(50);
    private String failNextJobMessage;
    private String failNextJobCode;
    private int maxPageSize = Integer.MAX_VALUE;
    private final Random random = new Random(42);
    private double throttleProbability;
    private volatile Duration retryAfter;

    /** One received call: method, path with query, status answered. */
    public record Call(String method, String path, int status) { }

    /** What a test can see of a snapshot. */
    public record SnapshotView(String uuid, String name, String comment, String content, Instant created) { }

    private static final class Volume {
        String uuid;
        String name;
        String svm;
        String content = "";
        final Map<String, Snap> snapshots = new LinkedHashMap<>();
    }

    private static final class Snap {
        String uuid;
        String name;
        String comment;
        String content;
        Instant created;
    }

    private static final class Job {
        String uuid;
        String description;
        Instant end;
        String failure;
        String failureCode;
        Runnable effect;
        boolean settled;
    }

    private OntapEndpoint(String user, String password, Clock clock, SSLContext tls) throws IOException {
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
            Thread t = new Thread(r, "ontap-endpoint");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts with basic authentication for {@code user}/{@code password}. */
    public static OntapEndpoint start(String user, String password) {
        return start(user, password, Clock.systemUTC());
    }

    /** As {@link #start(String, String)}, with jobs and snapshot times following {@code clock}. */
    public static OntapEndpoint start(String user, String password, Clock clock) {
        try {
            return new OntapEndpoint(user, password, clock, null);
        } catch (IOException e) {
            throw new IllegalStateException("could not start the ONTAP endpoint: " + e.getMessage(), e);
        }
    }

    /**
     * Starts over HTTPS with the key and certificate of {@code keyStore} (e.g. a self-signed certificate for
     * {@code 127.0.0.1}, as a cluster's default certificate is self-signed).
     */
    public static OntapEndpoint startHttps(String user, String password, KeyStore keyStore, char[] keyPassword) {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, keyPassword);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);
            return new OntapEndpoint(user, password, Clock.systemUTC(), tls);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not start the ONTAP endpoint over HTTPS: " + e.getMessage(), e);
        }
    }

    public URI url() {
        return URI.create((server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:"
                + server.getAddress().getPort());
    }

    // ---------------------------------------------------------------- control API

    /** A volume on an SVM; returns its uuid. */
    public synchronized String addVolume(String svm, String name) {
        Volume v = new Volume();
        v.uuid = UUID.randomUUID().toString();
        v.name = name;
        v.svm = svm;
        volumes.put(v.uuid, v);
        return v.uuid;
    }

    /** Stands for the data on the volume: what a snapshot keeps and a revert brings back. */
    public synchronized OntapEndpoint writeContent(String svm, String volume, String content) {
        find(svm, volume).content = content;
        return this;
    }

    public synchronized String content(String svm, String volume) {
        return find(svm, volume).content;
    }

    /** A snapshot made outside the project (e.g. by an ONTAP snapshot policy). */
    public synchronized OntapEndpoint addForeignSnapshot(String svm, String volume, String name, String comment) {
        Volume v = find(svm, volume);
        v.snapshots.put(name, snap(v, name, comment));
        return this;
    }

    /** How long a job stays {@code running} before it ends (default 50 ms). */
    public synchronized OntapEndpoint jobTime(Duration d) {
        this.jobTime = d;
        return this;
    }

    /** The next job ends in {@code failure} with this ONTAP error code and message, and changes nothing. */
    public synchronized OntapEndpoint failNextJob(String code, String message) {
        this.failNextJobCode = code;
        this.failNextJobMessage = message;
        return this;
    }

    /** Listings return at most this many records per page, whatever max_records asks, with a next link. */
    public synchronized OntapEndpoint maxPageSize(int n) {
        this.maxPageSize = n;
        return this;
    }

    /**
     * Each call is answered {@code 429 Too Many Requests} with this probability (seeded, so a single-threaded test
     * sees the same sequence each run), before it is authenticated or does anything.
     */
    public synchronized OntapEndpoint throttle(double probability) {
        this.throttleProbability = probability;
        return this;
    }

    /** Throttled answers carry {@code Retry-After: <seconds>}; null (the default) sends none. */
    public synchronized OntapEndpoint retryAfter(Duration d) {
        this.retryAfter = d;
        return this;
    }

    /**
     * Snapshots made directly in the volume's state, in order, each {@code name → comment}, with creation times one
     * millisecond apart ending now (for pagination and retention tests; thousands take milliseconds).
     */
    public synchronized OntapEndpoint seedSnapshots(String svm, String volume, Map<String, String> nameToComment) {
        Volume v = find(svm, volume);
        Instant t = clock.instant().minusMillis(nameToComment.size());
        for (Map.Entry<String, String> e : nameToComment.entrySet()) {
            Snap s = new Snap();
            s.uuid = UUID.randomUUID().toString();
            s.name = e.getKey();
            s.comment = e.getValue();
            s.content = v.content;
            s.created = t;
            t = t.plusMillis(1);
            v.snapshots.put(s.name, s);
        }
        return this;
    }

    public synchronized List<SnapshotView> snapshots(String svm, String volume) {
        settle();
        List<SnapshotView> out = new ArrayList<>();
        find(svm, volume).snapshots.values().forEach(s -> out.add(new SnapshotView(s.uuid, s.name, s.comment,
                s.content, s.created)));
        return out;
    }

    public synchronized Optional<SnapshotView> snapshot(String svm, String volume, String name) {
        return snapshots(svm, volume).stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private Volume find(String svm, String name) {
        return volumes.values().stream().filter(v -> v.svm.equals(svm) && v.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no volume " + svm + ":" + name));
    }

    private Snap snap(Volume v, String name, String comment) {
        Snap s = new Snap();
        s.uuid = UUID.randomUUID().toString();
        s.name = name;
        s.comment = comment;
        s.content = v.content;
        // distinct, ordered creation times even within one millisecond
        Instant now = clock.instant();
        for (Snap other : v.snapshots.values()) {
            if (!now.isAfter(other.created)) {
                now = other.created.plusMillis(1);
            }
        }
        s.created = now;
        return s;
    }

    // ---------------------------------------------------------------- protocol

    private static final class Error extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String code;

        Error(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    private record Reply(int status, JsonNode body) { }

    /** A job's effect could not apply: the job ends in failure with this code. */
    private static final class JobFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String code;

        JobFailed(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            Map<String, String> query = query(ex.getRequestURI().getRawQuery());
            byte[] body = ex.getRequestBody().readAllBytes();
            Reply reply;
            try {
                if (throttledNow()) {
                    if (retryAfter != null) {
                        ex.getResponseHeaders().set("Retry-After", String.valueOf(retryAfter.toSeconds()));
                    }
                    throw new Error(429, null, "Too many requests: the cluster's REST API is busy; retry later");
                }
                authenticate(ex.getRequestHeaders().getFirst("Authorization"));
                reply = route(method, path, query, body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body));
            } catch (Error e) {
                reply = new Reply(e.status, error(e));
            } catch (IOException e) {
                reply = new Reply(400, error(new Error(400, "262179", "Unexpected argument: the request body is"
                        + " not JSON")));
            }
            calls.add(new Call(method, ex.getRequestURI().toString(), reply.status()));
            byte[] bytes = JSON.writeValueAsBytes(reply.body());
            ex.getResponseHeaders().set("Content-Type", "application/hal+json");
            ex.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private synchronized boolean throttledNow() {
        return throttleProbability > 0 && random.nextDouble() < throttleProbability;
    }

    private void authenticate(String header) {
        String expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(header)) {
            throw new Error(401, NOT_AUTHORIZED, "not authorized for that command");
        }
    }

    private synchronized Reply route(String method, String path, Map<String, String> query, JsonNode body) {
        settle();
        String[] p = path.replaceAll("^/+|/+$", "").split("/");
        if (p.length == 4 && p[0].equals("api") && p[1].equals("cluster") && p[2].equals("jobs")
                && method.equals("GET")) {
            return new Reply(200, jobJson(job(p[3])));
        }
        if (p.length >= 3 && p[0].equals("api") && p[1].equals("storage") && p[2].equals("volumes")) {
            if (p.length == 3 && method.equals("GET")) {
                return new Reply(200, page(path, query, listVolumes(query)));
            }
            if (p.length == 4 && method.equals("PATCH")) {
                return revert(volume(p[3]), query, body);
            }
            if (p.length == 5 && p[4].equals("snapshots")) {
                Volume v = volume(p[3]);
                return switch (method) {
                    case "GET" -> new Reply(200, page(path, query, listSnapshots(v, query)));
                    case "POST" -> createSnapshot(v, body);
                    default -> throw new Error(405, "3", "method " + method + " not allowed on " + path);
                };
            }
            if (p.length == 6 && p[4].equals("snapshots")) {
                Volume v = volume(p[3]);
                Snap s = v.snapshots.values().stream().filter(x -> x.uuid.equals(p[5])).findFirst()
                        .orElseThrow(() -> new Error(404, ENTRY_DOESNT_EXIST, "entry doesn't exist"));
                return switch (method) {
                    case "GET" -> new Reply(200, snapshotJson(s, List.of()));
                    case "DELETE" -> accepted("Snapshot delete " + s.name, () -> v.snapshots.remove(s.name));
                    default -> throw new Error(405, "3", "method " + method + " not allowed on " + path);
                };
            }
        }
        throw new Error(404, ENTRY_DOESNT_EXIST, "API not found: " + method + " " + path);
    }

    private Volume volume(String uuid) {
        Volume v = volumes.get(uuid);
        if (v == null) {
            throw new Error(404, ENTRY_DOESNT_EXIST, "entry doesn't exist");
        }
        return v;
    }

    private Job job(String uuid) {
        Job j = jobs.get(uuid);
        if (j == null) {
            throw new Error(404, ENTRY_DOESNT_EXIST, "entry doesn't exist");
        }
        return j;
    }

    private List<JsonNode> listVolumes(Map<String, String> query) {
        List<JsonNode> out = new ArrayList<>();
        for (Volume v : volumes.values()) {
            if (matches(query.get("name"), v.name) && matches(query.get("svm.name"), v.svm)) {
                ObjectNode o = JSON.createObjectNode().put("uuid", v.uuid).put("name", v.name);
                o.putObject("svm").put("name", v.svm);
                o.put("state", "online");
                out.add(o);
            }
        }
        return out;
    }

    private List<JsonNode> listSnapshots(Volume v, Map<String, String> query) {
        List<String> fields = query.containsKey("fields") ? List.of(query.get("fields").split(",")) : List.of();
        List<JsonNode> out = new ArrayList<>();
        for (Snap s : v.snapshots.values()) {
            if (matches(query.get("name"), s.name) && matches(query.get("comment"), s.comment)) {
                out.add(snapshotJson(s, fields));
            }
        }
        return out;
    }

    /** ONTAP query values: exact, or {@code *} wildcards, or {@code a|b} alternatives. */
    private static boolean matches(String filter, String value) {
        if (filter == null) {
            return true;
        }
        for (String alt : filter.split("\\|")) {
            if (value != null && value.matches(Pattern.quote(alt).replace("*", "\\E.*\\Q"))) {
                return true;
            }
        }
        return false;
    }

    /** One page of records; {@code start.index} is this endpoint's opaque continuation. */
    private ObjectNode page(String path, Map<String, String> query, List<JsonNode> all) {
        int start = Integer.parseInt(query.getOrDefault("start.index", "0"));
        int size = Math.min(maxPageSize, Integer.parseInt(query.getOrDefault("max_records", "10000")));
        if (size < 1) {
            throw new Error(400, "262185", "Invalid value for max_records");
        }
        List<JsonNode> records = all.subList(Math.min(start, all.size()), Math.min(all.size(), start + size));
        ObjectNode o = JSON.createObjectNode();
        ArrayNode arr = o.putArray("records");
        records.forEach(arr::add);
        o.put("num_records", records.size());
        ObjectNode links = o.putObject("_links");
        links.putObject("self").put("href", path);
        if (start + size < all.size()) {
            StringBuilder next = new StringBuilder(path).append('?');
            query.forEach((k, val) -> {
                if (!k.equals("start.index")) {
                    next.append(encode(k)).append('=').append(encode(val)).append('&');
                }
            });
            next.append("start.index=").append(start + size);
            links.putObject("next").put("href", next.toString());
        }
        return o;
    }

    private Reply createSnapshot(Volume v, JsonNode body) {
        String name = body.path("name").asText(null);
        if (name == null || name.isBlank()) {
            throw new Error(400, "2", "Missing value for required field \"name\"");
        }
        if (name.length() > 255) {
            throw new Error(400, "1638407", "Snapshot name \"" + name + "\" is too long");
        }
        String comment = body.path("comment").asText(null);
        return accepted("Snapshot create " + name, () -> {
            if (v.snapshots.containsKey(name)) {
                throw new JobFailed(SNAPSHOT_EXISTS, "Snapshot copy \"" + name + "\" of volume \"" + v.name
                        + "\" on Vserver \"" + v.svm + "\" already exists.");
            }
            v.snapshots.put(name, snap(v, name, comment));
        });
    }

    private Reply revert(Volume v, Map<String, String> query, JsonNode body) {
        String name = query.getOrDefault("restore_to.snapshot.name",
                body.path("restore_to").path("snapshot").path("name").asText(null));
        if (name == null) {
            throw new Error(400, "262179", "Unexpected argument: only restore_to.snapshot.name is supported by"
                    + " this endpoint");
        }
        if (!v.snapshots.containsKey(name)) {
            throw new Error(404, "2621475", "Snapshot copy \"" + name + "\" does not exist on volume \"" + v.name
                    + "\"");
        }
        return accepted("Volume restore " + v.name + " to " + name, () -> {
            Snap target = v.snapshots.get(name);
            if (target == null) {
                throw new JobFailed("2621475", "Snapshot copy \"" + name + "\" no longer exists");
            }
            v.content = target.content;
            // SnapRestore: every snapshot newer than the one restored is deleted
            v.snapshots.values().removeIf(s -> s.created.isAfter(target.created));
        });
    }

    private Reply accepted(String description, Runnable effect) {
        Job j = new Job();
        j.uuid = UUID.randomUUID().toString();
        j.description = description;
        j.end = clock.instant().plus(jobTime);
        j.effect = effect;
        if (failNextJobMessage != null) {
            j.failure = failNextJobMessage;
            j.failureCode = failNextJobCode;
            failNextJobMessage = null;
        }
        jobs.put(j.uuid, j);
        ObjectNode o = JSON.createObjectNode();
        ObjectNode job = o.putObject("job").put("uuid", j.uuid);
        job.putObject("_links").putObject("self").put("href", "/api/cluster/jobs/" + j.uuid);
        return new Reply(202, o);
    }

    /** Jobs whose time has come end now: their effect applies, or they fail. */
    private void settle() {
        Instant now = clock.instant();
        for (Job j : jobs.values()) {
            if (!j.settled && !now.isBefore(j.end)) {
                j.settled = true;
                if (j.failure == null) {
                    try {
                        j.effect.run();
                    } catch (JobFailed e) {
                        j.failure = e.getMessage();
                        j.failureCode = e.code;
                    }
                }
            }
        }
    }

    private ObjectNode jobJson(Job j) {
        ObjectNode o = JSON.createObjectNode().put("uuid", j.uuid).put("description", j.description);
        if (!j.settled) {
            o.put("state", "running").put("message", "Job is running");
        } else if (j.failure == null) {
            o.put("state", "success").put("message", "success").put("code", 0);
        } else {
            o.put("state", "failure").put("message", j.failure).put("code", Long.parseLong(j.failureCode));
            o.putObject("error").put("message", j.failure).put("code", j.failureCode);
        }
        o.put("start_time", TIME.format(j.end.minus(jobTime)));
        if (j.settled) {
            o.put("end_time", TIME.format(j.end));
        }
        return o;
    }

    private static ObjectNode snapshotJson(Snap s, List<String> fields) {
        ObjectNode o = JSON.createObjectNode().put("uuid", s.uuid).put("name", s.name);
        if (fields.contains("create_time") || fields.contains("*")) {
            o.put("create_time", TIME.format(s.created));
        }
        if ((fields.contains("comment") || fields.contains("*")) && s.comment != null) {
            o.put("comment", s.comment);
        }
        return o;
    }

    private static JsonNode error(Error e) {
        ObjectNode o = JSON.createObjectNode();
        ObjectNode err = o.putObject("error").put("message", e.getMessage());
        if (e.code != null) {
            err.put("code", e.code);
        }
        return o;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
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
