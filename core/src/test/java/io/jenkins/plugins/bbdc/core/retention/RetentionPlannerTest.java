package io.jenkins.plugins.bbdc.core.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointId;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetentionPlannerTest {
    private static final Instant START = Instant.parse("2025-01-01T00:30:00Z");
    private final Random random = new Random(7);

    private RestorePoint point(Instant fence, RestorePointStatus status) {
        return new RestorePoint(RestorePoint.SCHEMA_VERSION, RestorePointId.generate(fence, random), "prod", "8.19.1",
                BackupMode.ZERO_DOWNTIME, status, fence, 1L, null, fence, fence.plusSeconds(60), List.of(), List.of(),
                status == RestorePointStatus.COMPLETE ? null : "pg_dump failed", List.of());
    }

    private List<RestorePoint> every(Duration step, int count) {
        List<RestorePoint> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(point(START.plus(step.multipliedBy(i)), RestorePointStatus.COMPLETE));
        }
        return out;
    }

    private static List<String> ids(List<RestorePoint> points) {
        return points.stream().map(RestorePoint::id).toList();
    }

    @Test
    void keepLastKeepsTheNewestNAndExplainsEveryDecision() {
        List<RestorePoint> points = every(Duration.ofHours(1), 10);
        RetentionPlan plan = new RetentionPlanner(RetentionPolicy.keepLast(3)).plan("prod", points,
                START.plus(Duration.ofDays(1)));
        assertThat(ids(plan.toKeep())).containsExactly(points.get(9).id(), points.get(8).id(), points.get(7).id());
        assertThat(plan.toDelete()).hasSize(7);
        assertThat(plan.decisions()).allSatisfy(d -> assertThat(d.reasons()).isNotEmpty());
        assertThat(plan.describe().get(0)).contains("keep 3, delete 7");
        assertThat(plan.describe()).anyMatch(l -> l.startsWith("delete ") && l.contains("not selected by keepLast 3"));
    }

    /** A COMPLETE point whose home was copied to eu-central-1 (complete), or whose copy failed. */
    private RestorePoint copied(Instant fence, boolean copyOk) {
        RestorePoint p = point(fence, RestorePointStatus.COMPLETE);
        io.jenkins.plugins.bbdc.core.provider.SnapshotRef ref = new io.jenkins.plugins.bbdc.core.provider.SnapshotRef(
                "ebs", "home", "snap-" + p.id(), p.id(), "prod", fence, fence.plusSeconds(5), null,
                java.util.Map.of("region", "eu-west-1"));
        io.jenkins.plugins.bbdc.core.restorepoint.ComponentRecord home =
                io.jenkins.plugins.bbdc.core.restorepoint.ComponentRecord.of(ref);
        home = copyOk ? home.withCopies(List.of(new io.jenkins.plugins.bbdc.core.provider.SnapshotRef("ebs", "home",
                "snap-copy-" + p.id(), p.id(), "prod", fence, fence.plusSeconds(600), null,
                java.util.Map.of("region", "eu-central-1"))), null) : home.withCopies(List.of(), "AccessDenied");
        return p.withComponents(List.of(home), List.of());
    }

    @Test
    void repeatedCopyFailuresNeverLetRetentionDeleteTheLastPointWithCopies() {
        RestorePoint lastCopied = copied(START, true);
        List<RestorePoint> points = new ArrayList<>(List.of(copied(START.minusSeconds(3600), true), lastCopied));
        for (int i = 1; i <= 4; i++) {
            points.add(copied(START.plusSeconds(3600L * i), false)); // the KMS grant broke: every copy fails
        }

        RetentionPlan plan = new RetentionPlanner(RetentionPolicy.keepLast(3)).plan("prod", points,
                START.plus(Duration.ofDays(1)));

        assertThat(ids(plan.toKeep())).hasSize(4).contains(lastCopied.id());
        assertThat(plan.decisions()).filteredOn(d -> d.point().equals(lastCopied)).singleElement()
                .satisfies(d -> assertThat(d.reasons()).containsExactly(
                        "the newest restore point whose copies to another region are all complete is never deleted"));
        assertThat(ids(plan.toDelete())).containsExactlyInAnyOrder(points.get(0).id(), points.get(2).id());
    }

    @Test
    void failedAndPartialPointsAlwaysGoButTheNewestCompleteAlwaysStays() {
        RestorePoint old = point(START, RestorePointStatus.COMPLETE);
        RestorePoint failed = point(START.plusSeconds(3600), RestorePointStatus.FAILED);
        RestorePoint partial = point(START.plusSeconds(7200), RestorePointStatus.PARTIAL);
        // keepWithin 1 h of "now", three days later: no rule selects the only complete point
        RetentionPlan plan = new RetentionPlanner(new RetentionPolicy(0, Duration.ofHours(1), 0, 0, 0, 0, null))
                .plan("prod", List.of(old, failed, partial), START.plus(Duration.ofDays(3)));
        assertThat(ids(plan.toKeep())).containsExactly(old.id());
        assertThat(plan.decisions()).filteredOn(d -> d.point().equals(old)).singleElement()
                .satisfies(d -> assertThat(d.reasons()).anyMatch(r -> r.contains("never deleted")));
        assertThat(ids(plan.toDelete())).containsExactlyInAnyOrder(failed.id(), partial.id());
        assertThat(plan.decisions()).filteredOn(d -> d.point().equals(failed)).singleElement()
                .satisfies(d -> assertThat(d.reasons().get(0)).startsWith("FAILED backup").contains("pg_dump failed"));
    }

    @Test
    void keepWithinKeepsEverythingYoungerThanTheDuration() {
        List<RestorePoint> points = every(Duration.ofHours(6), 20); // 5 days
        Instant now = points.get(19).fence().plus(Duration.ofHours(1));
        RetentionPlan plan = new RetentionPlanner(new RetentionPolicy(0, Duration.ofDays(1), 0, 0, 0, 0, null))
                .plan("prod", points, now);
        // fences at now-1h, -7h, -13h, -19h are within a day; -25h is not
        assertThat(ids(plan.toKeep())).containsExactlyInAnyOrderElementsOf(ids(points.subList(16, 20)));
    }

    @Test
    void dailyTierKeepsTheNewestPointOfEachOfTheLastDays() {
        List<RestorePoint> points = every(Duration.ofHours(1), 24 * 5); // 2025-01-01 00:30 .. 2025-01-05 23:30
        RetentionPlan plan = new RetentionPlanner(new RetentionPolicy(0, null, 0, 3, 0, 0, ZoneOffset.UTC))
                .plan("prod", points, Instant.parse("2025-01-06T00:00:00Z"));
        assertThat(plan.toKeep()).extracting(p -> p.fence().toString()).containsExactly(
                "2025-01-05T23:30:00Z", "2025-01-04T23:30:00Z", "2025-01-03T23:30:00Z");
        assertThat(plan.decisions().get(0).reasons()).contains("daily 1/3 (2025-01-05)");
    }

    @Test
    void tiersCombineAndScaleTo10000Points() {
        List<RestorePoint> points = every(Duration.ofHours(1), 10_000); // about 417 days
        RetentionPolicy policy = new RetentionPolicy(5, null, 24, 30, 8, 12, ZoneOffset.UTC);
        RetentionPlan plan = new RetentionPlanner(policy).plan("prod", points, START.plus(Duration.ofDays(500)));

        assertThat(plan.decisions()).hasSize(10_000);
        List<RestorePoint> kept = plan.toKeep();
        // the newest 24 hours are all kept (hourly), plus one per day/week/month beyond them
        assertThat(kept).containsAll(points.subList(10_000 - 24, 10_000));
        assertThat(kept.size()).isLessThanOrEqualTo(24 + 30 + 8 + 12).isGreaterThan(24 + 29);
        assertThat(plan.decisions()).filteredOn(d -> d.reasons().stream().anyMatch(r -> r.startsWith("monthly")))
                .extracting(d -> YearMonth.from(d.point().fence().atZone(ZoneOffset.UTC))).doesNotHaveDuplicates()
                .hasSize(12);
        assertThat(plan.decisions()).filteredOn(d -> d.reasons().stream().anyMatch(r -> r.startsWith("weekly")))
                .hasSize(8);
    }

    @Test
    void pointsOfAnotherInstanceAreRefused() {
        RestorePoint other = new RestorePoint(1, RestorePointId.generate(START, random), "staging", null, null,
                RestorePointStatus.COMPLETE, START, 0L, null, START, START, List.of(), List.of(), null, List.of());
        assertThatThrownBy(() -> new RetentionPlanner(RetentionPolicy.keepLast(1)).plan("prod", List.of(other), START))
                .hasMessageContaining("one instance at a time");
    }

    @Test
    void aPolicyWithoutRulesIsRefused() {
        assertThatThrownBy(() -> new RetentionPolicy(0, null, 0, 0, 0, 0, null)).hasMessageContaining("no rule given");
    }
}
