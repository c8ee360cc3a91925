package io.jenkins.plugins.bbdc.jenkins.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jenkinsci.Symbol;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The table of {@code cloudFormation(…)} parameters in docs/jenkins.md names exactly the parameters a script can give
 * (every bound property), and the symbol is the one the docs use.
 */
class CloudFormationDocsTest {
    private static final Pattern FIRST_COLUMN_CODE = Pattern.compile("^\\| ([^|]*)\\|");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    private static String docs() throws Exception {
        for (Path p : List.of(Path.of("../docs/jenkins.md"), Path.of("../../docs/jenkins.md"))) {
            if (Files.isRegularFile(p)) {
                return Files.readString(p);
            }
        }
        throw new IllegalStateException("docs/jenkins.md not found from " + Path.of("").toAbsolutePath());
    }

    /** Every property a script can set: the getters of the data-bound class (constructor and setters alike). */
    private static Set<String> properties() {
        Set<String> out = new TreeSet<>();
        for (Method m : CloudFormationUpgrade.class.getDeclaredMethods()) {
            String n = m.getName();
            if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers())
                    && m.getParameterCount() == 0 && n.startsWith("get") && !n.equals("getDescriptor")) {
                out.add(Character.toLowerCase(n.charAt(3)) + n.substring(4));
            }
        }
        return out;
    }

    @Test
    void theParameterTableListsExactlyTheBoundProperties() throws Exception {
        String docs = docs();
        int start = docs.indexOf("| Parameter of `cloudFormation(…)` |");
        assertThat(start).as("the cloudFormation table in docs/jenkins.md").isPositive();
        Set<String> documented = new TreeSet<>();
        for (String line : docs.substring(start).split("\n")) {
            if (!line.startsWith("|")) {
                break;
            }
            Matcher first = FIRST_COLUMN_CODE.matcher(line);
            if (first.find() && !line.startsWith("| Parameter") && !line.startsWith("|---")) {
                Matcher code = CODE.matcher(first.group(1));
                while (code.find()) {
                    documented.add(code.group(1));
                }
            }
        }
        assertThat(documented).isEqualTo(properties());
    }

    @Test
    void everyOptionalPropertyHasASetterAndTheSymbolIsTheDocumentedOne() throws Exception {
        Set<String> setters = new TreeSet<>();
        for (Method m : CloudFormationUpgrade.class.getMethods()) {
            if (m.isAnnotationPresent(DataBoundSetter.class)) {
                setters.add(Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4));
            }
        }
        Set<String> expected = new TreeSet<>(properties());
        expected.removeAll(Set.of("region", "autoScalingGroup")); // the constructor's
        assertThat(setters).isEqualTo(expected);
        assertThat(CloudFormationUpgrade.DescriptorImpl.class.getAnnotation(Symbol.class).value())
                .containsExactly("cloudFormation");
        assertThat(docs()).contains("cloudFormation: cloudFormation(region: 'eu-west-1',");
    }
}
