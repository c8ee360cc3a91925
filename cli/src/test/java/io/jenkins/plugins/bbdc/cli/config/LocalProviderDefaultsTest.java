package io.jenkins.plugins.bbdc.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys left out of a local provider's section take the engine's defaults, and optional commands stay optional. */
class LocalProviderDefaultsTest {
    @TempDir
    Path tmp;

    private ConfigNode home(String provider) throws Exception {
        Path f = Files.writeString(tmp.resolve("bbdc-ops.yaml"), """
                instance: {id: prod, url: "https://bitbucket.example.com", username: admin,
                           password: {env: BBDC_PASSWORD}}
                backup:
                  home: %s
                """.formatted(provider));
        return CliConfig.load(f, Map.of("BBDC_PASSWORD", "x")::get).section("backup").child("home");
    }

    private static ProviderContext ctx() {
        return new ProviderContext("prod", ComponentRole.HOME, BackupMode.LOCKED, spec -> {
            throw new java.io.IOException("no commands in a plan");
        }, Clock.systemUTC(), d -> { }, EventSink.NONE);
    }

    @Test
    void fsfreezeWithoutMaxFreezeThawsAfterTheEnginesSixtySeconds() throws Exception {
        try (ProviderFactory factory = new ProviderFactory(ProxySettings.NONE)) {
            SnapshotProvider p = factory.create(home(
                    "{fsfreeze: {mounts: [/srv/bitbucket], provider: {lvm: {volumeGroup: vg0, logicalVolume: bb}}}}"));
            assertThat(String.join("\n", p.plan(ctx()))).contains(" 60.000 /srv/bitbucket");
        }
    }

    @Test
    void aScriptWithoutAListCommandIsAccepted() throws Exception {
        try (ProviderFactory factory = new ProviderFactory(ProxySettings.NONE)) {
            SnapshotProvider p = factory.create(home(
                    "{script: {capture: [/opt/bbdc/snap.sh, capture], delete: [/opt/bbdc/snap.sh, delete]}}"));
            assertThat(p.kind()).isEqualTo("script");
        }
    }
}
