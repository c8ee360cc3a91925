package io.jenkins.plugins.bbdc.cli.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The YAML examples of docs/cli.md, read from the file itself so that the documentation and the parser cannot drift
 * apart. An example is a top-level key of a {@code ```yaml} block with everything indented under it, for example
 * {@code home:\n  ebs:\n    region: …}.
 */
final class DocumentedExamples {
    private final List<String> examples = new ArrayList<>();

    private DocumentedExamples(List<String> lines) {
        boolean inYaml = false;
        StringBuilder current = null;
        for (String line : lines) {
            if (line.startsWith("```")) {
                inYaml = line.equals("```yaml");
                current = flush(current);
                continue;
            }
            if (!inYaml) {
                continue;
            }
            if (!line.isEmpty() && Character.isLetter(line.charAt(0))) {
                current = flush(current);
                current = new StringBuilder();
            }
            if (current != null && !line.startsWith("#")) {
                current.append(line).append('\n');
            }
        }
        flush(current);
    }

    private StringBuilder flush(StringBuilder current) {
        if (current != null) {
            examples.add(current.toString());
        }
        return null;
    }

    static DocumentedExamples cliMd() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("docs/cli.md"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("docs/cli.md not found above " + System.getProperty("user.dir"));
        }
        try {
            return new DocumentedExamples(Files.readAllLines(dir.resolve("docs/cli.md")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one example of the top-level key {@code key} (e.g. {@code proxy}). */
    String section(String key) {
        return only(examples.stream().filter(e -> e.startsWith(key + ":")).toList(), "section " + key);
    }

    /** The one component example whose provider kind is {@code kind}, e.g. {@code home:\n  ebs: …}. */
    String provider(String kind) {
        return only(examples.stream().filter(e -> e.lines().skip(1).filter(l -> !l.isBlank()).findFirst()
                .map(l -> l.equals("  " + kind + ":")).orElse(false)).toList(), "provider " + kind);
    }

    private static String only(List<String> found, String what) {
        if (found.size() != 1) {
            throw new AssertionError("expected exactly one example of " + what + " in docs/cli.md, found "
                    + found.size());
        }
        return found.get(0);
    }
}
