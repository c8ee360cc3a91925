package io.jenkins.plugins.bbdc.jenkins.provider;

import io.jenkins.plugins.bbdc.core.provider.ForwardingSnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;

/**
 * An engine provider that owns a resource (the AWS client factory with its HTTP connection pool): everything is the
 * wrapped provider's, and {@link #close()} releases the resource once the operation is over.
 */
public final class ClosingProvider extends ForwardingSnapshotProvider implements AutoCloseable {
    private final AutoCloseable resource;

    ClosingProvider(SnapshotProvider delegate, AutoCloseable resource) {
        super(delegate);
        this.resource = resource;
    }

    /** The resource released by {@link #close()}. */
    public AutoCloseable resource() {
        return resource;
    }

    /** Closes every provider of {@code providers} that owns a resource; never throws. */
    public static void closeAll(Iterable<? extends SnapshotProvider> providers) {
        for (SnapshotProvider p : providers) {
            if (p instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    // releasing a connection pool must not turn a finished operation into a failure
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        resource.close();
    }
}
