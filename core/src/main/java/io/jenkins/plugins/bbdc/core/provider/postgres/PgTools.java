package io.jenkins.plugins.bbdc.core.provider.postgres;

import io.jenkins.plugins.bbdc.core.exec.CommandResult;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The {@code pg_dump}/{@code pg_restore} pair to use against a server. A pg_dump older than the server refuses to
 * dump it, and a pg_restore older than the pg_dump that wrote an archive cannot read it, so the tools are chosen by
 * the SERVER's major version (never the client that happens to be first on the PATH): the configured directory, else
 * {@code /usr/lib/postgresql/<server major>/bin}, else the lowest newer major installed there, else the PATH.
 *
 * @param binDir   directory of the tools, or null when they are taken from the PATH
 * @param version  the tools' version ({@code pg_dump --version})
 */
record PgTools(String binDir, ServerVersion version) {
    static final String DEBIAN_ROOT = "/usr/lib/postgresql";

    String pgDump() {
        return binDir == null ? "pg_dump" : binDir + "/pg_dump";
    }

    String pgRestore() {
        return binDir == null ? "pg_restore" : binDir + "/pg_restore";
    }

    /** Whether these tools can dump a server of {@code server}'s version. */
    boolean canDump(ServerVersion server) {
        return version.majorKey() >= server.majorKey();
    }

    static PgTools resolve(String configuredBinDir, ServerVersion server, HostCommands c)
            throws ProviderException, InterruptedException {
        if (configuredBinDir != null) {
            ServerVersion v = versionOf(configuredBinDir + "/pg_dump", c);
            if (v == null) {
                throw new ProviderException("postgres: " + configuredBinDir + "/pg_dump does not run; set binDir to"
                        + " the directory holding pg_dump and pg_restore of PostgreSQL " + server.major()
                        + " or newer");
            }
            return new PgTools(configuredBinDir, v);
        }
        List<PgTools> candidates = new ArrayList<>();
        CommandResult ls = c.run("ls", "-1", DEBIAN_ROOT);
        if (ls.succeeded()) {
            for (String major : ls.stdout().split("\n")) {
                String m = major.strip();
                if (m.matches("\\d+(\\.\\d+)?")) {
                    String dir = DEBIAN_ROOT + "/" + m + "/bin";
                    ServerVersion v = versionOf(dir + "/pg_dump", c);
                    if (v != null) {
                        candidates.add(new PgTools(dir, v));
                    }
                }
            }
        }
        ServerVersion onPath = versionOf("pg_dump", c);
        if (onPath != null) {
            candidates.add(new PgTools(null, onPath));
        }
        // the same major as the server first, then the closest newer one; an older one cannot dump this server
        return candidates.stream().filter(t -> t.canDump(server))
                .min(Comparator.comparingInt((PgTools t) -> t.version().majorKey() - server.majorKey())
                        .thenComparing(t -> t.binDir() == null ? 1 : 0))
                .orElseThrow(() -> new ProviderException("postgres: no pg_dump of PostgreSQL " + server.major()
                        + " or newer found (looked in " + DEBIAN_ROOT + "/<major>/bin and on the PATH; found: "
                        + (candidates.isEmpty() ? "none" : candidates.stream().map(t -> t.pgDump() + " "
                        + t.version()).toList()) + "). Install the client of the server's version (Debian: "
                        + "postgresql-client-" + server.major() + ") or set binDir"));
    }

    private static ServerVersion versionOf(String pgDump, HostCommands c) throws ProviderException, InterruptedException {
        CommandResult r;
        try {
            r = c.run(pgDump, "--version");
        } catch (ProviderException cannotStart) {
            return null;
        }
        if (!r.succeeded()) {
            return null;
        }
        try {
            return ServerVersion.parseToolVersion(r.stdout());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
