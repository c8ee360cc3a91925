package io.jenkins.plugins.bbdc.core.provider.netapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.bbdc.core.event.OperationEvent;
import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.CheckReport;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
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
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A volume on a NetApp ONTAP cluster through the ONTAP REST API: volume snapshots named
 * {@link CaptureRequest#snapshotName()} with the restore point, instance and role in the snapshot's comment; listing
 * by that comment (so retention never crosses instances); restore by reverting the volume to a snapshot
 * (SnapRestore). Every change is an asynchronous ONTAP job that is followed until it succeeds or fails.
 */
public final class OntapSnapshotProvider implements SnapshotProvider, AutoCloseable {
    static final String COMMENT_PREFIX = "bbdc";
    /** ONTAP's error code for "a snapshot of that name already exists". */
    static final String SNAPSHOT_EXISTS = "1638555";

    private final OntapConfig config;
    private final OntapClient client;

    public OntapSnapshotProvider(OntapConfig config) {
        List<String> problems = config.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("ONTAP provider: " + String.join("; ", problems));
        }
        this.config = config;
        this.client = new OntapClient(config);
    }

    @Override
    public String kind() {
        return "ontap";
    }

    @Override
    public Set<ProviderCapability> capabilities() {
        // a volume snapshot is crash-consistent at one instant, like a block snapshot
        return EnumSet.of(ProviderCapability.ZERO_DOWNTIME, ProviderCapability.LOCKED, ProviderCapability.RESTORE);
    }

    @Override
    public List<String> plan(ProviderContext ctx) {
        String vol = "/api/storage/volumes/<uuid of " + config.svm() + ":" + config.volume() + ">";
        return List.of("GET /api/storage/volumes?name=" + config.volume() + "&svm.name=" + config.svm(),
                "POST " + vol + "/snapshots name bbdc-" + ctx.instanceId() + "-<restore point>-" + ctx.role().slug()
                        + ", comment '" + comment(ctx.instanceId(), "<restore point>", ctx.role()) + "'",
                "GET /api/cluster/jobs/<job uuid> until success (every " + config.pollInterval().toMillis()
                        + " ms, at most " + config.jobTimeout() + ")");
    }

    @Override
    public CheckReport check(ProviderContext ctx) throws InterruptedException {
        CheckReport.Builder report = new CheckReport.Builder();
        try {
            String uuid = volumeUuid(ctx.sleeper());
            client.call("GET", "list snapshots", snapshotsUrl(uuid, Map.of("max_records", "1")), null,
                    HttpRetry.Kind.READ, ctx.sleeper());
        } catch (ProviderException e) {
            report.error(e.getMessage());
        }
        return report.build();
    }

    private String volumeUuid(Sleeper sleeper) throws ProviderException, InterruptedException {
        return volume(sleeper).path("uuid").asText();
    }

    /** The configured volume, looked up by name and SVM. */
    private JsonNode volume(Sleeper sleeper) throws ProviderException, InterruptedException {
        List<JsonNode> found = client.records("find volume " + config.svm() + ":" + config.volume(),
                client.url(List.of("storage", "volumes"), Map.of("name", config.volume(), "svm.name", config.svm(),
                        "fields", "uuid,name,svm,state")), sleeper);
        if (found.isEmpty()) {
            throw new ProviderException("ONTAP " + client.host() + ": there is no volume '" + config.volume()
                    + "' on SVM '" + config.svm() + "' (or the ONTAP account may not see it); check 'svm' and"
                    + " 'volume' (volume show -vserver " + config.svm() + ")");
        }
        return found.get(0);
    }

    private okhttp3.HttpUrl snapshotsUrl(String volumeUuid, Map<String, String> query) {
        return client.url(List.of("storage", "volumes", volumeUuid, "snapshots"), query);
    }

    static String comment(String instanceId, String restorePointId, ComponentRole role) {
        return COMMENT_PREFIX + " instance=" + instanceId + " restore-point=" + restorePointId + " role="
                + role.value();
    }

    /** instance, restore-point and role from a comment this provider wrote; null for any other comment. */
    static Map<String, String> parseComment(String comment) {
        if (comment == null || !comment.startsWith(COMMENT_PREFIX + " ")) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : comment.substring(COMMENT_PREFIX.length() + 1).split(" ")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return out.keySet().containsAll(List.of("instance", "restore-point", "role")) ? out : null;
    }

    @Override
    public PreparedCapture prepare(ProviderContext ctx) throws ProviderException, InterruptedException {
        String uuid = volumeUuid(ctx.sleeper());
        return new Resolved(uuid);
    }

    /** The volume uuid, resolved before the instant so the capture is one call. */
    private record Resolved(String volumeUuid) implements PreparedCapture {
        @Override
        public void close() {
        }
    }

    @Override
    public SnapshotRef capture(PreparedCapture prepared, CaptureRequest request, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        String uuid = prepared instanceof Resolved r ? r.volumeUuid() : volumeUuid(ctx.sleeper());
        String name = request.snapshotName();
        ObjectNode body = OntapClient.json().createObjectNode().put("name", name)
                .put("comment", comment(request.instanceId(), request.restorePointId(), request.role()));
        Instant firstAttempt = ctx.clock().instant();
        // a create refused with 429 did not run, and a repeated one is recognised by its unique name: repeatable
        OntapClient.Reply accepted = client.send("POST", "create snapshot " + name, snapshotsUrl(uuid, Map.of()),
                body, HttpRetry.Kind.REPEATABLE, ctx.sleeper());
        // after retries the snapshot was taken when the last attempt was accepted, not when the first was sent:
        // the restore point's skew must show that
        Instant capturedAt = accepted.retries() == 0 ? firstAttempt : ctx.clock().instant();
        // the snapshot exists only once its job succeeds; returning earlier would let a locked backup unlock too soon
        try {
            client.awaitJob("create snapshot " + name + " of " + config.svm() + ":" + config.volume(),
                    accepted.json(), ctx.clock(), ctx.sleeper());
        } catch (OntapException e) {
            if (accepted.retries() == 0 || !SNAPSHOT_EXISTS.equals(e.code())
                    || !ours(findSnapshot(uuid, name, ctx.sleeper()), request)) {
                throw e;
            }
            // the create was repeated after a 503 and an earlier attempt of it had been done after all
        }
        JsonNode snap = findSnapshot(uuid, name, ctx.sleeper());
        if (snap == null) {
            throw new ProviderException("ONTAP " + client.host() + ": the job creating snapshot " + name
                    + " succeeded but the snapshot is not on volume " + config.svm() + ":" + config.volume());
        }
        ctx.events().emit(OperationEvent.info(ctx.clock().instant(), "backup", "capture", "ONTAP snapshot " + name
                + " of " + config.svm() + ":" + config.volume()).withComponent(request.role().value()));
        return new SnapshotRef(kind(), request.role().value(), name, request.restorePointId(), request.instanceId(),
                capturedAt, ctx.clock().instant(), null, attributes(uuid, snap));
    }

    private Map<String, String> attributes(String volumeUuid, JsonNode snap) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("svm", config.svm());
        a.put("volume", config.volume());
        a.put("volumeUuid", volumeUuid);
        a.put("snapshotUuid", snap.path("uuid").asText());
        return a;
    }

    private JsonNode findSnapshot(String volumeUuid, String name, Sleeper sleeper)
            throws ProviderException, InterruptedException {
        List<JsonNode> found = client.records("find snapshot " + name, snapshotsUrl(volumeUuid, Map.of("name", name,
                "fields", "uuid,name,create_time,comment")), sleeper);
        return found.isEmpty() ? null : found.get(0);
    }

    /** True when {@code snap} was made for exactly this restore point, instance and role. */
    private static boolean ours(JsonNode snap, CaptureRequest request) {
        return snap != null && comment(request.instanceId(), request.restorePointId(), request.role())
                .equals(snap.path("comment").asText(null));
    }

    @Override
    public List<SnapshotRef> list(ProviderContext ctx) throws ProviderException, InterruptedException {
        String uuid = volumeUuid(ctx.sleeper());
        List<SnapshotRef> refs = new ArrayList<>();
        for (JsonNode s : client.records("list snapshots of " + config.svm() + ":" + config.volume(),
                snapshotsUrl(uuid, Map.of("name", "bbdc-*", "fields", "uuid,name,create_time,comment",
                        "max_records", String.valueOf(config.pageSize()))), ctx.sleeper())) {
            Map<String, String> c = parseComment(s.path("comment").asText(null));
            if (c == null || !ctx.instanceId().equals(c.get("instance"))
                    || !ctx.role().value().equals(c.get("role"))) {
                continue;
            }
            Instant created = parseTime(s.path("create_time").asText(null));
            refs.add(new SnapshotRef(kind(), ctx.role().value(), s.path("name").asText(), c.get("restore-point"),
                    ctx.instanceId(), created, created, null, attributes(uuid, s)));
        }
        refs.sort(Comparator.comparing(SnapshotRef::capturedAt));
        return refs;
    }

    private static Instant parseTime(String text) {
        try {
            return text == null ? Instant.EPOCH : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    @Override
    public void delete(SnapshotRef ref, ProviderContext ctx) throws ProviderException, InterruptedException {
        String uuid;
        try {
            uuid = volumeUuid(ctx.sleeper());
        } catch (ProviderException e) {
            throw new ProviderException(e.getMessage() + "; snapshot " + ref.id() + " was not deleted");
        }
        JsonNode snap = findSnapshot(uuid, ref.id(), ctx.sleeper());
        if (snap == null) {
            return; // already gone
        }
        String snapUuid = snap.path("uuid").asText();
        try {
            JsonNode accepted = client.call("DELETE", "delete snapshot " + ref.id(), client.url(List.of("storage",
                    "volumes", uuid, "snapshots", snapUuid), Map.of()), null, HttpRetry.Kind.REPEATABLE,
                    ctx.sleeper());
            client.awaitJob("delete snapshot " + ref.id() + " of " + config.svm() + ":" + config.volume(), accepted,
                    ctx.clock(), ctx.sleeper());
        } catch (OntapException e) {
            if (e.status() == 404) {
                return; // deleted by someone else meanwhile
            }
            throw e;
        }
    }

    @Override
    public RestoreOutcome restore(SnapshotRef ref, RestoreRequest request, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        if (request.scratch()) {
            throw new ProviderException("the ONTAP provider restores only by reverting the live volume; a scratch"
                    + " (verification) restore would need a FlexClone, which it does not create — verify from a"
                    + " clone made by hand (volume clone create -parent-snapshot " + ref.id() + ")");
        }
        String uuid = volumeUuid(ctx.sleeper());
        JsonNode snap = findSnapshot(uuid, ref.id(), ctx.sleeper());
        if (snap == null) {
            throw new ProviderException("ONTAP " + client.host() + ": snapshot " + ref.id() + " is not on volume "
                    + config.svm() + ":" + config.volume() + "; it cannot be restored");
        }
        Instant created = parseTime(snap.path("create_time").asText(null));
        List<String> newer = new ArrayList<>();
        for (JsonNode s : client.records("list snapshots", snapshotsUrl(uuid, Map.of("fields",
                "uuid,name,create_time", "max_records", String.valueOf(config.pageSize()))), ctx.sleeper())) {
            if (parseTime(s.path("create_time").asText(null)).isAfter(created)) {
                newer.add(s.path("name").asText());
            }
        }
        String action = "PATCH /api/storage/volumes/" + uuid + "?restore_to.snapshot.name=" + ref.id();
        List<String> steps = new ArrayList<>();
        steps.add("start Bitbucket only after every other component of restore point " + ref.restorePointId()
                + " is restored");
        if (!newer.isEmpty()) {
            steps.add("ONTAP deleted the snapshots newer than " + ref.id() + " when reverting: " + newer
                    + "; remove their restore points from the catalog");
        }
        if (request.dryRun()) {
            return new RestoreOutcome("would revert volume " + config.svm() + ":" + config.volume()
                    + " to snapshot " + ref.id() + (newer.isEmpty() ? "" : " (deleting newer snapshots " + newer
                    + ")"), Map.of(), List.of(), List.of(action));
        }
        if (!request.allowReplace()) {
            throw new ProviderException("reverting volume " + config.svm() + ":" + config.volume() + " to snapshot "
                    + ref.id() + " replaces everything on it" + (newer.isEmpty() ? "" : " and deletes the newer"
                    + " snapshots " + newer) + "; stop Bitbucket and restore with allowReplace");
        }
        JsonNode accepted = client.call("PATCH", "revert volume " + config.volume() + " to snapshot " + ref.id(),
                client.url(List.of("storage", "volumes", uuid), Map.of("restore_to.snapshot.name", ref.id())),
                OntapClient.json().createObjectNode(), HttpRetry.Kind.ONCE, ctx.sleeper());
        client.awaitJob("revert volume " + config.svm() + ":" + config.volume() + " to snapshot " + ref.id(),
                accepted, ctx.clock(), ctx.sleeper());
        Map<String, String> location = new LinkedHashMap<>();
        location.put("svm", config.svm());
        location.put("volume", config.volume());
        location.put("volumeUuid", uuid);
        return new RestoreOutcome("reverted volume " + config.svm() + ":" + config.volume() + " to snapshot "
                + ref.id(), location, steps, List.of(action));
    }

    @Override
    public void close() {
        client.close();
    }
}
