package io.jenkins.plugins.bbdc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real bbdc-ops process stopped with SIGTERM while Bitbucket is locked (the drain never finishes): the process
 * cancels the backup and releases the lock before it exits — the sample scripts leave orphans or the lock behind.
 */
class BackupSignalTest {
    @TempDir
    Path tmp;

    @Test
    void sigtermWhileLockedCancelsAndUnlocksBeforeExiting() throws Exception {
        try (BitbucketSimulator sim = BitbucketSimulator.builder().nodes(2).start()) {
            sim.faults().drainNeverFinishes(true);
            Path home = Files.createDirectories(tmp.resolve("home"));
            Files.writeString(home.resolve("file"), "data");
            Files.createDirectories(tmp.resolve("copies"));
            Path secret = Files.writeString(tmp.resolve("pw"), "admin");
            Path config = Files.writeString(tmp.resolve("c.yaml"), """
                    instance: {id: sig, url: %s, username: admin, password: {file: %s}, nodes: []}
                    catalog: %s
                    backup:
                      mode: locked
                      drainPollInterval: 50ms
                      databaseOnHomeVolume: true
                      home: {rsync: {source: %s, destination: %s}}
                    """.formatted(sim.baseUrl(), secret, tmp.resolve("catalog"), home, tmp.resolve("copies")));
            CliProcess cli = CliProcess.start(tmp, "backup", "--config", config.toString());
            Process p = cli.process();
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (sim.calls("GET", "/mvc/maintenance").isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(sim.isLocked()).as(cli.outputSoFar()).isTrue();

                p.destroy(); // SIGTERM

                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            } finally {
                p.destroyForcibly();
            }
            String output = cli.outputSoFar();
            assertThat(sim.isLocked()).as(output).isFalse();
            assertThat(sim.calls("DELETE", "/mvc/maintenance/lock")).as(output).hasSize(1);
            assertThat(sim.calls("POST", "/mvc/maintenance").stream()
                    .filter(c -> c.path().equals("/mvc/maintenance"))).as("cancel").hasSize(1);
            assertThat(new File(tmp.resolve("catalog/sig").toString()).list()).anyMatch(f -> f.endsWith(".json"));
        }
    }
}
