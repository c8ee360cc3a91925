package io.jenkins.plugins.bbdc.core.provider.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.exec.CommandResult;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.PreparedCapture;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.RestoreOutcome;
import io.jenkins.plugins.bbdc.core.provider.RestoreRequest;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.core.time.Sleeper;
import io.jenkins.plugins.bbdc.testkit.opensearch.OpenSearchEndpoint;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The search provider over real HTTP against the testkit's OpenSearch endpoint. */
class OpenSearchSnapshotProviderTest {
    private static final String PASSWORD = "s3arch-Secret";
    private OpenSearchEndpoint search;
    private final EventSink.Collecting events = new EventSink.Collecting();

    @BeforeEach
    void start() {
        search = OpenSearchEndpoint.start("bbdc", PASSWORD).snapshotTime(Duration.ofMillis(120))
                .addIndex("bitbucket-search-v1", 1234).addIndex("other-app", 5)
                .addRepository("bitbucket-snapshots", "/mnt/snapshots");
    }

    @AfterEach
    void stop() {
        search.close();
    }

    private OpenSearchConfig.Builder config() {
        return OpenSearchConfig.builder().url(search.url()).basicAuth("bbdc", PASSWORD)
                .polling(Duration.ofMillis(20), Duration.ofSeconds(20));
    }

    private ProviderContext ctx() {
        return new ProviderContext("bb-prod", ComponentRole.SEARCH, BackupMode.ZERO_DOWNTIME,
                spec -> new CommandResult(spec.command(), 0, "", "", 0), Clock.systemUTC(), Sleeper.SYSTEM, events);
    }

    private SnapshotRef backup(OpenSearchSnapshotProvider p, String restorePoint) throws Exception {
        PreparedCapture prepared = p.prepare(ctx());
        SnapshotRef ref = p.capture(prepared, new CaptureRequest(restorePoint, "bb-prod", ComponentRole.SEARCH,
                BackupMode.ZERO_DOWNTIME), ctx());
        return p.awaitDurable(prepared, ref, ctx());
    }

    @Test
    void snapshotIsAwaitedListedByMetadataAndDeleted() throws Exception {
        try (OpenSearchSnapshotProvider p = new OpenSearchSnapshotProvider(config().build())) {
            SnapshotRef ref = backup(p, "rp-1");

            assertThat(ref.durableAt()).isNotNull();
            OpenSearchEndpoint.SnapshotView view = search.snapshot("bitbucket-snapshots", ref.id()).orElseThrow();
            assertThat(view.state()).isEqualTo("SUCCESS");
            assertThat(view.indices()).containsExactly("bitbucket-search-v1");
            assertThat(view.metadata()).containsEntry("bbdc_restore_point", "rp-1")
                    .containsEntry("bbdc_instance", "bb-prod");
            assertThat(search.calls()).anySatisfy(c -> assertThat(c.path()).contains("wait_for_completion=false"));

            assertThat(p.list(ctx())).singleElement().satisfies(r -> {
                assertThat(r.restorePointId()).isEqualTo("rp-1");
                assertThat(r.durableAt()).isNotNull();
            });
            ProviderContext staging = new ProviderContext("bb-staging", ComponentRole.SEARCH, null,
                    ctx().runner(), null, null, null);
            assertThat(p.list(staging)).isEmpty();

            p.delete(ref, ctx());
            assertThat(search.snapshot("bitbucket-snapshots", ref.id())).isEmpty();
            p.delete(ref, ctx()); // already gone
        }
    }

    @Test
    void aPartialSnapshotIsNotABackup() throws Exception {
        search.failNextSnapshot("PARTIAL");
        try (OpenSearchSnapshotProvider p = new OpenSearchSnapshotProvider(config().build())) {
            assertThatThrownBy(() -> backup(p, "rp-1")).hasMessageContaining("PARTIAL")
                    .hasMessageContaining("disk full");
        }
    }

    @Test
    void aMissingRepositoryIsExplainedOrCreated() throws Exception {
        try (OpenSearchSnapshotProvider p = new OpenSearchSnapshotProvider(config().repository("absent").build())) {
            assertThat(p.check(ctx()).errors()).singleElement().asString().contains("PUT /_snapshot/absent");
            assertThatThrownBy(() -> p.prepare(ctx())).hasMessageContaining("does not exist");
        }
        try (OpenSearchSnapshotProvider p = new OpenSearchSnapshotProvider(config().repository("created")
                .createRepository("fs", Map.of("location", "/mnt/bbdc")).build())) {
            SnapshotRef ref = backup(p, "rp-2");
            assertThat(search.snapshot("created", ref.id())).isPresent();
        }
    }

    @Test
    void wrongCredentialsAreNamedWithoutTheSecret() {
        try (OpenSearchSnapshotProvider p = new OpenSearchSnapshotProvider(config().basicAuth("bbdc", "wrong")
                .build())) {
            assertThatThrownBy(() -> p.prepare(ctx())).hasMessageContaining("401")
                    .hasMessageContaining("check the search credentials").hasMessageNotContaining("wrong");
        }
    }

    @Test
    void aRunningSnapshotQueuesTheNextCapture() throws Exception {
        search.snapshotTime(Duration.ofMillis(300));
        try (OpenSearchSnapshotProvider p = new OpenSearchSnapshotProvider(config().build())) {
            PreparedCapture prepared = p.prepare(ctx());
            p.capture(prepared, new CaptureRequest("rp-1", "bb-prod", ComponentRole.SEARCH, null), ctx());
            SnapshotRef second = p.capture(prepared, new CaptureRequest("rp-2", "bb-prod", ComponentRole.SEARCH,
                    null), ctx());
            assertThat(search.calls()).anySatisfy(c -> assertThat(c.status()).isEqualTo(503));
            assertThat(p.awaitDurable(prepared, second, ctx()).durableAt()).isNotNull();
        }
    }

    @Test
    void restoreRefusesOpenIndicesReplacesWhenAllowedAndRenamesForScratch() throws Exception {
        try (OpenSearchSnapshotProvider p = new OpenSearchSnapshotProvider(config().build())) {
            SnapshotRef ref = backup(p, "rp-1");
            search.addIndex("bitbucket-search-v1", 99); // the live index moved on

            assertThatThrownBy(() -> p.restore(ref, new RestoreRequest(Map.of(), false, null, false, false), ctx()))
                    .hasMessageContaining("bitbucket-search-v1").hasMessageContaining("allowReplace");

            RestoreOutcome scratch = p.restore(ref, new RestoreRequest(Map.of(), false, null, true, false), ctx());
            String scratchIndex = scratch.location().get("index:bitbucket-search-v1");
            assertThat(scratchIndex).isEqualTo("bbdc-verify-rp-1-bitbucket-search-v1");
            assertThat(search.indices()).containsEntry(scratchIndex, 1234L).containsEntry("bitbucket-search-v1", 99L);

            RestoreOutcome replaced = p.restore(ref, new RestoreRequest(Map.of(), true, null, false, false), ctx());
            assertThat(replaced.actions()).first().asString().isEqualTo("POST /bitbucket-search-v1/_close");
            assertThat(search.indices()).containsEntry("bitbucket-search-v1", 1234L);
            assertThat(search.restoredFrom("bitbucket-search-v1"))
                    .isEqualTo("bitbucket-snapshots/" + ref.id() + "/bitbucket-search-v1");
            assertThat(search.indices()).containsEntry("other-app", 5L);
        }
    }
}
