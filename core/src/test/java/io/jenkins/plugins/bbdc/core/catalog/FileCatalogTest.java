package io.jenkins.plugins.bbdc.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCatalogTest {
    @TempDir
    Path dir;

    static RestorePoint point(String instance, String id, RestorePointStatus status, String fence) {
        Instant f = fence == null ? null : Instant.parse(fence);
        return new RestorePoint(RestorePoint.SCHEMA_VERSION, id, instance, "8.19.1", BackupMode.ZERO_DOWNTIME, status,
                f, 0L, null, f, f, List.of(), List.of(), status == RestorePointStatus.COMPLETE ? null : "x",
                List.of());
    }

    @Test
    void savesOneFilePerPointAndListsThemOldestFirst() throws IOException {
        FileCatalog c = new FileCatalog(dir);
        c.save(point("prod", "20261121t120000z-bbbb", RestorePointStatus.COMPLETE, "2026-11-21T12:00:00Z"));
        c.save(point("prod", "20261121t100000z-aaaa", RestorePointStatus.COMPLETE, "2026-11-21T10:00:00Z"));
        c.save(point("staging", "20261121t110000z-cccc", RestorePointStatus.COMPLETE, "2026-11-21T11:00:00Z"));

        assertThat(c.list("prod")).extracting(RestorePoint::id)
                .containsExactly("20261121t100000z-aaaa", "20261121t120000z-bbbb");
        assertThat(c.list("staging")).hasSize(1);
        assertThat(c.instances()).containsExactly("prod", "staging");
        try (Stream<Path> files = Files.list(dir.resolve("prod"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("20261121t100000z-aaaa.json", "20261121t120000z-bbbb.json");
        }
    }

    @Test
    void replacingAManifestLeavesNoTemporaryFiles() throws IOException {
        FileCatalog c = new FileCatalog(dir);
        RestorePoint p = point("prod", "20261121t100000z-aaaa", RestorePointStatus.COMPLETE, "2026-11-21T10:00:00Z");
        c.save(p);
        c.save(p.withStatus(RestorePointStatus.PARTIAL, "home snapshot deleted"));
        assertThat(c.find("prod", p.id())).get().extracting(RestorePoint::status).isEqualTo(RestorePointStatus.PARTIAL);
        try (Stream<Path> files = Files.list(dir.resolve("prod"))) {
            assertThat(files).hasSize(1);
        }
    }

    @Test
    void aStaleTemporaryFileFromACrashIsIgnored() throws IOException {
        FileCatalog c = new FileCatalog(dir);
        c.save(point("prod", "20261121t100000z-aaaa", RestorePointStatus.COMPLETE, "2026-11-21T10:00:00Z"));
        Files.writeString(dir.resolve("prod/.20261121t110000z-bbbb.tmp-123"), "{\"torn");
        assertThat(c.list("prod")).hasSize(1);
    }

    @Test
    void selectsLatestCompleteAndNewestAtOrBeforeAnInstant() throws IOException {
        FileCatalog c = new FileCatalog(dir);
        c.save(point("prod", "20261121t100000z-aaaa", RestorePointStatus.COMPLETE, "2026-11-21T10:00:00.500Z"));
        c.save(point("prod", "20261121t110000z-bbbb", RestorePointStatus.COMPLETE, "2026-11-21T11:00:00.500Z"));
        c.save(point("prod", "20261121t120000z-cccc", RestorePointStatus.FAILED, "2026-11-21T12:00:00.500Z"));

        assertThat(c.latestComplete("prod")).get().extracting(RestorePoint::id).isEqualTo("20261121t110000z-bbbb");
        assertThat(c.newestCompleteAtOrBefore("prod", Instant.parse("2026-11-21T11:00:00.500Z"))).get()
                .extracting(RestorePoint::id).isEqualTo("20261121t110000z-bbbb");
        assertThat(c.newestCompleteAtOrBefore("prod", Instant.parse("2026-11-21T11:00:00.499Z"))).get()
                .extracting(RestorePoint::id).isEqualTo("20261121t100000z-aaaa");
        assertThat(c.newestCompleteAtOrBefore("prod", Instant.parse("2026-11-21T09:00:00Z"))).isEmpty();
        assertThat(c.latestComplete("other")).isEmpty();
    }

    @Test
    void deleteRemovesOnlyThatManifest() throws IOException {
        FileCatalog c = new FileCatalog(dir);
        c.save(point("prod", "20261121t100000z-aaaa", RestorePointStatus.COMPLETE, "2026-11-21T10:00:00Z"));
        c.save(point("prod", "20261121t110000z-bbbb", RestorePointStatus.COMPLETE, "2026-11-21T11:00:00Z"));
        assertThat(c.delete("prod", "20261121t100000z-aaaa")).isTrue();
        assertThat(c.delete("prod", "20261121t100000z-aaaa")).isFalse();
        assertThat(c.list("prod")).extracting(RestorePoint::id).containsExactly("20261121t110000z-bbbb");
    }

    @Test
    void badInstanceIdsAndIdsAreRefusedClearly() {
        FileCatalog c = new FileCatalog(dir);
        assertThatThrownBy(() -> c.list("../etc")).hasMessageContaining("not a valid instance id");
        assertThatThrownBy(() -> c.find("prod", "../../x")).hasMessageContaining("not a restore point id");
    }
}
