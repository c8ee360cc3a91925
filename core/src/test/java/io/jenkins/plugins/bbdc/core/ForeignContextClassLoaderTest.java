package io.jenkins.plugins.bbdc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdminClient;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketClientOptions;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.PreparedCapture;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsClientFactory;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsCredentialsConfig;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsRetryPolicy;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsSettings;
import io.jenkins.plugins.bbdc.core.provider.postgres.PostgresDumpConfig;
import io.jenkins.plugins.bbdc.core.provider.postgres.PostgresDumpProvider;
import io.jenkins.plugins.bbdc.testkit.aws.AwsEndpoint;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import io.jenkins.plugins.bbdc.testkit.postgres.ThrowawayPostgres;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine inside Jenkins: loaded by its own class loader (a plugin's), running on a thread whose context class
 * loader sees neither the engine nor its libraries (Jenkins core's loader on {@code jenkins.util.Timer} threads).
 * Each probe below is loaded by a fresh such engine loader and run on such a thread; it must work exactly as it does
 * on a plain thread. Without this, every PostgreSQL operation failed in Jenkins with "No suitable driver":
 * {@code DriverManager} had registered the bundled drivers through a context class loader blind to the plugin.
 */
class ForeignContextClassLoaderTest {
    private static final String REGION = "eu-west-1";
    private static ThrowawayPostgres pg;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = ThrowawayPostgres.start();
        pg.createDatabase("cl_src");
        pg.execute("cl_src", "CREATE TABLE activity (id bigserial PRIMARY KEY, payload text NOT NULL)",
                "INSERT INTO activity (payload) SELECT md5(i::text) FROM generate_series(1, 250) i");
    }

    @AfterAll
    static void stopPostgres() {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void postgresCheckBackupAndVerifierConnectionWork() throws Exception {
        Path dumps = Files.createDirectories(tmp.resolve("dumps"));
        Map<String, Object> r = runInEngineLoaderOnForeignThread(JdbcProbe.class, Map.of("host", pg.host(),
                "port", String.valueOf(pg.port()), "user", pg.user(), "password", pg.password(),
                "database", "cl_src", "dumpRoot", dumps.toString()));

        assertThat(r.get("checkErrors")).as("the first connection, the provider's check").isEqualTo(List.of());
        assertThat((String) r.get("serverVersion")).startsWith("15.");
        assertThat(Path.of((String) r.get("dump"), "toc.dat")).exists();
        assertThat(r.get("rows")).as("read through the restore verifier's connector").isEqualTo(250L);
    }

    @Test
    void awsClientsAreBuiltAndCallTheEndpoint() throws Exception {
        try (AwsEndpoint aws = AwsEndpoint.start(11)) {
            String volume = aws.ec2().addVolume(REGION, "eu-west-1a", 42, "gp3");

            Map<String, Object> r = runInEngineLoaderOnForeignThread(AwsProbe.class,
                    Map.of("endpoint", aws.url().toString(), "volume", volume));

            assertThat(r.get("sizeGiB")).isEqualTo(42);
            assertThat(aws.assumedRoles()).as("the STS client of the assumed role made its call too")
                    .extracting(m -> m.get("RoleArn")).containsExactly(AwsProbe.ROLE);
            assertThat(aws.calls("DescribeVolumes")).singleElement()
                    .satisfies(c -> assertThat(c.accessKeyId()).startsWith("ASIA"));
        }
    }

    @Test
    void bitbucketClientReadsItsVersionResourceAndTalksJson() throws Exception {
        try (BitbucketSimulator sim = BitbucketSimulator.builder().version("9.4.5").start()) {
            Map<String, Object> r = runInEngineLoaderOnForeignThread(BitbucketProbe.class,
                    Map.of("url", sim.baseUrl().toString()));

            assertThat(r.get("userAgent")).as("the version comes from the engine's client.properties")
                    .isEqualTo(BitbucketClientOptions.defaultUserAgent()).isNotEqualTo("bbdc-ops/dev");
            assertThat(r.get("bitbucketVersion")).isEqualTo("9.4.5");
        }
    }

    /**
     * Loads {@code probe} with a new engine class loader (the test class path, parent: the platform loader, so no
     * class is shared with the test's own loader) and applies it on this thread with a context class loader that
     * sees nothing but the platform. Arguments and results are plain JDK types.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> runInEngineLoaderOnForeignThread(Class<?> probe, Map<String, String> args)
            throws Exception {
        try (URLClassLoader engine = new URLClassLoader("engine", testClassPath(),
                ClassLoader.getPlatformClassLoader());
             URLClassLoader foreign = new URLClassLoader("jenkins-core", new URL[0],
                     ClassLoader.getPlatformClassLoader())) {
            Function<Map<String, String>, Map<String, Object>> p = (Function<Map<String, String>, Map<String, Object>>)
                    engine.loadClass(probe.getName()).getDeclaredConstructor().newInstance();
            Thread thread = Thread.currentThread();
            ClassLoader original = thread.getContextClassLoader();
            thread.setContextClassLoader(foreign);
            try {
                return p.apply(args);
            } finally {
                thread.setContextClassLoader(original);
            }
        }
    }

    private static URL[] testClassPath() throws MalformedURLException {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            urls.add(new File(entry).toURI().toURL());
        }
        return urls.toArray(URL[]::new);
    }

    /** The provider's check, a backup (exporting connection, pg_dump) and the restore verifier's connection. */
    public static final class JdbcProbe implements Function<Map<String, String>, Map<String, Object>> {
        @Override
        public Map<String, Object> apply(Map<String, String> a) {
            PostgresDumpProvider provider = new PostgresDumpProvider(PostgresDumpConfig.builder().host(a.get("host"))
                    .port(Integer.parseInt(a.get("port"))).database(a.get("database")).user(a.get("user"))
                    .password(() -> a.get("password")).dumpRoot(a.get("dumpRoot")).build());
            ProviderContext ctx = new ProviderContext("bitbucket", ComponentRole.DATABASE, BackupMode.ZERO_DOWNTIME,
                    new ProcessCommandRunner(), Clock.systemUTC(), null, null);
            Map<String, Object> result = new LinkedHashMap<>();
            try {
                result.put("checkErrors", List.copyOf(provider.check(ctx).errors()));
                try (PreparedCapture prepared = provider.prepare(ctx)) {
                    SnapshotRef ref = provider.capture(prepared, new CaptureRequest("20261208t010000z-clcl",
                            "bitbucket", ComponentRole.DATABASE, BackupMode.ZERO_DOWNTIME), ctx);
                    ref = provider.awaitDurable(prepared, ref, ctx);
                    result.put("serverVersion", ref.attribute("serverVersion"));
                    result.put("dump", ref.id());
                }
                try (Connection c = provider.connect(a.get("database")); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT count(*) FROM activity")) {
                    rs.next();
                    result.put("rows", rs.getLong(1));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return result;
        }
    }

    /** The client factory with an assumed role (an STS client) and one EC2 call. */
    public static final class AwsProbe implements Function<Map<String, String>, Map<String, Object>> {
        static final String ROLE = "arn:aws:iam::123456789012:role/bbdc-backup";

        @Override
        public Map<String, Object> apply(Map<String, String> a) {
            AwsSettings settings = AwsSettings.builder().region(REGION)
                    .credentials(AwsCredentialsConfig.assumeRole(AwsCredentialsConfig.staticKeys("AKIATESTKEY",
                            "test-secret-key", null), ROLE, null, null, null))
                    .endpointOverride(URI.create(a.get("endpoint"))).retry(AwsRetryPolicy.fast()).build();
            try (AwsClientFactory clients = new AwsClientFactory(settings)) {
                int size = clients.ec2(REGION).describeVolumes(r -> r.volumeIds(a.get("volume"))).volumes().get(0)
                        .size();
                return Map.of("sizeGiB", size);
            }
        }
    }

    /** The User-Agent (read from the engine's resource) and one JSON call over OkHttp. */
    public static final class BitbucketProbe implements Function<Map<String, String>, Map<String, Object>> {
        @Override
        public Map<String, Object> apply(Map<String, String> a) {
            BitbucketAdminClient client = new BitbucketAdminClient(BitbucketClientOptions.builder(a.get("url"))
                    .basicAuth("admin", "admin").build());
            try {
                return Map.of("userAgent", BitbucketClientOptions.defaultUserAgent(),
                        "bitbucketVersion", client.applicationProperties().version());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
