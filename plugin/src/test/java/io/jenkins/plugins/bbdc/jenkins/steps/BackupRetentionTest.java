package io.jenkins.plugins.bbdc.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.backup.Components;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.CheckReport;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.PreparedCapture;
import io.jenkins.plugins.bbdc.core.provider.ProviderCapability;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.provider.RestoreOutcome;
import io.jenkins.plugins.bbdc.core.provider.RestoreRequest;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.core.restorepoint.ComponentRecord;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;
import io.jenkins.plugins.bbdc.core.retention.RetentionPolicy;
import io.jenkins.plugins.bbdc.jenkins.config.RetentionRules;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention after a backup: the step's rules or the instance's keepLast, carried out through core.retention. */
class BackupRetentionTest {
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    /** Snapshots held in memory, like a storage array: list shows what exists, delete removes it (idempotent). */
    static final class MemoryProvider implements SnapshotProvider {
        final Map<String, SnapshotRef> held = new ConcurrentHashMap<>();
        final Set<String> undeletable = ConcurrentHashMap.newKeySet();

        @Override
        public String kind() {
            return "memory";
        }

        @Override
        public Set<ProviderCapability> capabilities() {
            return Set.of(ProviderCapability.LOCKED);
        }

        @Override
        public List<String> plan(ProviderContext ctx) {
            return List.of();
        }

        @Override
        public CheckReport check(ProviderContext ctx) {
            return CheckReport.ok();
        }

        @Override
        public PreparedCapture prepare(ProviderContext ctx) {
            throw new UnsupportedOperationException("retention never captures");
        }

        @Override
        public SnapshotRef capture(PreparedCapture prepared, CaptureRequest request, ProviderContext ctx) {
            throw new UnsupportedOperationException("retention never captures");
        }

        @Override
        public List<SnapshotRef> list(ProviderContext ctx) {
            return new ArrayList<>(held.values());
        }

        @Override
        public void delete(SnapshotRef ref, ProviderContext ctx) throws ProviderException {
            if (undeletable.contains(ref.id())) {
                throw new ProviderException("snapshot " + ref.id() + " is in use");
            }
            held.remove(ref.id());
        }

        @Override
        public RestoreOutcome restore(SnapshotRef ref, RestoreRequest request, ProviderContext ctx) {
            throw new UnsupportedOperationException("retention never restores");
        }
    }

    @TempDir
    Path catalogRoot;

    @Test
    void theStepsRulesWinOverTheInstancesKeepLastAndNoRuleMeansKeepEverything() throws Exception {
        RetentionRules rules = new RetentionRules();
        rules.setDaily(3);
        rules.setZone("Europe/Berlin");
        RetentionPolicy p = BackupRetention.policy(rules, 9);
        assertThat(p.daily()).isEqualTo(3);
        assertThat(p.keepLast()).isZero();
        assertThat(p.zone()).hasToString("Europe/Berlin");
        assertThat(BackupRetention.policy(null, 9).keepLast()).isEqualTo(9);
        assertThat(BackupRetention.policy(null, 0)).isNull();

        assertThatThrownBy(() -> BackupRetention.policy(new RetentionRules(), 9)).isInstanceOf(AbortException.class)
                .hasMessageContaining("no rule given");
        RetentionRules badZone = new RetentionRules();
        badZone.setKeepLast(2);
        badZone.setZone("Mars/Olympus");
        assertThatThrownBy(() -> BackupRetention.policy(badZone, 0)).hasMessageContaining("'Mars/Olympus'");
        RetentionRules within = new RetentionRules();
        within.setKeepWithinDays(14);
        assertThat(BackupRetention.policy(within, 0).keepWithin()).isEqualTo(Duration.ofDays(14));
    }

