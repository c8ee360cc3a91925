package io.jenkins.plugins.bbdc.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.core.restorepoint.ComponentRecord;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackupOperationTest {

    static void assertPlain(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return;
        }
        if (v instanceof List<?> l) {
            l.forEach(BackupOperationTest::assertPlain);
            return;
        }
        if (v instanceof Map<?, ?> m) {
            m.forEach((k, x) -> {
                assertThat(k).isInstanceOf(String.class);
                assertPlain(x);
            });
            return;
        }
        throw new AssertionError("not a plain value a sandboxed Pipeline may use: " + v.getClass() + " " + v);
    }

    @Test
    void theResultIsPlainValuesWithTimingsSkewAndLockWindow() {
        Instant fence = Instant.parse("2026-11-21T03:00:00Z");
        SnapshotRef home = new SnapshotRef("btrfs", "home", "/srv/.snapshots/bbdc-prod-x-home", "20261121t030000z-abcd",
                "prod", fence, fence.plusMillis(40), 4096L, Map.of("subvolume", "/srv/bb/shared"));
        SnapshotRef db = new SnapshotRef("postgres", "database", "/backups/pg/x", "20261121t030000z-abcd", "prod",
                fence.plusMillis(3), fence.plusSeconds(30), null, Map.of());
        RestorePoint p = new RestorePoint(RestorePoint.SCHEMA_VERSION, "20261121t030000z-abcd", "prod", "8.19.1",
                BackupMode.LOCKED, RestorePointStatus.COMPLETE, fence, 3L, 812L, fence.minusSeconds(5),
                fence.plusSeconds(31), List.of(ComponentRecord.of(home), ComponentRecord.of(db)), List.of(), null,
                List.of("search not configured"));
        Map<String, Object> m = BackupOperation.toMap(p, false, true);
        assertPlain(m);
        assertThat(m).containsEntry("restorePointId", "20261121t030000z-abcd").containsEntry("status", "COMPLETE")
                .containsEntry("mode", "LOCKED").containsEntry("skewMillis", 3L).containsEntry("lockWindowMillis", 812L)
                .containsEntry("elapsedMillis", 36_000L).containsEntry("resumedAfterRestart", true)
                .containsEntry("fence", "2026-11-21T03:00:00Z");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> components = (List<Map<String, Object>>) m.get("components");
        assertThat(components).extracting(c -> c.get("role")).containsExactly("home", "database");
        assertThat(components.get(1)).containsEntry("durableAfterMillis", 29_997L);
    }

    @Test
    void aRestartBeforeTheEngineRecordedAnythingSaysNothingWasChanged() {
        assertThatThrownBy(() -> BackupOperation.resume(null, null)).isInstanceOf(AbortException.class)
                .hasMessageContaining("nothing was locked or captured");
    }
}
