package io.jenkins.plugins.bbdc.core.provider;

/**
 * What {@link SnapshotProvider#prepare} produced: resolved volumes, an open database transaction, a finished rsync
 * pre-pass. Held by the engine until the component is durable (or failed), then closed. Closing must release every
 * resource (connections, temporary files) and must not throw for an already-closed object.
 */
public interface PreparedCapture extends AutoCloseable {
    @Override
    void close();

    /** A prepared capture that holds nothing. */
    static PreparedCapture none() {
        return () -> { };
    }
}
