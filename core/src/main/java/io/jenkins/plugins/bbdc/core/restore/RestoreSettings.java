package io.jenkins.plugins.bbdc.core.restore;

import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a restore uses.
 *
 * @param instanceId           the Bitbucket instance
 * @param providers            component role ({@code home}, {@code database}, {@code search}, {@code mesh-home:<n>})
 *                             → the provider that restores it; the key {@code mesh-home} serves every Mesh home
 *                             without an exact entry
 * @param targets              role → provider-specific target settings (empty: the provider's configured location)
 * @param allowReplace         non-empty targets may be replaced (kept aside until success where the technology can)
 * @param nodeUrls             every application node's own URL, for the "Bitbucket is stopped" check
 * @param sharedHome           where the restored shared home is mounted, for the stale-lock clean-up and the
 *                             integrity-check switch; null skips both
 * @param enableIntegrityCheck write {@code disaster.recovery=true} into {@code bitbucket.properties} so Bitbucket's
 *                             own integrity check runs on first start
 * @param skipStoppedCheck     explicit override: do not require Bitbucket to be unreachable (never the default)
 * @param allowIncomplete      explicit override: restore a PARTIAL point's available components
 */
public record RestoreSettings(String instanceId, Map<String, SnapshotProvider> providers,
                              Map<String, Map<String, String>> targets, boolean allowReplace, List<URI> nodeUrls,
                              Path sharedHome, boolean enableIntegrityCheck, boolean skipStoppedCheck,
                              boolean allowIncomplete) {
    public RestoreSettings {
        providers = Map.copyOf(providers);
        targets = targets == null ? Map.of() : Map.copyOf(targets);
        nodeUrls = nodeUrls == null ? List.of() : List.copyOf(nodeUrls);
    }

    public SnapshotProvider providerFor(String role) {
        SnapshotProvider p = providers.get(role);
        if (p == null && role.startsWith("mesh-home:")) {
            p = providers.get("mesh-home");
        }
        return p;
    }

    public Map<String, String> targetFor(String role) {
        Map<String, String> t = targets.get(role);
        if (t == null && role.startsWith("mesh-home:")) {
            t = targets.get("mesh-home");
        }
        return t == null ? Map.of() : t;
    }
}
