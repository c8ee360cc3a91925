package io.jenkins.plugins.bbdc.core.provider.fs;

import io.jenkins.plugins.bbdc.core.exec.CommandResult;
import io.jenkins.plugins.bbdc.core.exec.CommandSpec;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * rsync: one directory per restore point, {@code <destination>/<snapshot name>}. A file-by-file copy is only
 * consistent while Bitbucket is drained, so this provider works in locked mode only: {@link #prepare} makes a live
 * pre-pass (slow, outside the lock), {@link #capture} the final pass under the lock (only the changes). Unchanged files
 * are hard links to the previous restore point ({@code --link-dest}), so each point costs only what changed.
 */
public final class RsyncProvider implements SnapshotProvider {
    public static final String KIND = "rsync";
    public static final String TARGET_PATH = "path";
    private static final Pattern TOTAL_SIZE = Pattern.compile("Total file size: ([0-9,.]+) bytes");

    private final String source;
    private final SnapshotDirectory destination;
    private final RsyncExcludes layout;
    private final List<String> excludedRepositories;

    /**
     * @param source               the directory to back up (a home)
     * @param destination          where restore point directories are kept (ideally another disk or host mount)
     * @param layout               which home this is: decides Bitbucket's exclusions
     * @param excludedRepositories repository ids not to back up
     */
    public RsyncProvider(String source, String destination, RsyncExcludes layout, List<String> excludedRepositories) {
        this.source = SnapshotDirectory.stripTrailingSlash(BtrfsProvider.absolute("source", source));
        this.destination = new SnapshotDirectory(BtrfsProvider.absolute("destination", destination));
        this.layout = java.util.Objects.requireNonNull(layout, "layout");
        this.excludedRepositories = List.copyOf(excludedRepositories == null ? List.of() : excludedRepositories);
        layout.validate(this.excludedRepositories);
        if (this.destination.dir().equals(this.source) || this.destination.dir().startsWith(this.source + "/")) {
            throw new IllegalArgumentException("rsync: destination " + destination + " lies inside the source "
                    + source + "; the backup would copy itself. Choose a directory outside it");
        }
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Set<ProviderCapability> capabilities() {
        // no ZERO_DOWNTIME: files copied one by one while Bitbucket writes are not a consistent set
        return EnumSet.of(ProviderCapability.LOCKED, ProviderCapability.RESTORE, ProviderCapability.RESTORE_TO_SCRATCH);
    }

    /** The copy command; {@code linkDest} may be null (first restore point). */
    List<String> copyCommand(String target, String linkDest) {
        List<String> cmd = new ArrayList<>(List.of("rsync", "-a", "-H", "--numeric-ids", "--delete",
                "--delete-excluded", "--stats"));
        cmd.addAll(layout.arguments(excludedRepositories));
        if (linkDest != null) {
            cmd.add("--link-dest=" + linkDest);
        }
        cmd.add(source + "/");
        cmd.add(target + "/");
        return cmd;
    }

    private String staging(ProviderContext ctx) {
        // hidden, so never mistaken for a restore point; one per instance and role
        return destination.pathOf(".in-progress-" + SnapshotMetadata.namePrefix(ctx.instanceId()) + ctx.role().slug());
    }

    @Override
    public List<String> plan(ProviderContext ctx) {
        String name = new CaptureRequest("<restore-point>", ctx.instanceId(), ctx.role(), ctx.mode()).snapshotName();
        String staging = staging(ctx);
        String copy = String.join(" ", copyCommand(staging, destination.pathOf("<previous restore point>")));
        return List.of("before the lock: " + copy, "under the lock: " + copy,
                "mv -T " + staging + " " + destination.pathOf(name), "tee " + destination.metadataPathOf(name));
    }

    @Override
    public CheckReport check(ProviderContext ctx) throws InterruptedException {
        CheckReport.Builder report = new CheckReport.Builder();
        if (ctx.mode() == BackupMode.ZERO_DOWNTIME) {
            report.error("rsync: copies files one by one, which is only consistent while Bitbucket is locked; use "
                    + "locked mode, or a snapshot provider (btrfs, LVM, ZFS, EBS) for zero-downtime backups");
        }
        Commands c = new Commands(KIND, ctx);
        try {
            if (!c.run("rsync", "--version").succeeded()) {
                report.error("rsync: the rsync command does not work on this host; install rsync");
            }
            if (!c.run("test", "-d", source).succeeded()) {
                report.error("rsync: source " + source + " is not a directory");
            }
            if (!c.run("test", "-d", destination.dir()).succeeded()) {
                report.error("rsync: destination " + destination.dir() + " does not exist; create it");
            }
        } catch (ProviderException e) {
            report.error(e.getMessage());
        }
        return report.build();
    }

    /** The pre-pass result the final pass continues. */
    private static final class Prepared implements PreparedCapture {
        final String staging;
        final String linkDest;
        final ProviderContext ctx;
        volatile boolean captured;

        Prepared(String staging, String linkDest, ProviderContext ctx) {
            this.staging = staging;
            this.linkDest = linkDest;
            this.ctx = ctx;
        }

        @Override
        public void close() {
            if (!captured) {
                try {
                    // an unfinished copy is no restore point; remove it so it cannot be mistaken for one
                    ctx.runner().run(CommandSpec.of("rm", "-rf", "--", staging).build());
                } catch (java.io.IOException e) {
                    // best effort: the next prepare starts from whatever is left, which rsync corrects
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Override
    public PreparedCapture prepare(ProviderContext ctx) throws ProviderException, InterruptedException {
        CheckReport report = check(ctx);
        if (report.hasErrors()) {
            throw new ProviderException(String.join("; ", report.errors()));
        }
        Commands c = new Commands(KIND, ctx);
        List<SnapshotDirectory.Found> previous = destination.ours(c, ctx, KIND);
        String linkDest = previous.isEmpty() ? null : previous.get(previous.size() - 1).path();
        String staging = staging(ctx);
        c.require("create " + staging, "mkdir", "-p", staging);
        c.require("copy " + source + " before the lock (pre-pass)", CommandSpec.of(copyCommand(staging, linkDest))
                .build());
        return new Prepared(staging, linkDest, ctx);
    }

    @Override
    public SnapshotRef capture(PreparedCapture prepared, CaptureRequest request, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        if (!(prepared instanceof Prepared p)) {
            throw new ProviderException("rsync: capture needs the result of this provider's prepare()");
        }
        if (request.mode() == BackupMode.ZERO_DOWNTIME) {
            throw new ProviderException("rsync: refusing a zero-downtime capture; rsync works in locked mode only");
        }
        Commands c = new Commands(KIND, ctx);
        String name = request.snapshotName();
        String path = destination.pathOf(name);
        if (c.exists(path)) {
            throw new ProviderException("rsync: " + path + " already exists; restore point " + request.restorePointId()
                    + " was captured before");
        }
        // the lock is held and Bitbucket drained: the content does not change during this pass
        Instant capturedAt = ctx.clock().instant();
        CommandResult r = c.require("copy " + source + " under the lock (final pass)",
                CommandSpec.of(copyCommand(p.staging, p.linkDest)).build());
        c.require("name the copy " + path, "mv", "-T", p.staging, path);
        p.captured = true;
        destination.writeMetadata(c, name, SnapshotMetadata.of(request, capturedAt));
        Instant done = ctx.clock().instant();
        return ref(name, path, request.restorePointId(), request.instanceId(), request.role().value(), capturedAt,
                done, totalSize(r.stdout()), p.linkDest);
    }

    static Long totalSize(String stats) {
        Matcher m = TOTAL_SIZE.matcher(stats);
        if (!m.find()) {
            return null;
        }
        try {
            return Long.parseLong(m.group(1).replace(",", "").replace(".", ""));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private SnapshotRef ref(String name, String path, String rp, String instance, String role, Instant at,
                            Instant durable, Long size, String linkedTo) {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("snapshotName", name);
        attrs.put("source", source);
        attrs.put("layout", layout.name());
        if (linkedTo != null) {
            attrs.put("linkDest", linkedTo);
        }
        return new SnapshotRef(KIND, role, path, rp, instance, at, durable, size, attrs);
    }

    @Override
    public List<SnapshotRef> list(ProviderContext ctx) throws ProviderException, InterruptedException {
        List<SnapshotRef> out = new ArrayList<>();
        for (SnapshotDirectory.Found f : destination.ours(new Commands(KIND, ctx), ctx, KIND)) {
            SnapshotMetadata m = f.metadata();
            out.add(ref(f.name(), f.path(), m.restorePointId(), m.instanceId(), m.role(), m.capturedAt(),
                    m.capturedAt(), null, null));
        }
        return out;
    }

    @Override
    public void delete(SnapshotRef ref, ProviderContext ctx) throws ProviderException, InterruptedException {
        String name = destination.requireOurs(KIND, ref);
        Commands c = new Commands(KIND, ctx);
        // hard links: removing one point never affects the files of the others
        c.require("delete " + ref.id(), "rm", "-rf", "--", ref.id());
        destination.removeMetadata(c, name);
    }

    @Override
    public RestoreOutcome restore(SnapshotRef ref, RestoreRequest request, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        String name = destination.requireOurs(KIND, ref);
        Commands c = new Commands(KIND, ctx);
        String target;
        if (request.target(TARGET_PATH) != null) {
            target = SnapshotDirectory.stripTrailingSlash(
                    BtrfsProvider.absolute("restore target path", request.target(TARGET_PATH)));
        } else {
            target = request.scratch() ? destination.pathOf("scratch-" + name) : source;
        }
        if (request.scratch() && target.equals(source)) {
            throw new ProviderException("rsync: a scratch restore must not target the live directory " + source);
        }
        if (target.equals(ref.id()) || target.startsWith(destination.dir() + "/bbdc-")) {
            throw new ProviderException("rsync: restore target " + target + " would overwrite a restore point");
        }
        // no --link-dest here: a restored file sharing an inode with the backup would change the backup when written
        List<String> copy = List.of("rsync", "-a", "-H", "--numeric-ids", "--delete", ref.id() + "/", target + "/");
        List<String> actions = List.of("mkdir -p " + target, String.join(" ", copy));
        Map<String, String> location = Map.of("path", target);
        if (!c.run("test", "-d", ref.id()).succeeded()) {
            throw new ProviderException("rsync: restore point directory " + ref.id() + " does not exist (deleted?); "
                    + "pick another restore point");
        }
        if (request.dryRun()) {
            return new RestoreOutcome("would copy " + ref.id() + " to " + target, location, List.of(), actions);
        }
        if (c.exists(target) && c.nonEmptyDirectory(target) && !request.allowReplace()) {
            throw new ProviderException("rsync: restore target " + target + " is not empty; restore into an empty "
                    + "directory, or with allowReplace to make it an exact copy of the restore point (files not in "
                    + "the backup, caches and logs included, are deleted)");
        }
        c.require("create " + target, "mkdir", "-p", target);
        c.require("copy " + ref.id() + " to " + target, CommandSpec.of(copy).build());
        List<String> steps = request.scratch()
                ? List.of("when verification is done: rm -rf " + target) : List.of();
        return new RestoreOutcome("copied restore point " + ref.restorePointId() + " (" + ref.id() + ") to " + target,
                location, steps, actions);
    }
}
