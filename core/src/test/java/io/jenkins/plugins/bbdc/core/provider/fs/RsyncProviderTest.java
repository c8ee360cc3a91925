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
import io.jenkins.plugins.bbdc.core.provider.RestoreRequest;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the rsync provider with the real rsync on temporary directories. */
class RsyncProviderTest {
    @TempDir
    Path tmp;
    private Path home;
    private Path backups;

    @BeforeEach
    void setUp() throws Exception {
        home = Files.createDirectories(tmp.resolve("home"));
        backups = Files.createDirectories(tmp.resolve("backups"));
        for (String kept : List.of("shared/bitbucket.properties", "shared/data/repositories/1/HEAD",
                "shared/data/repositories/2/HEAD", "shared/data/repositories/12/HEAD", "shared/config/x",
                "plugins/installed-plugins/p.jar", "lib/jdbc.jar")) {
            write(kept, "kept " + kept);
        }
        for (String excluded : List.of("caches/idx", "data/db.mv.db", "shared/data/db.mv.db", "search/data/n",
                "shared/search/data/n", "export/e.zip", "shared/export/e.zip", "log/atlassian-bitbucket.log",
                "plugins/.osgi-plugins/x", "tmp/t", ".lock", "shared/.lock")) {
            write(excluded, "excluded");
        }
    }

