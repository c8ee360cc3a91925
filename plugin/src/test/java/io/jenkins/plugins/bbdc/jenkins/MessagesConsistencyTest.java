package io.jenkins.plugins.bbdc.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Messages.properties and the Messages class agree: every key has the static method the Jenkins localizer generates
 * (dots become underscores, one parameter per argument) and it formats the same text. In the stubbed build this
 * catches a Messages.java that was not regenerated; in the real build it checks the localizer's output.
 */
class MessagesConsistencyTest {

    private static Properties bundle() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Messages.class.getResourceAsStream("Messages.properties")) {
            assertThat(in).as("Messages.properties next to Messages").isNotNull();
            p.load(in);
        }
        return p;
    }

    @Test
    void everyKeyHasAMethodThatFormatsItsText() throws Exception {
        Properties p = bundle();
        List<String> problems = new ArrayList<>();
        for (String key : p.stringPropertyNames()) {
            int arity = new MessageFormat(p.getProperty(key)).getFormatsByArgumentIndex().length;
            Object[] args = new Object[arity];
            Class<?>[] types = new Class<?>[arity];
            for (int i = 0; i < arity; i++) {
                args[i] = "<" + i + ">";
                types[i] = Object.class;
            }
            Method m;
            try {
                m = Messages.class.getMethod(key.replace('.', '_'), types);
            } catch (NoSuchMethodException e) {
                problems.add(key + " has no method " + key.replace('.', '_') + " with " + arity + " argument(s)");
                continue;
            }
            String expected = new MessageFormat(p.getProperty(key)).format(args);
            assertThat(m.invoke(null, args)).as(key).isEqualTo(expected);
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void noMethodWithoutAKey() throws Exception {
        Properties p = bundle();
        List<String> orphans = Arrays.stream(Messages.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()))
                .filter(m -> m.getReturnType() == String.class && !m.getName().startsWith("_"))
                .map(Method::getName)
                .filter(n -> p.stringPropertyNames().stream().noneMatch(k -> k.replace('.', '_').equals(n)))
                .toList();
        assertThat(orphans).as("methods of Messages without a key in Messages.properties").isEmpty();
    }

    @Test
    void quotesAroundArgumentsSurviveFormatting() {
        // a single ' in a MessageFormat pattern swallows the argument: the file must double it
        assertThat(Messages.Credentials_notFound("bb-admin")).contains("'bb-admin'");
    }
}
