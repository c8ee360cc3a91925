package io.jenkins.plugins.bbdc.jenkins.provider;

import io.jenkins.plugins.bbdc.core.provider.ForwardingSnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.provider.RestoreOutcome;
import io.jenkins.plugins.bbdc.core.provider.RestoreRequest;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Restore target settings that the engine takes per restore request (for example the search provider's
 * {@code renamePrefix}) configured once on the provider: they are added to every restore that does not set them.
 * Restore tests (scratch restores) are left alone — they choose their own names so as never to touch live data.
 * Whatever the wrapped provider owns is closed with it.
 */
final class RestoreDefaults extends ForwardingSnapshotProvider implements AutoCloseable {
    private final Map<String, String> defaults;

    RestoreDefaults(SnapshotProvider delegate, Map<String, String> defaults) {
        super(delegate);
        this.defaults = Map.copyOf(defaults);
    }

    /** The target settings added to restores. */
    Map<String, String> defaults() {
        return defaults;
    }

    @Override
    public RestoreOutcome restore(SnapshotRef ref, RestoreRequest request, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        if (request.scratch()) {
            return super.restore(ref, request, ctx);
        }
        Map<String, String> target = new LinkedHashMap<>(defaults);
        target.putAll(request.target());
        return super.restore(ref, new RestoreRequest(target, request.allowReplace(), request.pointInTime(),
                request.scratch(), request.dryRun()), ctx);
    }

    @Override
    public void close() throws Exception {
        if (delegate() instanceof AutoCloseable c) {
            c.close();
        }
    }
}
