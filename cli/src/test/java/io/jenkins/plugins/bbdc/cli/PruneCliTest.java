package io.jenkins.plugins.bbdc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.core.restorepoint.ComponentRecord;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointId;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Black-box: prune's dry run names what would go and changes nothing; a policy error names its key. */
class PruneCliTest {
    @TempDir
    Path tmp;

    @Test
    void dryRunListsWhatWouldGoAndDeletesNothing() throws Exception {
        FileCatalog catalog = new FileCatalog(tmp.resolve("catalog"));
        Instant t = Instant.parse("2026-11-01T00:00:00Z");
        for (int i = 0; i < 5; i++) {
            Instant at = t.plusSeconds(3600L * i);
            String id = RestorePointId.generate(at, new Random(i));
            SnapshotRef ref = new SnapshotRef("rsync", "home", tmp.resolve("rsync/" + id).toString(), id, "prod", at,
                    at, 1L, Map.of());
            catalog.save(new RestorePoint(RestorePoint.SCHEMA_VERSION, id, "prod", "8.19.1", BackupMode.LOCKED,
                    RestorePointStatus.COMPLETE, at, 0L, 10L, at, at, List.of(ComponentRecord.of(ref)), List.of(),
                    null, List.of()));
        }
        Files.createDirectories(tmp.resolve("rsync"));
        Path config = Files.writeString(tmp.resolve("c.yaml"), """
                instance: {id: prod, url: http://127.0.0.1:9, username: a, password: {env: NOT_NEEDED}, nodes: []}
                catalog: %s
                backup:
                  mode: locked
                  home: {rsync: {source: %s, destination: %s}}
                  databaseOnHomeVolume: true
                retention: {keepLast: 2}
                """.formatted(tmp.resolve("catalog"), tmp.resolve("home"), tmp.resolve("rsync")));

        CliTestSupport.Run r = CliTestSupport.run("prune", "--dry-run", "--json", "--config", config.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = JsonOutput.MAPPER.readTree(r.out());
        assertThat(json.get("delete")).hasSize(3);
        assertThat(json.get("keep")).hasSize(2);
        assertThat(catalog.list("prod")).hasSize(5);
    }

    @Test
    void aPolicyWithoutRulesIsAConfigurationError() throws Exception {
        Path config = Files.writeString(tmp.resolve("c.yaml"), """
                instance: {id: prod, url: http://127.0.0.1:9, username: a, password: {env: X}, nodes: []}
                backup: {home: {rsync: {source: /srv/a, destination: /srv/b}}, databaseOnHomeVolume: true}
                retention: {keepLast: 0}
                """);

        CliTestSupport.Run r = CliTestSupport.run("prune", "--dry-run", "--config", config.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("retention").contains("no rule given");
    }
}
