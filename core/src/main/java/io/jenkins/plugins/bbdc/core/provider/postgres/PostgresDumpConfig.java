package io.jenkins.plugins.bbdc.core.provider.postgres;

import java.util.function.Supplier;

/**
 * Configuration of {@link PostgresDumpProvider}.
 *
 * @param host                 database server host name or address
 * @param port                 database server port
 * @param database             the Bitbucket database
 * @param user                 database user (needs to read every table; {@code pg_create_restore_point} needs a
 *                             superuser or an explicit EXECUTE grant)
 * @param password             supplies the password when a connection is opened; null or an empty value means none
 *                             (e.g. {@code .pgpass} or trust). Never stored in refs, messages or events
 * @param dumpRoot             absolute directory on the host where commands run; each dump is a sub-directory
 * @param jobs                 parallel {@code pg_dump}/{@code pg_restore} jobs
 * @param binDir               directory of {@code pg_dump}/{@code pg_restore}, or null to pick the tools matching
 *                             the SERVER's major version ({@code /usr/lib/postgresql/<major>/bin}, else the PATH)
 * @param namedRestorePoint    also create a named WAL restore point ({@code pg_create_restore_point}) at the fence,
 *                             for point-in-time recovery from a base backup and archived WAL
 * @param osUser               OS user to run the PostgreSQL tools and file commands as, or null for the current one
 * @param sslMode              libpq/JDBC {@code sslmode} ({@code disable}, {@code prefer}, {@code require},
 *                             {@code verify-ca}, {@code verify-full}) or null for the default ({@code prefer})
 * @param maintenanceDatabase  database used to create, rename and drop restore targets (default {@code postgres})
 */
public record PostgresDumpConfig(String host, int port, String database, String user, Supplier<String> password,
                                 String dumpRoot, int jobs, String binDir, boolean namedRestorePoint, String osUser,
                                 String sslMode, String maintenanceDatabase) {

    public static final int DEFAULT_PORT = 5432;

    public PostgresDumpConfig {
        host = requireText(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("postgres: port must be between 1 and 65535, got " + port);
        }
        database = requireDatabaseName(database, "database");
        user = requireText(user, "user");
        dumpRoot = requireAbsolute(dumpRoot, "dumpRoot");
        if (jobs < 1) {
            throw new IllegalArgumentException("postgres: jobs must be at least 1, got " + jobs);
        }
        if (binDir != null && binDir.isBlank()) {
            binDir = null;
        }
        if (binDir != null) {
            binDir = requireAbsolute(binDir, "binDir");
        }
        if (osUser != null && osUser.isBlank()) {
            osUser = null;
        }
        if (osUser != null && !osUser.matches("[a-z_][a-z0-9_.-]{0,31}")) {
            throw new IllegalArgumentException("postgres: osUser '" + osUser + "' is not a valid user name");
        }
        if (sslMode != null && sslMode.isBlank()) {
            sslMode = null;
        }
        if (sslMode != null && !sslMode.matches("disable|allow|prefer|require|verify-ca|verify-full")) {
            throw new IllegalArgumentException("postgres: sslMode '" + sslMode + "' is not one of disable, allow,"
                    + " prefer, require, verify-ca, verify-full");
        }
        maintenanceDatabase = maintenanceDatabase == null || maintenanceDatabase.isBlank() ? "postgres"
                : requireDatabaseName(maintenanceDatabase, "maintenanceDatabase");
        password = password == null ? () -> null : password;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The default parallelism: min(4, cores). */
    public static int defaultJobs() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /** The password now, or null when none is configured. */
    String passwordValue() {
        String p = password.get();
        return p == null || p.isEmpty() ? null : p;
    }

    @Override
    public String toString() {
        // never the password, not even its supplier
        return "PostgresDumpConfig[" + user + "@" + host + ":" + port + "/" + database + ", dumpRoot=" + dumpRoot
                + ", jobs=" + jobs + (binDir == null ? "" : ", binDir=" + binDir)
                + (namedRestorePoint ? ", namedRestorePoint" : "") + (osUser == null ? "" : ", osUser=" + osUser) + "]";
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("postgres: " + what + " is required");
        }
        if (value.contains("\n") || value.contains("\0")) {
            throw new IllegalArgumentException("postgres: " + what + " must not contain line breaks or NUL");
        }
        return value.strip();
    }

    /**
     * A database name is passed to the tools as {@code --dbname}, where a value with {@code =} or a URI prefix would
     * be read as a whole connection string; refuse those.
     */
    static String requireDatabaseName(String value, String what) {
        String v = requireText(value, what);
        if (v.contains("=") || v.startsWith("postgres://") || v.startsWith("postgresql://") || v.length() > 63) {
            throw new IllegalArgumentException("postgres: " + what + " '" + v + "' must be a plain database name"
                    + " (at most 63 characters, no '=' and no URI)");
        }
        return v;
    }

    private static String requireAbsolute(String value, String what) {
        String v = requireText(value, what);
        if (!v.startsWith("/")) {
            throw new IllegalArgumentException("postgres: " + what + " must be an absolute path, got '" + v + "'");
        }
        while (v.length() > 1 && v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        return v;
    }

    /** Builder with defaults: port 5432, jobs min(4, cores), tools matching the server, no restore point. */
    public static final class Builder {
        private String host;
        private int port = DEFAULT_PORT;
        private String database;
        private String user;
        private Supplier<String> password;
        private String dumpRoot;
        private int jobs = defaultJobs();
        private String binDir;
        private boolean namedRestorePoint;
        private String osUser;
        private String sslMode;
        private String maintenanceDatabase;

        private Builder() {
        }

        public Builder host(String v) {
            host = v;
            return this;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder database(String v) {
            database = v;
            return this;
        }

        public Builder user(String v) {
            user = v;
            return this;
        }

        public Builder password(Supplier<String> v) {
            password = v;
            return this;
        }

        public Builder dumpRoot(String v) {
            dumpRoot = v;
            return this;
        }

        public Builder jobs(int v) {
            jobs = v;
            return this;
        }

        public Builder binDir(String v) {
            binDir = v;
            return this;
        }

        public Builder namedRestorePoint(boolean v) {
            namedRestorePoint = v;
            return this;
        }

        public Builder osUser(String v) {
            osUser = v;
            return this;
        }

        public Builder sslMode(String v) {
            sslMode = v;
            return this;
        }

        public Builder maintenanceDatabase(String v) {
            maintenanceDatabase = v;
            return this;
        }

        public PostgresDumpConfig build() {
            return new PostgresDumpConfig(host, port, database, user, password, dumpRoot, jobs, binDir,
                    namedRestorePoint, osUser, sslMode, maintenanceDatabase);
        }
    }
}
