package io.jenkins.plugins.bbdc.jenkins;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The plugin's view files (plugin/src/main/resources) as the tests of the views read them: the files, their XML, the
 * class a view folder belongs to, and the form fields a config.jelly binds, including those of the fragments it pulls
 * in with {@code <st:include page="…" class="…"/>}.
 */
final class PluginViews {
    static final Path RESOURCES = locate();

    /** A form field ({@code field="x"}) and the view file it is written in. */
    record Field(String name, Path file) {
    }

    /** A fragment pulled into a form: the file, and the folder of the class the include names. */
    record Include(Path fragment, Path classFolder) {
    }

    private PluginViews() {
    }

    private static Path locate() {
        for (Path p : List.of(Path.of("src/main/resources"), Path.of("../src/main/resources"))) {
            if (Files.isDirectory(p.resolve("io/jenkins/plugins/bbdc/jenkins"))) {
                return p;
            }
        }
        throw new IllegalStateException("plugin resources not found from " + Path.of("").toAbsolutePath());
    }

    static List<Path> files(String suffix) {
        try (Stream<Path> s = Files.walk(RESOURCES)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The path below src/main/resources, for messages. */
    static String name(Path p) {
        return RESOURCES.relativize(p).toString();
    }

    /** The file as namespace-aware XML (what Jelly's SAX parser sees); throws if it is not well-formed. */
    static Document xml(Path p) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document d = f.newDocumentBuilder().parse(p.toFile());
        d.normalizeDocument();
        return d;
    }

    /** The class whose views live in this folder (io/jenkins/…/EbsSnapshotProvider); null for a folder of no class. */
    static Class<?> viewClass(Path folder) {
        String name = RESOURCES.relativize(folder).toString().replace('/', '.').replace('\\', '.');
        try {
            return Class.forName(name, false, PluginViews.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    /** The fields a form binds: those written in it and in the fragments it includes, in the order they appear. */
    static List<Field> formFields(Path config) throws Exception {
        List<Field> out = new ArrayList<>(literalFields(config));
        for (Include include : includes(config)) {
            out.addAll(literalFields(include.fragment()));
        }
        return out;
    }

    /** The {@code field="x"} attributes of one file with a literal name (a tag's {@code ${attrs.field}} is not one). */
    static List<Field> literalFields(Path view) throws Exception {
        List<Field> out = new ArrayList<>();
        NodeList all = xml(view).getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            String field = ((Element) all.item(i)).getAttribute("field");
            if (field.matches("[A-Za-z0-9_]+")) {
                out.add(new Field(field, view));
            }
        }
        return out;
    }

    /** The {@code <st:include page="…" class="…"/>} of a view that name a class (the fragments of shared forms). */
    static List<Include> includes(Path view) throws Exception {
        List<Include> out = new ArrayList<>();
        NodeList all = xml(view).getElementsByTagNameNS("jelly:stapler", "include");
        for (int i = 0; i < all.getLength(); i++) {
            Element include = (Element) all.item(i);
            if (!include.getAttribute("class").isEmpty()) {
                Path folder = RESOURCES.resolve(include.getAttribute("class").replace('.', '/'));
                out.add(new Include(folder.resolve(include.getAttribute("page")), folder));
            }
        }
        return out;
    }
}
