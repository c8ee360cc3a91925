package io.jenkins.plugins.bbdc.jenkins.provider;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two text shapes of provider settings that are lists or maps: items separated by commas or white space
 * ({@code vol-1, vol-2}), and {@code key=value} pairs one per line (tags, repository settings, device maps). Form fields
 * and scripts stay plain strings, so the snippet generator and configuration-as-code show them as typed.
 */
public final class SettingsText {
    private SettingsText() {
    }

    /** Items separated by commas or white space, blanks dropped. */
    public static List<String> words(@CheckForNull String text) {
        List<String> out = new ArrayList<>();
        if (text != null) {
            for (String w : text.split("[,\\s]+")) {
                if (!w.isBlank()) {
                    out.add(w.trim());
                }
            }
        }
        return out;
    }

    /**
     * {@code key=value} lines (blank lines ignored; the first {@code =} separates; key and value are trimmed).
     *
     * @throws IllegalArgumentException naming the line and the field when a line is not {@code key=value}
     */
    public static Map<String, String> pairs(@CheckForNull String text, String field) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null) {
            return out;
        }
        for (String line : text.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            String key = eq < 0 ? "" : line.substring(0, eq).trim();
            if (key.isEmpty()) {
                throw new IllegalArgumentException(Messages.SettingsText_notAPair(field, line.trim()));
            }
            if (out.put(key, line.substring(eq + 1).trim()) != null) {
                throw new IllegalArgumentException(Messages.SettingsText_duplicateKey(field, key));
            }
        }
        return out;
    }

    /** The problem of {@link #pairs} as form validation text, or null when the text is usable. */
    @CheckForNull
    public static String pairsProblem(@CheckForNull String text, String field) {
        try {
            pairs(text, field);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
