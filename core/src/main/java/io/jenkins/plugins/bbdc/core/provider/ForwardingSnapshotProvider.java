package io.jenkins.plugins.bbdc.core.provider;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A provider that hands every call to another one; subclasses override what they add around it (a freeze, restore
 * defaults, closing clients). Every method of {@link SnapshotProvider} is forwarded, defaults included, so a wrapper
 * never silently falls back to a default the wrapped provider overrides.
 */
public abstract class ForwardingSnapshotProvider implements SnapshotProvider {
    private final SnapshotProvider delegate;

    protected ForwardingSnapshotProvider(SnapshotProvider delegate) {
        this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
    }

    /** The wrapped engine provider. */
    public SnapshotProvider delegate() {
        return delegate;
    }

    @Override
    public String kind() {
        return delegate.kind();
    }

    @Override
    public Set<ProviderCapability> capabilities() {
        return delegate.capabilities();
    }

    @Override
    public List<String> plan(ProviderContext ctx) {
        return delegate.plan(ctx);
    }

    @Override
    public CheckReport check(ProviderContext ctx) throws InterruptedException {
        return delegate.check(ctx);
    }

    @Override
    public PreparedCapture prepare(ProviderContext ctx) throws ProviderException, InterruptedException {
        return delegate.prepare(ctx);
    }

    @Override
    public SnapshotRef capture(PreparedCapture prepared, CaptureRequest request, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        return delegate.capture(prepared, request, ctx);
    }

    @Override
    public SnapshotRef awaitDurable(PreparedCapture prepared, SnapshotRef ref, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        return delegate.awaitDurable(prepared, ref, ctx);
    }

    @Override
    public List<SnapshotRef> list(ProviderContext ctx) throws ProviderException, InterruptedException {
        return delegate.list(ctx);
    }

    @Override
    public void delete(SnapshotRef ref, ProviderContext ctx) throws ProviderException, InterruptedException {
        delegate.delete(ref, ctx);
    }

    @Override
    public RestoreOutcome restore(SnapshotRef ref, RestoreRequest request, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        return delegate.restore(ref, request, ctx);
    }

    @Override
    public void discardScratch(RestoreOutcome scratch, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        delegate.discardScratch(scratch, ctx);
    }

    @Override
    public SnapshotRef copy(SnapshotRef ref, Map<String, String> destination, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        return delegate.copy(ref, destination, ctx);
    }
}
