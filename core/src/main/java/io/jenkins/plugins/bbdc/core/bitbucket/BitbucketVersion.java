package io.jenkins.plugins.bbdc.core.bitbucket;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Bitbucket release number, {@code major.minor.patch} with an optional qualifier ({@code 9.4.3}, {@code 8.19.1-rc1}).
 * Ordering ignores qualifiers except that a qualified release sorts before the same plain release.
 */
public record BitbucketVersion(int major, int minor, int patch, String qualifier) implements Comparable<BitbucketVersion> {
    private static final Pattern FORMAT = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?(?:[-.]([0-9A-Za-z.-]+))?");

    public static BitbucketVersion parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no Bitbucket version given");
        }
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a Bitbucket version: expected major.minor.patch,"
                    + " for example 9.4.3");
        }
        return new BitbucketVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)), m.group(4));
    }

    /** Same major and minor: the "feature line" ({@code 8.19}). */
    public boolean sameFeatureLine(BitbucketVersion other) {
        return major == other.major && minor == other.minor;
    }

    /**
     * Why a rolling upgrade from this version to {@code target} is not allowed, or null when it is: only a higher
     * bug-fix release of the same major.minor qualifies; anything else needs the downtime upgrade procedure.
     */
    public String rollingUpgradeRefusal(BitbucketVersion target) {
        if (!sameFeatureLine(target) && target.compareTo(this) < 0) {
            return "the target " + target + " is older than the running version " + this + ": Bitbucket cannot be"
                    + " downgraded by a rolling upgrade; restore a backup taken on " + target + " instead";
        }
        if (!sameFeatureLine(target)) {
            return "a rolling upgrade only goes to a bug-fix release of the same feature line (" + major + "." + minor
                    + ".x); " + this + " → " + target + " is a " + (major != target.major ? "major" : "feature")
                    + " upgrade: use Bitbucket's upgrade procedure with downtime instead";
        }
        if (compareTo(target) >= 0) {
            return "the target " + target + " is not newer than the running version " + this;
        }
        return null;
    }

    public boolean atLeast(int maj, int min) {
        return major > maj || (major == maj && minor >= min);
    }

    @Override
    public int compareTo(BitbucketVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        if (c == 0) {
            c = Integer.compare(patch, o.patch);
        }
        if (c == 0) {
            if (qualifier == null) {
                c = o.qualifier == null ? 0 : 1;
            } else {
                c = o.qualifier == null ? -1 : qualifier.compareTo(o.qualifier);
            }
        }
        return c;
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + (qualifier == null ? "" : "-" + qualifier);
    }
}
