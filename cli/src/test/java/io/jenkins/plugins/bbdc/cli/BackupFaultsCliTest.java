package io.jenkins.plugins.bbdc.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import io.jenkins.plugins.bbdc.testkit.proxy.ClosingFrontEnd;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults injected end to end into real {@code bbdc-ops backup} processes against the simulator: front ends that close
 * keep-alive connections, a catalog that becomes read-only or full while Bitbucket is locked, a corrupted state file,
 * two backups started at the same instant.
 */
class BackupFaultsCliTest {
    @TempDir
    Path tmp;
    BitbucketSimulator sim;

    @BeforeEach
    void start() {
        sim = BitbucketSimulator.builder().nodes(2).start();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private Path config(URI url, Path catalog, String prepareSleep, String captureHook) throws Exception {
        Path secret = Files.writeString(tmp.resolve("pw"), "admin");
        return Files.writeString(tmp.resolve("c.yaml"), """
                instance: {id: fx, url: %s, username: admin, password: {file: %s}, nodes: [%s]}
                catalog: %s
                backup:
                  mode: locked
                  drainPollInterval: 20ms
                  databaseOnHomeVolume: true
                  home: %s
                """.formatted(url, secret, sim.node("bb-node-1").url(), catalog,
                ScriptHome.yaml(tmp, prepareSleep, captureHook)));
    }

    private CliTestSupport.Run backup(Path config) throws Exception {
        return CliProcess.run(tmp, "backup", "--config", config.toString());
    }

    @Test
    void aFrontEndThatClosesIdleKeepAliveConnectionsDoesNotFailTheBackup() throws Exception {
        // real front ends close after 5 s (Apache) to 75 s (nginx); here 1 s, and the prepare step idles 2 s
        try (ClosingFrontEnd lb = ClosingFrontEnd.idleTimeout(sim.baseUrl(), Duration.ofSeconds(1))) {
            CliTestSupport.Run r = backup(config(lb.url(), tmp.resolve("catalog"), "2", ""));

            assertThat(r.exitCode()).as(r.all()).isZero();
            assertThat(r.out()).contains("COMPLETE");
            assertThat(lb.closedIdle()).as("the front end closed an idle connection").isPositive();
            assertThat(sim.calls("POST", "/mvc/maintenance/lock")).hasSize(1);
            assertThat(sim.isLocked()).isFalse();
        }
    }

    @Test
    void anHttp10ProxyThatClosesAfterEveryAnswerDoesNotFailTheBackup() throws Exception {
        try (ClosingFrontEnd lb = ClosingFrontEnd.closeAfterEachAnswer(sim.baseUrl())) {
            CliTestSupport.Run r = backup(config(lb.url(), tmp.resolve("catalog"), "0", ""));

            assertThat(r.exitCode()).as(r.all()).isZero();
            assertThat(sim.calls("POST", "/mvc/maintenance/lock")).hasSize(1);
            assertThat(sim.calls("DELETE", "/mvc/maintenance/lock")).hasSize(1);
            assertThat(sim.isLocked()).isFalse();
        }
    }

    @Test
    void aTruncatedOrCorruptedStateFileIsRefusedNamingTheFile() throws Exception {
        Path catalog = tmp.resolve("catalog");
        Path state = Files.createDirectories(catalog.resolve("fx")).resolve(".backup-state.json");
        Path config = config(sim.baseUrl(), catalog, "0", "");
        for (String content : List.of("{\"schemaVersion\":1,\"restorePointId\":\"20261208t010000z-ab12\",\"insta",
                "", "not json at all", "{\"schemaVersion\":1}")) {
            Files.writeString(state, content);

            CliTestSupport.Run r = backup(config);

            assertThat(r.exitCode()).as(r.all()).isEqualTo(ExitCodes.REFUSED);
            assertThat(r.err()).contains("backup refused, nothing was changed",
                    "the backup state file " + state.toAbsolutePath() + " cannot be used", "MAINTENANCE",
                    "mv " + state.toAbsolutePath());
            assertThat(Files.readString(state)).as("left as it was").isEqualTo(content);
            assertThat(sim.calls("POST", "/mvc/maintenance/lock")).isEmpty();
        }
    }

    @Test
    void twoBackupsStartedAtTheSameInstantOnOneCatalogRunExactlyOnce() throws Exception {
        Path config = config(sim.baseUrl(), tmp.resolve("catalog"), "1", "");
        CliProcess a = CliProcess.start(tmp, "backup", "--config", config.toString());
        CliProcess b = CliProcess.start(tmp, "backup", "--config", config.toString());
        List<CliTestSupport.Run> results = List.of(a.await(Duration.ofMinutes(2)), b.await(Duration.ofMinutes(2)));

        assertThat(results).extracting(CliTestSupport.Run::exitCode).as(results.toString())
                .containsExactlyInAnyOrder(ExitCodes.OK, ExitCodes.HELD);
        CliTestSupport.Run refused = results.stream().filter(r -> r.exitCode() == ExitCodes.HELD).findFirst().orElseThrow();
        assertThat(refused.err()).contains("another operation is running on this instance");
        assertThat(sim.calls("POST", "/mvc/maintenance/lock")).hasSize(1);
        assertThat(sim.isLocked()).isFalse();
    }

    @Test
    void aCatalogThatBecomesReadOnlyWhileLockedLeavesBitbucketUnlockedAndTheNextRunCleansUp() throws Exception {
        // immutable: no file can be created, renamed or removed in it, not even by root (permission bits would not
        // stop root, and a remount read-only is refused while the run lock's file is open for writing)
        assumeTrue(sh("command -v chattr >/dev/null") == 0, "chattr (e2fsprogs) is not installed");
        catalogFault(false, "chattr +i %s/fx", "chattr -i %s/fx");
    }

    @Test
    void aCatalogThatFillsUpWhileLockedLeavesBitbucketUnlockedAndTheNextRunCleansUp() throws Exception {
        catalogFault(true, "dd if=/dev/zero of=%s/fill bs=64k 2>/dev/null; true", "rm %s/fill");
    }

    /**
     * {@code fault} runs at the capture (Bitbucket locked), {@code repair} after the failed run; with {@code tmpfs}
     * the catalog is a 4 MB tmpfs.
     */
    private void catalogFault(boolean tmpfs, String fault, String repair) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the fault needs root (mount, chattr)");
        Path catalog = Files.createDirectories(tmp.resolve("catalog"));
        assumeTrue(!tmpfs || sh("mount -t tmpfs -o size=4m tmpfs " + catalog) == 0,
                "this host does not allow mounting");
        try {
            Path config = config(sim.baseUrl(), catalog, "0", fault.formatted(catalog));

            CliTestSupport.Run r = backup(config);

            assertThat(r.exitCode()).as(r.all()).isEqualTo(ExitCodes.FAILED);
            assertThat(sim.isLocked()).as(r.all()).isFalse();
            assertThat(sim.calls("DELETE", "/mvc/maintenance/lock")).hasSize(1);
            assertThat(ScriptHome.snapshots(tmp)).as("the capture of the failed point is deleted").isZero();
            assertThat(r.err()).contains("FAILED", "cannot persist the backup state", "this ending could not be"
                    + " recorded", "Bitbucket is unlocked and no snapshot of it is left", "the next backup ends this"
                    + " one again");

            assertThat(sh(repair.formatted(catalog))).isZero();
            Path clean = config(sim.baseUrl(), catalog, "0", "");
            CliTestSupport.Run next = backup(clean);

            assertThat(next.exitCode()).as(next.all()).isZero();
            assertThat(sim.isLocked()).isFalse();
            try (Stream<Path> points = Files.list(catalog.resolve("fx"))) {
                assertThat(points.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")
                        && !n.startsWith("."))).hasSize(2);
            }
        } finally {
            sh(tmpfs ? "umount -l " + catalog : "chattr -i " + catalog + "/fx 2>/dev/null; true");
        }
    }

    private static int sh(String command) throws Exception {
        return new ProcessBuilder("sh", "-c", command).inheritIO().start().waitFor();
    }
}
