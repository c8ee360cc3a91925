package io.jenkins.plugins.bbdc.testkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThrowawayPostgresTest {
    private static ThrowawayPostgres pg;

    @BeforeAll
    static void start() throws Exception {
        pg = ThrowawayPostgres.start();
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void servesPostgres15OverTcpWithThePassword() throws Exception {
        pg.createDatabase("tp_basic");
        pg.execute("tp_basic", "CREATE TABLE t (id int)", "INSERT INTO t VALUES (1), (2), (3)");

        assertThat(pg.queryLong("tp_basic", "SELECT count(*) FROM t")).isEqualTo(3);
        assertThat(pg.queryLong("tp_basic", "SHOW server_version_num")).isBetween(150000L, 159999L);
        assertThat(pg.jdbcUrl("tp_basic")).isEqualTo("jdbc:postgresql://127.0.0.1:" + pg.port() + "/tp_basic");
    }

    @Test
    void refusesAWrongPassword() {
        Properties p = new Properties();
        p.setProperty("user", pg.user());
        p.setProperty("password", "not-" + pg.password());
        assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl("postgres"), p).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
    }

    @Test
    void archivesWalForPointInTimeRecovery() throws Exception {
        assertThat(pg.query("postgres", "SHOW wal_level").get(0).get(0)).isEqualTo("replica");
        pg.execute("postgres", "CREATE TABLE IF NOT EXISTS wal_probe (id int)", "INSERT INTO wal_probe VALUES (1)");
        String segment = pg.switchWal();

        Path archived = pg.walArchiveDirectory().resolve(segment);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(archived) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(archived).exists();
    }

    @Test
    void dropsDatabasesAndRejectsUnsafeNames() throws Exception {
        pg.createDatabase("tp_drop");
        pg.dropDatabase("tp_drop");
        pg.dropDatabase("tp_drop");
        assertThat(pg.queryLong("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'tp_drop'")).isZero();
        assertThatThrownBy(() -> pg.createDatabase("x; DROP DATABASE postgres"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lower-case letters");
    }

    @Test
    void closeStopsTheServerAndDeletesEverything(@TempDir Path parent) throws Exception {
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
        ThrowawayPostgres own = ThrowawayPostgres.builder().parentDir(parent).start();
        Path data = own.dataDirectory();
        String url = own.jdbcUrl("postgres");
        assertThat(data.resolve("PG_VERSION")).exists();

        own.close();
        own.close();

        assertThat(data).doesNotExist();
        Properties p = new Properties();
        p.setProperty("user", own.user());
        p.setProperty("password", own.password());
        assertThatThrownBy(() -> DriverManager.getConnection(url, p).close()).isInstanceOf(SQLException.class);
    }

    @Test
    void aClusterLeftByAKilledJvmIsStoppedAndDeletedByTheNextStart(@TempDir Path parent) throws Exception {
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
        ThrowawayPostgres orphan = ThrowawayPostgres.builder().parentDir(parent).start();
        Path orphanDir = orphan.dataDirectory().getParent();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(orphanDir.resolve("owner.pid"), Long.toString(gone.pid()));

        try (ThrowawayPostgres next = ThrowawayPostgres.builder().parentDir(parent).start()) {
            assertThat(orphanDir).doesNotExist();
            assertThat(next.dataDirectory()).exists();
            Properties p = new Properties();
            p.setProperty("user", orphan.user());
            p.setProperty("password", orphan.password());
            assertThatThrownBy(() -> DriverManager.getConnection(orphan.jdbcUrl("postgres"), p).close())
                    .isInstanceOf(SQLException.class);
        } finally {
            orphan.close();
        }
    }

    @Test
    void theSharedClusterIsOnePerJvmAndSurvivesClose() throws Exception {
        ThrowawayPostgres a = ThrowawayPostgres.shared();
        a.close();
        ThrowawayPostgres b = ThrowawayPostgres.shared();

        assertThat(b).isSameAs(a);
        assertThat(b.queryLong("postgres", "SELECT 1")).isEqualTo(1);
    }

    @Test
    void missingBinariesGiveAClearError(@TempDir Path empty) {
        assertThatThrownBy(() -> ThrowawayPostgres.builder().binDir(empty).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("initdb")
                .hasMessageContaining("postgresql-15");
    }
}
