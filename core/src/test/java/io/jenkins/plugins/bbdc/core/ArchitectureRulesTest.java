package io.jenkins.plugins.bbdc.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of docs/architecture.md, checked on the sources: the engine never imports Jenkins, and the testkit never
 * imports the engine (the simulator must stay an independent implementation of Bitbucket's contract). The engine
 * never looks anything up through the thread's context class loader (docs/architecture.md, "Class loading";
 * {@link ForeignContextClassLoaderTest} runs it on such a thread).
 */
class ArchitectureRulesTest {
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void coreNeverImportsJenkins() {
        List<String> offenders = importsMatching(ROOT.resolve("core/src/main/java"),
                "^(hudson|jenkins|org\\.kohsuke|com\\.cloudbees|org\\.jenkinsci)\\..*");
        assertThat(offenders).as("core must not import Jenkins classes").isEmpty();
    }

    @Test
    void testkitNeverImportsCore() {
        List<String> offenders = importsMatching(ROOT.resolve("testkit/src/main/java"),
                "^io\\.jenkins\\.plugins\\.bbdc\\.core\\..*");
        assertThat(offenders).as("testkit must not import core").isEmpty();
    }

    @Test
    void coreNeverLooksUpThroughTheContextClassLoader() {
        List<String> offenders = codeMatching(ROOT.resolve("core/src/main/java"), Pattern.compile(
                "\\b(DriverManager|ServiceLoader)\\s*\\.|\\b(getContextClassLoader|getSystemClassLoader|getSystemResource"
                        + "|getSystemResources|getSystemResourceAsStream|findAndRegisterModules|findModules)\\s*\\("));
        assertThat(offenders).as("core must not depend on the thread's context class loader: open JDBC connections"
                + " with the driver (provider.postgres.Jdbc), name implementations explicitly, load resources with"
                + " a class of the engine").isEmpty();
    }

    @Test
    void theRulesSeeTheSources() {
        // guards against the checks above passing because they looked in the wrong place
        assertThat(javaFiles(ROOT.resolve("core/src/main/java"))).isNotEmpty();
        assertThat(javaFiles(ROOT.resolve("testkit/src/main/java"))).isNotEmpty();
        assertThat(importsMatching(ROOT.resolve("core/src/main/java"), "^java\\..*")).isNotEmpty();
        assertThat(codeMatching(ROOT.resolve("core/src/main/java"), Pattern.compile("\\bgetResourceAsStream\\s*\\(")))
                .isNotEmpty();
    }

    /** Lines outside comments that contain {@code p}, as file:line. */
    private static List<String> codeMatching(Path dir, Pattern p) {
        List<String> out = new ArrayList<>();
        for (Path f : javaFiles(dir)) {
            try {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String code = lines.get(i).strip();
                    if (!code.startsWith("*") && !code.startsWith("/*") && !code.startsWith("//")
                            && p.matcher(code.replaceAll("//.*", "")).find()) {
                        out.add(ROOT.relativize(f) + ":" + (i + 1) + ": " + code);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static List<String> importsMatching(Path dir, String regex) {
        Pattern p = Pattern.compile(regex);
        List<String> out = new ArrayList<>();
        for (Path f : javaFiles(dir)) {
            try {
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    if (p.matcher(m.group(1)).matches()) {
                        out.add(ROOT.relativize(f) + ": " + m.group(1));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static List<Path> javaFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(f -> f.toString().endsWith(".java")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
