package io.jenkins.plugins.bbdc.core.provider;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * A reference to one captured component, as recorded in the manifest and as rediscovered by {@code list()}.
 *
 * @param provider        provider kind, e.g. {@code btrfs}, {@code ebs}, {@code postgres}
 * @param role            component role value ({@link ComponentRole#value()})
 * @param id              the provider's own identifier (snapshot id, path, dataset@name, dump directory …)
 * @param restorePointId  the restore point this snapshot belongs to (also in its tags/name)
 * @param instanceId      the Bitbucket instance id (also in its tags/name, so retention never crosses instances)
 * @param capturedAt      the instant the capture fired
 * @param durableAt       when the snapshot became complete/available, or null while pending
 * @param sizeBytes       size if known, else null
 * @param attributes      provider-specific plain values (volume id, device, region, snapshot name, exported
 *                        snapshot id …). Never a secret.
 */
public record SnapshotRef(String provider, String role, String id, String restorePointId, String instanceId,
                          Instant capturedAt, Instant durableAt, Long sizeBytes, Map<String, String> attributes) {

    public SnapshotRef {
        attributes = attributes == null ? Map.of() : Map.copyOf(new TreeMap<>(attributes));
    }

    public SnapshotRef durable(Instant at, Long size) {
        return new SnapshotRef(provider, role, id, restorePointId, instanceId, capturedAt, at,
                size != null ? size : sizeBytes, attributes);
    }

    public SnapshotRef withAttribute(String key, String value) {
        Map<String, String> m = new TreeMap<>(attributes);
        m.put(key, value);
        return new SnapshotRef(provider, role, id, restorePointId, instanceId, capturedAt, durableAt, sizeBytes, m);
    }

    public String attribute(String key) {
        return attributes.get(key);
    }

    public ComponentRole componentRole() {
        return ComponentRole.parse(role);
    }
}
