package io.jenkins.plugins.bbdc.core.provider.aws;

import java.util.Locale;
import java.util.regex.Pattern;

/** RDS identifier rules: letters, digits, hyphens; a letter first; no "--"; no trailing hyphen. */
final class RdsNames {
    private static final Pattern VALID = Pattern.compile("[A-Za-z](?!.*--)[A-Za-z0-9-]*(?<!-)");

    private RdsNames() {
    }

    static boolean valid(String id, int maxLength) {
        return id != null && id.length() <= maxLength && VALID.matcher(id).matches();
    }

    /** Makes any text a valid identifier of at most {@code maxLength} characters. */
    static String sanitize(String text, int maxLength) {
        String s = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("-{2,}", "-");
        if (s.isEmpty() || !Character.isLetter(s.charAt(0))) {
            s = "b-" + s;
        }
        if (s.length() > maxLength) {
            s = s.substring(0, maxLength);
        }
        return s.replaceAll("-+$", "");
    }
}