    @Test
    @SuppressWarnings("unchecked")
    void keepLastDeletesTheOlderPointsSnapshotsFirstAndReportsPlainValues() throws Exception {
        MemoryProvider provider = new MemoryProvider();
        FileCatalog catalog = new FileCatalog(catalogRoot);
        for (int i = 1; i <= 4; i++) {
            save(catalog, provider, id(i), NOW.minus(Duration.ofHours(5 - i)));
        }
        BackupRetention retention = retention(catalog, provider, RetentionPolicy.keepLast(2));

        Map<String, Object> result = BackupOperation.afterSuccess(new LinkedHashMap<>(Map.of("status", "COMPLETE")),
                retention);

        BackupOperationTest.assertPlain(result);
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) result.get("retention");
        assertThat(r).containsEntry("clean", true).containsEntry("policy", "keepLast 2 (Z)");
        assertThat((List<Object>) r.get("deleted")).containsExactlyInAnyOrder(id(1), id(2));
        assertThat((List<Object>) r.get("kept")).containsExactlyInAnyOrder(id(3), id(4));
        assertThat(provider.held.keySet()).containsExactlyInAnyOrder("snap-" + id(3), "snap-" + id(4));
        assertThat(catalog.list("prod")).extracting(RestorePoint::id).containsExactlyInAnyOrder(id(3), id(4));
        assertThat((String) result.get("retentionSummary")).contains("deleted 2");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSnapshotThatCannotBeDeletedKeepsItsManifestAndIsReportedWithoutFailingTheBackup() throws Exception {
        MemoryProvider provider = new MemoryProvider();
        FileCatalog catalog = new FileCatalog(catalogRoot);
        for (int i = 1; i <= 3; i++) {
            save(catalog, provider, id(i), NOW.minus(Duration.ofHours(5 - i)));
        }
        provider.undeletable.add("snap-" + id(1));

        Map<String, Object> result = BackupOperation.afterSuccess(new LinkedHashMap<>(),
                retention(catalog, provider, RetentionPolicy.keepLast(1)));

        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) result.get("retention");
        assertThat(r).containsEntry("clean", false);
        assertThat((List<Object>) r.get("deleted")).containsExactly(id(2));
        assertThat((Map<Object, Object>) r.get("notFullyDeleted")).containsOnlyKeys(id(1));
        assertThat(catalog.find("prod", id(1))).get().extracting(RestorePoint::status)
                .isEqualTo(RestorePointStatus.PARTIAL);
        assertThat((String) result.get("retentionSummary")).contains("NOT fully deleted [" + id(1) + "]");
    }

    @Test
    void aBackupStoppedWhileCopyingDeletesNothingMore() throws Exception {
        MemoryProvider provider = new MemoryProvider();
        FileCatalog catalog = new FileCatalog(catalogRoot);
        for (int i = 1; i <= 3; i++) {
            save(catalog, provider, id(i), NOW.minus(Duration.ofHours(5 - i)));
        }
        Map<String, Object> result;
        Thread.currentThread().interrupt(); // the engine hands the stop back this way after ending the copies
        try {
            result = BackupOperation.afterSuccess(new LinkedHashMap<>(Map.of("status", "COMPLETE")),
                    retention(catalog, provider, RetentionPolicy.keepLast(1)));
        } finally {
            assertThat(Thread.interrupted()).as("the stop is still pending for the step").isTrue();
        }
        assertThat(result).containsEntry("retentionSummary", "retention skipped: the backup was stopped")
                .doesNotContainKey("retention");
        assertThat(provider.held).hasSize(3);
        assertThat(catalog.list("prod")).hasSize(3);
    }

    @Test
    void withoutRetentionTheResultIsUntouched() throws Exception {
        Map<String, Object> result = new LinkedHashMap<>(Map.of("status", "COMPLETE"));
        assertThat(BackupOperation.afterSuccess(result, null)).containsOnlyKeys("status");
    }

    /** A valid restore point id whose time is the i-th hour of the day. */
    private static String id(int i) {
        return String.format("20261121t%02d0000z-abc%d", i, i);
    }

    private static BackupRetention retention(FileCatalog catalog, MemoryProvider provider, RetentionPolicy policy) {
        return new BackupRetention("prod", policy, catalog,
                Components.builder().add(ComponentRole.HOME, provider)
                        .add(ComponentRole.DATABASE, new MemoryProvider()).build(),
                spec -> {
                    throw new java.io.IOException("retention of memory snapshots runs no command");
                }, null, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static void save(FileCatalog catalog, MemoryProvider provider, String id, Instant fence)
            throws Exception {
        SnapshotRef ref = new SnapshotRef("memory", "home", "snap-" + id, id, "prod", fence, fence.plusSeconds(1),
                10L, Map.of());
        provider.held.put(ref.id(), ref);
        catalog.save(new RestorePoint(RestorePoint.SCHEMA_VERSION, id, "prod", "8.19.1", BackupMode.LOCKED,
                RestorePointStatus.COMPLETE, fence, 0L, 100L, fence.minusSeconds(1), fence.plusSeconds(2),
                List.of(ComponentRecord.of(ref)), List.of(), null, List.of()));
    }
}
