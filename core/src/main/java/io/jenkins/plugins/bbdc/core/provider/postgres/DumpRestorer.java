package io.jenkins.plugins.bbdc.core.provider.postgres;

import io.jenkins.plugins.bbdc.core.exec.CommandResult;
import io.jenkins.plugins.bbdc.core.exec.CommandSpec;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.provider.RestoreOutcome;
import io.jenkins.plugins.bbdc.core.provider.RestoreRequest;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Restores a dump with {@code pg_restore -j} into a target database that must be EMPTY (no relation outside the
 * system schemas). A non-empty target is refused unless the request allows replacing it: the live database is then
 * renamed aside, recreated with the same owner, encoding and collation, restored, and the old one dropped only once
 * the restore succeeded (or kept with {@code keepPrevious=true}); on failure the old one is put back. Scratch restores
 * go to a separate database, created when missing, which the operator drops after verification.
 */
final class DumpRestorer {
    private static final String USER_RELATIONS = "SELECT count(*) FROM pg_class c JOIN pg_namespace n"
            + " ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
            + " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
            + " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'";

    private final PostgresDumpProvider provider;
    private final PostgresDumpConfig config;
    private final HostCommands commands;
    private final ProviderContext ctx;

    DumpRestorer(PostgresDumpProvider provider, PostgresDumpConfig config, HostCommands commands, ProviderContext ctx) {
        this.provider = provider;
        this.config = config;
        this.commands = commands;
        this.ctx = ctx;
    }

    RestoreOutcome restore(SnapshotRef ref, DumpMarker marker, RestoreRequest request)
            throws ProviderException, InterruptedException {
        String host = request.target(PostgresDumpProvider.TARGET_HOST) != null
                ? request.target(PostgresDumpProvider.TARGET_HOST) : config.host();
        int port = port(request);
        String target = targetDatabase(ref, request);
        boolean sameServer = host.equals(config.host()) && port == config.port();
        if (request.scratch() && sameServer && target.equals(config.database())) {
            throw new ProviderException("postgres: a scratch restore must not target the live database "
                    + config.database() + "; give another target database");
        }
        try (Connection admin = Jdbc.connect(config, host, port, config.maintenanceDatabase())) {
            ServerVersion server = PostgresDumpProvider.serverVersion(admin);
            PgTools tools = provider.tools(server, commands);
            requireCanRead(tools, marker);
            // reads the archive's table of contents: a damaged dump is refused before the target is touched
            commands.require("read the dump " + ref.id(), provider.specFor(List.of(tools.pgRestore(), "--list",
                    ref.id())).build());
            TargetState state = inspect(admin, host, port, target);
            return execute(ref, request, admin, tools, server, host, port, target, state);
        } catch (SQLException e) {
            throw new ProviderException("postgres: restore into " + target + " on " + host + ":" + port
                    + " failed: " + Jdbc.describe(e, config.passwordValue()));
        }
    }

    private record TargetState(boolean exists, long relations, String owner, String encoding, String collate,
                               String ctype) { }

