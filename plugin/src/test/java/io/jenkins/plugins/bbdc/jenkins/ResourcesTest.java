package io.jenkins.plugins.bbdc.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the Jenkins UI shows: every jelly view escapes by default (the real build's InjectedTest checks the same),
 * every form field has its help file, and every describable with a form has a whole-object help.
 */
class ResourcesTest {
    private static final Path RESOURCES = locate();
    private static final Pattern FIELD = Pattern.compile("field=\"([A-Za-z0-9]+)\"");

    private static Path locate() {
        for (Path p : List.of(Path.of("src/main/resources"), Path.of("../src/main/resources"))) {
            if (Files.isDirectory(p.resolve("io/jenkins/plugins/bbdc/jenkins"))) {
                return p;
            }
        }
        throw new IllegalStateException("plugin resources not found from " + Path.of("").toAbsolutePath());
    }

    private static List<Path> files(String suffix) {
        try (Stream<Path> s = Files.walk(RESOURCES)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyJellyViewEscapesByDefault() {
        List<Path> jelly = files(".jelly");
        assertThat(jelly).hasSizeGreaterThan(10);
        List<String> bad = jelly.stream().filter(p -> !read(p).startsWith("<?jelly escape-by-default='true'?>"))
                .map(p -> RESOURCES.relativize(p).toString()).toList();
        assertThat(bad).isEmpty();
    }

    @Test
    void everyFormFieldHasAHelpFile() {
        List<String> missing = new ArrayList<>();
        for (Path config : files("config.jelly")) {
            Matcher m = FIELD.matcher(read(config));
            while (m.find()) {
                Path help = config.resolveSibling("help-" + m.group(1) + ".html");
                if (!Files.exists(help)) {
                    missing.add(RESOURCES.relativize(help).toString());
                }
            }
            if (!config.getParent().getFileName().toString().endsWith("Configuration")
                    && !Files.exists(config.resolveSibling("help.html"))) {
                missing.add(RESOURCES.relativize(config.resolveSibling("help.html")).toString());
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void helpFilesAreOneDiv() {
        List<String> bad = files(".html").stream()
                .filter(p -> p.getFileName().toString().startsWith("help"))
                .filter(p -> {
                    String t = read(p).strip();
                    return !t.startsWith("<div>") || !t.endsWith("</div>") || t.indexOf("<div>", 1) >= 0;
                })
                .map(p -> RESOURCES.relativize(p).toString()).toList();
        assertThat(bad).isEmpty();
    }
}
