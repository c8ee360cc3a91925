package io.jenkins.plugins.bbdc.core.restore;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens connections to a named database on the configured server (credentials stay with the implementation). */
@FunctionalInterface
public interface DatabaseConnector {
    Connection connect(String database) throws SQLException;
}
