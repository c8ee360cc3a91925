package io.jenkins.plugins.bbdc.cli.config;

import io.jenkins.plugins.bbdc.core.backup.Components;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.restore.RestoreSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code restore} section: where the restored shared home is mounted, the integrity-check switch and per-component
 * target settings. The providers are those of the {@code backup} section.
 */
public final class RestoreSection {
    private RestoreSection() {
    }

    public static RestoreSettings parse(CliConfig config, ProviderFactory factory, boolean allowReplace,
                                        boolean skipStoppedCheck, boolean allowIncomplete) {
        ConfigNode n = config.section("restore");
        n.allowOnly("sharedHome", "integrityCheck", "targets");
        Map<String, SnapshotProvider> providers = providers(config, factory);
        Map<String, Map<String, String>> targets = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigNode> e : n.child("targets").entries().entrySet()) {
            if (!providers.containsKey(e.getKey()) && !e.getKey().equals("mesh-home")) {
                throw e.getValue().error("no component '" + e.getKey() + "' in the backup section; expected one of "
                        + String.join(", ", providers.keySet()));
            }
            targets.put(e.getKey(), strings(e.getValue()));
        }
        return new RestoreSettings(config.instance().id(), providers, targets, allowReplace,
                config.instance().nodes(), n.has("sharedHome") ? Path.of(n.string("sharedHome")) : null,
                n.bool("integrityCheck", true), skipStoppedCheck, allowIncomplete);
    }

    static Map<String, SnapshotProvider> providers(CliConfig config, ProviderFactory factory) {
        ConfigNode backup = config.section("backup");
        if (!backup.isPresent()) {
            throw backup.error("required: the providers that captured the components (the restore uses the same)");
        }
        Components components = BackupSection.components(backup, factory);
        Map<String, SnapshotProvider> out = new LinkedHashMap<>();
        components.providers().forEach((role, p) -> out.put(role.value(), p));
        return out;
    }

    static Map<String, String> strings(ConfigNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        n.entries().forEach((k, v) -> out.put(k, v.asText()));
        return out;
    }
}
