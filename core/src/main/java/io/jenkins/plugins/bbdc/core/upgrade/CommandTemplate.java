package io.jenkins.plugins.bbdc.core.upgrade;

import io.jenkins.plugins.bbdc.core.exec.CommandSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An argument list with placeholders ({@code {nodeName}}, {@code {nodeHost}}, {@code {nodeId}}, {@code {nodeUrl}},
 * {@code {targetVersion}}, {@code {originalVersion}}), expanded per argument. No shell is involved: a node name can
 * never become a second command. The node is also given as {@code BITBUCKET_NODE_*} environment variables.
 */
public final class CommandTemplate {
    public static final Set<String> PLACEHOLDERS =
            Set.of("nodeId", "nodeName", "nodeHost", "nodeUrl", "targetVersion", "originalVersion");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");

    private final List<String> arguments;
    private final Duration timeout;

    /**
     * @throws IllegalArgumentException when the list is empty or names an unknown placeholder (a typo would otherwise
     *                                  reach the command as literal text)
     */
    public CommandTemplate(List<String> arguments, Duration timeout) {
        if (arguments == null || arguments.isEmpty() || arguments.get(0).isBlank()) {
            throw new IllegalArgumentException("a node command needs at least the program to run, for example"
                    + " [\"ssh\", \"{nodeHost}\", \"sudo\", \"/opt/upgrade-bitbucket.sh\", \"{targetVersion}\"]");
        }
        for (String arg : arguments) {
            Matcher m = PLACEHOLDER.matcher(arg);
            while (m.find()) {
                if (!PLACEHOLDERS.contains(m.group(1))) {
                    throw new IllegalArgumentException("unknown placeholder {" + m.group(1) + "} in '" + arg
                            + "'; known placeholders: " + String.join(", ",
                            PLACEHOLDERS.stream().sorted().map(p -> "{" + p + "}").toList()));
                }
            }
        }
        this.arguments = List.copyOf(arguments);
        this.timeout = timeout == null ? Duration.ofHours(1) : timeout;
    }

    public List<String> arguments() {
        return arguments;
    }

    /** The command for one node. */
    public CommandSpec expand(UpgradeNodeContext node) {
        Map<String, String> values = node.placeholders();
        List<String> argv = new ArrayList<>(arguments.size());
        for (String arg : arguments) {
            Matcher m = PLACEHOLDER.matcher(arg);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String v = values.get(m.group(1));
                m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? "" : v));
            }
            m.appendTail(sb);
            argv.add(sb.toString());
        }
        CommandSpec.Builder b = CommandSpec.of(argv).timeout(timeout);
        node.environment().forEach((k, v) -> b.env(k, v == null ? "" : v));
        return b.build();
    }
}