    private TargetState inspect(Connection admin, String host, int port, String target)
            throws SQLException, ProviderException {
        try (PreparedStatement ps = admin.prepareStatement("SELECT pg_get_userbyid(datdba),"
                + " pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database WHERE datname = ?")) {
            ps.setString(1, target);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new TargetState(false, 0, null, null, null, null);
                }
                String owner = rs.getString(1);
                String enc = rs.getString(2);
                String collate = rs.getString(3);
                String ctype = rs.getString(4);
                try (Connection t = Jdbc.connect(config, host, port, target)) {
                    return new TargetState(true, PostgresDumpProvider.queryLong(t, USER_RELATIONS), owner, enc,
                            collate, ctype);
                }
            }
        }
    }

    private RestoreOutcome execute(SnapshotRef ref, RestoreRequest request, Connection admin, PgTools tools,
                                   ServerVersion server, String host, int port, String target, TargetState state)
            throws ProviderException, InterruptedException, SQLException {
        boolean keepPrevious = Boolean.parseBoolean(request.target(PostgresDumpProvider.TARGET_KEEP_PREVIOUS));
        boolean nonEmpty = state.exists() && state.relations() > 0;
        if (nonEmpty && !request.allowReplace()) {
            throw new ProviderException("postgres: target database " + target + " on " + host + ":" + port
                    + " is not empty (" + state.relations() + " tables, views or sequences outside the system"
                    + " schemas); restore into an empty database, or with allowReplace to replace it"
                    + (request.scratch() ? "" : " (the current database is kept aside until the restore succeeded)"));
        }
        if (!state.exists() && !request.scratch() && !request.allowReplace()) {
            throw new ProviderException("postgres: target database " + target + " does not exist on " + host + ":"
                    + port + "; create it empty (CREATE DATABASE " + Jdbc.quoteIdent(target) + " OWNER "
                    + Jdbc.quoteIdent(config.user()) + ") or restore with allowReplace to let the restore create it");
        }
        String aside = nonEmpty && !request.scratch() ? asideName(target) : null;
        List<String> actions = new ArrayList<>();
        if (nonEmpty) {
            actions.add("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + target + "'");
            actions.add(aside != null ? "ALTER DATABASE " + Jdbc.quoteIdent(target) + " RENAME TO "
                    + Jdbc.quoteIdent(aside) : "DROP DATABASE " + Jdbc.quoteIdent(target));
        }
        boolean create = !state.exists() || nonEmpty;
        if (create) {
            actions.add(createSql(target, aside != null ? state : null));
        }
        CommandSpec restore = pgRestoreSpec(tools, host, port, target, ref.id(),
                Boolean.parseBoolean(request.target(PostgresDumpProvider.TARGET_NO_OWNER))).build();
        actions.add(restore.display());
        if (aside != null && !keepPrevious) {
            actions.add("DROP DATABASE " + Jdbc.quoteIdent(aside));
        }
        Map<String, String> location = new LinkedHashMap<>();
        location.put("database", target);
        location.put("host", host);
        location.put("port", Integer.toString(port));
        if (request.dryRun()) {
            return new RestoreOutcome("would restore " + ref.id() + " (restore point " + ref.restorePointId()
                    + ", the database at its fence " + ref.capturedAt() + ") into " + target + " on " + host + ":"
                    + port, location, List.of(), actions);
        }
        if (nonEmpty) {
            terminateSessions(admin, target);
            if (aside != null) {
                if (exists(admin, aside)) {
                    throw new ProviderException("postgres: " + aside + " already exists; drop it or retry in a second");
                }
                exec(admin, "ALTER DATABASE " + Jdbc.quoteIdent(target) + " RENAME TO " + Jdbc.quoteIdent(aside));
            } else {
                exec(admin, "DROP DATABASE " + Jdbc.quoteIdent(target));
            }
        }
        if (create) {
            exec(admin, createSql(target, aside != null ? state : null));
        }
        provider.emit(ctx, "restore", "pg_restore of " + ref.id() + " into " + target + " with " + config.jobs()
                + " job(s)");
        CommandResult result = commands.run(restore);
        if (!result.succeeded()) {
            throw new ProviderException(HostCommands.failure("restore " + ref.id() + " into " + target, restore, result)
                    + "; " + afterFailure(admin, target, aside, create));
        }
        List<String> steps = new ArrayList<>();
        if (aside != null) {
            if (keepPrevious) {
                location.put("previous", aside);
                steps.add("the replaced database is kept as " + aside + "; drop it when no longer needed: DROP"
                        + " DATABASE " + Jdbc.quoteIdent(aside));
            } else {
                try {
                    exec(admin, "DROP DATABASE " + Jdbc.quoteIdent(aside));
                } catch (SQLException e) {
                    location.put("previous", aside);
                    steps.add("the replaced database " + aside + " could not be dropped ("
                            + Jdbc.describe(e, config.passwordValue()) + "); drop it by hand when no longer needed");
                }
            }
        }
        if (request.scratch()) {
            steps.add("when verification is done: DROP DATABASE " + Jdbc.quoteIdent(target));
        }
        return new RestoreOutcome("restored " + ref.id() + " (restore point " + ref.restorePointId()
                + ", the database at its fence " + ref.capturedAt() + ") into " + target + " on " + host + ":" + port,
                location, steps, actions);
    }

    /**
     * Drops a scratch database created by a scratch restore. Never drops the live database of this provider's
     * server, whatever the outcome says.
     */
    static void dropScratch(PostgresDumpConfig config, Map<String, String> location) throws ProviderException {
        String db = location.get("database");
        if (db == null) {
            throw new ProviderException("postgres: the scratch restore names no database; nothing to drop");
        }
        String host = location.getOrDefault("host", config.host());
        int port = location.containsKey("port") ? Integer.parseInt(location.get("port")) : config.port();
        if (db.equals(config.database()) && host.equals(config.host()) && port == config.port()) {
            throw new ProviderException("postgres: refusing to drop " + db + ": it is the live database");
        }
        try (Connection admin = Jdbc.connect(config, host, port, config.maintenanceDatabase())) {
            if (exists(admin, db)) {
                terminateSessions(admin, db);
                exec(admin, "DROP DATABASE " + Jdbc.quoteIdent(db));
            }
        } catch (SQLException e) {
            throw new ProviderException("postgres: could not drop the scratch database " + db + " ("
                    + Jdbc.describe(e, config.passwordValue()) + "); drop it by hand", e);
        }
    }

    /** Puts things back after a failed pg_restore and says what state the target is in. */
    private String afterFailure(Connection admin, String target, String aside, boolean created) {
        try {
            if (created) {
                terminateSessions(admin, target);
                exec(admin, "DROP DATABASE " + Jdbc.quoteIdent(target));
            }
            if (aside != null) {
                exec(admin, "ALTER DATABASE " + Jdbc.quoteIdent(aside) + " RENAME TO " + Jdbc.quoteIdent(target));
                return target + " is unchanged (the previous database was put back)";
            }
            return created ? "the partially restored database " + target + " was dropped"
                    : target + " now holds a partial restore: drop and recreate it empty before retrying";
        } catch (SQLException e) {
            return "cleaning up failed (" + Jdbc.describe(e, config.passwordValue()) + ")"
                    + (aside != null ? "; the previous database is " + aside + ": rename it back with ALTER DATABASE "
                    + Jdbc.quoteIdent(aside) + " RENAME TO " + Jdbc.quoteIdent(target) : "");
        }
    }

    private CommandSpec.Builder pgRestoreSpec(PgTools tools, String host, int port, String target, String dumpDir,
                                              boolean noOwner) {
        List<String> argv = new ArrayList<>(List.of(tools.pgRestore(), "--host=" + host, "--port=" + port,
                "--username=" + config.user(), "--dbname=" + target, "--no-password", "--jobs=" + config.jobs(),
                "--exit-on-error"));
        if (noOwner) {
            argv.add("--no-owner");
            argv.add("--no-privileges");
        }
        argv.add(dumpDir);
        return provider.specFor(argv);
    }

    private static String createSql(String target, TargetState like) {
        StringBuilder sql = new StringBuilder("CREATE DATABASE " + Jdbc.quoteIdent(target) + " TEMPLATE template0");
        if (like != null) {
            sql.append(" OWNER ").append(Jdbc.quoteIdent(like.owner()))
                    .append(" ENCODING ").append(literal(like.encoding()))
                    .append(" LC_COLLATE ").append(literal(like.collate()))
                    .append(" LC_CTYPE ").append(literal(like.ctype()));
        }
        return sql.toString();
    }

    private void requireCanRead(PgTools tools, DumpMarker marker) throws ProviderException {
        String dumpVersion = marker.attributes().get("pgDumpVersion");
        if (dumpVersion == null) {
            return;
        }
        try {
            ServerVersion written = ServerVersion.parseToolVersion("(PostgreSQL) " + dumpVersion);
            if (tools.version().majorKey() < written.majorKey()) {
                throw new ProviderException("postgres: the dump was written by pg_dump " + dumpVersion + " but "
                        + tools.pgRestore() + " is " + tools.version() + "; use pg_restore " + written.major()
                        + " or newer (set binDir)");
            }
        } catch (IllegalArgumentException unreadable) {
            // an edited marker: let pg_restore --list decide
        }
    }

    private String targetDatabase(SnapshotRef ref, RestoreRequest request) throws ProviderException {
        String t = request.target(PostgresDumpProvider.TARGET_DATABASE);
        if (t == null || t.isBlank()) {
            t = request.scratch() ? scratchName(ref.restorePointId()) : config.database();
        }
        try {
            return PostgresDumpConfig.requireDatabaseName(t, "restore target database");
        } catch (IllegalArgumentException e) {
            throw new ProviderException(e.getMessage());
        }
    }

    /** Default scratch database: {@code bbdc_scratch_<restore point id>} in identifier-safe form. */
    static String scratchName(String restorePointId) {
        String n = "bbdc_scratch_" + restorePointId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
        return n.length() > 63 ? n.substring(0, 63) : n;
    }

    private String asideName(String target) {
        String suffix = "_bbdc_previous_" + ctx.clock().instant().getEpochSecond();
        String base = target.length() + suffix.length() > 63 ? target.substring(0, 63 - suffix.length()) : target;
        return base + suffix;
    }

    private int port(RestoreRequest request) throws ProviderException {
        String p = request.target(PostgresDumpProvider.TARGET_PORT);
        if (p == null || p.isBlank()) {
            return config.port();
        }
        try {
            int v = Integer.parseInt(p.strip());
            if (v >= 1 && v <= 65535) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ProviderException("postgres: restore target port '" + p + "' is not a port number");
    }

    private static boolean exists(Connection admin, String db) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, db);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Bitbucket is stopped for a restore; anything still connected (monitoring, a forgotten psql) is ended. */
    private static void terminateSessions(Connection admin, String db) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                + " WHERE datname = ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, db);
            ps.executeQuery().close();
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
