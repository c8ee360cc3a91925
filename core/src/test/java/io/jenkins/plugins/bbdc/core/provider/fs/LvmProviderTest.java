package io.jenkins.plugins.bbdc.core.provider.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.PreparedCapture;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.provider.RestoreOutcome;
import io.jenkins.plugins.bbdc.core.provider.RestoreRequest;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * LVM does not exist on this machine (no device-mapper): the provider is checked against the exact commands it must
 * run, fed with the output lvm2 2.03 prints in each situation.
 */
class LvmProviderTest {
    private static final String RP = "20261121t100000z-ab12";
    private static final String NAME = "bbdc-bitbucket-" + RP + "-home";
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00.250Z");
    private final RecordingCommandRunner runner = new RecordingCommandRunner();
    private final ProviderContext ctx = new ProviderContext("bitbucket", ComponentRole.HOME, BackupMode.ZERO_DOWNTIME,
            runner, Clock.fixed(NOW, ZoneOffset.UTC), null, null);

    private static String lvsReport(String... rows) {
        return "  {\n      \"report\": [\n          {\n              \"lv\": [\n                  "
                + String.join(",\n                  ", rows) + "\n              ]\n          }\n      ]\n  }\n";
    }

    private static String lv(String name, String vg, String origin, String time, String size) {
        return "{\"lv_name\":\"" + name + "\", \"vg_name\":\"" + vg + "\", \"origin\":\"" + origin
                + "\", \"lv_time\":\"" + time + "\", \"lv_size\":\"" + size + "\"}";
    }

    private static CaptureRequest request(String rp) {
        return new CaptureRequest(rp, "bitbucket", ComponentRole.HOME, BackupMode.ZERO_DOWNTIME);
    }

    @Test
    void aThickSnapshotIsCreatedWithItsCopyOnWriteSize() throws Exception {
        LvmProvider p = new LvmProvider("vg0", "shared", "10G");
        runner.expect("  {\n      \"report\": [ { \"lv\": [ {\"lv_name\":\"shared\", \"vg_name\":\"vg0\", "
                        + "\"lv_attr\":\"-wi-ao----\", \"pool_lv\":\"\"} ] } ]\n  }\n",
                "lvs", "--reportformat", "json", "-o", "lv_name,vg_name,lv_attr,pool_lv", "vg0/shared")
                .expect("  Logical volume \"" + NAME + "\" created.\n",
                        "lvcreate", "--snapshot", "--name", NAME, "--size", "10G", "vg0/shared");

        PreparedCapture prepared = p.prepare(ctx);
        SnapshotRef ref = p.capture(prepared, request(RP), ctx);

        runner.assertAllRan();
        assertThat(ref.id()).isEqualTo("vg0/" + NAME);
        assertThat(ref.capturedAt()).isEqualTo(NOW);
        assertThat(ref.attribute("origin")).isEqualTo("shared");
    }

    @Test
    void withoutASizeTheSnapshotIsThinAndAThickOriginIsRefusedUpFront() throws Exception {
        LvmProvider thin = new LvmProvider("vg0", "shared", null);
        runner.expect(lvsReportForCheck("twi"), "lvs", "--reportformat", "json", "-o",
                        "lv_name,vg_name,lv_attr,pool_lv", "vg0/shared")
                .expect("  Logical volume \"" + NAME + "\" created.\n",
                        "lvcreate", "--snapshot", "--name", NAME, "vg0/shared")
                .expect(lvsReportForCheck(null), "lvs", "--reportformat", "json", "-o",
                        "lv_name,vg_name,lv_attr,pool_lv", "vg0/shared");

        thin.capture(thin.prepare(ctx), request(RP), ctx);
        assertThatThrownBy(() -> thin.prepare(ctx)).isInstanceOf(ProviderException.class)
                .hasMessageContaining("not a thin volume").hasMessageContaining("snapshotSize");
        runner.assertAllRan();
    }

