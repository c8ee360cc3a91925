package io.jenkins.plugins.bbdc.core.provider;

import java.time.Instant;
import java.util.Map;

/**
 * Where and how to restore one component.
 *
 * @param target        provider-specific target settings (a path, a database name, a volume, a new DB identifier …);
 *                      empty means "the live location the provider was configured with"
 * @param allowReplace  the target may be non-empty / existing and gets replaced (kept aside until success where the
 *                      technology allows); false means a non-empty target is refused
 * @param pointInTime   for point-in-time capable providers: recover to exactly this instant (the restore point's
 *                      fence); null restores the snapshot itself
 * @param scratch       a verification restore into a throw-away location; the provider must not touch live data
 * @param dryRun        describe only
 */
public record RestoreRequest(Map<String, String> target, boolean allowReplace, Instant pointInTime, boolean scratch,
                             boolean dryRun) {
    public RestoreRequest {
        target = target == null ? Map.of() : Map.copyOf(target);
    }

    public String target(String key) {
        return target.get(key);
    }
}
