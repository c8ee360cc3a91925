package io.jenkins.plugins.bbdc.core.provider.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.PreparedCapture;
import io.jenkins.plugins.bbdc.core.provider.ProviderCapability;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.provider.RestoreOutcome;
import io.jenkins.plugins.bbdc.core.provider.RestoreRequest;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The script provider running real shell scripts that implement "snapshots" as directory copies. */
class ScriptProviderTest {
    @TempDir
    Path tmp;
    private Path live;
    private Path store;
    private final List<Duration> sleeps = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        live = Files.createDirectories(tmp.resolve("live"));
        store = Files.createDirectories(tmp.resolve("store"));
        Files.writeString(live.resolve("data"), "version 1");
    }

    private Path script(String name, String body) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, "#!/bin/sh\nset -eu\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    private ProviderContext ctx(String instance) {
        return new ProviderContext(instance, ComponentRole.HOME, BackupMode.ZERO_DOWNTIME, new ProcessCommandRunner(),
                Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC), sleeps::add, null);
    }

    /** A complete user integration: copies as snapshots, a JSON listing, delete and restore. */
    private ScriptProvider.Builder copies() throws Exception {
        Path prepare = script("prepare.sh", "echo 'preparing (a log line, ignored)'\necho token=abc123\n");
        Path capture = script("capture.sh", ""
                + "test \"$BBDC_PREPARED_TOKEN\" = abc123\n"
                + "dir=\"$STORE/$BBDC_SNAPSHOT_NAME\"\n"
                + "cp -a \"$LIVE\" \"$dir\"\n"
                + "printf '{\"id\":\"%s\",\"restorePointId\":\"%s\",\"instance\":\"%s\",\"component\":\"%s\","
                + "\"capturedAt\":\"2026-11-21T10:00:00Z\",\"sizeBytes\":9,\"attributes\":{\"mode\":\"%s\"}}\\n' "
                + "\"$dir\" \"$BBDC_RESTORE_POINT_ID\" \"$BBDC_INSTANCE\" \"$BBDC_COMPONENT\" \"$BBDC_MODE\" "
                + "> \"$dir.json\"\n"
                + "echo id=\"$dir\"\necho size=9\necho attr.mode=\"$BBDC_MODE\"\n");
        Path list = script("list.sh", "for f in \"$STORE\"/*.json; do [ -e \"$f\" ] && cat \"$f\"; done; true\n");
        Path delete = script("delete.sh", "rm -rf \"$BBDC_SNAPSHOT_ID\" \"$BBDC_SNAPSHOT_ID.json\"\n");
        Path restore = script("restore.sh", ""
                + "target=\"${BBDC_RESTORE_TARGET_PATH:-$LIVE}\"\n"
                + "if [ -n \"$(ls -A \"$target\" 2>/dev/null)\" ] && [ \"$BBDC_RESTORE_ALLOW_REPLACE\" != true ]; then\n"
                + "  echo \"$target is not empty\" >&2; exit 3\nfi\n"
                + "rm -rf \"$target\"; cp -a \"$BBDC_SNAPSHOT_ID\" \"$target\"\n"
                + "echo summary=restored $BBDC_RESTORE_POINT_ID into $target\n"
                + "echo location.path=\"$target\"\necho step=start Bitbucket\n");
        return ScriptProvider.builder().prepare(List.of(prepare.toString())).capture(List.of(capture.toString()))
                .list(List.of(list.toString())).delete(List.of(delete.toString()))
                .restore(List.of(restore.toString())).zeroDowntime(true)
                .env("STORE", store.toString()).env("LIVE", live.toString());
    }

    private static CaptureRequest request(String instance, String rp) {
        return new CaptureRequest(rp, instance, ComponentRole.HOME, BackupMode.ZERO_DOWNTIME);
    }

    @Test
    void aUserScriptCapturesListsRestoresAndDeletesThroughTheDocumentedContract() throws Exception {
        ScriptProvider p = copies().build();
        ProviderContext c = ctx("bitbucket");

        SnapshotRef ref;
        try (PreparedCapture prepared = p.prepare(c)) {
            ref = p.capture(prepared, request("bitbucket", "20261121t100000z-ab12"), c);
        }
        p.capture(p.prepare(ctx("bitbucket-staging")), request("bitbucket-staging", "20261121t100000z-zz99"),
                ctx("bitbucket-staging"));

        assertThat(ref.id()).isEqualTo(store.resolve("bbdc-bitbucket-20261121t100000z-ab12-home").toString());
        assertThat(ref.sizeBytes()).isEqualTo(9L);
        assertThat(ref.attribute("mode")).isEqualTo("zero-downtime");
        assertThat(ref.durableAt()).isNotNull();
        assertThat(p.list(c)).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(ref.id());
            assertThat(r.restorePointId()).isEqualTo("20261121t100000z-ab12");
            assertThat(r.sizeBytes()).isEqualTo(9L);
        });

        Files.writeString(live.resolve("data"), "damaged");
        assertThatThrownBy(() -> p.restore(ref, new RestoreRequest(Map.of(), false, null, false, false), c))
                .isInstanceOf(ProviderException.class).hasMessageContaining("is not empty")
                .hasMessageContaining("exited with code 3");
        RestoreOutcome out = p.restore(ref, new RestoreRequest(Map.of(), true, null, false, false), c);
        assertThat(live.resolve("data")).hasContent("version 1");
        assertThat(out.summary()).isEqualTo("restored 20261121t100000z-ab12 into " + live);
        assertThat(out.location()).containsEntry("path", live.toString());
        assertThat(out.operatorSteps()).containsExactly("start Bitbucket");

        Path other = tmp.resolve("elsewhere");
        p.restore(ref, new RestoreRequest(Map.of("path", other.toString()), false, null, false, false), c);
        assertThat(other.resolve("data")).hasContent("version 1");

        p.delete(ref, c);
        assertThat(Path.of(ref.id())).doesNotExist();
        assertThat(p.list(c)).isEmpty();
        assertThat(p.list(ctx("bitbucket-staging"))).hasSize(1);
    }

    @Test
    void aCaptureThatPrintsNoIdIsAnErrorThatExplainsTheContract() throws Exception {
        Path capture = script("capture.sh", "echo snapshot taken\n");
        ScriptProvider p = ScriptProvider.builder().capture(List.of(capture.toString()))
                .delete(List.of("true")).build();
        assertThatThrownBy(() -> p.capture(PreparedCapture.none(), request("bitbucket", "rp"), ctx("bitbucket")))
                .isInstanceOf(ProviderException.class).hasMessageContaining("id=<snapshot id>");
    }

    @Test
    void aFailingCommandReportsItsExitCodeAndStderrWithSecretsMasked() throws Exception {
        Path capture = script("capture.sh", "echo \"login failed for token $SAN_TOKEN\" >&2\nexit 4\n");
        ScriptProvider p = ScriptProvider.builder().capture(List.of(capture.toString())).delete(List.of("true"))
                .secretEnv("SAN_TOKEN", "s3cr3t-t0ken").build();
        assertThatThrownBy(() -> p.capture(PreparedCapture.none(), request("bitbucket", "rp"), ctx("bitbucket")))
                .isInstanceOf(ProviderException.class).hasMessageContaining("exited with code 4")
                .hasMessageContaining("login failed for token ****").hasMessageNotContaining("s3cr3t-t0ken");
    }

    @Test
    void awaitDurableAsksAgainWhileTheScriptAnswersNotYet() throws Exception {
        Path counter = tmp.resolve("polls");
        Path await = script("await.sh", ""
                + "n=$(cat \"$COUNTER\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \"$COUNTER\"\n"
                + "test \"$BBDC_SNAPSHOT_ID\" = snap-7\n"
                + "if [ $n -lt 3 ]; then echo 'still copying'; exit 75; fi\necho size=4096\n");
        Path capture = script("capture.sh", "echo id=snap-7\n");
        ScriptProvider p = ScriptProvider.builder().capture(List.of(capture.toString()))
                .awaitDurable(List.of(await.toString())).delete(List.of("true"))
                .polling(Duration.ofSeconds(5), Duration.ofMinutes(5)).env("COUNTER", counter.toString()).build();
        ProviderContext c = ctx("bitbucket");

        SnapshotRef ref = p.capture(PreparedCapture.none(), request("bitbucket", "rp"), c);
        assertThat(ref.durableAt()).isNull();
        SnapshotRef durable = p.awaitDurable(PreparedCapture.none(), ref, c);

        assertThat(durable.durableAt()).isNotNull();
        assertThat(durable.sizeBytes()).isEqualTo(4096L);
        assertThat(counter).hasContent("3");
        assertThat(sleeps).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    @Test
    void aListLineThatIsNotJsonIsNamedInTheError() throws Exception {
        Path list = script("list.sh", "echo '{\"id\":\"a\",\"restorePointId\":\"r\",\"capturedAt\":\"2026-11-21T10:00:00Z\"}'"
                + "\necho 'snap-2 2026-11-21'\n");
        ScriptProvider p = ScriptProvider.builder().capture(List.of("true")).delete(List.of("true"))
                .list(List.of(list.toString())).build();
        assertThatThrownBy(() -> p.list(ctx("bitbucket"))).isInstanceOf(ProviderException.class)
                .hasMessageContaining("line 2").hasMessageContaining("snap-2 2026-11-21");
    }

    @Test
    void capabilitiesFollowWhatTheUserDeclaredAndConfigured() throws Exception {
        ScriptProvider minimal = ScriptProvider.builder().capture(List.of("true")).delete(List.of("true")).build();
        assertThat(minimal.capabilities()).containsExactly(ProviderCapability.LOCKED);
        assertThatThrownBy(() -> minimal.restore(new SnapshotRef("script", "home", "x", "rp", "bitbucket",
                Instant.now(), null, null, null), new RestoreRequest(null, true, null, false, false), ctx("bitbucket")))
                .hasMessageContaining("no restore command");
        ScriptProvider full = copies().scratchRestore(true).build();
        assertThat(full.capabilities()).contains(ProviderCapability.ZERO_DOWNTIME, ProviderCapability.RESTORE,
                ProviderCapability.RESTORE_TO_SCRATCH);
        assertThatThrownBy(() -> ScriptProvider.builder().capture(List.of("true")).build())
                .hasMessageContaining("delete command is required");
        assertThatThrownBy(() -> ScriptProvider.builder().env("BBDC_INSTANCE", "x"))
                .hasMessageContaining("reserved");
        assertThatThrownBy(() -> copies().build().restore(new SnapshotRef("script", "home", "x", "rp", "bitbucket",
                Instant.now(), null, null, null), new RestoreRequest(null, false, null, true, false), ctx("bitbucket")))
                .hasMessageContaining("scratchRestore");
    }

    @Test
    void aFailingCheckRefusesPrepareWithTheScriptsReason() throws Exception {
        Path check = script("check.sh", "echo warning=the SAN answers slowly\necho 'array unreachable' >&2\nexit 1\n");
        ScriptProvider p = ScriptProvider.builder().check(List.of(check.toString())).capture(List.of("true"))
                .delete(List.of("true")).build();
        var report = p.check(ctx("bitbucket"));
        assertThat(report.errors()).singleElement().asString().contains("array unreachable");
        assertThat(report.findings()).anySatisfy(f -> assertThat(f.message()).contains("answers slowly"));
        assertThatThrownBy(() -> p.prepare(ctx("bitbucket"))).hasMessageContaining("array unreachable");
    }
}
