package io.jenkins.plugins.bbdc.core.provider.postgres;

import io.jenkins.plugins.bbdc.core.event.OperationEvent;
import io.jenkins.plugins.bbdc.core.exec.CommandResult;
import io.jenkins.plugins.bbdc.core.exec.CommandSpec;
import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.CheckReport;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.PreparedCapture;
import io.jenkins.plugins.bbdc.core.provider.ProviderCapability;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.provider.RestoreOutcome;
import io.jenkins.plugins.bbdc.core.provider.RestoreRequest;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PostgreSQL: a logical dump ({@code pg_dump -Fd}, parallel) of a snapshot exported at the fence.
 *
 * <p>{@link #prepare} opens a connection and a REPEATABLE READ, READ ONLY transaction. {@link #capture} runs
 * {@code SELECT pg_export_snapshot()}: the first statement of that transaction takes its snapshot, and that instant is
 * the fence; it optionally creates a named WAL restore point. {@link #awaitDurable} runs
 * {@code pg_dump --snapshot=<id>} into {@code <dumpRoot>/<restore point id>-<role>} while the exporting transaction
 * stays open, then ends it and writes the {@link DumpMarker}. In locked mode the engine calls capture inside the lock
 * and awaitDurable after the unlock, so the dump never holds Bitbucket's lock.
 */
public final class PostgresDumpProvider implements SnapshotProvider {
    public static final String KIND = "postgres";
    /** Restore target keys. */
    public static final String TARGET_DATABASE = "database";
    public static final String TARGET_HOST = "host";
    public static final String TARGET_PORT = "port";
    /** {@code true}: keep the replaced database (renamed) instead of dropping it after a successful restore. */
    public static final String TARGET_KEEP_PREVIOUS = "keepPrevious";
    /** {@code true}: {@code pg_restore --no-owner --no-privileges} (restore as the connecting user). */
    public static final String TARGET_NO_OWNER = "noOwner";

    private final PostgresDumpConfig config;
    private final DumpDirectory dumps;
    private final Map<Integer, PgTools> resolvedTools = new java.util.HashMap<>();

    public PostgresDumpProvider(PostgresDumpConfig config) {
        this.config = java.util.Objects.requireNonNull(config, "config");
        this.dumps = new DumpDirectory(config.dumpRoot());
    }

    public PostgresDumpConfig config() {
        return config;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Set<ProviderCapability> capabilities() {
        return EnumSet.of(ProviderCapability.ZERO_DOWNTIME, ProviderCapability.LOCKED, ProviderCapability.RESTORE,
                ProviderCapability.RESTORE_TO_SCRATCH);
    }

    // --- plan and check -----------------------------------------------------------------------------------------

    @Override
    public List<String> plan(ProviderContext ctx) {
        String dumpDir = config.dumpRoot() + "/<restore-point>-" + ctx.role().slug();
        String pgDump = config.binDir() != null ? config.binDir() + "/pg_dump" : resolvedPgDumpForPlan(ctx);
        List<String> lines = new ArrayList<>();
        lines.add("connect " + Jdbc.url(config.host(), config.port(), config.database()) + " as " + config.user()
                + (config.passwordValue() != null ? " (password from the configured secret)" : ""));
        lines.add("BEGIN; SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY   (prepare, before the fence)");
        lines.add("SELECT pg_export_snapshot(), clock_timestamp()   (the fence: the transaction's snapshot)");
        if (config.namedRestorePoint()) {
            lines.add("SELECT pg_create_restore_point('bbdc-" + ctx.instanceId() + "-<restore-point>-"
                    + ctx.role().slug() + "')   (second connection, right after the fence)");
        }
        lines.add(secretPrefix() + pgDumpSpec(pgDump, "<exported snapshot>", dumpDir).build().display()
                + "   (after the fence; in locked mode after the unlock)");
        lines.add("ROLLBACK   (ends the exporting transaction once pg_dump is done)");
        lines.add("tee " + DumpDirectory.markerOf(dumpDir) + "   (instance, restore point, role, capture time,"
                + " snapshot id, server version)");
        return lines;
    }

    private String resolvedPgDumpForPlan(ProviderContext ctx) {
        try (Connection c = Jdbc.connect(config, config.host(), config.port(), config.database())) {
            return tools(serverVersion(c), commands(ctx)).pgDump();
        } catch (ProviderException | SQLException e) {
            return "pg_dump(of the server's major version)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "pg_dump(of the server's major version)";
        }
    }

    @Override
    public CheckReport check(ProviderContext ctx) throws InterruptedException {
        CheckReport.Builder report = new CheckReport.Builder();
        HostCommands c = commands(ctx);
        try (Connection conn = Jdbc.connect(config, config.host(), config.port(), config.database())) {
            ServerVersion server = serverVersion(conn);
            if (!server.atLeast(ServerVersion.MIN_EXPORT_SNAPSHOT)) {
                report.error("postgres: server " + config.host() + ":" + config.port() + " runs PostgreSQL " + server
                        + "; exporting a snapshot (pg_export_snapshot) needs 9.2 or newer");
            }
            try {
                PgTools tools = tools(server, c);
                if (!tools.canDump(server)) {
                    report.error("postgres: " + tools.pgDump() + " is PostgreSQL " + tools.version() + " but the server"
                            + " runs " + server + "; pg_dump must be of the server's major version or newer (set"
                            + " binDir to /usr/lib/postgresql/" + server.major() + "/bin or install"
                            + " postgresql-client-" + server.major() + ")");
                }
            } catch (ProviderException e) {
                report.error(e.getMessage());
            }
            checkDumpRoot(c, conn, report);
            if (config.namedRestorePoint()) {
                checkRestorePoints(conn, report);
            }
        } catch (ProviderException e) {
            report.error(e.getMessage());
        } catch (SQLException e) {
            report.error("postgres: could not inspect the server: " + Jdbc.describe(e, config.passwordValue()));
        }
        return report.build();
    }

    private void checkDumpRoot(HostCommands c, Connection conn, CheckReport.Builder report)
            throws ProviderException, InterruptedException, SQLException {
        String root = config.dumpRoot();
        String who = config.osUser() != null ? "user " + config.osUser() : "the current user";
        if (!c.run("test", "-d", root).succeeded()) {
            report.error("postgres: dump root " + root + " does not exist; create it (writable by " + who + ")");
            return;
        }
        if (!c.run("test", "-w", root).succeeded()) {
            report.error("postgres: dump root " + root + " is not writable by " + who);
            return;
        }
        long databaseSize = queryLong(conn, "SELECT pg_database_size(current_database())");
        CommandResult df = c.run("df", "-B1", "--output=avail", root);
        if (df.succeeded()) {
            String[] lines = df.stdout().strip().split("\n");
            try {
                long avail = Long.parseLong(lines[lines.length - 1].strip());
                if (avail < databaseSize) {
                    report.warning("postgres: " + root + " has " + avail + " bytes free and the database takes "
                            + databaseSize + " bytes; a compressed dump is usually several times smaller, but make"
                            + " sure it fits");
                }
            } catch (NumberFormatException ignored) {
                report.warning("postgres: could not read the free space of " + root + " from df");
            }
        }
    }

    private void checkRestorePoints(Connection conn, CheckReport.Builder report) throws SQLException {
        String walLevel = queryString(conn, "SHOW wal_level");
        if ("minimal".equals(walLevel)) {
            report.error("postgres: wal_level is 'minimal', so named restore points cannot be created; set wal_level"
                    + " = replica (restart needed) or disable namedRestorePoint");
        }
        if (!"on".equals(queryString(conn, "SHOW archive_mode")) && !"always".equals(queryString(conn,
                "SHOW archive_mode"))) {
            report.warning("postgres: archive_mode is off: a named restore point is only useful for point-in-time"
                    + " recovery with archived WAL");
        }
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT has_function_privilege('pg_create_restore_point(text)', 'EXECUTE')");
             ResultSet rs = ps.executeQuery()) {
            if (rs.next() && !rs.getBoolean(1)) {
                report.error("postgres: user " + config.user() + " may not run pg_create_restore_point; run it as a"
                        + " superuser or GRANT EXECUTE ON FUNCTION pg_create_restore_point(text) TO "
                        + config.user() + ", or disable namedRestorePoint");
            }
        }
    }

    // --- backup -------------------------------------------------------------------------------------------------

    @Override
    public PreparedCapture prepare(ProviderContext ctx) throws ProviderException, InterruptedException {
        HostCommands c = commands(ctx);
        Connection exporting = Jdbc.connect(config, config.host(), config.port(), config.database());
        Connection restorePoints = null;
        try {
            ServerVersion server = serverVersion(exporting);
            if (!server.atLeast(ServerVersion.MIN_EXPORT_SNAPSHOT)) {
                throw new ProviderException("postgres: the server runs PostgreSQL " + server + "; a dump at the"
                        + " fence needs pg_export_snapshot (9.2 or newer)");
            }
            PgTools tools = tools(server, c);
            if (!tools.canDump(server)) {
                throw new ProviderException("postgres: " + tools.pgDump() + " (" + tools.version() + ") is older than"
                        + " the server (" + server + "); configure binDir with the tools of PostgreSQL "
                        + server.major() + " or newer");
            }
            if (!c.run("test", "-d", config.dumpRoot()).succeeded() || !c.run("test", "-w", config.dumpRoot())
                    .succeeded()) {
                throw new ProviderException("postgres: dump root " + config.dumpRoot() + " does not exist or is not"
                        + " writable" + (config.osUser() != null ? " by " + config.osUser() : "") + "; create it");
            }
            try (Statement s = exporting.createStatement()) {
                // the transaction stays idle between capture and the dump: a server-wide timeout must not kill it
                if (server.atLeast(new ServerVersion(90600))) {
                    s.execute("SET idle_in_transaction_session_timeout = 0");
                }
                s.execute("SET statement_timeout = 0");
            }
            exporting.setAutoCommit(false);
            try (Statement s = exporting.createStatement()) {
                // opens the transaction without taking its snapshot: the first query (in capture) takes it
                s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            }
            if (config.namedRestorePoint()) {
                restorePoints = Jdbc.connect(config, config.host(), config.port(), config.database());
            }
            emit(ctx, "prepare", "transaction open on " + config.database() + " (PostgreSQL " + server + "), dump"
                    + " tools " + tools.pgDump() + " " + tools.version());
            return new PreparedDump(exporting, restorePoints, server, tools);
        } catch (SQLException e) {
            closeQuietly(exporting, restorePoints);
            throw new ProviderException("postgres: could not prepare the exporting transaction: "
                    + Jdbc.describe(e, config.passwordValue()));
        } catch (ProviderException | RuntimeException | InterruptedException e) {
            closeQuietly(exporting, restorePoints);
            throw e;
        }
    }

    @Override
    public SnapshotRef capture(PreparedCapture prepared, CaptureRequest request, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        PreparedDump p = requirePrepared(prepared);
        if (p.snapshotId() != null) {
            throw new ProviderException("postgres: this prepared capture was already used for snapshot "
                    + p.snapshotId() + "; prepare again for another restore point");
        }
        String dumpPath = dumps.pathOf(request.restorePointId(), request.role());
        Instant capturedAt = ctx.clock().instant();
        String snapshotId;
        String serverTime;
        try (Statement s = p.exporting.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_export_snapshot(), clock_timestamp()")) {
            rs.next();
            snapshotId = rs.getString(1);
            serverTime = rs.getObject(2, java.time.OffsetDateTime.class).toInstant().toString();
        } catch (SQLException e) {
            throw new ProviderException("postgres: could not export the snapshot at the fence: "
                    + Jdbc.describe(e, config.passwordValue()));
        }
        p.captured(snapshotId);
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("snapshotId", snapshotId);
        attrs.put("serverCapturedAt", serverTime);
        attrs.put("host", config.host());
        attrs.put("port", Integer.toString(config.port()));
        attrs.put("database", config.database());
        attrs.put("serverVersion", p.server.toString());
        attrs.put("pgDump", p.tools.pgDump());
        attrs.put("pgDumpVersion", p.tools.version().toString());
        attrs.put("jobs", Integer.toString(config.jobs()));
        attrs.put("format", "directory");
        attrs.putAll(BitbucketIdentity.read(p.exporting));
        if (p.restorePoints != null) {
            String name = request.snapshotName();
            try (PreparedStatement ps = p.restorePoints.prepareStatement("SELECT pg_create_restore_point(?)::text")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    attrs.put("restorePointName", name);
                    attrs.put("restorePointLsn", rs.getString(1));
                }
            } catch (SQLException e) {
                throw new ProviderException("postgres: could not create the named restore point " + name + ": "
                        + Jdbc.describe(e, config.passwordValue()));
            }
        }
        // checked after the fence so that it never delays it; the dump must not land in an existing directory
        if (dumps.exists(commands(ctx), dumpPath)) {
            throw new ProviderException("postgres: " + dumpPath + " already exists; restore point "
                    + request.restorePointId() + " was dumped before. Use a new restore point id or delete the old"
                    + " dump first");
        }
        emit(ctx, "capture", "snapshot " + snapshotId + " exported at the fence" + (attrs.containsKey(
                "restorePointLsn") ? ", restore point " + attrs.get("restorePointName") + " at "
                + attrs.get("restorePointLsn") : ""));
        return new SnapshotRef(KIND, request.role().value(), dumpPath, request.restorePointId(), request.instanceId(),
                capturedAt, null, null, attrs);
    }

    @Override
    public SnapshotRef awaitDurable(PreparedCapture prepared, SnapshotRef ref, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        if (ref.durableAt() != null) {
            return ref;
        }
        requireOurs(ref);
        if (!(prepared instanceof PreparedDump p) || p.snapshotId() == null
                || !p.snapshotId().equals(ref.attribute("snapshotId"))) {
            throw new ProviderException("postgres: the transaction that exported snapshot " + ref.attribute("snapshotId")
                    + " is gone (was the process restarted?), so the dump of restore point " + ref.restorePointId()
                    + " cannot be taken at its fence any more; delete this restore point and take a new one");
        }
        HostCommands c = commands(ctx);
        CommandSpec dump = pgDumpSpec(p.tools.pgDump(), p.snapshotId(), ref.id()).build();
        emit(ctx, "durable", "pg_dump of " + config.database() + " at snapshot " + p.snapshotId() + " into " + ref.id()
                + " with " + config.jobs() + " job(s)");
        long started = System.nanoTime();
        CommandResult result = c.run(dump);
        try {
            p.endTransaction();
        } catch (SQLException e) {
            // the dump has its own connections; a failed rollback only means the session is already gone
        }
        if (!result.succeeded()) {
            c.run("rm", "-rf", "--", ref.id());
            String why = HostCommands.failure("dump " + config.database(), dump, result);
            if (result.stderr() != null && result.stderr().contains("snapshot")) {
                why += "; the exporting transaction ended before pg_dump imported its snapshot (was the session"
                        + " terminated by an administrator or a timeout?)";
            }
            throw new ProviderException(why + "; the partial dump was removed");
        }
        Instant durableAt = ctx.clock().instant();
        long size = dumps.sizeOf(c, ref.id());
        Map<String, String> markerAttrs = new LinkedHashMap<>(ref.attributes());
        markerAttrs.put("sizeBytes", Long.toString(size));
        dumps.writeMarker(c, ref.id(), new DumpMarker(ref.instanceId(), ref.restorePointId(), ref.role(),
                ref.capturedAt(), durableAt, markerAttrs));
        emit(ctx, "durable", "pg_dump finished: " + size + " bytes in " + ref.id(),
                java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return ref.durable(durableAt, size);
    }

    CommandSpec.Builder pgDumpSpec(String pgDump, String snapshotId, String dumpDir) {
        CommandSpec.Builder b = specFor(List.of(pgDump, "--host=" + config.host(), "--port=" + config.port(),
                "--username=" + config.user(), "--dbname=" + config.database(), "--no-password",
                "--snapshot=" + snapshotId, "--format=directory", "--jobs=" + config.jobs(), "--file=" + dumpDir));
        return b;
    }

    /** A command for the PostgreSQL tools: as the OS user, with the password only in the environment. */
    CommandSpec.Builder specFor(List<String> argv) {
        CommandSpec.Builder b = CommandSpec.of(argv);
        if (config.osUser() != null) {
            b.runAs(config.osUser());
        }
        String password = config.passwordValue();
        if (password != null) {
            b.secretEnv("PGPASSWORD", password);
        }
        b.env("PGAPPNAME", "bbdc-ops");
        b.env("PGCONNECT_TIMEOUT", "15");
        if (config.sslMode() != null) {
            b.env("PGSSLMODE", config.sslMode());
        }
        return b;
    }

    private String secretPrefix() {
        return config.passwordValue() != null ? "PGPASSWORD=**** " : "";
    }

    // --- list and delete ----------------------------------------------------------------------------------------

    @Override
    public List<SnapshotRef> list(ProviderContext ctx) throws ProviderException, InterruptedException {
        HostCommands c = commands(ctx);
        DumpDirectory.Listing listing = dumps.list(c);
        List<SnapshotRef> out = new ArrayList<>();
        List<String> foreign = new ArrayList<>(listing.withoutMarker());
        for (var e : listing.complete().entrySet()) {
            DumpMarker m = e.getValue();
            boolean ours = m.instanceId().equals(ctx.instanceId()) && m.role().equals(ctx.role().value())
                    && isExpectedName(e.getKey(), m);
            if (ours) {
                out.add(refOf(config.dumpRoot() + "/" + e.getKey(), m));
            }
        }
        List<String> interrupted = foreign.stream().filter(d -> d.endsWith("-" + ctx.role().slug())).toList();
        if (!interrupted.isEmpty()) {
            ctx.events().emit(OperationEvent.info(ctx.clock().instant(), "list", "list", "postgres: "
                    + config.dumpRoot() + " holds dump directories without a " + DumpMarker.FILE_NAME + " (interrupted"
                    + " dumps or made by hand), not listed: " + interrupted).withComponent(ctx.role().value())
                    .withLevel(OperationEvent.Level.WARNING));
        }
        out.sort(java.util.Comparator.comparing(SnapshotRef::capturedAt));
        return out;
    }

    private static boolean isExpectedName(String dir, DumpMarker m) {
        try {
            return DumpDirectory.nameOf(m.restorePointId(), ComponentRole.parse(m.role())).equals(dir);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private SnapshotRef refOf(String path, DumpMarker m) {
        Map<String, String> attrs = new LinkedHashMap<>(m.attributes());
        String size = attrs.remove("sizeBytes");
        Long sizeBytes = null;
        try {
            sizeBytes = size == null ? null : Long.parseLong(size);
        } catch (NumberFormatException ignored) {
            // an edited marker: size unknown
        }
        return new SnapshotRef(KIND, m.role(), path, m.restorePointId(), m.instanceId(), m.capturedAt(),
                m.durableAt(), sizeBytes, attrs);
    }

    @Override
    public void delete(SnapshotRef ref, ProviderContext ctx) throws ProviderException, InterruptedException {
        requireOurs(ref);
        HostCommands c = commands(ctx);
        if (!dumps.exists(c, ref.id())) {
            return;
        }
        var marker = dumps.readMarker(c, ref.id());
        if (marker.isPresent() && !marker.get().instanceId().equals(ref.instanceId())) {
            throw new ProviderException("postgres: " + ref.id() + " belongs to instance " + marker.get().instanceId()
                    + ", not " + ref.instanceId() + "; refusing to delete it");
        }
        dumps.delete(c, ref.id());
        emit(ctx, "delete", "deleted dump " + ref.id());
    }

    /** Refuses a ref that is not a dump of this provider's dump root; returns its path. */
    String requireOurs(SnapshotRef ref) throws ProviderException {
        if (!KIND.equals(ref.provider())) {
            throw new ProviderException("postgres: " + ref.id() + " was made by the " + ref.provider() + " provider");
        }
        String expected;
        try {
            expected = dumps.pathOf(ref.restorePointId(), ref.componentRole());
        } catch (IllegalArgumentException e) {
            throw new ProviderException(e.getMessage());
        }
        if (!expected.equals(ref.id())) {
            throw new ProviderException("postgres: " + ref.id() + " is not the dump of restore point "
                    + ref.restorePointId() + " in " + config.dumpRoot() + " (expected " + expected
                    + "); refusing to touch it");
        }
        return expected;
    }

    // --- restore ------------------------------------------------------------------------------------------------

    @Override
    public RestoreOutcome restore(SnapshotRef ref, RestoreRequest request, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        requireOurs(ref);
        HostCommands c = commands(ctx);
        DumpMarker marker = dumps.readMarker(c, ref.id()).orElseThrow(() -> new ProviderException("postgres: "
                + ref.id() + " is missing or incomplete (no " + DumpMarker.FILE_NAME + "); pick another restore point"));
        return new DumpRestorer(this, config, c, ctx).restore(ref, marker, request);
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    /** The tools for a server version, resolved once per version (resolving runs several commands). */
    synchronized PgTools tools(ServerVersion server, HostCommands c) throws ProviderException, InterruptedException {
        PgTools cached = resolvedTools.get(server.majorKey());
        if (cached == null) {
            cached = PgTools.resolve(config.binDir(), server, c);
            resolvedTools.put(server.majorKey(), cached);
        }
        return cached;
    }

    HostCommands commands(ProviderContext ctx) {
        return new HostCommands(ctx, config.osUser());
    }

    static ServerVersion serverVersion(Connection c) throws SQLException {
        return new ServerVersion((int) queryLong(c, "SHOW server_version_num"));
    }

    static long queryLong(Connection c, String sql) throws SQLException {
        return Long.parseLong(queryString(c, sql));
    }

    static String queryString(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) {
                throw new SQLException("no row from: " + sql);
            }
            return rs.getString(1);
        }
    }

    private static PreparedDump requirePrepared(PreparedCapture prepared) throws ProviderException {
        if (prepared instanceof PreparedDump p) {
            return p;
        }
        throw new ProviderException("postgres: capture needs what prepare() returned for this provider");
    }

    private static void closeQuietly(Connection... connections) {
        for (Connection c : connections) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closing after a failure: nothing more to do
                }
            }
        }
    }

    void emit(ProviderContext ctx, String phase, String message) {
        emit(ctx, phase, message, null);
    }

    void emit(ProviderContext ctx, String phase, String message, Long elapsedMillis) {
        String operation = "restore".equals(phase) ? "restore" : "backup";
        ctx.events().emit(OperationEvent.info(ctx.clock().instant(), operation, phase, "postgres: " + message)
                .withComponent(ctx.role().value()).withElapsed(elapsedMillis));
    }

    /**
     * A connection to {@code database} on this provider's server with its credentials, for example to verify a
     * scratch restore (usable as a {@code restore.DatabaseConnector}). Errors never contain the password.
     */
    public Connection connect(String database) throws SQLException {
        try {
            return Jdbc.connect(config, config.host(), config.port(), database);
        } catch (ProviderException e) {
            throw new SQLException(e.getMessage(), e);
        }
    }

    @Override
    public void discardScratch(RestoreOutcome scratch, ProviderContext ctx) throws ProviderException {
        DumpRestorer.dropScratch(config, scratch.location());
    }

}
