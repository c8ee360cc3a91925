package io.jenkins.plugins.bbdc.core.provider.postgres;

import io.jenkins.plugins.bbdc.core.provider.PreparedCapture;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * What {@link PostgresDumpProvider#prepare} opened: the connection whose REPEATABLE READ transaction exports the
 * snapshot at the fence and stays open until {@code pg_dump} is done with it, plus an optional second connection
 * (auto-commit) for the named restore point, so that nothing can abort the exporting transaction.
 */
final class PreparedDump implements PreparedCapture {
    final Connection exporting;
    final Connection restorePoints;
    final ServerVersion server;
    final PgTools tools;
    private String snapshotId;

    PreparedDump(Connection exporting, Connection restorePoints, ServerVersion server, PgTools tools) {
        this.exporting = exporting;
        this.restorePoints = restorePoints;
        this.server = server;
        this.tools = tools;
    }

    synchronized String snapshotId() {
        return snapshotId;
    }

    synchronized void captured(String id) {
        this.snapshotId = id;
    }

    /** Ends the exporting transaction: after this the exported snapshot can no longer be imported. */
    void endTransaction() throws SQLException {
        if (!exporting.isClosed()) {
            exporting.rollback();
        }
    }

    @Override
    public void close() {
        for (Connection c : new Connection[] {exporting, restorePoints}) {
            if (c == null) {
                continue;
            }
            try {
                if (!c.isClosed()) {
                    if (!c.getAutoCommit()) {
                        c.rollback();
                    }
                    c.close();
                }
            } catch (SQLException ignored) {
                // a broken connection is closed by the driver anyway; nothing else is held
            }
        }
    }
}
