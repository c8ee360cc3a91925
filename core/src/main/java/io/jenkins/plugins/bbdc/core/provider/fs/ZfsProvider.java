package io.jenkins.plugins.bbdc.core.provider.fs;

import io.jenkins.plugins.bbdc.core.exec.CommandResult;
import io.jenkins.plugins.bbdc.core.exec.CommandSpec;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * ZFS: {@code <dataset>@<snapshot name>}, atomic and crash-consistent. Restore either rolls the dataset back to any
 * of its snapshots ({@code zfs rollback -r}, which destroys every newer snapshot of the dataset — named in the outcome
 * and only with {@code allowReplace}) or clones the snapshot into a new dataset, leaving the live one alone.
 */
public final class ZfsProvider implements SnapshotProvider {
    public static final String KIND = "zfs";
    /** Restore target key: clone into this new dataset instead of rolling back. */
    public static final String TARGET_CLONE = "clone";
    private static final Pattern DATASET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:/-]*[A-Za-z0-9_.:-]|[A-Za-z0-9]");

    private final String dataset;

    /** @param dataset the filesystem dataset holding the component, e.g. {@code tank/bitbucket/shared} */
    public ZfsProvider(String dataset) {
        this.dataset = requireDataset("dataset", dataset);
    }

    private static String requireDataset(String what, String value) {
        if (value == null || !DATASET.matcher(value).matches() || value.contains("//") || value.contains("@")) {
            throw new IllegalArgumentException("zfs: " + what + " '" + value + "' is not a ZFS dataset name such as "
                    + "tank/bitbucket/shared");
        }
        return value;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Set<ProviderCapability> capabilities() {
        return EnumSet.of(ProviderCapability.ZERO_DOWNTIME, ProviderCapability.LOCKED, ProviderCapability.RESTORE,
                ProviderCapability.RESTORE_TO_SCRATCH);
    }

    @Override
    public List<String> plan(ProviderContext ctx) {
        String name = new CaptureRequest("<restore-point>", ctx.instanceId(), ctx.role(), ctx.mode()).snapshotName();
        return List.of("zfs snapshot " + dataset + "@" + name);
    }

    @Override
    public CheckReport check(ProviderContext ctx) throws InterruptedException {
        CheckReport.Builder report = new CheckReport.Builder();
        try {
            CommandResult r = new Commands(KIND, ctx).run("zfs", "list", "-H", "-o", "name,type", dataset);
            if (!r.succeeded()) {
                report.error("zfs: dataset " + dataset + " not found (" + r.stderr().strip() + "); check the name "
                        + "with 'zfs list'");
            } else if (!r.stdout().strip().equals(dataset + "\tfilesystem")) {
                report.error("zfs: " + dataset + " is not a filesystem dataset ('" + r.stdout().strip() + "')");
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
        LvmProvider.requireListableId(request);
        String name = request.snapshotName();
        Instant at = ctx.clock().instant();
        new Commands(KIND, ctx).require("snapshot " + dataset, "zfs", "snapshot", dataset + "@" + name);
        return ref(name, request.restorePointId(), request.instanceId(), request.role().value(), at, null);
    }

    private SnapshotRef ref(String name, String rp, String instance, String role, Instant at, Long used) {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("dataset", dataset);
        attrs.put("snapshotName", name);
        return new SnapshotRef(KIND, role, dataset + "@" + name, rp, instance, at, at, used, attrs);
    }

    /** One snapshot line of {@code zfs list -H -p}. */
    private record Line(String fullName, String snapshot, Instant creation, Long used) { }

    /** Every snapshot of exactly this dataset (no child dataset, no dataset whose name merely starts the same). */
    private List<Line> snapshotsOfDataset(Commands c) throws ProviderException, InterruptedException {
        CommandResult r = c.require("list the snapshots of " + dataset, "zfs", "list", "-H", "-p", "-t", "snapshot",
                "-o", "name,creation,used", "-s", "creation", dataset);
        List<Line> out = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            String[] f = line.split("\t");
            if (f.length < 3 || !f[0].startsWith(dataset + "@")) {
                continue;
            }
            try {
                out.add(new Line(f[0], f[0].substring(dataset.length() + 1),
                        Instant.ofEpochSecond(Long.parseLong(f[1].strip())), Long.parseLong(f[2].strip())));
            } catch (NumberFormatException e) {
                throw new ProviderException("zfs: cannot read '" + line + "' of 'zfs list -p' (expected name, "
                        + "creation and used in seconds and bytes)");
            }
        }
        return out;
    }

    @Override
    public List<SnapshotRef> list(ProviderContext ctx) throws ProviderException, InterruptedException {
        List<SnapshotRef> out = new ArrayList<>();
        for (Line l : snapshotsOfDataset(new Commands(KIND, ctx))) {
            Optional<String> rp = SnapshotNames.restorePointOf(l.snapshot(), ctx.instanceId(), ctx.role());
            rp.ifPresent(id -> out.add(ref(l.snapshot(), id, ctx.instanceId(), ctx.role().value(), l.creation(),
                    l.used())));
        }
        return out; // already oldest first (-s creation)
    }

    private String requireOurs(SnapshotRef ref) throws ProviderException {
        String name = new CaptureRequest(ref.restorePointId(), ref.instanceId(), ref.componentRole(), null)
                .snapshotName();
        if (!KIND.equals(ref.provider()) || !ref.id().equals(dataset + "@" + name)) {
            throw new ProviderException("zfs: " + ref.id() + " is not this provider's snapshot of restore point "
                    + ref.restorePointId() + " (expected " + dataset + "@" + name + "); refusing to touch it");
        }
        return name;
    }

    @Override
    public void delete(SnapshotRef ref, ProviderContext ctx) throws ProviderException, InterruptedException {
        requireOurs(ref);
        Commands c = new Commands(KIND, ctx);
        CommandResult r = c.run("zfs", "destroy", ref.id());
        if (!r.succeeded() && !r.stderr().contains("could not find any snapshots to destroy")
                && !r.stderr().contains("dataset does not exist")) {
            throw new ProviderException(c.failure("destroy " + ref.id() + (r.stderr().contains("dependent clones")
                    ? " (a clone made from it still exists: destroy or promote the clone first)" : ""),
                    CommandSpec.of("zfs", "destroy", ref.id()).build(), r));
        }
    }

    @Override
    public RestoreOutcome restore(SnapshotRef ref, RestoreRequest request, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        String name = requireOurs(ref);
        Commands c = new Commands(KIND, ctx);
        List<Line> all = snapshotsOfDataset(c);
        int index = -1;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).snapshot().equals(name)) {
                index = i;
            }
        }
        if (index < 0) {
            throw new ProviderException("zfs: snapshot " + ref.id() + " does not exist (destroyed?); pick another "
                    + "restore point");
        }
        String clone = request.target(TARGET_CLONE);
        if (clone == null && request.scratch()) {
            clone = dataset + "-scratch-" + name;
        }
        if (clone != null) {
            return cloneTo(ref, requireDataset("clone target", clone), request, c);
        }
        List<String> destroyed = all.subList(index + 1, all.size()).stream().map(Line::fullName).toList();
        List<String> actions = List.of("zfs rollback -r " + ref.id());
        Map<String, String> location = new LinkedHashMap<>();
        location.put("dataset", dataset);
        if (!destroyed.isEmpty()) {
            location.put("destroyedSnapshots", String.join(",", destroyed));
        }
        String consequence = destroyed.isEmpty() ? "no newer snapshot exists"
                : "this destroys the " + destroyed.size() + " newer snapshot(s) of " + dataset + ": "
                + String.join(", ", destroyed);
        if (request.dryRun()) {
            return new RestoreOutcome("would roll " + dataset + " back to " + ref.id() + "; " + consequence,
                    location, List.of(), actions);
        }
        if (!request.allowReplace()) {
            throw new ProviderException("zfs: rolling " + dataset + " back to " + ref.id() + " replaces its current "
                    + "content and " + consequence + "; restore with allowReplace to confirm, or restore into a new "
                    + "dataset with target '" + TARGET_CLONE + "'");
        }
        CommandResult r = c.run("zfs", "rollback", "-r", ref.id());
        if (!r.succeeded()) {
            String hint = r.stderr().contains("clone") ? " (a newer snapshot has a clone: destroy or promote it first)"
                    : r.stderr().contains("busy") ? " (the dataset is busy: stop everything using it)" : "";
            throw new ProviderException(c.failure("roll " + dataset + " back" + hint,
                    CommandSpec.of("zfs", "rollback", "-r", ref.id()).build(), r));
        }
        return new RestoreOutcome(dataset + " rolled back to " + ref.id() + "; " + consequence, location, List.of(),
                actions);
    }

    private RestoreOutcome cloneTo(SnapshotRef ref, String clone, RestoreRequest request, Commands c)
            throws ProviderException, InterruptedException {
        if (clone.equals(dataset)) {
            throw new ProviderException("zfs: the clone target must be a new dataset, not " + dataset + " itself; "
                    + "leave '" + TARGET_CLONE + "' empty to roll back instead");
        }
        List<String> actions = List.of("zfs clone " + ref.id() + " " + clone);
        Map<String, String> location = Map.of("dataset", clone);
        if (request.dryRun()) {
            return new RestoreOutcome("would clone " + ref.id() + " to " + clone, location, List.of(), actions);
        }
        if (c.run("zfs", "list", "-H", "-o", "name", clone).succeeded()) {
            throw new ProviderException("zfs: clone target " + clone + " already exists; choose a new dataset name "
                    + "or destroy it first (zfs destroy " + clone + ")");
        }
        c.require("clone " + ref.id(), "zfs", "clone", ref.id(), clone);
        List<String> steps = new ArrayList<>();
        steps.add("the clone depends on " + ref.id() + ": that snapshot cannot be deleted while " + clone + " exists");
        if (request.scratch()) {
            steps.add("when verification is done: zfs destroy " + clone);
        } else {
            steps.add("to make " + clone + " independent of the snapshot: zfs promote " + clone);
        }
        return new RestoreOutcome("cloned " + ref.id() + " to " + clone, location, steps, actions);
    }
}
