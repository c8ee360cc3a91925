package io.jenkins.plugins.bbdc.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JCasC file that ConfigurationAsCodeTest (a JenkinsRule test, run by -Pjenkins) applies is exactly the YAML
 * block of docs/jenkins.md, so the test proves what the documentation tells users to write.
 */
class DocumentedYamlTest {
    private static final String CASC_FILE =
            "plugin/src/jenkins-test/resources/io/jenkins/plugins/bbdc/jenkins/configuration-as-code.yaml";

    /** The repository root, from either build's working directory (plugin/ or plugin/stubbed/). */
    private static Path root() {
        for (Path p : List.of(Path.of(".."), Path.of("../.."))) {
            if (Files.isRegularFile(p.resolve("docs/jenkins.md")) && Files.isRegularFile(p.resolve(CASC_FILE))) {
                return p;
            }
        }
        throw new IllegalStateException("repository root not found from " + Path.of("").toAbsolutePath());
    }

    /** The first ```yaml block after the heading "### Configuration as code". */
    static String documentedYaml(String markdown) {
        int section = markdown.indexOf("### Configuration as code");
        assertThat(section).as("section 'Configuration as code' in docs/jenkins.md").isNotNegative();
        int start = markdown.indexOf("```yaml\n", section);
        int end = markdown.indexOf("\n```", start + 1);
        assertThat(start).as("yaml block in that section").isNotNegative();
        return markdown.substring(start + "```yaml\n".length(), end + 1);
    }

    @Test
    void theJcascTestAppliesTheDocumentedYaml() throws IOException {
        Path root = root();
        String documented = documentedYaml(Files.readString(root.resolve("docs/jenkins.md")));
        assertThat(documented).contains("bitbucketOps:");
        assertThat(Files.readString(root.resolve(CASC_FILE)))
                .as("%s must equal the YAML of docs/jenkins.md, section 'Configuration as code'", CASC_FILE)
                .isEqualTo(documented);
    }
}
