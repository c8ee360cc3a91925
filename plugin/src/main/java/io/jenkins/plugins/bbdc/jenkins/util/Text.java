package io.jenkins.plugins.bbdc.jenkins.util;

import edu.umd.cs.findbugs.annotations.CheckForNull;

/**
 * Normalises form and script values: the same as {@code hudson.Util.fixEmptyAndTrim}, kept here so that data-bound
 * objects can be built in plain unit tests of the stubbed build (where the Jenkins API only declares signatures).
 */
public final class Text {
    private Text() {
    }

    @CheckForNull
    public static String trimToNull(@CheckForNull String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        return t.isEmpty() ? null : t;
    }
}