    private static String lvsReportForCheck(String pool) {
        return "  {\n      \"report\": [ { \"lv\": [ {\"lv_name\":\"shared\", \"vg_name\":\"vg0\", \"lv_attr\":\"Vwi-aotz--\", "
                + "\"pool_lv\":\"" + (pool == null ? "" : "pool0") + "\"} ] } ]\n  }\n";
    }

    @Test
    void aMissingOriginIsExplainedByCheck() throws Exception {
        runner.expectFailure(5, "  Failed to find logical volume \"vg0/shared\"\n",
                "lvs", "--reportformat", "json", "-o", "lv_name,vg_name,lv_attr,pool_lv", "vg0/shared");
        assertThat(new LvmProvider("vg0", "shared", "1G").check(ctx).errors())
                .singleElement().asString().contains("vg0/shared not found").contains("Failed to find");
    }

    @Test
    void aRestorePointIdThatCouldNotBeListedAgainIsRefusedBeforeAnySnapshot() {
        assertThatThrownBy(() -> new LvmProvider("vg0", "shared", "1G").capture(PreparedCapture.none(),
                request("my-backup"), ctx)).isInstanceOf(ProviderException.class).hasMessageContaining("form");
        assertThat(runner.ran()).isEmpty();
    }

    @Test
    void listKeepsExactlyThisInstancesSnapshotsOfThisOrigin() throws Exception {
        runner.expect(lvsReport(
                        lv("shared", "vg0", "", "2026-11-01 09:00:00 +0000", "107374182400"),
                        lv("bbdc-bitbucket-20261121t110000z-cd34-home", "vg0", "shared", "2026-11-21 11:00:00 +0000",
                                "10737418240"),
                        lv(NAME, "vg0", "shared", "2026-11-21 10:00:00 +0000", "10737418240"),
                        // another instance whose id starts like ours
                        lv("bbdc-bitbucket-staging-20261121t100000z-ab12-home", "vg0", "shared",
                                "2026-11-21 10:00:00 +0000", "10737418240"),
                        // our name scheme, but of another origin; and a manual snapshot
                        lv("bbdc-bitbucket-20261121t090000z-ef56-home", "vg0", "other", "2026-11-21 09:00:00 +0000",
                                "1073741824"),
                        lv("manual-before-upgrade", "vg0", "shared", "2026-11-20 08:00:00 +0200", "1073741824")),
                "lvs", "--reportformat", "json", "--units", "b", "--nosuffix", "-o",
                "lv_name,vg_name,origin,lv_time,lv_size", "vg0");

        var listed = new LvmProvider("vg0", "shared", "10G").list(ctx);

        runner.assertAllRan();
        assertThat(listed).extracting(SnapshotRef::restorePointId).containsExactly(RP, "20261121t110000z-cd34");
        assertThat(listed.get(0).capturedAt()).isEqualTo(Instant.parse("2026-11-21T10:00:00Z"));
        assertThat(listed.get(0).sizeBytes()).isEqualTo(10737418240L);
        assertThat(listed.get(0).id()).isEqualTo("vg0/" + NAME);
    }

    @Test
    void deleteRemovesTheSnapshotAndToleratesOneAlreadyGone() throws Exception {
        LvmProvider p = new LvmProvider("vg0", "shared", "10G");
        SnapshotRef ref = p.capture(PreparedCapture.none(), request(RP), new ProviderContext("bitbucket",
                ComponentRole.HOME, BackupMode.ZERO_DOWNTIME, new RecordingCommandRunner().expect("",
                "lvcreate", "--snapshot", "--name", NAME, "--size", "10G", "vg0/shared"), null, null, null));
        runner.expect("  Logical volume \"" + NAME + "\" successfully removed.\n", "lvremove", "-y", "vg0/" + NAME)
                .expectFailure(5, "  Failed to find logical volume \"vg0/" + NAME + "\"\n",
                        "lvremove", "-y", "vg0/" + NAME)
                .expectFailure(5, "  Logical volume vg0/" + NAME + " contains a filesystem in use.\n",
                        "lvremove", "-y", "vg0/" + NAME);

        p.delete(ref, ctx);
        p.delete(ref, ctx);
        assertThatThrownBy(() -> p.delete(ref, ctx)).isInstanceOf(ProviderException.class)
                .hasMessageContaining("in use");
        runner.assertAllRan();
    }

