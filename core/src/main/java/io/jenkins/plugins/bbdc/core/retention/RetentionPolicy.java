package io.jenkins.plugins.bbdc.core.retention;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Which COMPLETE restore points to keep. A point is kept when any rule selects it; everything else goes. The newest
 * COMPLETE point is always kept, and FAILED and PARTIAL points are always removed.
 *
 * @param keepLast   the newest N complete points (0 = rule off)
 * @param keepWithin every complete point whose fence is within this duration before now (null = off)
 * @param hourly     the newest point of each of the last N hours that have one (0 = off); likewise daily,
 *                   weekly (ISO weeks) and monthly
 * @param zone       time zone in which hours, days, weeks and months are counted (default UTC)
 */
public record RetentionPolicy(int keepLast, Duration keepWithin, int hourly, int daily, int weekly, int monthly,
                              ZoneId zone) {

    public RetentionPolicy {
        zone = zone == null ? ZoneOffset.UTC : zone;
        List<String> problems = new ArrayList<>();
        if (keepLast < 0 || hourly < 0 || daily < 0 || weekly < 0 || monthly < 0) {
            problems.add("counts must not be negative");
        }
        if (keepWithin != null && (keepWithin.isNegative() || keepWithin.isZero())) {
            problems.add("keepWithin must be a positive duration, e.g. P14D");
        }
        if (keepLast == 0 && keepWithin == null && hourly == 0 && daily == 0 && weekly == 0 && monthly == 0) {
            problems.add("no rule given: set at least one of keepLast, keepWithin, hourly, daily, weekly, monthly"
                    + " (a policy without rules would delete every restore point but the newest)");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid retention policy: " + String.join("; ", problems));
        }
    }

    public static RetentionPolicy keepLast(int n) {
        return new RetentionPolicy(n, null, 0, 0, 0, 0, null);
    }

    public String describe() {
        List<String> parts = new ArrayList<>();
        if (keepLast > 0) {
            parts.add("keepLast " + keepLast);
        }
        if (keepWithin != null) {
            parts.add("keepWithin " + keepWithin);
        }
        if (hourly > 0) {
            parts.add("hourly " + hourly);
        }
        if (daily > 0) {
            parts.add("daily " + daily);
        }
        if (weekly > 0) {
            parts.add("weekly " + weekly);
        }
        if (monthly > 0) {
            parts.add("monthly " + monthly);
        }
        return String.join(", ", parts) + " (" + zone + ")";
    }
}
