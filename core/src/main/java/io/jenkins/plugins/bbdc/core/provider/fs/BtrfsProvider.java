package io.jenkins.plugins.bbdc.core.provider.fs;

import io.jenkins.plugins.bbdc.core.event.OperationEvent;
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
import java.util.Set;

/**
 * btrfs: a read-only snapshot of the component's subvolume, {@code <snapshotDirectory>/<snapshot name>}, taken
 * atomically by the filesystem (crash-consistent, so usable without the maintenance lock). Restore replaces the
 * subvolume by a writable snapshot of the chosen one and keeps the previous subvolume aside until that succeeded.
 */
public final class BtrfsProvider implements SnapshotProvider {
    public static final String KIND = "btrfs";
    /** Restore target keys: where to restore (default: the configured subvolume) and whether to keep the old one. */
    public static final String TARGET_PATH = "path";
    public static final String TARGET_KEEP_PREVIOUS = "keepPrevious";

    private final String subvolume;
    private final SnapshotDirectory snapshots;

    /**
     * @param subvolume         the live subvolume holding the component (e.g. the shared home), absolute path
     * @param snapshotDirectory an existing directory on the same btrfs filesystem that receives the snapshots
     */
    public BtrfsProvider(String subvolume, String snapshotDirectory) {
        this.subvolume = SnapshotDirectory.stripTrailingSlash(absolute("subvolume", subvolume));
        this.snapshots = new SnapshotDirectory(absolute("snapshotDirectory", snapshotDirectory));
        if (this.snapshots.dir().equals(this.subvolume) || this.snapshots.dir().startsWith(this.subvolume + "/")) {
            throw new IllegalArgumentException("btrfs: snapshotDirectory " + snapshotDirectory + " lies inside the "
                    + "subvolume " + subvolume + ", so restoring the subvolume would replace its own snapshots; "
                    + "choose a directory outside it (e.g. a sibling .snapshots directory)");
        }
    }

    static String absolute(String what, String path) {
        if (path == null || !path.startsWith("/") || path.contains("\n") || path.contains("\0")) {
            throw new IllegalArgumentException("btrfs: " + what + " must be an absolute path, got '" + path + "'");
        }
        return path;
    }

    public String subvolume() {
        return subvolume;
    }

    public String snapshotDirectory() {
        return snapshots.dir();
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
        return List.of("btrfs subvolume snapshot -r " + subvolume + " " + snapshots.pathOf(name),
                "tee " + snapshots.metadataPathOf(name) + "   (records instance, restore point, role, capture time)");
    }

