package io.jenkins.plugins.bbdc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Black-box: configuration errors name the file, the key path and what was expected; exit code 2. */
class ConfigurationErrorsTest {
    @TempDir
    Path tmp;

    private Path config(String yaml) throws Exception {
        Path f = tmp.resolve("bbdc-ops.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private static final String INSTANCE = """
            instance:
              id: prod
              url: https://bitbucket.example.com
              username: admin
              password: {env: BBDC_TEST_PASSWORD}
              nodes: [https://node1.example.com:7990]
            """;

    @Test
    void aMissingFileSaysSo() {
        CliTestSupport.Run r = CliTestSupport.run("list", "--config", tmp.resolve("nope.yaml").toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("nope.yaml").contains("no such file");
    }

    @Test
    void aLiteralPasswordIsRefusedWithoutEchoingIt() throws Exception {
        Path f = config(INSTANCE.replace("{env: BBDC_TEST_PASSWORD}", "hunter2-very-secret"));
        CliTestSupport.Run r = CliTestSupport.run("list", "--config", f.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("instance.password").contains("{env: VARIABLE}")
                .doesNotContain("hunter2-very-secret");
        assertThat(r.out()).doesNotContain("hunter2-very-secret");
    }

    @Test
    void anUnknownKeyIsNamedWithItsPath() throws Exception {
        Path f = config(INSTANCE + "retentoin:\n  keepLast: 3\n");
        CliTestSupport.Run r = CliTestSupport.run("list", "--config", f.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains(f.toString()).contains("retentoin: unknown key").contains("retention");

        Path g = config(INSTANCE.replace("username:", "usernme:"));
        CliTestSupport.Run r2 = CliTestSupport.run("list", "--config", g.toString());
        assertThat(r2.err()).contains("instance.usernme").contains("unknown key").contains("username");
    }

    @Test
    void aBadUrlAndABadIdAreExplained() throws Exception {
        CliTestSupport.Run r = CliTestSupport.run("list", "--config",
                config(INSTANCE.replace("https://bitbucket.example.com", "bitbucket.example.com")).toString());
        assertThat(r.err()).contains("instance.url").contains("not an http(s) URL");

        CliTestSupport.Run r2 = CliTestSupport.run("list", "--config",
                config(INSTANCE.replace("id: prod", "id: Prod_1")).toString());
        assertThat(r2.err()).contains("instance.id").contains("lower-case");
    }

    @Test
    void invalidYamlNamesTheLine() throws Exception {
        CliTestSupport.Run r = CliTestSupport.run("list", "--config", config("instance: [\n  id: x\n").toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("not valid YAML at line");
    }

    @Test
    void listPrintsAnEmptyJsonArrayForAFreshCatalog() throws Exception {
        Path f = config(INSTANCE + "catalog: " + tmp.resolve("catalog") + "\n");
        CliTestSupport.Run r = CliTestSupport.run("list", "--json", "--config", f.toString());
        assertThat(r.exitCode()).isZero();
        JsonNode json = JsonOutput.MAPPER.readTree(r.out());
        assertThat(json.isArray()).isTrue();
        assertThat(json).isEmpty();
    }

    @Test
    void unknownOptionsAreUsageErrors() {
        CliTestSupport.Run r = CliTestSupport.run("list", "--frobnicate");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    }
}
