package io.jenkins.plugins.bbdc.core.provider;

import java.util.Map;
import java.util.TreeMap;

/**
 * {@link SnapshotProvider#delete} removed what it could, but some snapshots are pinned by something outside the
 * project (an AMI registered from an EBS snapshot, a clone of a NetApp snapshot …). Retention treats this as a
 * warning about one restore point, not as a failed run: the message names each pinned snapshot and what holds it.
 */
public class SnapshotInUseException extends ProviderException {
    private static final long serialVersionUID = 1L;
    private final Map<String, String> inUse;

    /** @param inUse snapshot id → what holds it (e.g. {@code ami-0123…}) */
    public SnapshotInUseException(String message, Map<String, String> inUse) {
        super(message);
        this.inUse = Map.copyOf(new TreeMap<>(inUse));
    }

    public Map<String, String> inUse() {
        return inUse;
    }
}