    private void write(String rel, String content) throws Exception {
        Path p = home.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private static ProviderContext ctx(String instance, BackupMode mode, Instant now) {
        return new ProviderContext(instance, ComponentRole.HOME, mode, new ProcessCommandRunner(),
                Clock.fixed(now, ZoneOffset.UTC), null, null);
    }

    private SnapshotRef backup(RsyncProvider p, String instance, String rp, Instant at) throws Exception {
        ProviderContext c = ctx(instance, BackupMode.LOCKED, at);
        try (PreparedCapture prepared = p.prepare(c)) {
            return p.capture(prepared, new CaptureRequest(rp, instance, ComponentRole.HOME, BackupMode.LOCKED), c);
        }
    }

    private RsyncProvider dcProvider(List<String> excludedRepos) {
        return new RsyncProvider(home.toString(), backups.toString(), RsyncExcludes.DC_HOME, excludedRepos);
    }

    @Test
    void aDcHomeBackupLeavesOutBitbucketsExclusionsAndTheExcludedRepositoriesOnly() throws Exception {
        SnapshotRef ref = backup(dcProvider(List.of("2")), "bitbucket", "rp1", Instant.parse("2026-11-21T10:00:00Z"));
        Path copy = Path.of(ref.id());

        assertThat(copy).isEqualTo(backups.resolve("bbdc-bitbucket-rp1-home"));
        assertThat(copy.resolve("shared/data/repositories/1/HEAD")).exists();
        assertThat(copy.resolve("shared/data/repositories/12/HEAD")).exists(); // "2" must not match "12"
        assertThat(copy.resolve("shared/data/repositories/2")).doesNotExist();
        assertThat(copy.resolve("shared/bitbucket.properties")).exists();
        assertThat(copy.resolve("plugins/installed-plugins/p.jar")).exists();
        assertThat(copy.resolve("lib/jdbc.jar")).exists();
        for (String excluded : List.of("caches", "data/db.mv.db", "shared/data/db.mv.db", "search/data",
                "shared/search/data", "export", "shared/export", "log", "plugins/.osgi-plugins", "tmp", ".lock",
                "shared/.lock")) {
            assertThat(copy.resolve(excluded)).as(excluded).doesNotExist();
        }
        assertThat(ref.sizeBytes()).isPositive();
    }

    @Test
    void aMeshHomeBackupUsesTheShortMeshListNotTheDcOne() throws Exception {
        RsyncProvider mesh = new RsyncProvider(home.toString(), backups.toString(), RsyncExcludes.MESH_HOME, List.of());
        SnapshotRef ref = backup(mesh, "bitbucket", "rp1", Instant.parse("2026-11-21T10:00:00Z"));
        Path copy = Path.of(ref.id());
        for (String excluded : List.of("caches", "log", "tmp", ".lock")) {
            assertThat(copy.resolve(excluded)).as(excluded).doesNotExist();
        }
        assertThat(copy.resolve("export/e.zip")).exists();
        assertThat(copy.resolve("search/data/n")).exists();
        assertThatThrownBy(() -> new RsyncProvider(home.toString(), backups.toString(), RsyncExcludes.MESH_HOME,
                List.of("1"))).hasMessageContaining("not supported");
        assertThatThrownBy(() -> dcProvider(List.of("../etc"))).hasMessageContaining("not a repository id");
    }

    @Test
    void theFinalPassUnderTheLockPicksUpWhatChangedAfterThePrePass() throws Exception {
        RsyncProvider p = dcProvider(List.of());
        ProviderContext c = ctx("bitbucket", BackupMode.LOCKED, Instant.parse("2026-11-21T10:00:00Z"));
        try (PreparedCapture prepared = p.prepare(c)) {
            Path staging = backups.resolve(".in-progress-bbdc-bitbucket-home");
            assertThat(staging.resolve("shared/data/repositories/1/HEAD")).exists(); // the pre-pass copied it
            write("shared/data/repositories/1/HEAD", "pushed during the pre-pass");
            Files.delete(home.resolve("shared/data/repositories/12/HEAD"));
            SnapshotRef ref = p.capture(prepared,
                    new CaptureRequest("rp1", "bitbucket", ComponentRole.HOME, BackupMode.LOCKED), c);
            assertThat(Path.of(ref.id()).resolve("shared/data/repositories/1/HEAD"))
                    .hasContent("pushed during the pre-pass");
            assertThat(Path.of(ref.id()).resolve("shared/data/repositories/12/HEAD")).doesNotExist();
            assertThat(staging).doesNotExist();
        }
    }

    @Test
    void unchangedFilesOfTheNextRestorePointAreHardLinksToThePreviousOne() throws Exception {
        RsyncProvider p = dcProvider(List.of());
        SnapshotRef first = backup(p, "bitbucket", "rp1", Instant.parse("2026-11-21T10:00:00Z"));
        write("shared/data/repositories/2/HEAD", "changed");
        SnapshotRef second = backup(p, "bitbucket", "rp2", Instant.parse("2026-11-21T11:00:00Z"));

        Path unchanged1 = Path.of(first.id(), "shared/data/repositories/1/HEAD");
        Path unchanged2 = Path.of(second.id(), "shared/data/repositories/1/HEAD");
        assertThat(Files.getAttribute(unchanged2, "unix:ino")).isEqualTo(Files.getAttribute(unchanged1, "unix:ino"));
        assertThat((Integer) Files.getAttribute(unchanged2, "unix:nlink")).isGreaterThanOrEqualTo(2);
        Path changed1 = Path.of(first.id(), "shared/data/repositories/2/HEAD");
        Path changed2 = Path.of(second.id(), "shared/data/repositories/2/HEAD");
        assertThat(Files.getAttribute(changed2, "unix:ino")).isNotEqualTo(Files.getAttribute(changed1, "unix:ino"));
        assertThat(changed1).hasContent("kept shared/data/repositories/2/HEAD");
        assertThat(second.attribute("linkDest")).isEqualTo(first.id());

        // deleting the older point keeps every file of the newer one
        p.delete(first, ctx("bitbucket", BackupMode.LOCKED, Instant.now()));
        assertThat(unchanged2).hasContent("kept shared/data/repositories/1/HEAD");
    }

    @Test
    void zeroDowntimeModeIsRefused() throws Exception {
        RsyncProvider p = dcProvider(List.of());
        assertThat(p.capabilities()).doesNotContain(ProviderCapability.ZERO_DOWNTIME)
                .contains(ProviderCapability.LOCKED);
        ProviderContext zd = ctx("bitbucket", BackupMode.ZERO_DOWNTIME, Instant.now());
        assertThat(p.check(zd).errors()).anySatisfy(m -> assertThat(m).contains("locked mode"));
        assertThatThrownBy(() -> p.prepare(zd)).isInstanceOf(ProviderException.class);
        try (var entries = Files.list(backups)) {
            assertThat(entries).isEmpty();
        }
    }

    @Test
    void anAbandonedPrepareLeavesNoPartialCopy() throws Exception {
        RsyncProvider p = dcProvider(List.of());
        p.prepare(ctx("bitbucket", BackupMode.LOCKED, Instant.now())).close();
        try (var entries = Files.list(backups)) {
            assertThat(entries).isEmpty();
        }
    }

    @Test
    void listAndDeleteWorkByDirectoryAndStayWithinTheInstance() throws Exception {
        RsyncProvider p = dcProvider(List.of());
        backup(p, "bitbucket", "rp1", Instant.parse("2026-11-21T10:00:00Z"));
        backup(p, "bitbucket-staging", "rp1", Instant.parse("2026-11-21T10:30:00Z"));
        SnapshotRef rp2 = backup(p, "bitbucket", "rp2", Instant.parse("2026-11-21T11:00:00Z"));

        ProviderContext c = ctx("bitbucket", BackupMode.LOCKED, Instant.now());
        assertThat(p.list(c)).extracting(SnapshotRef::restorePointId).containsExactly("rp1", "rp2");
        p.delete(rp2, c);
        assertThat(Path.of(rp2.id())).doesNotExist();
        assertThat(p.list(c)).extracting(SnapshotRef::restorePointId).containsExactly("rp1");
        assertThat(p.list(ctx("bitbucket-staging", BackupMode.LOCKED, Instant.now())))
                .extracting(SnapshotRef::restorePointId).containsExactly("rp1");
    }

    @Test
    void restoreGoesIntoAnEmptyTargetAndRefusesANonEmptyOneUnlessAllowed() throws Exception {
        RsyncProvider p = dcProvider(List.of());
        SnapshotRef ref = backup(p, "bitbucket", "rp1", Instant.parse("2026-11-21T10:00:00Z"));
        ProviderContext c = ctx("bitbucket", BackupMode.LOCKED, Instant.now());
        Path target = tmp.resolve("restored");

        var out = p.restore(ref, new RestoreRequest(Map.of("path", target.toString()), false, null, false, false), c);
        assertThat(out.location()).containsEntry("path", target.toString());
        assertThat(target.resolve("shared/data/repositories/1/HEAD")).hasContent("kept shared/data/repositories/1/HEAD");
        assertThat(Files.getAttribute(target.resolve("shared/data/repositories/1/HEAD"), "unix:ino"))
                .isNotEqualTo(Files.getAttribute(Path.of(ref.id(), "shared/data/repositories/1/HEAD"), "unix:ino"));

        Files.writeString(target.resolve("stray"), "written after the restore");
        assertThatThrownBy(() -> p.restore(ref,
                new RestoreRequest(Map.of("path", target.toString()), false, null, false, false), c))
                .isInstanceOf(ProviderException.class).hasMessageContaining("not empty");
        assertThat(target.resolve("stray")).exists();

        p.restore(ref, new RestoreRequest(Map.of("path", target.toString()), true, null, false, false), c);
        assertThat(target.resolve("stray")).doesNotExist();
    }

    @Test
    void scratchRestoreNeverTouchesTheLiveHome() throws Exception {
        RsyncProvider p = dcProvider(List.of());
        SnapshotRef ref = backup(p, "bitbucket", "rp1", Instant.parse("2026-11-21T10:00:00Z"));
        write("new-live-file", "live");
        var out = p.restore(ref, new RestoreRequest(Map.of(), false, null, true, false),
                ctx("bitbucket", BackupMode.LOCKED, Instant.now()));
        Path scratch = Path.of(out.location().get("path"));
        assertThat(scratch).isNotEqualTo(home);
        assertThat(scratch.resolve("shared/bitbucket.properties")).exists();
        assertThat(home.resolve("new-live-file")).exists();
        assertThat(p.list(ctx("bitbucket", BackupMode.LOCKED, Instant.now()))).hasSize(1);
    }
}
