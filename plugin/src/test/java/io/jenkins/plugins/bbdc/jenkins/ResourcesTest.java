package io.jenkins.plugins.bbdc.jenkins;

import static io.jenkins.plugins.bbdc.jenkins.PluginViews.RESOURCES;
import static io.jenkins.plugins.bbdc.jenkins.PluginViews.files;
import static io.jenkins.plugins.bbdc.jenkins.PluginViews.name;
import static io.jenkins.plugins.bbdc.jenkins.PluginViews.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the Jenkins UI shows next to the forms: every form field has its help file, and every describable with a form
 * has a whole-object help. (The views themselves are checked by JellyViewsTest.)
 */
class ResourcesTest {

    @Test
    void everyFormFieldHasAHelpFile() throws Exception {
        List<String> missing = new ArrayList<>();
        for (Path config : files("config.jelly")) {
            List<Path> helpFolders = classFolders(config.getParent());
            for (PluginViews.Include include : PluginViews.includes(config)) {
                assertThat(include.fragment()).as("page included by " + name(config)).exists();
                // the fragment's help and form methods are found through the including class: it must inherit them
                assertThat(helpFolders).as("class of the fragment included by " + name(config)
                        + " is an ancestor of the including class").contains(include.classFolder());
            }
            for (PluginViews.Field field : PluginViews.formFields(config)) {
                if (helpFolders.stream().noneMatch(f -> Files.exists(f.resolve("help-" + field.name() + ".html")))) {
                    missing.add(name(config.resolveSibling("help-" + field.name() + ".html")));
                }
            }
            if (!config.getParent().getFileName().toString().endsWith("Configuration")
                    && !Files.exists(config.resolveSibling("help.html"))) {
                missing.add(name(config.resolveSibling("help.html")));
            }
        }
        assertThat(missing).isEmpty();
    }

    /**
     * The view folder of a class followed by those of its superclasses: where Jenkins looks for {@code help-x.html}
     * ({@code Descriptor.getHelpFile} and {@code doHelp} walk the class hierarchy).
     */
    private static List<Path> classFolders(Path folder) {
        List<Path> out = new ArrayList<>(List.of(folder));
        Class<?> c = PluginViews.viewClass(folder);
        // a folder of views that belongs to no class: only its own help files count
        for (Class<?> s = c == null ? null : c.getSuperclass(); s != null; s = s.getSuperclass()) {
            out.add(RESOURCES.resolve(s.getName().replace('.', '/')));
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
                .map(PluginViews::name).toList();
        assertThat(bad).isEmpty();
    }
}
