package io.jenkins.plugins.bbdc.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdmin;
import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.event.OperationEvent;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.restore.RestoreVerifier;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.provider.ClosingProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.ComponentProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.PostgresDumpProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.RsyncCopyProvider;
import io.jenkins.plugins.bbdc.jenkins.runtime.HomeCheckOnNode;
import io.jenkins.plugins.bbdc.jenkins.util.BitbucketClients;
import io.jenkins.plugins.bbdc.jenkins.util.UsernamePassword;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import io.jenkins.plugins.bbdc.testkit.fixture.BitbucketDataFixture;
import io.jenkins.plugins.bbdc.testkit.fixture.FixtureRepository;
import io.jenkins.plugins.bbdc.testkit.postgres.ThrowawayPostgres;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restore test as the step runs it, for real: a locked backup (Bitbucket simulator, rsync home with real git
 * repositories and forks, pg_dump of a real PostgreSQL 15), then {@link VerifyOperation} restores both into scratch
 * locations, checks the home through the agent callable (Java-serialized both ways, as the remoting channel does)
 * and the database over JDBC, and removes the scratch copies.
 */
class VerifyOperationTest {
    private static final String BB_PASSWORD = "Bb-Verify-S3cret-815";

    @TempDir
    Path tmp;
    BitbucketSimulator sim;
    ThrowawayPostgres pg;
    BitbucketDataFixture fixture;
    BitbucketInstance instance;
    LocalServices services;
    final List<String> log = new ArrayList<>();
    final List<byte[]> crossedTheChannel = new ArrayList<>();
    final java.util.Set<String> classesThatCrossed = new java.util.TreeSet<>();

    @BeforeEach
    void backupSetUp() throws Exception {
        sim = BitbucketSimulator.builder().nodes(1).user("jenkins-ops", BB_PASSWORD, true)
                .drainTime(Duration.ofMillis(50)).start();
        pg = ThrowawayPostgres.shared();
        String db = "plugin_verify_" + System.nanoTime();
        pg.createDatabase(db);
        fixture = BitbucketDataFixture.builder(tmp.resolve("home")).database(pg, db).projects(1)
                .repositoriesPerProject(3).forks(1).orphanUpstreams(1).build();
        services = new LocalServices("pg", new UsernamePassword(pg.user(), pg.password()));
        instance = new BitbucketInstance("prod", sim.baseUrl().toString(), "bb-admin");
        instance.setBackupMode("LOCKED");
        instance.setCatalogDirectory(tmp.resolve("catalog").toString());
        instance.setHome(new RsyncCopyProvider(fixture.sharedHome().toString(),
                Files.createDirectories(tmp.resolve("rsync")).toString()));
        PostgresDumpProvider database = new PostgresDumpProvider(pg.host(), db, "pg",
                Files.createDirectories(tmp.resolve("dumps")).toString());
        database.setPort(pg.port());
        instance.setDatabase(database);
    }

    @AfterEach
    void tearDown() {
        if (sim != null) {
            sim.close();
        }
    }

    private Map<String, Object> backup() throws Exception {
        Map<String, SnapshotProvider> providers = engineProviders();
        try {
            BitbucketAdmin admin = BitbucketClients.open(sim.baseUrl().toString(), null,
                    new UsernamePassword("jenkins-ops", BB_PASSWORD));
            return BackupOperation.run(BackupOperation.engine(instance,
                    new BackupArguments(null, new ComponentChoice(null, null, null), 1), providers, Map.of(), admin,
                    new ProcessCommandRunner(), tmp.resolve("catalog"), events(),
                    new BackgroundWork.Progress("backup", null)));
        } finally {
            ClosingProvider.closeAll(providers.values());
        }
    }

    private Map<String, Object> verify(BitbucketVerifyStep step) throws Exception {
        VerifyArguments args = step.arguments();
        args.validate();
        Map<String, SnapshotProvider> providers = engineProviders();
        try {
            return VerifyOperation.run(instance, args, providers, this::overTheChannel, "agent",
                    new ProcessCommandRunner(), tmp.resolve("catalog"), events());
        } finally {
            ClosingProvider.closeAll(providers.values());
        }
    }

    /** What {@link HomeCheckOnNode} does through {@code FilePath.act}: serialize the callable and the findings. */
    private RestoreVerifier.HomeFindings overTheChannel(Path home, Map<Integer, RestoreVerifier.Row> rows,
                                                        RestoreVerifier.Options options) throws IOException,
            InterruptedException {
        HomeCheckOnNode.Check onAgent = roundTrip(new HomeCheckOnNode.Check(rows, options));
        return roundTrip(onAgent.invoke(home.toFile(), null)).toHomeFindings();
    }

    private Map<String, SnapshotProvider> engineProviders() throws Exception {
        Map<String, ComponentProvider> chosen = VerifyPlacement.homeAndDatabase(
                new ComponentChoice(null, null, null).resolve(instance));
        return ComponentChoice.toEngine(chosen, services);
    }

    private EventSink events() {
        return e -> log.add(e.level() + " " + e.phase() + ": " + e.message());
    }

    private BitbucketVerifyStep step() {
        BitbucketVerifyStep s = new BitbucketVerifyStep("prod");
        s.setOriginalSharedHome(fixture.sharedHome().toString());
        s.setSharedHomeSubpath("");        // the rsync copy is of the shared home itself
        s.setScratchHome(tmp.resolve("scratch-home").toString());
        s.setScratchDatabase("bbdc_verify_scratch");
        s.setFsckSample(50);
        return s;
    }

