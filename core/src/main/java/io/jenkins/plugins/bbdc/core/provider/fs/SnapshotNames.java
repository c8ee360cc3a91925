package io.jenkins.plugins.bbdc.core.provider.fs;

import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointId;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code bbdc-<instance>-<restore point id>-<role>} names back exactly. Because a restore point id has a fixed
 * form ({@link RestorePointId#FORMAT}), the instance part is exactly what precedes it: {@code bitbucket} never
 * matches a snapshot of {@code bitbucket-staging}. Used where the technology has nowhere better to record ownership
 * (LVM, ZFS).
 */
final class SnapshotNames {
    private SnapshotNames() {
    }

    /** The restore point id if {@code name} is the snapshot of {@code instanceId}'s component {@code role}. */
    static Optional<String> restorePointOf(String name, String instanceId, ComponentRole role) {
        Pattern p = Pattern.compile(Pattern.quote(SnapshotMetadata.namePrefix(instanceId)) + "("
                + RestorePointId.FORMAT.pattern() + ")-" + Pattern.quote(role.slug()));
        Matcher m = p.matcher(name);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