    private SnapshotRef ourRef(LvmProvider p) throws Exception {
        return p.capture(PreparedCapture.none(), request(RP), new ProviderContext("bitbucket", ComponentRole.HOME,
                BackupMode.ZERO_DOWNTIME, new RecordingCommandRunner().expect("", "lvcreate", "--snapshot", "--name",
                NAME, "--size", "10G", "vg0/shared"), null, null, null));
    }

    @Test
    void restoreMergesAndExplainsThatAnOpenOriginMergesOnItsNextActivation() throws Exception {
        LvmProvider p = new LvmProvider("vg0", "shared", "10G");
        SnapshotRef ref = ourRef(p);
        runner.expect(0, "  Delaying merge since origin is open.\n  Merging of snapshot vg0/" + NAME
                + " will occur on next activation of vg0/shared.\n", "", "lvconvert", "--merge", "vg0/" + NAME);

        RestoreOutcome out = p.restore(ref, new RestoreRequest(Map.of(), true, null, false, false), ctx);

        runner.assertAllRan();
        assertThat(out.location()).containsEntry("merge", "deferred");
        assertThat(out.operatorSteps().get(0)).contains("next activation").contains("lvchange -an vg0/shared")
                .contains("lvchange -ay vg0/shared");
        assertThat(out.summary()).contains("consumed");
    }

    @Test
    void restoreOfAClosedOriginStartsTheMergeAtOnce() throws Exception {
        LvmProvider p = new LvmProvider("vg0", "shared", "10G");
        SnapshotRef ref = ourRef(p);
        runner.expect("  Merging of volume vg0/" + NAME + " started.\n  vg0/shared: Merged: 100.00%\n",
                "lvconvert", "--merge", "vg0/" + NAME);

        RestoreOutcome out = p.restore(ref, new RestoreRequest(Map.of(), true, null, false, false), ctx);

        assertThat(out.location()).containsEntry("merge", "started");
        assertThat(out.operatorSteps()).isEmpty();
    }

    @Test
    void restoreNeedsAllowReplaceRefusesScratchAndDryRunRunsNothing() throws Exception {
        LvmProvider p = new LvmProvider("vg0", "shared", "10G");
        SnapshotRef ref = ourRef(p);

        assertThatThrownBy(() -> p.restore(ref, new RestoreRequest(Map.of(), false, null, false, false), ctx))
                .hasMessageContaining("allowReplace");
        assertThatThrownBy(() -> p.restore(ref, new RestoreRequest(Map.of(), true, null, true, false), ctx))
                .hasMessageContaining("scratch");
        RestoreOutcome dry = p.restore(ref, new RestoreRequest(Map.of(), true, null, false, true), ctx);
        assertThat(dry.actions()).containsExactly("lvconvert --merge vg0/" + NAME);
        assertThat(runner.ran()).isEmpty();
    }

    @Test
    void aRefNotMadeByThisProviderIsNeverTouched() {
        SnapshotRef forged = new SnapshotRef("lvm", "home", "vg0/shared", RP, "bitbucket", NOW, NOW, null,
                Map.of("origin", "shared"));
        LvmProvider p = new LvmProvider("vg0", "shared", "10G");
        assertThatThrownBy(() -> p.delete(forged, ctx)).hasMessageContaining("refusing");
        assertThatThrownBy(() -> p.restore(forged, new RestoreRequest(Map.of(), true, null, false, false), ctx))
                .hasMessageContaining("refusing");
        assertThat(runner.ran()).isEmpty();
    }

    @Test
    void invalidConfigurationIsRefused() {
        assertThatThrownBy(() -> new LvmProvider("vg0", "-rf", null)).hasMessageContaining("not a valid LVM name");
        assertThatThrownBy(() -> new LvmProvider("vg0", "shared", "ten gigs")).hasMessageContaining("10G");
    }
}