    @Override
    public CheckReport check(ProviderContext ctx) throws InterruptedException {
        CheckReport.Builder report = new CheckReport.Builder();
        Commands c = new Commands(KIND, ctx);
        try {
            var show = c.run("btrfs", "subvolume", "show", subvolume);
            if (!show.succeeded()) {
                report.error("btrfs: " + subvolume + " is not a btrfs subvolume (" + show.stderr().strip()
                        + "); create it with 'btrfs subvolume create' or configure the subvolume that holds the data");
            }
            if (!c.run("test", "-d", snapshots.dir()).succeeded()) {
                report.error("btrfs: snapshot directory " + snapshots.dir() + " does not exist; create it on the "
                        + "same btrfs filesystem as " + subvolume);
            } else if (show.succeeded()) {
                String a = c.run("findmnt", "-n", "-o", "UUID", "-T", subvolume).stdout().strip();
                String b = c.run("findmnt", "-n", "-o", "UUID", "-T", snapshots.dir()).stdout().strip();
                if (!a.isEmpty() && !b.isEmpty() && !a.equals(b)) {
                    report.error("btrfs: " + snapshots.dir() + " is on another filesystem than " + subvolume
                            + "; btrfs snapshots can only be created on the same filesystem");
                }
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
        Commands c = new Commands(KIND, ctx);
        String name = request.snapshotName();
        String path = snapshots.pathOf(name);
        // btrfs would otherwise create the snapshot INSIDE an existing directory of that name
        if (c.exists(path)) {
            throw new ProviderException("btrfs: " + path + " already exists; restore point " + request.restorePointId()
                    + " was captured before. Use a new restore point id or delete the old snapshot first");
        }
        Instant capturedAt = ctx.clock().instant();
        c.require("snapshot " + subvolume, "btrfs", "subvolume", "snapshot", "-r", subvolume, path);
        try {
            snapshots.writeMetadata(c, name, SnapshotMetadata.of(request, capturedAt));
        } catch (ProviderException e) {
            // without metadata the snapshot could never be listed again: remove it rather than leave an orphan
            c.run("btrfs", "subvolume", "delete", path);
            throw e;
        }
        return ref(name, path, request.restorePointId(), request.instanceId(), request.role().value(), capturedAt);
    }

    private SnapshotRef ref(String name, String path, String rp, String instance, String role, Instant at) {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("snapshotName", name);
        attrs.put("subvolume", subvolume);
        attrs.put("snapshotDirectory", snapshots.dir());
        // a btrfs snapshot is complete once the command returns
        return new SnapshotRef(KIND, role, path, rp, instance, at, at, null, attrs);
    }

    @Override
    public List<SnapshotRef> list(ProviderContext ctx) throws ProviderException, InterruptedException {
        Commands c = new Commands(KIND, ctx);
        List<SnapshotRef> out = new ArrayList<>();
        for (SnapshotDirectory.Found f : snapshots.ours(c, ctx, KIND)) {
            SnapshotMetadata m = f.metadata();
            out.add(ref(f.name(), f.path(), m.restorePointId(), m.instanceId(), m.role(), m.capturedAt()));
        }
        return out;
    }

    @Override
    public void delete(SnapshotRef ref, ProviderContext ctx) throws ProviderException, InterruptedException {
        String name = snapshots.requireOurs(KIND, ref);
        Commands c = new Commands(KIND, ctx);
        if (c.exists(ref.id())) {
            c.require("delete snapshot " + ref.id(), "btrfs", "subvolume", "delete", ref.id());
        }
        snapshots.removeMetadata(c, name);
    }

    @Override
    public RestoreOutcome restore(SnapshotRef ref, RestoreRequest request, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        String name = snapshots.requireOurs(KIND, ref);
        Commands c = new Commands(KIND, ctx);
        if (!c.run("btrfs", "subvolume", "show", ref.id()).succeeded()) {
            throw new ProviderException("btrfs: snapshot " + ref.id() + " does not exist (deleted by retention or "
                    + "by hand?); pick another restore point");
        }
        return request.scratch() ? restoreToScratch(ref, name, request, c) : replace(ref, request, ctx, c);
    }

    private RestoreOutcome restoreToScratch(SnapshotRef ref, String name, RestoreRequest request, Commands c)
            throws ProviderException, InterruptedException {
        String target = request.target(TARGET_PATH) != null
                ? SnapshotDirectory.stripTrailingSlash(absolute("restore target path", request.target(TARGET_PATH)))
                : snapshots.pathOf("scratch-" + name);
        if (target.equals(subvolume)) {
            throw new ProviderException("btrfs: a scratch restore must not target the live subvolume " + subvolume);
        }
        List<String> actions = List.of("btrfs subvolume snapshot " + ref.id() + " " + target);
        if (request.dryRun()) {
            return new RestoreOutcome("would create a writable copy of " + ref.id() + " at " + target,
                    Map.of("path", target), List.of(), actions);
        }
        if (c.exists(target)) {
            throw new ProviderException("btrfs: scratch target " + target + " already exists; remove it (btrfs "
                    + "subvolume delete " + target + ") or choose another target path");
        }
        c.require("create a scratch copy of " + ref.id(), "btrfs", "subvolume", "snapshot", ref.id(), target);
        return new RestoreOutcome("writable scratch copy of " + ref.id() + " created at " + target,
                Map.of("path", target), List.of("when verification is done: btrfs subvolume delete " + target), actions);
    }

    private RestoreOutcome replace(SnapshotRef ref, RestoreRequest request, ProviderContext ctx, Commands c)
            throws ProviderException, InterruptedException {
        String target = request.target(TARGET_PATH) != null
                ? SnapshotDirectory.stripTrailingSlash(absolute("restore target path", request.target(TARGET_PATH)))
                : subvolume;
        boolean keepPrevious = Boolean.parseBoolean(request.target(TARGET_KEEP_PREVIOUS));
        boolean targetExists = c.exists(target);
        if (targetExists && !request.allowReplace() && c.nonEmptyDirectory(target)) {
            throw new ProviderException("btrfs: restore target " + target + " is not empty; restore with "
                    + "allowReplace to replace it (the current content is kept aside until the restore succeeded)");
        }
        String aside = target + ".bbdc-previous-" + ctx.clock().instant().getEpochSecond();
        List<String> actions = new ArrayList<>();
        if (targetExists) {
            actions.add("mv -T " + target + " " + aside);
        }
        actions.add("btrfs subvolume snapshot " + ref.id() + " " + target);
        if (targetExists && !keepPrevious) {
            actions.add("btrfs subvolume delete " + aside);
        }
        Map<String, String> location = new LinkedHashMap<>();
        location.put("path", target);
        if (request.dryRun()) {
            return new RestoreOutcome("would replace " + target + " by a writable snapshot of " + ref.id(),
                    location, List.of(), actions);
        }
        if (targetExists) {
            if (c.exists(aside)) {
                throw new ProviderException("btrfs: " + aside + " already exists; remove it or retry in a second");
            }
            c.require("move the current " + target + " aside (is it mounted on its own with subvol=? then "
                    + "unmount it first)", "mv", "-T", target, aside);
        }
        try {
            c.require("create " + target + " from " + ref.id(), "btrfs", "subvolume", "snapshot", ref.id(), target);
        } catch (ProviderException e) {
            if (targetExists) {
                var back = c.run("mv", "-T", aside, target);
                if (!back.succeeded()) {
                    throw new ProviderException(e.getMessage() + "; the previous content is at " + aside
                            + " and could not be moved back: run 'mv -T " + aside + " " + target + "'", e);
                }
            }
            throw new ProviderException(e.getMessage() + "; " + target + " is unchanged", e);
        }
        List<String> steps = new ArrayList<>();
        if (targetExists) {
            if (keepPrevious) {
                location.put("previous", aside);
                steps.add("the previous content is kept at " + aside + "; delete it when no longer needed: "
                        + "btrfs subvolume delete " + aside);
            } else {
                removeAside(c, aside, location, steps, ctx);
            }
        }
        return new RestoreOutcome(target + " replaced by a writable snapshot of " + ref.id()
                + " (restore point " + ref.restorePointId() + ")", location, steps, actions);
    }

    private void removeAside(Commands c, String aside, Map<String, String> location, List<String> steps,
                             ProviderContext ctx) throws ProviderException, InterruptedException {
        boolean isSubvolume = c.run("btrfs", "subvolume", "show", aside).succeeded();
        var removed = isSubvolume ? c.run("btrfs", "subvolume", "delete", aside) : c.run("rm", "-rf", "--", aside);
        if (!removed.succeeded()) {
            // e.g. nested subvolumes inside: the restore itself succeeded, so report rather than fail
            location.put("previous", aside);
            steps.add("the previous content could not be removed (" + removed.stderr().strip() + "); it is at "
                    + aside + ": remove it by hand when no longer needed");
            ctx.events().emit(OperationEvent.info(ctx.clock().instant(), "restore", "restore",
                    "btrfs: could not remove " + aside).withComponent(ctx.role().value())
                    .withLevel(OperationEvent.Level.WARNING));
        }
    }
}
