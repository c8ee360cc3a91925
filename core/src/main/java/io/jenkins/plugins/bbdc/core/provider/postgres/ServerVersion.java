package io.jenkins.plugins.bbdc.core.provider.postgres;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL version as {@code server_version_num} ({@code 150014} = 15.14, {@code 90624} = 9.6.24). The major
 * version is {@code 15} from 10 on and {@code 9.6} before.
 */
record ServerVersion(int num) implements Comparable<ServerVersion> {
    /** {@code pg_export_snapshot()} and {@code pg_dump --snapshot} exist from 9.2 on. */
    static final ServerVersion MIN_EXPORT_SNAPSHOT = new ServerVersion(90200);
    private static final Pattern TOOL = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?");

    /** Parses {@code pg_dump --version} output such as {@code pg_dump (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)}. */
    static ServerVersion parseToolVersion(String output) {
        Matcher m = TOOL.matcher(output == null ? "" : output);
        if (!m.find()) {
            throw new IllegalArgumentException("not a PostgreSQL tool version: '" + output + "'");
        }
        int a = Integer.parseInt(m.group(1));
        int b = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        int c = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return a >= 10 ? new ServerVersion(a * 10000 + b) : new ServerVersion(a * 10000 + b * 100 + c);
    }

    /** The major version as PostgreSQL names its directories: {@code 15}, {@code 9.6}. */
    String major() {
        return num >= 100000 ? Integer.toString(num / 10000) : (num / 10000) + "." + (num / 100 % 100);
    }

    /** The major version as a comparable number: 15 → 1500, 9.6 → 906. */
    int majorKey() {
        return num >= 100000 ? num / 10000 * 100 : num / 10000 * 100 + num / 100 % 100;
    }

    boolean atLeast(ServerVersion other) {
        return num >= other.num;
    }

    @Override
    public int compareTo(ServerVersion o) {
        return Integer.compare(num, o.num);
    }

    @Override
    public String toString() {
        return num >= 100000 ? major() + "." + (num % 10000) : major() + "." + (num % 100);
    }
}
