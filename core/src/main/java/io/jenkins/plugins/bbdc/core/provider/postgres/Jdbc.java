package io.jenkins.plugins.bbdc.core.provider.postgres;

import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;

/**
 * JDBC connections to the configured server; errors become {@link ProviderException}s without the password. Every
 * connection of the engine is opened here.
 *
 * <p>Connections come from the PostgreSQL driver itself, never from {@code java.sql.DriverManager}. DriverManager
 * hands out only drivers registered with it, and registers the bundled ones once per JVM through a service lookup
 * in the context class loader of the first thread that uses it. Inside Jenkins that is often core's loader (timer
 * threads and the threads they start), which cannot see this plugin's driver: every connection then failed with
 * "No suitable driver" (docs/architecture.md, "Class loading").
 */
final class Jdbc {
    private static final String APPLICATION = "bbdc-ops";
    private static final Driver DRIVER = new org.postgresql.Driver();

    private Jdbc() {
    }

    static String url(String host, int port, String database) {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + h + ":" + port + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    static Connection connect(PostgresDumpConfig c, String host, int port, String database) throws ProviderException {
        Properties p = new Properties();
        p.setProperty("user", c.user());
        String password = c.passwordValue();
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("ApplicationName", APPLICATION);
        p.setProperty("connectTimeout", "15");
        p.setProperty("loginTimeout", "30");
        if (c.sslMode() != null) {
            p.setProperty("sslmode", c.sslMode());
        }
        String url = url(host, port, database);
        Connection connection;
        try {
            connection = DRIVER.connect(url, p);
        } catch (SQLException e) {
            throw new ProviderException("postgres: cannot connect to database '" + database + "' on " + host + ":"
                    + port + " as '" + c.user() + "': " + describe(e, password)
                    + " — check host, port, user, password and pg_hba.conf", null);
        }
        if (connection == null) { // Driver.connect's answer to a URL it does not handle
            throw new ProviderException("postgres: the PostgreSQL driver does not accept the connection URL " + url
                    + " built from the host, port and database settings — check them", null);
        }
        return connection;
    }

    /** An SQL error's message with the password masked (drivers do not echo it, but be certain). */
    static String describe(SQLException e, String password) {
        String m = String.valueOf(e.getMessage());
        if (e.getSQLState() != null) {
            m = m + " [SQLSTATE " + e.getSQLState() + "]";
        }
        return password == null || password.isEmpty() ? m : m.replace(password, "****");
    }

    /** Quotes an identifier for SQL ({@code "name"}, inner quotes doubled). */
    static String quoteIdent(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
