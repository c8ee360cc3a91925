package io.jenkins.plugins.bbdc.jenkins.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jenkinsci.Symbol;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The Providers table of docs/jenkins.md names every parameter a script can give each provider — the data-bound
 * constructor's and every setter's — and no parameter that does not exist.
 */
class ProvidersTableTest {
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern PROPERTY_LIKE = Pattern.compile("[a-z]+[A-Z][A-Za-z]*");

    private static String docs() throws Exception {
        for (Path p : List.of(Path.of("../docs/jenkins.md"), Path.of("../../docs/jenkins.md"))) {
            if (Files.isRegularFile(p)) {
                return Files.readString(p);
            }
        }
        throw new IllegalStateException("docs/jenkins.md not found from " + Path.of("").toAbsolutePath());
    }

    @Test
    void everyProviderRowListsExactlyItsParameters() throws Exception {
        String docs = docs();
        List<String> problems = new ArrayList<>();
        for (Class<? extends ComponentProvider> c : ProviderModelTest.providers()) {
            String symbol = Arrays.stream(c.getDeclaredClasses()).map(d -> d.getAnnotation(Symbol.class))
                    .filter(s -> s != null).findFirst().orElseThrow().value()[0];
            Matcher row = Pattern.compile("(?m)^\\| `" + symbol + "` \\|(.*)$").matcher(docs);
            if (!row.find()) {
                problems.add(symbol + ": no row in the Providers table");
                continue;
            }
            String[] cells = row.group(1).split(" \\| ");
            String parameterCells = cells[2] + " " + cells[3]; // Required, Optional (default)
            Set<String> documented = new LinkedHashSet<>();
            Matcher code = CODE.matcher(parameterCells);
            while (code.find()) {
                documented.add(code.group(1));
            }
            Set<String> properties = properties(c);
            for (String p : properties) {
                if (!documented.contains(p)) {
                    problems.add(symbol + ": parameter '" + p + "' is not documented");
                }
            }
            for (String d : documented) {
                if (PROPERTY_LIKE.matcher(d).matches() && !properties.contains(d)) {
                    problems.add(symbol + ": documented '" + d + "' is not a parameter");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /**
     * The bound properties: every setter's, and the constructor's (named by their getters — parameter names are not
     * in the class files; ProviderModelTest checks that every property has its getter).
     */
    private static Set<String> properties(Class<?> c) {
        Set<String> out = new LinkedHashSet<>();
        for (Method m : c.getMethods()) {
            boolean getter = m.getParameterCount() == 0 && !m.getName().equals("getDescriptor")
                    && ComponentProvider.class.isAssignableFrom(m.getDeclaringClass())
                    && (m.getName().startsWith("get") || m.getName().startsWith("is"));
            if (getter || m.isAnnotationPresent(DataBoundSetter.class)) {
                String name = m.getName().substring(m.getName().startsWith("is") ? 2 : 3);
                out.add(Character.toLowerCase(name.charAt(0)) + name.substring(1));
            }
        }
        int ctorArgs = Arrays.stream(c.getConstructors()).filter(k -> k.isAnnotationPresent(DataBoundConstructor.class))
                .mapToInt(k -> k.getParameterCount()).sum();
        long setters = Arrays.stream(c.getMethods()).filter(m -> m.isAnnotationPresent(DataBoundSetter.class)).count();
        assertThat(out).as(c.getSimpleName() + ": one getter per constructor argument and setter")
                .hasSize(ctorArgs + (int) setters);
        return out;
    }
}
