package io.jenkins.plugins.bbdc.core.restorepoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RestorePointTest {

    @Test
    void idsAreLowerCaseSortableAndValidInEverySnapshotNamingScheme() {
        Instant t = Instant.parse("2026-11-21T10:15:00.789Z");
        String id = RestorePointId.generate(t, new Random(1));
        assertThat(id).matches("20261121t101500z-[a-z0-9]{4}");
        // ZFS/LVM/RDS/OpenSearch: lower case letters, digits, hyphen; RDS: starts with a letter only after a prefix
        assertThat(id).matches("[a-z0-9-]+");
        assertThat(RestorePointId.instantOf(id)).isEqualTo(Instant.parse("2026-11-21T10:15:00Z"));
        String later = RestorePointId.generate(t.plusSeconds(1), new Random(2));
        assertThat(later.compareTo(id)).isPositive();
    }

    @Test
    void idsOfTheSameSecondDoNotCollide() {
        Instant t = Instant.parse("2026-11-21T10:15:00Z");
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            ids.add(RestorePointId.generate(t));
        }
        assertThat(ids).hasSizeGreaterThan(195);
    }

    @Test
    void malformedIdsAreRefusedWithTheExpectedForm() {
        assertThatThrownBy(() -> RestorePointId.requireValid("bitbucket-20260101-000000"))
                .hasMessageContaining("20261121t101500z-ab12");
        assertThat(RestorePointId.isValid("20261121T101500Z-AB12")).isFalse();
    }

    @Test
    void manifestRoundTripsAndToleratesUnknownFields() throws IOException {
        RestorePoint p = sample();
        String json = ManifestJson.writeString(p);
        assertThat(json).contains("\"schemaVersion\" : 1", "\"fence\" : \"2026-11-21T10:15:00.100Z\"",
                "\"status\" : \"COMPLETE\"", "\"role\" : \"home\"");
        RestorePoint back = ManifestJson.read(json.getBytes(StandardCharsets.UTF_8), "test");
        assertThat(back).isEqualTo(p);

        String withExtra = json.replaceFirst("\\{", "{ \"addedInAFutureMinor\" : {\"x\":1},");
        assertThat(ManifestJson.read(withExtra.getBytes(StandardCharsets.UTF_8), "test")).isEqualTo(p);
    }

    @Test
    void aNewerSchemaVersionIsRefusedInsteadOfHalfRead() {
        String json = ManifestJson.writeString(sample()).replace("\"schemaVersion\" : 1", "\"schemaVersion\" : 7");
        assertThatThrownBy(() -> ManifestJson.read(json.getBytes(StandardCharsets.UTF_8), "rp.json"))
                .hasMessageContaining("schemaVersion 7").hasMessageContaining("upgrade");
    }

    @Test
    void corruptManifestNamesTheFileAndTheWayOut() {
        assertThatThrownBy(() -> ManifestJson.read("{\"id\": ".getBytes(StandardCharsets.UTF_8), "/c/x.json"))
                .hasMessageContaining("/c/x.json").hasMessageContaining("rebuild");
    }

    static RestorePoint sample() {
        Instant fence = Instant.parse("2026-11-21T10:15:00.100Z");
        SnapshotRef home = new SnapshotRef("btrfs", "home", "/snap/a", "20261121t101500z-ab12", "prod", fence,
                fence.plusMillis(40), 1234L, Map.of("subvolume", "/srv/home"));
        SnapshotRef db = new SnapshotRef("postgres", "database", "/dumps/a", "20261121t101500z-ab12", "prod",
                fence.plusMillis(3), fence.plusSeconds(9), 99L, Map.of());
        return new RestorePoint(RestorePoint.SCHEMA_VERSION, "20261121t101500z-ab12", "prod", "8.19.1",
                BackupMode.ZERO_DOWNTIME, RestorePointStatus.COMPLETE, fence, 3L, null, fence.minusSeconds(2),
                fence.plusSeconds(10), List.of(ComponentRecord.of(home), ComponentRecord.of(db)), List.of(), null,
                List.of());
    }
}
