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
    private static final Pattern INCLUDE =
            Pattern.compile("<st:include page=\"([^\"]+)\" class=\"([A-Za-z0-9_.]+)\"\\s*/>");

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
            List<Path> helpFolders = classFolders(config.getParent());
            List<String> fields = new ArrayList<>(fields(read(config)));
            Matcher include = INCLUDE.matcher(read(config));
            while (include.find()) {
                Path fragmentFolder = RESOURCES.resolve(include.group(2).replace('.', '/'));
                Path fragment = fragmentFolder.resolve(include.group(1));
                assertThat(fragment).as("page included by " + RESOURCES.relativize(config)).exists();
                // the fragment's help and form methods are found through the including class: it must inherit them
                assertThat(helpFolders).as("class of the fragment included by " + RESOURCES.relativize(config)
                        + " is an ancestor of the including class").contains(fragmentFolder);
                fields.addAll(fields(read(fragment)));
            }
            for (String field : fields) {
                if (helpFolders.stream().noneMatch(f -> Files.exists(f.resolve("help-" + field + ".html")))) {
                    missing.add(RESOURCES.relativize(config.resolveSibling("help-" + field + ".html")).toString());
                }
            }
            if (!config.getParent().getFileName().toString().endsWith("Configuration")
                    && !Files.exists(config.resolveSibling("help.html"))) {
                missing.add(RESOURCES.relativize(config.resolveSibling("help.html")).toString());
            }
        }
        assertThat(missing).isEmpty();
    }

    private static List<String> fields(String jelly) {
        List<String> out = new ArrayList<>();
        Matcher m = FIELD.matcher(jelly);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /**
     * The view folder of a class followed by those of its superclasses: where Jenkins looks for {@code help-x.html}
     * ({@code Descriptor.getHelpFile} and {@code doHelp} walk the class hierarchy).
     */
    private static List<Path> classFolders(Path folder) {
        List<Path> out = new ArrayList<>(List.of(folder));
        String name = RESOURCES.relativize(folder).toString().replace('/', '.').replace('\\', '.');
        try {
            for (Class<?> c = Class.forName(name, false, ResourcesTest.class.getClassLoader()).getSuperclass();
                 c != null; c = c.getSuperclass()) {
                out.add(RESOURCES.resolve(c.getName().replace('.', '/')));
            }
        } catch (ClassNotFoundException e) {
            // a folder of views that belongs to no class: only its own help files count
        }
        return out;
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
