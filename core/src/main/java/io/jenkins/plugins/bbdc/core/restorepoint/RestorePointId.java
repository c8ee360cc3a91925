package io.jenkins.plugins.bbdc.core.restorepoint;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Restore point ids such as {@code 20261121t101500z-ab12}: the UTC start second, then four random base-36 characters
 * so that two runs in the same second never collide. Lower-case letters, digits and one hyphen only, so the id is a
 * valid part of a ZFS snapshot, LVM volume, RDS snapshot, EBS tag or OpenSearch snapshot name. Ids sort by time as
 * plain strings.
 */
public final class RestorePointId {
    public static final Pattern FORMAT = Pattern.compile("\\d{8}t\\d{6}z-[a-z0-9]{4}");
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final Random RANDOM = new SecureRandom();

    private RestorePointId() {
    }

    public static String generate(Instant at) {
        return generate(at, RANDOM);
    }

    public static String generate(Instant at, Random random) {
        StringBuilder sb = new StringBuilder(STAMP.format(at.truncatedTo(ChronoUnit.SECONDS)).toLowerCase(java.util.Locale.ROOT));
        sb.append('-');
        for (int i = 0; i < 4; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    public static boolean isValid(String id) {
        return id != null && FORMAT.matcher(id).matches();
    }

    /** Throws a clear error for anything that is not a restore point id. */
    public static String requireValid(String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("'" + id + "' is not a restore point id: expected the form"
                    + " 20261121t101500z-ab12 (UTC time, then four lower-case letters or digits)");
        }
        return id;
    }

    /** The second encoded in the id. */
    public static Instant instantOf(String id) {
        requireValid(id);
        return Instant.from(STAMP.parse(id.substring(0, 16).toUpperCase(java.util.Locale.ROOT)));
    }
}
