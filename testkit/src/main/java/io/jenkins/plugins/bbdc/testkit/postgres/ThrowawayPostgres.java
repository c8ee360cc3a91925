package io.jenkins.plugins.bbdc.testkit.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL cluster in a temporary directory, for tests: {@code initdb}, start on a free loopback port with
 * password (SCRAM) authentication, and on {@link #close()} a fast shutdown and removal of every file.
 *
 * <p>The server refuses to run as root. When the JVM runs as root, the directory is handed to the {@code postgres}
 * OS user and {@code initdb}/{@code pg_ctl} run through {@code runuser -u postgres --}; otherwise they run directly.
 * WAL is archived ({@code wal_level=replica}, {@code archive_mode=on}) into {@link #walArchiveDirectory()} so that
 * point-in-time recovery can be exercised. Durability is traded for speed ({@code fsync=off}): a test cluster.
 *
 * <p>Start one per test class ({@code @BeforeAll}/{@code @AfterAll}), or use {@link #shared()} for one cluster per
 * JVM (tests then use distinct database names).
 */
public final class ThrowawayPostgres implements AutoCloseable {
    /** Where Debian's postgresql-15 package puts the binaries. */
    public static final Path DEFAULT_BIN_DIR = Path.of("/usr/lib/postgresql/15/bin");
    /** The OS user the server runs as when the JVM is root. */
    public static final String SERVER_OS_USER = "postgres";
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String HOST = "127.0.0.1";
    /** Holds the pid of the JVM that started a cluster, so a later start can stop clusters of killed JVMs. */
    private static final String OWNER_FILE = "owner.pid";
    private static ThrowawayPostgres shared;

    private final Path binDir;
    private final Path baseDir;
    private final Path dataDir;
    private final Path archiveDir;
    private final Path socketDir;
    private final Path logFile;
    private final String runAs;
    private final String user;
    private final String password;
    private final int port;
    private final Thread shutdownHook;
    private volatile boolean closed;

    private ThrowawayPostgres(Builder b) throws IOException {
        this.binDir = b.binDir;
        requireBinaries(binDir);
        this.runAs = isRoot() ? SERVER_OS_USER : null;
        this.user = b.superuser;
        this.password = generatePassword();
        Path parent = b.parentDir == null ? Path.of(System.getProperty("java.io.tmpdir")) : b.parentDir;
        Files.createDirectories(parent);
        if (runAs != null) {
            requireTraversable(parent.toAbsolutePath());
        }
        reapOrphans(parent);
        this.baseDir = Files.createTempDirectory(parent, "throwaway-pg-");
        Files.writeString(baseDir.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
        this.dataDir = baseDir.resolve("data");
        this.archiveDir = Files.createDirectory(baseDir.resolve("wal-archive"));
        this.socketDir = Files.createDirectory(baseDir.resolve("socket"));
        this.logFile = baseDir.resolve("server.log");
        this.shutdownHook = new Thread(this::closeQuietly, "throwaway-postgres-shutdown");
        boolean started = false;
        int chosenPort = -1;
        try {
            initdb();
            IOException lastFailure = null;
            // a free port can be taken by someone else between the probe and the bind: try a few
            for (int attempt = 0; attempt < 3 && !started; attempt++) {
                chosenPort = freePort();
                writeConfiguration(chosenPort);
                try {
                    pgCtl("start", "-w", "-t", "60", "-l", logFile.toString());
                    started = true;
                } catch (IOException e) {
                    lastFailure = e;
                }
            }
            if (!started) {
                throw lastFailure;
            }
        } finally {
            if (!started) {
                deleteTree(baseDir);
            }
        }
        this.port = chosenPort;
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a cluster with the default binaries ({@link #DEFAULT_BIN_DIR}) and superuser {@code bbdc_admin}. */
    public static ThrowawayPostgres start() throws IOException {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * One cluster for the whole JVM, started on first use and stopped when the JVM exits. {@link #close()} on it is
     * ignored, so a test class may treat it like its own instance. Use distinct database names per test class.
     */
    public static synchronized ThrowawayPostgres shared() throws IOException {
        if (shared == null || shared.closed) {
            shared = start();
        }
        return shared;
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    /** The superuser's name. */
    public String user() {
        return user;
    }

    /** The generated superuser password (random per cluster). */
    public String password() {
        return password;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + database;
    }

    /** The binaries this cluster runs ({@code pg_dump}, {@code psql} … of the same major version live here). */
    public Path binDir() {
        return binDir;
    }

    public Path dataDirectory() {
        return dataDir;
    }

    /** Where {@code archive_command} copies each completed WAL segment. */
    public Path walArchiveDirectory() {
        return archiveDir;
    }

    /** Directory holding the server's Unix socket. */
    public Path socketDirectory() {
        return socketDir;
    }

    public Path logFile() {
        return logFile;
    }

    /** The OS user the server and its tools must run as ({@code postgres} when the JVM is root), or null. */
    public String osUser() {
        return runAs;
    }

    /** Creates an empty database owned by the superuser. Names: lower-case letters, digits, underscore. */
    public void createDatabase(String name) throws SQLException {
        requireIdentifier(name);
        execute("postgres", "CREATE DATABASE " + name);
    }

    /** Drops a database (terminating its sessions first); a missing database is fine. */
    public void dropDatabase(String name) throws SQLException {
        requireIdentifier(name);
        execute("postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    /** A new connection to {@code database} as the superuser; the caller closes it. */
    public Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        return DriverManager.getConnection(jdbcUrl(database), p);
    }

    /** Runs statements (DDL/DML) in auto-commit mode. */
    public void execute(String database, String... sql) throws SQLException {
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            for (String one : sql) {
                s.execute(one);
            }
        }
    }

    /** The first column of the first row of a query, as a long (counts, sizes). */
    public long queryLong(String database, String sql) throws SQLException {
        try (Connection c = connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) {
                throw new SQLException("query returned no row: " + sql);
            }
            return rs.getLong(1);
        }
    }

    /** Every row of a query, each column rendered as a string (null stays null). */
    public List<List<String>> query(String database, String sql) throws SQLException {
        try (Connection c = connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            List<List<String>> rows = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>(columns);
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    /** Forces a WAL segment switch so the current segment reaches the archive (PITR tests). */
    public String switchWal() throws SQLException {
        return query("postgres", "SELECT pg_walfile_name(pg_switch_wal())").get(0).get(0);
    }

    /** Fast shutdown, then every file of the cluster is deleted. Idempotent; ignored for {@link #shared()}. */
    @Override
    public void close() {
        synchronized (ThrowawayPostgres.class) {
            if (this == shared) {
                return;
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook itself is closing us
        }
        closeQuietly();
    }

    private synchronized void closeQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            pgCtl("stop", "-m", "fast", "-w", "-t", "60");
        } catch (IOException e) {
            System.err.println("throwaway PostgreSQL in " + baseDir + " did not stop cleanly: " + e.getMessage());
        }
        deleteTree(baseDir);
    }

    @Override
    public String toString() {
        return "ThrowawayPostgres[" + HOST + ":" + port + ", data " + dataDir + "]";
    }

    // --- setting up ---------------------------------------------------------------------------------------------

    private void initdb() throws IOException {
        Path pwFile = baseDir.resolve("pwfile");
        Files.writeString(pwFile, password + "\n", StandardCharsets.UTF_8);
        for (Path owned : List.of(baseDir, archiveDir, socketDir, pwFile)) {
            handToServerUser(owned);
        }
        try {
            run(List.of(binDir.resolve("initdb").toString(), "-D", dataDir.toString(), "-U", user,
                    "--pwfile=" + pwFile, "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-sync",
                    "--no-instructions"));
        } finally {
            Files.deleteIfExists(pwFile);
        }
        // TCP from loopback only, with the password; the socket too (nobody else should get in without it)
        Files.writeString(dataDir.resolve("pg_hba.conf"), String.join("\n",
                "local all all scram-sha-256",
                "host all all 127.0.0.1/32 scram-sha-256",
                "host replication all 127.0.0.1/32 scram-sha-256", ""), StandardCharsets.UTF_8);
    }

    private void writeConfiguration(int chosenPort) throws IOException {
        String archiveTarget = archiveDir.toString().replace("'", "");
        List<String> conf = List.of(
                "listen_addresses = '" + HOST + "'",
                "port = " + chosenPort,
                "unix_socket_directories = '" + socketDir + "'",
                "fsync = off",
                "synchronous_commit = off",
                "full_page_writes = off",
                "wal_level = replica",
                "archive_mode = on",
                // runs through the shell; the path is our own temp dir, not user input
                "archive_command = 'test ! -f \"" + archiveTarget + "/%f\" && cp \"%p\" \"" + archiveTarget + "/%f\"'",
                "max_connections = 60",
                "shared_buffers = 32MB",
                "max_wal_size = 256MB",
                "logging_collector = off",
                "log_min_messages = warning");
        Files.writeString(dataDir.resolve("postgresql.auto.conf"), String.join("\n", conf) + "\n",
                StandardCharsets.UTF_8);
        handToServerUser(dataDir.resolve("postgresql.auto.conf"));
        handToServerUser(dataDir.resolve("pg_hba.conf"));
    }

    private void pgCtl(String action, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(binDir.resolve("pg_ctl").toString(), action, "-D",
                dataDir.toString()));
        cmd.addAll(List.of(args));
        run(cmd);
    }

    private void run(List<String> command) throws IOException {
        List<String> argv = new ArrayList<>();
        if (runAs != null) {
            argv.addAll(List.of("runuser", "-u", runAs, "--"));
        }
        argv.addAll(command);
        Path out = Files.createTempFile(baseDir, "cmd-", ".out");
        handToServerUser(out);
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().remove("PGPASSWORD");
        pb.directory(baseDir.toFile());
        try {
            Process p = pb.start();
            int rc = p.waitFor();
            if (rc != 0) {
                String output = Files.readString(out, StandardCharsets.UTF_8).strip();
                String serverLog = Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8).strip() : "";
                throw new IOException("'" + Path.of(command.get(0)).getFileName() + " " + command.get(1)
                        + "' exited with code " + rc + ": " + output
                        + (serverLog.isEmpty() ? "" : "\nserver log:\n" + tail(serverLog, 20)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private void handToServerUser(Path path) throws IOException {
        if (runAs == null) {
            return;
        }
        var lookup = path.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(path, lookup.lookupPrincipalByName(runAs));
        try {
            Files.setAttribute(path, "posix:group", lookup.lookupPrincipalByGroupName(runAs));
        } catch (IOException noSuchGroup) {
            // the owner is what matters to the server
        }
        if (Files.isDirectory(path)) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /**
     * A JVM killed before its shutdown hook ran (kill -9, a surefire timeout) leaves its server running. Stops and
     * deletes clusters in {@code parent} whose owning JVM is gone; a live owner's cluster is never touched.
     */
    private void reapOrphans(Path parent) {
        try (var dirs = Files.newDirectoryStream(parent, "throwaway-pg-*")) {
            for (Path dir : dirs) {
                Path owner = dir.resolve(OWNER_FILE);
                if (!Files.isRegularFile(owner)) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(Files.readString(owner).strip());
                } catch (IOException | NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                Path data = dir.resolve("data");
                if (Files.exists(data.resolve("postmaster.pid"))) {
                    List<String> stop = new ArrayList<>();
                    if (runAs != null) {
                        stop.addAll(List.of("runuser", "-u", runAs, "--"));
                    }
                    stop.addAll(List.of(binDir.resolve("pg_ctl").toString(), "stop", "-D", data.toString(), "-m",
                            "immediate", "-w", "-t", "30"));
                    try {
                        new ProcessBuilder(stop).redirectErrorStream(true)
                                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
                    } catch (IOException e) {
                        continue;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                deleteTree(dir);
            }
        } catch (IOException | RuntimeException e) {
            // best effort: never a reason not to start
        }
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private static void requireBinaries(Path binDir) {
        for (String tool : List.of("initdb", "pg_ctl", "postgres")) {
            if (!Files.isExecutable(binDir.resolve(tool))) {
                throw new IllegalStateException("PostgreSQL server binaries not found: " + binDir.resolve(tool)
                        + " is missing. Install PostgreSQL 15 (Debian: apt-get install postgresql-15, or run"
                        + " scripts/install-prerequisites.sh) or point ThrowawayPostgres.builder().binDir(...) at"
                        + " the directory holding initdb and pg_ctl.");
            }
        }
        if (isRoot() && !Files.isExecutable(Path.of("/usr/sbin/runuser")) && !Files.isExecutable(Path.of("/sbin/runuser"))) {
            throw new IllegalStateException("running as root but 'runuser' is missing: PostgreSQL refuses to run as"
                    + " root and must be started as the '" + SERVER_OS_USER + "' user (install util-linux)");
        }
    }

    /** The server user must be able to walk down to its directory; a 0700 root-owned parent would stop it. */
    private static void requireTraversable(Path dir) throws IOException {
        for (Path p = dir; p != null; p = p.getParent()) {
            var perms = Files.getPosixFilePermissions(p);
            if (!perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IllegalStateException("the '" + SERVER_OS_USER + "' user cannot enter " + p
                        + " (permissions " + PosixFilePermissions.toString(perms) + "), so PostgreSQL cannot use a"
                        + " directory below it. Choose a parent directory that others may traverse (o+x), e.g. /tmp.");
            }
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static String generatePassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return "tp-" + HexFormat.of().formatHex(bytes);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    static void requireIdentifier(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("database name '" + name + "' must be lower-case letters, digits and"
                    + " underscores, starting with a letter or underscore (at most 63 characters)");
        }
    }

    private static String tail(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", java.util.Arrays.asList(all).subList(Math.max(0, all.length - lines), all.length));
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not delete " + root + ": " + e.getMessage());
        }
    }

    /** Options for {@link ThrowawayPostgres}. */
    public static final class Builder {
        private Path binDir = DEFAULT_BIN_DIR;
        private Path parentDir;
        private String superuser = "bbdc_admin";

        private Builder() {
        }

        /** Directory holding initdb, pg_ctl and postgres (default {@link #DEFAULT_BIN_DIR}). */
        public Builder binDir(Path dir) {
            this.binDir = Objects.requireNonNull(dir);
            return this;
        }

        /** Where the temporary cluster directory is created (default {@code java.io.tmpdir}). */
        public Builder parentDir(Path dir) {
            this.parentDir = dir;
            return this;
        }

        public Builder superuser(String name) {
            requireIdentifier(name);
            this.superuser = name;
            return this;
        }

        public ThrowawayPostgres start() throws IOException {
            return new ThrowawayPostgres(this);
        }
    }
}
