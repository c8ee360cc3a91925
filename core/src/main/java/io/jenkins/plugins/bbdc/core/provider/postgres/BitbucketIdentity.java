package io.jenkins.plugins.bbdc.core.provider.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads, inside the exported snapshot's own transaction, what identifies the Bitbucket data it holds: the server id
 * and the Liquibase changelog's size. Recorded on the snapshot ref, the restore test compares them with the restored
 * database. Best effort: a database without those tables simply records nothing, and a failure is rolled back to a
 * savepoint so the exported snapshot stays usable.
 */
final class BitbucketIdentity {
    static final String SERVER_ID = "bitbucket.serverId";
    static final String CHANGELOG_COUNT = "bitbucket.changelogCount";
    static final String CHANGELOG_MAX_ORDER = "bitbucket.changelogMaxOrder";

    private BitbucketIdentity() {
    }

    static Map<String, String> read(Connection inSnapshot) {
        Map<String, String> out = new LinkedHashMap<>();
        try (Statement s = inSnapshot.createStatement()) {
            s.execute("SAVEPOINT bbdc_identity");
            try {
                boolean props;
                boolean changelog;
                try (ResultSet rs = s.executeQuery("SELECT to_regclass('app_property') IS NOT NULL,"
                        + " to_regclass('databasechangelog') IS NOT NULL")) {
                    rs.next();
                    props = rs.getBoolean(1);
                    changelog = rs.getBoolean(2);
                }
                if (props) {
                    try (ResultSet rs = s.executeQuery(
                            "SELECT prop_value FROM app_property WHERE prop_key = 'server.id'")) {
                        if (rs.next() && rs.getString(1) != null) {
                            out.put(SERVER_ID, rs.getString(1));
                        }
                    }
                }
                if (changelog) {
                    try (ResultSet rs = s.executeQuery(
                            "SELECT count(*), coalesce(max(orderexecuted), 0) FROM databasechangelog")) {
                        rs.next();
                        out.put(CHANGELOG_COUNT, Long.toString(rs.getLong(1)));
                        out.put(CHANGELOG_MAX_ORDER, Long.toString(rs.getLong(2)));
                    }
                }
                s.execute("RELEASE SAVEPOINT bbdc_identity");
            } catch (SQLException e) {
                s.execute("ROLLBACK TO SAVEPOINT bbdc_identity");
                out.clear();
            }
        } catch (SQLException e) {
            out.clear();
        }
        return out;
    }
}
