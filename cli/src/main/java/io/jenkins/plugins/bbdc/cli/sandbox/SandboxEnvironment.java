package io.jenkins.plugins.bbdc.cli.sandbox;

import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import io.jenkins.plugins.bbdc.testkit.fixture.BitbucketDataFixture;
import io.jenkins.plugins.bbdc.testkit.fs.LoopVolume;
import io.jenkins.plugins.bbdc.testkit.postgres.ThrowawayPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Everything the sandbox starts: the Bitbucket simulator, a throwaway PostgreSQL, a btrfs loop volume (where the
 * machine allows it) and a Bitbucket-like home with real git repositories. {@link #close()} stops and removes all of
 * it, in reverse order, whatever happened.
 */
final class SandboxEnvironment implements AutoCloseable {
    static final String VERSION = "8.19.1";
    static final String TARGET_VERSION = "8.19.2";
    static final String DATABASE = "bitbucket";

    final Path workDir;
    final BitbucketSimulator simulator;
    final ThrowawayPostgres postgres;
    final LoopVolume volume; // null when btrfs loop mounts are not possible here
    final String btrfsUnavailable;
    final Path home;
    final BitbucketDataFixture fixture;
    private final Deque<AutoCloseable> closers = new ArrayDeque<>();

    private SandboxEnvironment(Path workDir, BitbucketSimulator simulator, ThrowawayPostgres postgres,
                               LoopVolume volume, String btrfsUnavailable, Path home, BitbucketDataFixture fixture) {
        this.workDir = workDir;
        this.simulator = simulator;
        this.postgres = postgres;
        this.volume = volume;
        this.btrfsUnavailable = btrfsUnavailable;
        this.home = home;
        this.fixture = fixture;
    }

    static SandboxEnvironment start(Path workDir) throws Exception {
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            Files.createDirectories(workDir);
            BitbucketSimulator sim = BitbucketSimulator.builder().nodes(3).version(VERSION)
                    .drainTime(Duration.ofMillis(300)).stopTime(Duration.ofMillis(200))
                    .startTime(Duration.ofMillis(1500)).finalizationTime(Duration.ofMillis(500))
                    .healthCheckInterval(Duration.ofMillis(100)).start();
            started.push(sim);
            ThrowawayPostgres pg = ThrowawayPostgres.start();
            started.push(pg);
            pg.createDatabase(DATABASE);
            Optional<String> unavailable = LoopVolume.unavailableReason(LoopVolume.FsType.BTRFS);
            LoopVolume volume = null;
            Path home;
            if (unavailable.isEmpty()) {
                volume = LoopVolume.btrfs("home");
                started.push(volume);
                home = volume.subvolume();
            } else {
                home = Files.createDirectories(workDir.resolve("home"));
            }
            BitbucketDataFixture fixture = BitbucketDataFixture.builder(home).database(pg, DATABASE).projects(3)
                    .repositoriesPerProject(4).forks(3).orphanUpstreams(1).commitsPerRepository(3).build();
            SandboxEnvironment env = new SandboxEnvironment(workDir, sim, pg, volume, unavailable.orElse(null), home,
                    fixture);
            env.closers.addAll(started);
            return env;
        } catch (Exception e) {
            for (AutoCloseable c : started) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    Path dir(String name) throws IOException {
        return Files.createDirectories(workDir.resolve(name));
    }

    @Override
    public void close() {
        while (!closers.isEmpty()) {
            try {
                closers.pop().close();
            } catch (Exception e) {
                System.err.println("sandbox: clean-up step failed: " + e.getMessage());
            }
        }
    }
}
