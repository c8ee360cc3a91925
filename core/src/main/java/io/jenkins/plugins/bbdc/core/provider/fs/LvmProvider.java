package io.jenkins.plugins.bbdc.core.provider.fs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.bbdc.core.exec.CommandResult;
import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.CheckReport;
import io.jenkins.plugins.bbdc.core.provider.PreparedCapture;
import io.jenkins.plugins.bbdc.core.provider.ProviderCapability;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.provider.RestoreOutcome;
import io.jenkins.plugins.bbdc.core.provider.RestoreRequest;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointId;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * LVM: a snapshot logical volume of the component's origin LV, {@code <vg>/<snapshot name>} — thick (copy-on-write
 * space of {@code snapshotSize}) or, without a size, thin (the origin must be a thin volume). Crash-consistent at the
 * instant; wrap in {@link FsfreezeProvider} for a clean filesystem. Restore merges the snapshot back into the origin.
 */
public final class LvmProvider implements SnapshotProvider {
    public static final String KIND = "lvm";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9+_.][A-Za-z0-9+_.-]{0,126}");
    private static final Pattern SIZE = Pattern.compile("[0-9]+(\\.[0-9]+)?[bBsSkKmMgGtTpPeE]?");
    private static final DateTimeFormatter LV_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String volumeGroup;
    private final String logicalVolume;
    private final String snapshotSize;

    /**
     * @param volumeGroup   the volume group, e.g. {@code vg0}
     * @param logicalVolume the origin LV holding the component, e.g. {@code bitbucket-shared}
     * @param snapshotSize  copy-on-write space of a thick snapshot ({@code 10G}, LVM units); null for a thin snapshot
     */
    public LvmProvider(String volumeGroup, String logicalVolume, String snapshotSize) {
        this.volumeGroup = requireName("volumeGroup", volumeGroup);
        this.logicalVolume = requireName("logicalVolume", logicalVolume);
        if (snapshotSize != null && !SIZE.matcher(snapshotSize).matches()) {
            throw new IllegalArgumentException("lvm: snapshotSize '" + snapshotSize + "' is not an LVM size such as "
                    + "10G or 512M; leave it empty for a thin snapshot");
        }
        this.snapshotSize = snapshotSize;
    }

    private static String requireName(String what, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException("lvm: " + what + " '" + value + "' is not a valid LVM name (letters, "
                    + "digits, + _ . -; not starting with -)");
        }
        return value;
    }

    private String origin() {
        return volumeGroup + "/" + logicalVolume;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Set<ProviderCapability> capabilities() {
        return EnumSet.of(ProviderCapability.ZERO_DOWNTIME, ProviderCapability.LOCKED, ProviderCapability.RESTORE);
    }

    List<String> createCommand(String name) {
        List<String> cmd = new ArrayList<>(List.of("lvcreate", "--snapshot", "--name", name));
        if (snapshotSize != null) {
            cmd.add("--size");
            cmd.add(snapshotSize);
        }
        cmd.add(origin());
        return cmd;
    }

    @Override
    public List<String> plan(ProviderContext ctx) {
        String name = new CaptureRequest("<restore-point>", ctx.instanceId(), ctx.role(), ctx.mode()).snapshotName();
        return List.of(String.join(" ", createCommand(name)));
    }

    @Override
    public CheckReport check(ProviderContext ctx) throws InterruptedException {
        CheckReport.Builder report = new CheckReport.Builder();
        try {
            CommandResult r = new Commands(KIND, ctx).run("lvs", "--reportformat", "json", "-o",
                    "lv_name,vg_name,lv_attr,pool_lv", origin());
            if (!r.succeeded()) {
                report.error("lvm: logical volume " + origin() + " not found (" + r.stderr().strip() + "); check "
                        + "volumeGroup and logicalVolume against 'lvs'");
                return report.build();
            }
            List<JsonNode> lvs = rows(r.stdout());
            if (lvs.isEmpty()) {
                report.error("lvm: lvs reported nothing for " + origin());
            } else if (snapshotSize == null && lvs.get(0).path("pool_lv").asText().isEmpty()) {
                report.error("lvm: " + origin() + " is not a thin volume, so a snapshot needs copy-on-write space: "
                        + "set snapshotSize (e.g. 10G, enough for the writes during the snapshot's lifetime)");
            }
        } catch (ProviderException e) {
            report.error(e.getMessage());
        }
        return report.build();
    }

    @Override
    public PreparedCapture prepare(ProviderContext ctx) throws ProviderException, InterruptedException {
        CheckReport report = check(ctx);
        if (report.hasErrors()) {
            throw new ProviderException(String.join("; ", report.errors()));
        }
        return PreparedCapture.none();
    }

    @Override
    public SnapshotRef capture(PreparedCapture prepared, CaptureRequest request, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        requireListableId(request);
        String name = request.snapshotName();
        Instant at = ctx.clock().instant();
        new Commands(KIND, ctx).require("snapshot " + origin(), createCommand(name).toArray(String[]::new));
        return ref(name, request.restorePointId(), request.instanceId(), request.role().value(), at, null);
    }

    static void requireListableId(CaptureRequest request) throws ProviderException {
        if (!RestorePointId.isValid(request.restorePointId())) {
            throw new ProviderException("restore point id '" + request.restorePointId() + "' is not of the form "
                    + "20261121t101500z-ab12; snapshots are found again by that form, so no snapshot was taken");
        }
    }

    private SnapshotRef ref(String name, String rp, String instance, String role, Instant at, Long size) {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("volumeGroup", volumeGroup);
        attrs.put("origin", logicalVolume);
        attrs.put("snapshotName", name);
        if (snapshotSize != null) {
            attrs.put("snapshotSize", snapshotSize);
        }
        return new SnapshotRef(KIND, role, volumeGroup + "/" + name, rp, instance, at, at, size, attrs);
    }

    private static List<JsonNode> rows(String json) throws ProviderException {
        try {
            List<JsonNode> out = new ArrayList<>();
            JSON.readTree(json).path("report").forEach(report -> report.path("lv").forEach(out::add));
            return out;
        } catch (IOException e) {
            throw new ProviderException("lvm: could not read the JSON report of lvs (" + e.getMessage() + "); "
                    + "lvm2 2.02.158 or newer is needed for --reportformat json");
        }
    }

    @Override
    public List<SnapshotRef> list(ProviderContext ctx) throws ProviderException, InterruptedException {
        CommandResult r = new Commands(KIND, ctx).require("list the snapshots in " + volumeGroup, "lvs",
                "--reportformat", "json", "--units", "b", "--nosuffix", "-o", "lv_name,vg_name,origin,lv_time,lv_size",
                volumeGroup);
        List<SnapshotRef> out = new ArrayList<>();
        for (JsonNode lv : rows(r.stdout())) {
            String name = lv.path("lv_name").asText();
            if (!volumeGroup.equals(lv.path("vg_name").asText())
                    || !logicalVolume.equals(lv.path("origin").asText())) {
                continue;
            }
            Optional<String> rp = SnapshotNames.restorePointOf(name, ctx.instanceId(), ctx.role());
            if (rp.isEmpty()) {
                continue;
            }
            Instant at = parseTime(lv.path("lv_time").asText(), name);
            out.add(ref(name, rp.get(), ctx.instanceId(), ctx.role().value(), at, parseSize(lv.path("lv_size"))));
        }
        out.sort(Comparator.comparing(SnapshotRef::capturedAt).thenComparing(SnapshotRef::id));
        return out;
    }

    private static Instant parseTime(String text, String name) throws ProviderException {
        try {
            return OffsetDateTime.parse(text, LV_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new ProviderException("lvm: cannot read the creation time '" + text + "' of " + name);
        }
    }

    private static Long parseSize(JsonNode n) {
        try {
            return n.isMissingNode() || n.asText().isEmpty() ? null : (long) Double.parseDouble(n.asText());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private String requireOurs(SnapshotRef ref) throws ProviderException {
        String name = new CaptureRequest(ref.restorePointId(), ref.instanceId(), ref.componentRole(), null)
                .snapshotName();
        if (!KIND.equals(ref.provider()) || !ref.id().equals(volumeGroup + "/" + name)) {
            throw new ProviderException("lvm: " + ref.id() + " is not this provider's snapshot of restore point "
                    + ref.restorePointId() + " (expected " + volumeGroup + "/" + name + "); refusing to touch it");
        }
        return name;
    }

    @Override
    public void delete(SnapshotRef ref, ProviderContext ctx) throws ProviderException, InterruptedException {
        requireOurs(ref);
        Commands c = new Commands(KIND, ctx);
        CommandResult r = c.run("lvremove", "-y", ref.id());
        if (!r.succeeded() && !r.stderr().contains("Failed to find logical volume")) {
            throw new ProviderException(c.failure("delete snapshot " + ref.id(),
                    io.jenkins.plugins.bbdc.core.exec.CommandSpec.of("lvremove", "-y", ref.id()).build(), r));
        }
    }

    @Override
    public RestoreOutcome restore(SnapshotRef ref, RestoreRequest request, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        requireOurs(ref);
        if (request.scratch()) {
            throw new ProviderException("lvm: cannot restore to a scratch location (a merge always rewrites the "
                    + "origin); verify with another provider's scratch restore or by mounting the snapshot read-only");
        }
        if (!logicalVolume.equals(ref.attribute("origin"))) {
            throw new ProviderException("lvm: " + ref.id() + " is a snapshot of " + ref.attribute("origin")
                    + ", not of " + origin());
        }
        List<String> actions = List.of("lvconvert --merge " + ref.id());
        String summaryTail = " (the snapshot is consumed by the merge: it no longer exists afterwards)";
        if (request.dryRun()) {
            return new RestoreOutcome("would merge " + ref.id() + " back into " + origin() + summaryTail,
                    Map.of("logicalVolume", origin()), List.of(), actions);
        }
        if (!request.allowReplace()) {
            throw new ProviderException("lvm: merging " + ref.id() + " replaces the whole content of " + origin()
                    + "; restore with allowReplace to confirm");
        }
        Commands c = new Commands(KIND, ctx);
        CommandResult r = c.require("merge " + ref.id() + " into " + origin(), "lvconvert", "--merge", ref.id());
        String said = (r.stdout() + "\n" + r.stderr());
        List<String> steps = new ArrayList<>();
        Map<String, String> location = new LinkedHashMap<>();
        location.put("logicalVolume", origin());
        if (said.contains("next activation") || said.contains("Delaying merge")) {
            location.put("merge", "deferred");
            steps.add("the merge completes on the next activation of " + origin() + " because it is open (mounted or"
                    + " in use): unmount it and stop everything using it, then run 'lvchange -an " + origin()
                    + "' and 'lvchange -ay " + origin() + "'; follow the progress with 'lvs -a " + volumeGroup + "'");
            steps.add("start Bitbucket only after the merge has finished (the snapshot is gone from 'lvs -a')");
            return new RestoreOutcome(origin() + " will be restored from " + ref.id() + " on its next activation"
                    + summaryTail, location, steps, actions);
        }
        location.put("merge", "started");
        return new RestoreOutcome(origin() + " restored from " + ref.id() + " (merge started)" + summaryTail,
                location, steps, actions);
    }
}
