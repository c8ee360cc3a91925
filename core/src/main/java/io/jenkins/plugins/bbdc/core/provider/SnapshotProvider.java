package io.jenkins.plugins.bbdc.core.provider;

import java.util.List;
import java.util.Set;

/**
 * One technology that captures, lists, deletes and restores a component of a restore point (see docs/architecture.md).
 *
 * <p>Lifecycle of a backup, driven by the engine for every component:
 * {@link #check} → {@link #prepare} (slow work, before the instant) → {@link #capture} (the instant; must be fast;
 * in zero-downtime mode all captures fire together behind a barrier on separate threads) →
 * {@link #awaitDurable} (the snapshot completes; a dump runs here, after the unlock in locked mode) →
 * {@link PreparedCapture#close()}. On failure the engine calls {@link #delete} for every ref already captured.
 *
 * <p>Implementations are configured through their constructor, are thread-safe for distinct components, run every
 * command through {@link ProviderContext#runner()} with argument lists, and never put secrets in messages, refs or
 * events.
 */
public interface SnapshotProvider {

    /** Short technology name recorded in manifests, e.g. {@code btrfs}, {@code ebs}, {@code postgres}. */
    String kind();

    Set<ProviderCapability> capabilities();

    /** Human-readable lines describing every command / API call a backup would make, without changing anything. */
    List<String> plan(ProviderContext ctx);

    /** Validates configuration and access without changing anything. */
    CheckReport check(ProviderContext ctx) throws InterruptedException;

    /** Everything slow that can happen before the instant. */
    PreparedCapture prepare(ProviderContext ctx) throws ProviderException, InterruptedException;

    /** The instant. Returns a ref whose {@code capturedAt} is when the capture fired. */
    SnapshotRef capture(PreparedCapture prepared, CaptureRequest request, ProviderContext ctx)
            throws ProviderException, InterruptedException;

    /** Waits until the captured snapshot is complete; returns the ref with {@code durableAt} (and size) set. */
    default SnapshotRef awaitDurable(PreparedCapture prepared, SnapshotRef ref, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        return ref.durableAt() != null ? ref : ref.durable(ctx.clock().instant(), ref.sizeBytes());
    }

    /** Every snapshot this provider holds for {@code ctx.instanceId()} (and role), found by its tags or names. */
    List<SnapshotRef> list(ProviderContext ctx) throws ProviderException, InterruptedException;

    /** Deletes one snapshot. Deleting something already gone is not an error. */
    void delete(SnapshotRef ref, ProviderContext ctx) throws ProviderException, InterruptedException;

    /** Restores (or, with {@code dryRun}, describes restoring) one snapshot. */
    RestoreOutcome restore(SnapshotRef ref, RestoreRequest request, ProviderContext ctx)
            throws ProviderException, InterruptedException;

    /**
     * Removes what a scratch restore ({@link RestoreRequest#scratch()}) created, once verification is done. The
     * default removes a {@code path} location recursively; providers whose scratch copies are something else (a
     * database, a volume, a subvolume) override it. Removing something already gone is not an error.
     */
    default void discardScratch(RestoreOutcome scratch, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        String path = scratch.location().get("path");
        if (path == null) {
            throw new ProviderException("the " + kind() + " provider cannot remove its scratch copy "
                    + scratch.location() + "; remove it by hand");
        }
        try {
            var r = ctx.runner().run(io.jenkins.plugins.bbdc.core.exec.CommandSpec.of("rm", "-rf", "--", path)
                    .build());
            if (!r.succeeded()) {
                throw new ProviderException("could not remove the scratch copy " + path + ": " + r.stderr().strip());
            }
        } catch (java.io.IOException e) {
            throw new ProviderException("could not remove the scratch copy " + path + ": " + e.getMessage(), e);
        }
    }

    /** Copies a snapshot to another location (region, account …), if {@link ProviderCapability#COPY}. */
    default SnapshotRef copy(SnapshotRef ref, java.util.Map<String, String> destination, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        throw new ProviderException("the " + kind() + " provider cannot copy snapshots");
    }
}
