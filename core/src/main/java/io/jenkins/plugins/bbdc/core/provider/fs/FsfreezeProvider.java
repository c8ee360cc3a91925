package io.jenkins.plugins.bbdc.core.provider.fs;

import io.jenkins.plugins.bbdc.core.event.OperationEvent;
import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.CheckReport;
import io.jenkins.plugins.bbdc.core.provider.ForwardingSnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.PreparedCapture;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Wraps a block-level snapshot provider (LVM, EBS, a SAN script …): the mounts are frozen ({@code fsfreeze -f}) for
 * the instant of the wrapped capture and thawed afterwards, whatever happens, so the snapshot holds a clean
 * filesystem (everything written is flushed, nothing half-written) instead of a crash-consistent one. An automatic
 * thaw on the host bounds the freeze even if this process dies. Everything else is the wrapped provider's: its kind
 * (refs and manifests name it), list, delete, restore.
 */
public final class FsfreezeProvider extends ForwardingSnapshotProvider {
    public static final Duration DEFAULT_MAX_FREEZE = Duration.ofSeconds(60);

    private final List<String> mountPoints;
    private final Duration maxFreeze;

    /**
     * @param delegate    the block snapshot provider to wrap
     * @param mountPoints the mounted filesystems on the volumes the delegate snapshots
     * @param maxFreeze   after this long the host thaws by itself (a capture that takes longer is no longer frozen)
     */
    public FsfreezeProvider(SnapshotProvider delegate, List<String> mountPoints, Duration maxFreeze) {
        super(delegate);
        if (mountPoints == null || mountPoints.isEmpty()) {
            throw new IllegalArgumentException("fsfreeze: name at least one mount point to freeze");
        }
        for (String m : mountPoints) {
            BtrfsProvider.absolute("mount point", m);
            if (m.equals("/")) {
                throw new IllegalArgumentException("fsfreeze: refusing to freeze the root filesystem '/': the "
                        + "host itself (and this tool) would hang; put Bitbucket's data on its own filesystem");
            }
        }
        this.mountPoints = List.copyOf(mountPoints);
        this.maxFreeze = maxFreeze == null ? DEFAULT_MAX_FREEZE : maxFreeze;
        if (this.maxFreeze.isNegative() || this.maxFreeze.isZero() || this.maxFreeze.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("fsfreeze: maxFreeze must be between 1 ms and 1 hour, got " + maxFreeze);
        }
    }

    @Override
    public List<String> plan(ProviderContext ctx) {
        List<String> plan = new ArrayList<>();
        for (String m : mountPoints) {
            plan.add(String.join(" ", Freezer.watchdogCommand(m, maxFreeze)) + "   (automatic thaw)");
            plan.add("fsfreeze -f " + m);
        }
        plan.addAll(delegate().plan(ctx));
        mountPoints.forEach(m -> plan.add("fsfreeze -u " + m + "   (always; then the automatic thaw is cancelled)"));
        return plan;
    }

    @Override
    public CheckReport check(ProviderContext ctx) throws InterruptedException {
        CheckReport.Builder report = new CheckReport.Builder();
        delegate().check(ctx).findings().forEach(f -> {
            if (f.error()) {
                report.error(f.message());
            } else {
                report.warning(f.message());
            }
        });
        Commands c = new Commands(kind(), ctx);
        try {
            for (String tool : List.of("fsfreeze", "setsid")) {
                if (!c.run("sh", "-c", "command -v \"$1\"", "bbdc-check", tool).succeeded()) {
                    report.error("fsfreeze: '" + tool + "' is not installed on this host (util-linux)");
                }
            }
            for (String m : mountPoints) {
                if (!c.run("mountpoint", "-q", m).succeeded()) {
                    report.error("fsfreeze: " + m + " is not a mount point; name the mount point of the filesystem "
                            + "on the snapshotted volume");
                }
            }
        } catch (ProviderException e) {
            report.error(e.getMessage());
        }
        return report.build();
    }

    @Override
    public PreparedCapture prepare(ProviderContext ctx) throws ProviderException, InterruptedException {
        PreparedCapture prepared = delegate().prepare(ctx);
        Commands c = new Commands(kind(), ctx);
        for (String m : mountPoints) {
            // flushing now keeps the freeze itself short
            c.run("sync", "-f", m);
        }
        return prepared;
    }

    @Override
    public SnapshotRef capture(PreparedCapture prepared, CaptureRequest request, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        Freezer freezer = new Freezer(kind(), ctx, maxFreeze);
        Instant frozenAt = ctx.clock().instant();
        List<Freezer.Frozen> frozen = freezer.freeze(mountPoints);
        SnapshotRef ref = null;
        ProviderException failure = null;
        try {
            ref = delegate().capture(prepared, request, ctx);
        } catch (ProviderException e) {
            failure = e;
        } finally {
            List<String> stuck = freezer.thaw(frozen);
            if (!stuck.isEmpty()) {
                String msg = "fsfreeze: " + String.join("; ", stuck);
                ctx.events().emit(OperationEvent.info(ctx.clock().instant(), "backup", "capture", msg)
                        .withComponent(request.role().value()).withLevel(OperationEvent.Level.ERROR));
                failure = failure == null ? new ProviderException(msg + (ref != null ? " (the snapshot " + ref.id()
                        + " was taken)" : "")) : new ProviderException(failure.getMessage() + "; " + msg, failure);
            }
        }
        if (failure != null) {
            throw failure;
        }
        Duration held = Duration.between(frozenAt, ctx.clock().instant());
        SnapshotRef out = ref.withAttribute("frozenMounts", String.join(",", mountPoints))
                .withAttribute("freezeMillis", Long.toString(held.toMillis()));
        if (held.compareTo(maxFreeze) >= 0) {
            // the automatic thaw may have fired before the snapshot was taken
            ctx.events().emit(OperationEvent.info(ctx.clock().instant(), "backup", "capture", "fsfreeze: the capture "
                    + "took " + held.toMillis() + " ms, longer than maxFreeze " + maxFreeze.toMillis() + " ms; the "
                    + "snapshot may be crash-consistent only. Raise maxFreeze.")
                    .withComponent(request.role().value()).withLevel(OperationEvent.Level.WARNING));
            out = out.withAttribute("freezeExpired", "true");
        }
        return out;
    }
}