    @Test
    void aGoodRestorePointPassesEveryCheckAndLeavesNoScratchCopy() throws Exception {
        Map<String, Object> point = backup();

        Map<String, Object> result = verify(step());

        BackupOperationTest.assertPlain(result);
        assertThat(result).containsEntry("restorePointId", point.get("restorePointId"))
                .containsEntry("passed", true).containsEntry("verificationPassed", true)
                .containsEntry("homeCheckedOn", "agent")
                .containsEntry("repositoriesInDatabase", fixture.databaseRepositories().size())
                .containsEntry("fsckSampled", fixture.databaseRepositories().size())
                .containsEntry("failedChecks", List.of()).containsEntry("leftovers", List.of());
        assertThat((Long) result.get("restoreMillis")).isPositive();
        assertThat(names(result)).contains("inventory", "database → disk", "disk → database", "fork alternates",
                "git fsck", "stale git locks", "liquibase lock");
        assertThat(check(result, "fork alternates").get("details").toString()).contains("rewritten to the scratch");
        assertThat(tmp.resolve("scratch-home")).doesNotExist();
        assertThat(pg.queryLong("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'bbdc_verify_scratch'"))
                .isZero();
        assertThat(log).anyMatch(l -> l.contains("checked on agent"));
        // the live home was not touched by the alternates rewrite of the scratch copy
        FixtureRepository fork = fixture.repositories().stream().filter(FixtureRepository::isFork).findFirst()
                .orElseThrow();
        assertThat(Files.readString(fork.directory().resolve("objects/info/alternates")))
                .contains(fixture.sharedHome().toString());
        assertNoSecret(result);
    }

    @Test
    void aBrokenRestorePointFailsTheStepNamingTheCheckUnlessFailOnProblemsIsOff() throws Exception {
        FixtureRepository victim = fixture.databaseRepositories().stream()
                .filter(r -> !r.isFork() && fixture.repositories().stream().noneMatch(f -> r.id() == (f.originId() == null ? -1 : f.originId())))
                .findFirst().orElseThrow();       // no fork depends on it: exactly one check fails
        fixture.deleteRepositoryDirectory(victim.id());   // the backup captures a home missing a repository
        backup();

        assertThatThrownBy(() -> verify(step())).isInstanceOfSatisfying(BackgroundWork.ResultfulFailure.class, f -> {
            assertThat(f.getMessage()).contains("FAILED").contains("FAIL database → disk")
                    .contains("[" + victim.id() + "]");
            assertThat(f.result()).containsEntry("passed", false)
                    .containsEntry("failedChecks", List.of("database → disk"));
        });

        BitbucketVerifyStep lenient = step();
        lenient.setFailOnProblems(false);
        Map<String, Object> result = verify(lenient);
        assertThat(result).containsEntry("passed", false).containsEntry("failedChecks", List.of("database → disk"));
        assertThat(check(result, "database → disk")).containsEntry("outcome", "FAIL");
        assertThat(log).anyMatch(l -> l.startsWith("WARNING") && l.contains("failOnProblems: false"));
        assertThat(tmp.resolve("scratch-home")).doesNotExist();
        assertNoSecret(result);
    }

    @Test
    void whatCrossesToTheAgentHoldsRowsAndOptionsButNoDatabaseCredentials() throws Exception {
        backup();
        verify(step());

        assertThat(crossedTheChannel).hasSize(2);   // the callable out, the findings back
        for (byte[] bytes : crossedTheChannel) {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            assertThat(text).doesNotContain(pg.password()).doesNotContain(BB_PASSWORD);
        }
        // the controller's class filter (JEP-200) accepts classes of plugins and Jenkins core, arrays and listed JDK
        // classes, but rejects bundled libraries: nothing of the engine jar (io.jenkins.plugins.bbdc.core) may cross
        assertThat(classesThatCrossed).contains("io.jenkins.plugins.bbdc.jenkins.runtime.HomeCheckOnNode$Findings")
                .allMatch(n -> n.startsWith("io.jenkins.plugins.bbdc.jenkins.") || n.startsWith("jenkins.")
                        || n.equals("java.util.ArrayList") || n.startsWith("["), "plugin, core, array or list");
        String out = new String(crossedTheChannel.get(0), StandardCharsets.ISO_8859_1);
        assertThat(out).contains(fixture.databaseRepositories().get(0).slug());
        // the running step's persisted arguments hold ids and paths only
        String persisted = new String(serialize(step().arguments()), StandardCharsets.ISO_8859_1);
        assertThat(persisted).doesNotContain(pg.password()).contains("bbdc_verify_scratch");
    }

    private void assertNoSecret(Map<String, Object> result) {
        assertThat(result.toString()).doesNotContain(pg.password()).doesNotContain(BB_PASSWORD);
        assertThat(String.join("\n", log)).doesNotContain(pg.password()).doesNotContain(BB_PASSWORD);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> checks(Map<String, Object> result) {
        return (List<Map<String, Object>>) result.get("checks");
    }

    private static List<Object> names(Map<String, Object> result) {
        return checks(result).stream().map(c -> c.get("name")).toList();
    }

    private static Map<String, Object> check(Map<String, Object> result, String name) {
        return checks(result).stream().filter(c -> name.equals(c.get("name"))).findFirst().orElseThrow();
    }

    private static byte[] serialize(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private <T> T roundTrip(T value) throws IOException {
        byte[] bytes = serialize(value);
        crossedTheChannel.add(bytes);
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            protected Class<?> resolveClass(java.io.ObjectStreamClass desc) throws IOException,
                    ClassNotFoundException {
                classesThatCrossed.add(desc.getName());
                return super.resolveClass(desc);
            }
        }) {
            return (T) in.readObject();
        } catch (ClassNotFoundException e) {
            throw new IOException(e);
        }
    }
}
