package io.jenkins.plugins.bbdc.core.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.restore.VerificationReport.Check;
import io.jenkins.plugins.bbdc.core.restore.VerificationReport.Outcome;
import io.jenkins.plugins.bbdc.testkit.fixture.BitbucketDataFixture;
import io.jenkins.plugins.bbdc.testkit.fixture.FixtureRepository;
import io.jenkins.plugins.bbdc.testkit.postgres.ThrowawayPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verifier on a real Bitbucket-like home (real bare repositories, forks) and a real PostgreSQL database. */
class RestoreVerifierTest {
    private static ThrowawayPostgres pg;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @TempDir
    Path tmp;
    BitbucketDataFixture fixture;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = ThrowawayPostgres.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (pg != null) {
            pg.close();
        }
    }

    @BeforeEach
    void fixture() throws Exception {
        String db = "verify" + DATABASES.incrementAndGet();
        pg.createDatabase(db);
        fixture = BitbucketDataFixture.builder(tmp.resolve("home")).database(pg, db).projects(2)
                .repositoriesPerProject(3).forks(2).orphanUpstreams(1).build();
    }

    private VerificationReport verify(RestoreVerifier.Options options) throws Exception {
        try (Connection c = fixture.connect()) {
            return new RestoreVerifier(new ProcessCommandRunner()).verify(fixture.sharedHome(), c, options);
        }
    }

    private static RestoreVerifier.Options everything() {
        return RestoreVerifier.Options.defaults().withSample(100);
    }

    @Test
    void aConsistentHomeAndDatabasePass() throws Exception {
        VerificationReport report = verify(everything().withExpected(new RestoreVerifier.Expected(
                fixture.serverId(), fixture.changelogRows(), null)));

        assertThat(report.passed()).as(report.describe()).isTrue();
        assertThat(report.repositoriesInDatabase()).isEqualTo(fixture.databaseRepositories().size());
        assertThat(report.fsckSampled()).isEqualTo(fixture.databaseRepositories().size());
        assertThat(check(report, "disk → database").details()).contains("DELETED");
        long forks = fixture.repositories().stream().filter(FixtureRepository::isFork).count();
        assertThat(forks).isPositive();
        assertThat(check(report, "fork alternates").details()).startsWith(forks + " forks");
    }

    @Test
    void aMissingRepositoryDirectoryFails() throws Exception {
        FixtureRepository victim = fixture.databaseRepositories().get(0);
        fixture.deleteRepositoryDirectory(victim.id());

        VerificationReport report = verify(everything());

        assertThat(report.passed()).isFalse();
        assertThat(check(report, "database → disk").outcome()).isEqualTo(Outcome.FAIL);
        assertThat(check(report, "database → disk").details()).contains("[" + victim.id() + "]");
    }

    @Test
    void aDirectoryWithoutRowFailsButDeletedMarkedOnesAreExpected() throws Exception {
        FixtureRepository victim = unreferencedUpstream();
        fixture.dropRepositoryRow(victim.id());

        VerificationReport report = verify(everything());

        assertThat(check(report, "disk → database").outcome()).isEqualTo(Outcome.FAIL);
        assertThat(check(report, "disk → database").details()).contains(String.valueOf(victim.id()));
    }

    @Test
    void staleLocksAndALockedLiquibaseTableFailWithTheFix() throws Exception {
        fixture.leaveStaleLocks(fixture.databaseRepositories().get(0).id());
        fixture.lockLiquibase("bb-node-1 (10.0.0.1)");

        VerificationReport report = verify(everything());

        assertThat(check(report, "stale git locks").outcome()).isEqualTo(Outcome.FAIL);
        assertThat(check(report, "liquibase lock").details()).contains("UPDATE databasechangeloglock");
    }

    @Test
    void corruptObjectsFailGitFsck() throws Exception {
        FixtureRepository victim = unreferencedUpstream();
        int damaged = 0;
        try (var files = Files.walk(victim.directory().resolve("objects"))) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.toString().contains("/info/")).toList()) {
                f.toFile().setWritable(true);
                byte[] bytes = Files.readAllBytes(f);
                for (int i = bytes.length / 2; i < bytes.length / 2 + 64 && i < bytes.length; i++) {
                    bytes[i] ^= 0x5a;
                }
                Files.write(f, bytes);
                damaged++;
            }
        }
        assertThat(damaged).as("object files damaged").isPositive();

        VerificationReport report = verify(everything());

        assertThat(check(report, "git fsck").outcome()).isEqualTo(Outcome.FAIL);
        assertThat(check(report, "git fsck").details()).contains(victim.id() + ":");
    }

    @Test
    void aDatabaseOfAnotherInstanceOrReleaseIsRefused() throws Exception {
        VerificationReport report = verify(everything().withExpected(
                new RestoreVerifier.Expected("some-other-server", fixture.changelogRows() + 5, null)));

        assertThat(check(report, "server id").outcome()).isEqualTo(Outcome.FAIL);
        assertThat(check(report, "schema version").outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void aScratchCopyHasItsForkAlternatesMappedAndRewritten() throws Exception {
        Path scratch = tmp.resolve("scratch/shared");
        Files.createDirectories(scratch.getParent());
        new io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner().check(io.jenkins.plugins.bbdc.core.exec
                .CommandSpec.of("cp", "-a", fixture.sharedHome().toString(), scratch.toString()).build());
        // the original disappears, as when verifying a restore of a home whose live copy is elsewhere
        Path original = fixture.sharedHome();
        Path moved = tmp.resolve("elsewhere");
        Files.move(original, moved);

        VerificationReport report;
        try (Connection c = fixture.connect()) {
            report = new RestoreVerifier(new ProcessCommandRunner()).verify(scratch, c,
                    everything().withOriginalHome(original, true));
        }

        assertThat(report.passed()).as(report.describe()).isTrue();
        assertThat(check(report, "fork alternates").details()).contains("rewritten");
        Path fork = fixture.databaseRepositories().stream()
                .filter(r -> Files.exists(r.directory().getParent().getParent().getParent()
                        .resolveSibling("x"))).findAny().map(FixtureRepository::directory).orElse(null);
        assertThat(fork).isNull(); // the live tree was moved away: nothing could have been read from it
        List<String> alternates;
        try (var s = Files.walk(scratch.resolve("data/repositories"), 4)) {
            alternates = s.filter(p -> p.endsWith(Path.of("objects/info/alternates"))).flatMap(p -> {
                try {
                    return Files.readAllLines(p, StandardCharsets.UTF_8).stream();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertThat(alternates).isNotEmpty().allMatch(l -> l.startsWith(scratch.toString()));
    }

    @Test
    void aHomeRestoredElsewhereWithoutMappingBreaksForksClearly() throws Exception {
        Path scratch = tmp.resolve("scratch2/shared");
        Files.createDirectories(scratch.getParent());
        new ProcessCommandRunner().check(io.jenkins.plugins.bbdc.core.exec.CommandSpec
                .of("cp", "-a", fixture.sharedHome().toString(), scratch.toString()).build());

        VerificationReport report;
        try (Connection c = fixture.connect()) {
            report = new RestoreVerifier(new ProcessCommandRunner()).verify(scratch, c, everything());
        }

        assertThat(check(report, "fork alternates").outcome()).isEqualTo(Outcome.FAIL);
        assertThat(check(report, "fork alternates").details()).contains("outside the restored shared home");
    }

    /** A repository with a row that is neither a fork nor the upstream of one. */
    @Test
    void theHomeChecksCanRunElsewhereWithOnlySerializedRowsAndFindingsCrossing() throws Exception {
        FixtureRepository victim = fixture.databaseRepositories().get(0);
        fixture.deleteRepositoryDirectory(victim.id());
        RestoreVerifier verifier = new RestoreVerifier(new ProcessCommandRunner());
        List<String> crossed = new java.util.ArrayList<>();
        RestoreVerifier.HomeCheck remote = (home, rows, options) -> {
            // what a Jenkins agent receives and sends back: Java-serialized plain values
            java.util.Map<Integer, RestoreVerifier.Row> received = roundTrip(new java.util.TreeMap<>(rows));
            crossed.add(received.size() + " rows");
            return roundTrip(verifier.verifyHome(home, received, options));
        };
        VerificationReport local;
        VerificationReport split;
        try (Connection c = fixture.connect()) {
            local = verifier.verify(fixture.sharedHome(), c, everything());
            split = verifier.verify(fixture.sharedHome(), c, everything(), remote);
        }

        assertThat(crossed).containsExactly(fixture.databaseRepositories().size() + " rows");
        assertThat(split.checks()).isEqualTo(local.checks());
        assertThat(split.passed()).isFalse();
        assertThat(check(split, "database → disk").details()).contains("[" + victim.id() + "]");
        assertThat(split.repositoryDirectories()).isEqualTo(local.repositoryDirectories());
        assertThat(split.fsckSampled()).isEqualTo(local.fsckSampled()).isPositive();
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        } catch (ClassNotFoundException e) {
            throw new java.io.IOException(e);
        }
    }

    private FixtureRepository unreferencedUpstream() {
        List<FixtureRepository> all = fixture.repositories();
        return fixture.databaseRepositories().stream().filter(r -> !r.isFork())
                .filter(r -> all.stream().noneMatch(o -> Integer.valueOf(r.id()).equals(o.originId())))
                .findFirst().orElseThrow();
    }

    private static Check check(VerificationReport r, String name) {
        return r.checks().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in\n" + r.describe()));
    }
}
