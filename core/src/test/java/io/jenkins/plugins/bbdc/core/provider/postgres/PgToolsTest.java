package io.jenkins.plugins.bbdc.core.provider.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.exec.CommandResult;
import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which pg_dump is chosen, on a host with clients 13, 15 and 16 under /usr/lib/postgresql and a PATH pg_dump of 16
 * (outputs as Debian's packages print them). The real host has only 15, so these hosts are scripted.
 */
class PgToolsTest {
    private static final Map<String, CommandResult> HOST = Map.of(
            "ls -1 /usr/lib/postgresql", ok("13\n15\n16\n"),
            "/usr/lib/postgresql/13/bin/pg_dump --version", ok("pg_dump (PostgreSQL) 13.16 (Debian 13.16-0+deb11u1)\n"),
            "/usr/lib/postgresql/15/bin/pg_dump --version", ok("pg_dump (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)\n"),
            "/usr/lib/postgresql/16/bin/pg_dump --version", ok("pg_dump (PostgreSQL) 16.4\n"),
            "pg_dump --version", ok("pg_dump (PostgreSQL) 16.4\n"));

    @Test
    void picksTheServersMajorVersionNotThePathClient() throws Exception {
        PgTools tools = PgTools.resolve(null, new ServerVersion(150008), commands());
        assertThat(tools.pgDump()).isEqualTo("/usr/lib/postgresql/15/bin/pg_dump");
        assertThat(tools.pgRestore()).isEqualTo("/usr/lib/postgresql/15/bin/pg_restore");
        assertThat(tools.version()).hasToString("15.14");
    }

    @Test
    void takesTheClosestNewerMajorWhenTheExactOneIsMissing() throws Exception {
        assertThat(PgTools.resolve(null, new ServerVersion(140011), commands()).pgDump())
                .isEqualTo("/usr/lib/postgresql/15/bin/pg_dump");
        assertThat(PgTools.resolve(null, new ServerVersion(90624), commands()).pgDump())
                .isEqualTo("/usr/lib/postgresql/13/bin/pg_dump");
    }

    @Test
    void refusesWhenEveryClientIsOlderThanTheServer() {
        assertThatThrownBy(() -> PgTools.resolve(null, new ServerVersion(170002), commands()))
                .hasMessageContaining("no pg_dump of PostgreSQL 17 or newer")
                .hasMessageContaining("postgresql-client-17")
                .hasMessageContaining("/usr/lib/postgresql/16/bin/pg_dump 16.4");
    }

    @Test
    void aConfiguredDirectoryIsUsedAsIs() throws Exception {
        PgTools tools = PgTools.resolve("/usr/lib/postgresql/13/bin", new ServerVersion(150008), commands());
        assertThat(tools.pgDump()).isEqualTo("/usr/lib/postgresql/13/bin/pg_dump");
        assertThat(tools.canDump(new ServerVersion(150008))).isFalse();
        assertThat(tools.canDump(new ServerVersion(130003))).isTrue();
    }

    @Test
    void versionsParseAndCompareByMajor() {
        assertThat(ServerVersion.parseToolVersion("pg_restore (PostgreSQL) 9.6.24")).hasToString("9.6.24");
        assertThat(new ServerVersion(90624).major()).isEqualTo("9.6");
        assertThat(new ServerVersion(150014).major()).isEqualTo("15");
        assertThat(new ServerVersion(90124).atLeast(ServerVersion.MIN_EXPORT_SNAPSHOT)).isFalse();
        assertThatThrownBy(() -> ServerVersion.parseToolVersion("bash: pg_dump: command not found"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static HostCommands commands() {
        CommandRunner scripted = spec -> {
            CommandResult r = HOST.get(String.join(" ", spec.command()));
            if (r == null) {
                throw new IOException("Cannot run program \"" + spec.command().get(0) + "\": No such file");
            }
            return new CommandResult(spec.command(), r.exitCode(), r.stdout(), r.stderr(), 1);
        };
        return new HostCommands(new ProviderContext("bitbucket", ComponentRole.DATABASE, null, scripted, null, null,
                null), null);
    }

    private static CommandResult ok(String stdout) {
        return new CommandResult(java.util.List.of(), 0, stdout, "", 1);
    }
}
