package io.jenkins.plugins.bbdc.jenkins;

import static io.jenkins.plugins.bbdc.jenkins.PluginViews.files;
import static io.jenkins.plugins.bbdc.jenkins.PluginViews.name;
import static io.jenkins.plugins.bbdc.jenkins.PluginViews.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.jelly.expression.CompositeExpression;
import org.apache.commons.jelly.expression.ConstantExpression;
import org.apache.commons.jelly.expression.ExpressionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.jelly.InternationalizedStringExpression;
import org.kohsuke.stapler.jelly.ResourceBundle;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What Jenkins does with the plugin's Jelly views when it loads them, checked without Jenkins: every view is
 * well-formed XML that escapes by default, every localized label {@code ${%…}} compiles to exactly its own text, and
 * every form field is bound and shown again.
 *
 * <p><b>Labels</b> are compiled by the real parsers: commons-jelly's {@code CompositeExpression.parse} cuts the
 * {@code ${…}} out of each attribute value and text (org.jvnet.hudson:commons-jelly 1.1-hudson-20100305, a Jenkins
 * fork on Maven Central: stapler-jelly 1.263 was built against 1.1-jenkins-20120928, which Maven Central does not
 * have), and Stapler's {@code InternationalizedStringExpression} (org.kohsuke.stapler:stapler-jelly 1.263, the newest
 * Stapler on Maven Central) compiles each {@code %…} as Stapler's {@code CustomJellyContext} parser does. That
 * class takes {@code %Text (a, b)} as the key {@code "Text "} followed by arguments, each compiled as a JEXL
 * expression: a label with words in parentheses does not compile, one word in parentheses disappears into an
 * argument, and a lone apostrophe after the parenthesis makes its tokenizer loop forever (it searches for the closing
 * quote, finds none, and restarts from the beginning). So each label is compiled on its own thread with a time
 * limit, must keep its whole text as the key and must have no argument. Quotes, commas, <code>$</code>,
 * <code>{</code> and backslashes do nothing special in a key without a parenthesis, but <code>}</code> ends the
 * expression, and outside the one-expression-per-attribute fast path an unmatched quote makes commons-jelly drop the
 * rest of the text silently — also caught, since each <code>${%</code> must yield one label.
 *
 * <p><b>1.263 against today's Stapler</b>, compared in the jenkinsci/stapler sources: tag stapler-parent-1.263 against
 * master 135bbbc88aa447ced53f9d4da023ab95b9b315d0 (2026-08-20), whose three files below are identical to those of
 * 2076.v1b_a_c12445eb_e, the Stapler of Jenkins 2.555.3. {@code InternationalizedStringExpression}'s constructor and
 * {@code tokenize} are the same algorithm, only reformatted (braces, a {@code default} branch, diamonds);
 * {@code getArguments} returns {@code List.of} instead of an unmodifiable {@code Arrays.asList}, and {@code format}
 * reads {@code getCurrentRequest2} (both at rendering, not parsing). {@code CustomJellyContext.CustomXMLParser} (the
 * {@code %} dispatch and the {@code '%…'} literals inside other expressions) and
 * {@code JellyClassLoaderTearOff.EXPRESSION_FACTORY} (a {@code JexlExpressionFactory}) changed only in formatting
 * (1.263's {@code JellyClassLoaderTearOff} caches tag libraries with Guava, today's with a map: why Guava 11 and
 * commons-beanutils are on this test's class path). So a label that compiles
 * here compiles the same way in Jenkins. Not reproduced: a running Jenkins replaces that factory by core's
 * {@code ExpressionFactory2} on its JEXL fork (which accepts, for example, the ternary operator plain JEXL 1.1 rejects;
 * irrelevant, since a label must have no argument at all), and Jenkins parses with its commons-jelly fork
 * (1.1-jenkins-*, not on Maven Central) whose {@code CompositeExpression} could not be compared here. The real build
 * ({@code -Pjenkins}) runs this same test against the Stapler, commons-jelly and JEXL that Jenkins ships. Labels are
 * compiled, not rendered: rendering needs Stapler core and a request.
 *
 * <p><b>Fields</b>: Stapler binds {@code field="x"} through a {@code @DataBoundConstructor} parameter {@code x} or a
 * {@code @DataBoundSetter} {@code setX} (or annotated field), and the form shows the saved value through
 * {@code instance[x]}, which JEXL 1.1 reads with a public {@code getX()} or {@code isX()} (boolean) — not a field.
 */
class JellyViewsTest {
    private static final String ESCAPE_BY_DEFAULT = "<?jelly escape-by-default='true'?>";
    /** An expression as the text shows it: up to the first closing brace, where commons-jelly ends it too. */
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}]*)}");
    /** A quoted label inside an ordinary expression, e.g. {@code ${a ? '%Yes' : '%No'}}: Stapler compiles it too. */
    private static final Pattern LABEL_LITERAL = Pattern.compile("'(%[^']+)'|\"(%[^\"]+)\"");
    private static final long COMPILE_SECONDS = 5;
    private static final ExecutorService COMPILER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "stapler-label-compile");
        t.setDaemon(true); // a looping tokenizer cannot be stopped: it must not keep the test JVM alive
        return t;
    });

    @AfterAll
    static void stopCompiler() {
        COMPILER.shutdownNow();
    }

    @Test
    void everyViewIsWellFormedAndEscapesByDefault() {
        List<Path> views = files(".jelly");
        assertThat(views).hasSizeGreaterThan(20);
        List<String> problems = new ArrayList<>();
        for (Path view : views) {
            if (!read(view).startsWith(ESCAPE_BY_DEFAULT)) {
                problems.add(name(view) + " does not start with " + ESCAPE_BY_DEFAULT);
            }
            try {
                PluginViews.xml(view);
            } catch (Exception e) {
                problems.add(name(view) + " is not well-formed XML: " + e.getMessage());
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyLabelCompilesWithStaplerToItsWholeText() throws Exception {
        List<String> problems = new ArrayList<>();
        int labels = 0;
        for (Path view : files(".jelly")) {
            // what CustomJellyContext gives the view: a bundle named after the file without ".jelly"
            String uri = view.toUri().toString();
            ResourceBundle bundle = new ResourceBundle(uri.substring(0, uri.length() - ".jelly".length()));
            for (String text : texts(PluginViews.xml(view))) {
                labels += check(name(view), text, bundle, problems);
            }
        }
        assertThat(labels).as("labels found").isGreaterThan(100);
        assertThat(problems).isEmpty();
    }

    /** Compiles the labels of one attribute value or text as Jelly and Stapler do; returns how many it expected. */
    private static int check(String view, String text, ResourceBundle bundle, List<String> problems) throws Exception {
        List<String> expected = new ArrayList<>();
        Matcher m = EXPRESSION.matcher(text);
        while (m.find()) {
            if (m.group(1).startsWith("%")) {
                expected.add(m.group(1).substring(1));
            } else {
                Matcher literal = LABEL_LITERAL.matcher(m.group(1));
                while (literal.find()) {
                    expected.add((literal.group(1) != null ? literal.group(1) : literal.group(2)).substring(1));
                }
            }
        }
        if (expected.isEmpty()) {
            return 0;
        }
        Future<List<InternationalizedStringExpression>> compiled = COMPILER.submit(() -> compile(text, bundle));
        List<InternationalizedStringExpression> labels;
        try {
            labels = compiled.get(COMPILE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            compiled.cancel(true);
            problems.add(view + ": \"" + text.strip() + "\" did not compile within " + COMPILE_SECONDS
                    + " s (Stapler's argument tokenizer loops on a quote after a parenthesis)");
            return expected.size();
        } catch (ExecutionException e) {
            problems.add(view + ": \"" + text.strip() + "\" does not compile: " + e.getCause());
            return expected.size();
        }
        if (labels.size() != expected.size()) {
            problems.add(view + ": \"" + text.strip() + "\" yields the labels "
                    + labels.stream().map(l -> l.key).toList() + " instead of " + expected);
            return expected.size();
        }
        for (int i = 0; i < labels.size(); i++) {
            InternationalizedStringExpression label = labels.get(i);
            if (!label.getArguments().isEmpty()) {
                problems.add(view + ": ${" + label.expressionText + "} is the text \"" + label.key + "\" with the "
                        + "argument(s) " + label.getArguments().stream().map(a -> a.getExpressionText()).toList());
            } else if (!label.key.equals(expected.get(i))) {
                problems.add(view + ": ${%" + expected.get(i) + "} shows \"" + label.key + "\"");
            }
        }
        return expected.size();
    }

    private static List<InternationalizedStringExpression> compile(String text, ResourceBundle bundle)
            throws Exception {
        List<InternationalizedStringExpression> out = new ArrayList<>();
        ExpressionFactory stapler = expression -> {
            if (expression.startsWith("%")) {
                InternationalizedStringExpression label = new InternationalizedStringExpression(bundle, expression);
                out.add(label);
                return label;
            }
            Matcher literal = LABEL_LITERAL.matcher(expression);
            while (literal.find()) {
                out.add(new InternationalizedStringExpression(bundle,
                        literal.group(1) != null ? literal.group(1) : literal.group(2)));
            }
            // not compiled: Jenkins uses its own JEXL fork for ordinary expressions (see the class comment)
            return new ConstantExpression(expression);
        };
        CompositeExpression.parse(text, stapler);
        return out;
    }

    /** Every attribute value and every text of the document: where Jelly looks for expressions (not comments). */
    private static List<String> texts(Document xml) {
        List<String> out = new ArrayList<>();
        collect(xml.getDocumentElement(), out);
        return out;
    }

    private static void collect(Node node, List<String> out) {
        if (node.getNodeType() == Node.TEXT_NODE || node.getNodeType() == Node.CDATA_SECTION_NODE) {
            out.add(node.getNodeValue());
        }
        NamedNodeMap attributes = node.getAttributes();
        for (int i = 0; attributes != null && i < attributes.getLength(); i++) {
            out.add(((Attr) attributes.item(i)).getValue());
        }
        NodeList children = node.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            collect(children.item(i), out);
        }
    }

    @Test
    void everyFormFieldIsBoundAndShownAgain() throws Exception {
        List<String> problems = new ArrayList<>();
        Set<Path> fragments = new HashSet<>();
        for (Path config : files("config.jelly")) {
            Class<?> type = PluginViews.viewClass(config.getParent());
            if (type == null) {
                problems.add(name(config) + ": no class " + name(config.getParent()).replace('/', '.'));
                continue;
            }
            PluginViews.includes(config).forEach(i -> fragments.add(i.fragment()));
            Set<String> parameters = constructorParameters(type);
            for (PluginViews.Field field : PluginViews.formFields(config)) {
                String where = name(field.file()) + " field=\"" + field.name() + "\" of " + type.getSimpleName();
                if (!parameters.contains(field.name()) && !hasDataBoundSetter(type, field.name())) {
                    problems.add(where + ": neither a @DataBoundConstructor parameter nor a @DataBoundSetter");
                }
                if (getter(type, field.name()) == null) {
                    problems.add(where + ": no public getter, the form would not show the saved value");
                }
            }
        }
        for (Path view : files(".jelly")) {
            if (!view.getFileName().toString().equals("config.jelly") && !fragments.contains(view)
                    && !PluginViews.literalFields(view).isEmpty()) {
                problems.add(name(view) + ": form fields in a view that is no form and no fragment of one");
            }
        }
        assertThat(problems).isEmpty();
    }

    private static Set<String> constructorParameters(Class<?> type) {
        Set<String> out = new HashSet<>();
        for (Constructor<?> c : type.getConstructors()) {
            if (c.isAnnotationPresent(DataBoundConstructor.class)) {
                for (Parameter p : c.getParameters()) {
                    assertThat(p.isNamePresent()).as("parameter names compiled into " + type
                            + " (maven.compiler.parameters, as in the real build)").isTrue();
                    out.add(p.getName());
                }
            }
        }
        return out;
    }

    private static boolean hasDataBoundSetter(Class<?> type, String property) {
        for (Method m : type.getMethods()) {
            if (m.getName().equals("set" + capitalized(property)) && m.getParameterCount() == 1
                    && m.isAnnotationPresent(DataBoundSetter.class)) {
                return true;
            }
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (Arrays.stream(c.getDeclaredFields()).anyMatch(f -> f.getName().equals(property)
                    && !Modifier.isStatic(f.getModifiers()) && f.isAnnotationPresent(DataBoundSetter.class))) {
                return true;
            }
        }
        return false;
    }

    private static Method getter(Class<?> type, String property) {
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers())
                    && (m.getName().equals("get" + capitalized(property))
                        || m.getName().equals("is" + capitalized(property)) && m.getReturnType() == boolean.class)) {
                return m;
            }
        }
        return null;
    }

    private static String capitalized(String property) {
        return Character.toUpperCase(property.charAt(0)) + property.substring(1);
    }
}
