package io.jenkins.plugins.bbdc.core.retention;

import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Decides which restore points of one instance to keep. Whole points only; one sort and then one pass per rule, so
 * 10,000 points cost no more than a sort.
 */
public final class RetentionPlanner {
    private final RetentionPolicy policy;

    public RetentionPlanner(RetentionPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public RetentionPlan plan(String instance, List<RestorePoint> points, Instant now) {
        for (RestorePoint p : points) {
            if (!instance.equals(p.instance())) {
                throw new IllegalArgumentException("retention works on one instance at a time: restore point "
                        + p.id() + " belongs to " + p.instance() + ", not " + instance);
            }
        }
        List<RestorePoint> newestFirst = new ArrayList<>(points);
        newestFirst.sort(Comparator.comparing(RestorePoint::effectiveFence).thenComparing(RestorePoint::id).reversed());
        List<RestorePoint> complete = newestFirst.stream().filter(RestorePoint::isComplete).toList();

        Map<String, List<String>> kept = new HashMap<>();
        if (!complete.isEmpty()) {
            keep(kept, complete.get(0), "the newest COMPLETE restore point is never deleted");
        }
        // copies to another region are the disaster-recovery promise: repeated copy failures must not let retention
        // delete the last point that has them
        complete.stream().filter(RetentionPlanner::fullyCopied).findFirst().ifPresent(p -> keep(kept, p,
                "the newest restore point whose copies to another region are all complete is never deleted"));
        for (int i = 0; i < Math.min(policy.keepLast(), complete.size()); i++) {
            keep(kept, complete.get(i), "keepLast " + (i + 1) + "/" + policy.keepLast());
        }
        if (policy.keepWithin() != null) {
            Instant limit = now.minus(policy.keepWithin());
            for (RestorePoint p : complete) {
                if (p.effectiveFence().isBefore(limit)) {
                    break; // newest first: everything after is older
                }
                keep(kept, p, "within " + policy.keepWithin());
            }
        }
        tier(kept, complete, "hourly", policy.hourly(), z -> z.truncatedTo(ChronoUnit.HOURS).toLocalDateTime());
        tier(kept, complete, "daily", policy.daily(), ZonedDateTime::toLocalDate);
        tier(kept, complete, "weekly", policy.weekly(),
                z -> z.get(IsoFields.WEEK_BASED_YEAR) + "-W" + z.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
        tier(kept, complete, "monthly", policy.monthly(), YearMonth::from);

        List<RetentionPlan.Decision> decisions = new ArrayList<>(newestFirst.size());
        for (RestorePoint p : newestFirst) {
            List<String> reasons = kept.get(p.id());
            if (reasons != null) {
                decisions.add(new RetentionPlan.Decision(p, true, reasons));
            } else if (p.status() == RestorePointStatus.FAILED) {
                decisions.add(new RetentionPlan.Decision(p, false, List.of("FAILED backup"
                        + (p.leftovers().isEmpty() ? "" : " with " + p.leftovers().size() + " leftover snapshot(s)")
                        + (p.failureReason() == null ? "" : ": " + p.failureReason()))));
            } else if (p.status() == RestorePointStatus.PARTIAL) {
                decisions.add(new RetentionPlan.Decision(p, false, List.of("PARTIAL restore point, not restorable"
                        + (p.failureReason() == null ? "" : ": " + p.failureReason()))));
            } else {
                decisions.add(new RetentionPlan.Decision(p, false, List.of("not selected by " + policy.describe())));
            }
        }
        return new RetentionPlan(instance, policy, decisions);
    }

    private void tier(Map<String, List<String>> kept, List<RestorePoint> newestFirst, String name, int count,
                      Function<ZonedDateTime, Object> bucketOf) {
        if (count <= 0) {
            return;
        }
        Object last = null;
        int taken = 0;
        for (RestorePoint p : newestFirst) {
            Object bucket = bucketOf.apply(p.effectiveFence().atZone(policy.zone()));
            if (bucket.equals(last)) {
                continue;
            }
            last = bucket;
            taken++;
            keep(kept, p, name + " " + taken + "/" + count + " (" + bucket + ")");
            if (taken == count) {
                return;
            }
        }
    }

    /** Has copies in another region, every one complete, and no component whose copy failed. */
    static boolean fullyCopied(RestorePoint p) {
        boolean any = false;
        for (var c : p.components()) {
            if (c.copyFailure() != null || c.copies().stream().anyMatch(r -> r.durableAt() == null)) {
                return false;
            }
            any |= !c.copies().isEmpty();
        }
        return any;
    }

    private static void keep(Map<String, List<String>> kept, RestorePoint p, String reason) {
        kept.computeIfAbsent(p.id(), k -> new ArrayList<>(2)).add(reason);
    }
}
