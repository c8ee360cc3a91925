package io.jenkins.plugins.bbdc.core.provider.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.bbdc.core.event.OperationEvent;
import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.CheckReport;
import io.jenkins.plugins.bbdc.core.provider.HttpRetry;
import io.jenkins.plugins.bbdc.core.provider.PreparedCapture;
import io.jenkins.plugins.bbdc.core.provider.ProviderCapability;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.provider.RestoreOutcome;
import io.jenkins.plugins.bbdc.core.provider.RestoreRequest;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.core.time.Sleeper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The search index through the OpenSearch / Elasticsearch snapshot API: a snapshot of Bitbucket's indices into a
 * registered repository, tagged with the restore point in the snapshot's {@code metadata}, awaited until
 * {@code SUCCESS} (the old scripts never waited and counted failed snapshots as backups).
 */
public final class OpenSearchSnapshotProvider implements SnapshotProvider, AutoCloseable {
    static final String META_RESTORE_POINT = "bbdc_restore_point";
    static final String META_INSTANCE = "bbdc_instance";
    static final String META_ROLE = "bbdc_role";

    private final OpenSearchConfig config;
    private final OpenSearchClient client;

    public OpenSearchSnapshotProvider(OpenSearchConfig config) {
        List<String> problems = config.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("OpenSearch provider: " + String.join("; ", problems));
        }
        this.config = config;
        this.client = new OpenSearchClient(config);
    }

    @Override
    public String kind() {
        return "opensearch";
    }

    @Override
    public Set<ProviderCapability> capabilities() {
        return EnumSet.of(ProviderCapability.ZERO_DOWNTIME, ProviderCapability.LOCKED, ProviderCapability.RESTORE,
                ProviderCapability.RESTORE_TO_SCRATCH);
    }

    @Override
    public List<String> plan(ProviderContext ctx) {
        String repo = "/_snapshot/" + config.repository();
        List<String> lines = new ArrayList<>();
        lines.add("GET " + repo + (config.repositoryType() != null ? " (PUT " + repo + " type "
                + config.repositoryType() + " if missing)" : " (must exist)"));
        lines.add("PUT " + repo + "/<bbdc-" + ctx.instanceId() + "-<restore point>-" + ctx.role().slug()
                + ">?wait_for_completion=false indices " + config.indices() + ", metadata restore point/instance/role");
        lines.add("GET " + repo + "/<snapshot> until SUCCESS (every " + config.pollInterval().toSeconds()
                + " s, at most " + config.waitTimeout() + ")");
        return lines;
    }

    @Override
    public CheckReport check(ProviderContext ctx) throws InterruptedException {
        CheckReport.Builder report = new CheckReport.Builder();
        try {
            if (!repositoryExists(ctx.sleeper())) {
                if (config.repositoryType() == null) {
                    report.error(missingRepository());
                } else {
                    report.warning("snapshot repository " + config.repository() + " does not exist yet; it will be"
                            + " created with type " + config.repositoryType());
                }
            }
        } catch (ProviderException e) {
            report.error(e.getMessage());
        }
        return report.build();
    }

    private String missingRepository() {
        return "snapshot repository '" + config.repository() + "' does not exist on " + config.url() + ": register it"
                + " (PUT /_snapshot/" + config.repository() + " with its type and settings) or configure"
                + " 'createRepository'";
    }

    private boolean repositoryExists(Sleeper sleeper) throws ProviderException, InterruptedException {
        try {
            client.call("GET", "read the snapshot repository", null, HttpRetry.Kind.READ, sleeper, "_snapshot",
                    config.repository());
            return true;
        } catch (OpenSearchException e) {
            if ("repository_missing_exception".equals(e.type())) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public PreparedCapture prepare(ProviderContext ctx) throws ProviderException, InterruptedException {
        if (!repositoryExists(ctx.sleeper())) {
            if (config.repositoryType() == null) {
                throw new ProviderException(missingRepository());
            }
            ObjectNode body = OpenSearchClient.json().createObjectNode().put("type", config.repositoryType());
            ObjectNode settings = body.putObject("settings");
            config.repositorySettings().forEach(settings::put);
            client.call("PUT", "create the snapshot repository", body, HttpRetry.Kind.REPEATABLE, ctx.sleeper(),
                    "_snapshot", config.repository());
        }
        return PreparedCapture.none();
    }

    @Override
    public SnapshotRef capture(PreparedCapture prepared, CaptureRequest request, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        String name = request.snapshotName();
        ObjectNode body = OpenSearchClient.json().createObjectNode().put("indices", config.indices())
                .put("ignore_unavailable", true).put("include_global_state", false);
        body.putObject("metadata").put(META_RESTORE_POINT, request.restorePointId())
                .put(META_INSTANCE, request.instanceId()).put(META_ROLE, request.role().value());
        Instant start = ctx.clock().instant();
        while (true) {
            try {
                // refused (429) or timed out in the cluster manager's queue (503): not done, so repeatable; a
                // repeat of a create that did run is recognised below by its unique name and metadata
                client.callWithQuery("PUT", "start snapshot " + name, body, "wait_for_completion=false",
                        HttpRetry.Kind.REPEATABLE, ctx.sleeper(), "_snapshot", config.repository(), name);
                break;
            } catch (OpenSearchException e) {
                if (e.repeated() && "invalid_snapshot_name_exception".equals(e.type())
                        && ours(name, request, ctx.sleeper())) {
                    break; // the create was repeated after a 503 and an earlier attempt had been done after all
                }
                // one snapshot at a time per cluster: wait for the running one instead of failing the backup
                if (!OpenSearchClient.CONCURRENT_SNAPSHOT.equals(e.type())
                        || Duration.between(start, ctx.clock().instant()).compareTo(config.waitTimeout()) >= 0) {
                    throw e;
                }
                ctx.sleeper().sleep(config.pollInterval());
            }
        }
        Instant capturedAt = ctx.clock().instant();
        ctx.events().emit(OperationEvent.info(capturedAt, "backup", "capture", "search snapshot " + name
                + " started in repository " + config.repository()).withComponent(request.role().value()));
        return new SnapshotRef(kind(), request.role().value(), name, request.restorePointId(), request.instanceId(),
                capturedAt, null, null, Map.of("repository", config.repository(), "indices", config.indices()));
    }

    @Override
    public SnapshotRef awaitDurable(PreparedCapture prepared, SnapshotRef ref, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        Instant start = ctx.clock().instant();
        while (true) {
            JsonNode s = describe(ref.id(), ctx.sleeper());
            String state = s.path("state").asText();
            long elapsed = Duration.between(start, ctx.clock().instant()).toMillis();
            switch (state) {
                case "SUCCESS" -> {
                    ctx.events().emit(OperationEvent.info(ctx.clock().instant(), "backup", "durable", "search"
                            + " snapshot " + ref.id() + " SUCCESS (" + s.path("shards").path("successful").asInt()
                            + " shards)").withComponent(ref.role()).withPercent(100).withElapsed(elapsed));
                    return ref.durable(ctx.clock().instant(), null).withAttribute("indexList",
                            String.join(",", texts(s.path("indices"))));
                }
                case "IN_PROGRESS", "STARTED", "INIT" -> {
                    if (elapsed >= config.waitTimeout().toMillis()) {
                        throw new ProviderException("search snapshot " + ref.id() + " is still " + state + " after "
                                + config.waitTimeout() + "; raise the wait timeout for large indices");
                    }
                    ctx.sleeper().sleep(config.pollInterval());
                }
                default -> throw new ProviderException("search snapshot " + ref.id() + " ended in state " + state
                        + " (" + s.path("shards").path("failed").asInt() + " of " + s.path("shards").path("total")
                        .asInt() + " shards failed: " + failures(s) + "); it is not usable for restore point "
                        + ref.restorePointId());
            }
        }
    }

    /** True when snapshot {@code name} exists and was started for exactly this restore point, instance and role. */
    private boolean ours(String name, CaptureRequest request, Sleeper sleeper)
            throws ProviderException, InterruptedException {
        JsonNode m;
        try {
            m = describe(name, sleeper).path("metadata");
        } catch (OpenSearchException e) {
            return false;
        }
        return request.restorePointId().equals(m.path(META_RESTORE_POINT).asText(null))
                && request.instanceId().equals(m.path(META_INSTANCE).asText(null))
                && request.role().value().equals(m.path(META_ROLE).asText(null));
    }

    private static String failures(JsonNode s) {
        List<String> out = new ArrayList<>();
        s.path("failures").forEach(f -> out.add(f.path("index").asText() + "[" + f.path("shard_id").asText() + "] "
                + f.path("reason").asText()));
        return out.isEmpty() ? "no details" : String.join("; ", out);
    }

    private static List<String> texts(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(n -> out.add(n.asText()));
        return out;
    }

    private JsonNode describe(String name, Sleeper sleeper) throws ProviderException, InterruptedException {
        return client.call("GET", "read snapshot " + name, null, HttpRetry.Kind.READ, sleeper, "_snapshot",
                config.repository(), name).path("snapshots").path(0);
    }

    @Override
    public List<SnapshotRef> list(ProviderContext ctx) throws ProviderException, InterruptedException {
        // one reply: OpenSearch's get-snapshots API has no paging (Elasticsearch's size/after is not used)
        JsonNode all = client.call("GET", "list snapshots", null, HttpRetry.Kind.READ, ctx.sleeper(), "_snapshot",
                config.repository(), "_all");
        List<SnapshotRef> refs = new ArrayList<>();
        for (JsonNode s : all.path("snapshots")) {
            JsonNode m = s.path("metadata");
            if (!ctx.instanceId().equals(m.path(META_INSTANCE).asText(null))
                    || !ctx.role().value().equals(m.path(META_ROLE).asText(null))
                    || m.path(META_RESTORE_POINT).isMissingNode()) {
                continue;
            }
            Instant started = Instant.ofEpochMilli(s.path("start_time_in_millis").asLong());
            Instant ended = "SUCCESS".equals(s.path("state").asText()) && s.has("end_time_in_millis")
                    ? Instant.ofEpochMilli(s.path("end_time_in_millis").asLong()) : null;
            Map<String, String> attrs = new LinkedHashMap<>();
            attrs.put("repository", config.repository());
            attrs.put("indexList", String.join(",", texts(s.path("indices"))));
            attrs.put("state", s.path("state").asText());
            refs.add(new SnapshotRef(kind(), ctx.role().value(), s.path("snapshot").asText(),
                    m.path(META_RESTORE_POINT).asText(), ctx.instanceId(), started, ended, null, attrs));
        }
        refs.sort(Comparator.comparing(SnapshotRef::capturedAt));
        return refs;
    }

    @Override
    public void delete(SnapshotRef ref, ProviderContext ctx) throws ProviderException, InterruptedException {
        try {
            client.call("DELETE", "delete snapshot " + ref.id(), null, HttpRetry.Kind.REPEATABLE, ctx.sleeper(),
                    "_snapshot", repositoryOf(ref), ref.id());
        } catch (OpenSearchException e) {
            if (!"snapshot_missing_exception".equals(e.type())) {
                throw e;
            }
        }
    }

    private String repositoryOf(SnapshotRef ref) {
        return ref.attribute("repository") != null ? ref.attribute("repository") : config.repository();
    }

    @Override
    public RestoreOutcome restore(SnapshotRef ref, RestoreRequest request, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        String repo = repositoryOf(ref);
        JsonNode snap = describe(ref.id(), ctx.sleeper());
        if (!"SUCCESS".equals(snap.path("state").asText())) {
            throw new ProviderException("search snapshot " + ref.id() + " is " + snap.path("state").asText()
                    + " and cannot be restored");
        }
        String prefix = request.target("renamePrefix") != null ? request.target("renamePrefix")
                : request.scratch() ? "bbdc-verify-" + ref.restorePointId().toLowerCase(java.util.Locale.ROOT) + "-"
                : "";
        Map<String, String> targets = new LinkedHashMap<>();
        texts(snap.path("indices")).forEach(i -> targets.put(i, prefix + i));
        List<String> actions = new ArrayList<>();
        List<String> toClose = new ArrayList<>();
        for (String target : targets.values()) {
            JsonNode existing = existingIndex(target, ctx.sleeper());
            if (existing == null) {
                continue;
            }
            boolean closed = "true".equals(existing.path(target).path("settings").path("index")
                    .path("verified_before_close").asText());
            if (closed) {
                continue;
            }
            if (request.scratch() || !request.allowReplace()) {
                throw new ProviderException("index " + target + " exists and is open; "
                        + (request.scratch() ? "choose another 'renamePrefix' for the scratch restore"
                        : "restoring over it needs allowReplace (the index is closed and overwritten; Bitbucket's"
                        + " search index can always be rebuilt)"));
            }
            toClose.add(target);
        }
        ObjectNode body = OpenSearchClient.json().createObjectNode()
                .put("indices", String.join(",", targets.keySet())).put("include_global_state", false)
                .put("include_aliases", prefix.isEmpty());
        if (!prefix.isEmpty()) {
            body.put("rename_pattern", "(.+)").put("rename_replacement", prefix + "$1");
        }
        if (request.dryRun()) {
            toClose.forEach(i -> actions.add("POST /" + i + "/_close"));
            actions.add("POST /_snapshot/" + repo + "/" + ref.id() + "/_restore " + body);
            return new RestoreOutcome("would restore search indices " + targets.values(), Map.of(), List.of(),
                    actions);
        }
        for (String i : toClose) {
            client.call("POST", "close index " + i, null, HttpRetry.Kind.REPEATABLE, ctx.sleeper(), i, "_close");
            actions.add("POST /" + i + "/_close");
        }
        client.callWithQuery("POST", "restore snapshot " + ref.id(), body, "wait_for_completion=true",
                HttpRetry.Kind.ONCE, ctx.sleeper(), "_snapshot", repo, ref.id(), "_restore");
        actions.add("POST /_snapshot/" + repo + "/" + ref.id() + "/_restore " + body);
        Map<String, String> location = new LinkedHashMap<>();
        targets.forEach((from, to) -> location.put("index:" + from, to));
        List<String> steps = new ArrayList<>();
        if (request.scratch()) {
            steps.add("delete the scratch indices " + targets.values() + " when verification is done (DELETE /"
                    + String.join(",", targets.values()) + ")");
        } else {
            steps.add("if search results look incomplete after Bitbucket starts, rebuild the index from"
                    + " Administration → Search (Bitbucket reindexes from the database and repositories)");
        }
        return new RestoreOutcome("restored search indices " + targets.values() + " from snapshot " + ref.id(),
                location, steps, actions);
    }

    private JsonNode existingIndex(String name, Sleeper sleeper) throws ProviderException, InterruptedException {
        try {
            return client.call("GET", "read index " + name, null, HttpRetry.Kind.READ, sleeper, name);
        } catch (OpenSearchException e) {
            if ("index_not_found_exception".equals(e.type())) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
