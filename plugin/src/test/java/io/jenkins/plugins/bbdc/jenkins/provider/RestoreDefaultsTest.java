package io.jenkins.plugins.bbdc.jenkins.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.CheckReport;
import io.jenkins.plugins.bbdc.core.provider.PreparedCapture;
import io.jenkins.plugins.bbdc.core.provider.ProviderCapability;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.RestoreOutcome;
import io.jenkins.plugins.bbdc.core.provider.RestoreRequest;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Restore settings configured on a provider reach every restore that does not set them — never a restore test. */
class RestoreDefaultsTest {

    /** An engine provider that remembers the restore requests it was given and whether it was closed. */
    static final class Recording implements SnapshotProvider, AutoCloseable {
        final List<RestoreRequest> restores = new ArrayList<>();
        boolean closed;

        @Override
        public String kind() {
            return "opensearch";
        }

        @Override
        public Set<ProviderCapability> capabilities() {
            return EnumSet.of(ProviderCapability.RESTORE);
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
            throw new UnsupportedOperationException("not part of this test");
        }

        @Override
        public SnapshotRef capture(PreparedCapture prepared, CaptureRequest request, ProviderContext ctx) {
            throw new UnsupportedOperationException("not part of this test");
        }

        @Override
        public List<SnapshotRef> list(ProviderContext ctx) {
            return List.of();
        }

        @Override
        public void delete(SnapshotRef ref, ProviderContext ctx) {
            throw new UnsupportedOperationException("not part of this test");
        }

        @Override
        public RestoreOutcome restore(SnapshotRef ref, RestoreRequest request, ProviderContext ctx) {
            restores.add(request);
            return null;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void aRestoreGetsTheConfiguredPrefixUnlessItSetsItsOwn() throws Exception {
        Recording engine = new Recording();
        RestoreDefaults p = new RestoreDefaults(engine, Map.of("renamePrefix", "restored-"));
        p.restore(null, new RestoreRequest(Map.of(), true, null, false, false), null);
        p.restore(null, new RestoreRequest(Map.of("renamePrefix", "dr-"), false, null, false, true), null);
        assertThat(engine.restores.get(0).target()).containsExactlyEntriesOf(Map.of("renamePrefix", "restored-"));
        assertThat(engine.restores.get(0).allowReplace()).isTrue();
        assertThat(engine.restores.get(1).target()).containsExactlyEntriesOf(Map.of("renamePrefix", "dr-"));
        assertThat(engine.restores.get(1).dryRun()).isTrue();
        assertThat(p.kind()).isEqualTo("opensearch");
        assertThat(p.capabilities()).containsExactly(ProviderCapability.RESTORE);
    }

    @Test
    void aRestoreTestKeepsItsOwnScratchNamesAndClosingReachesTheEngine() throws Exception {
        Recording engine = new Recording();
        RestoreDefaults p = new RestoreDefaults(engine, Map.of("renamePrefix", "restored-"));
        p.restore(null, new RestoreRequest(Map.of(), false, null, true, false), null);
        assertThat(engine.restores.get(0).target()).isEmpty();
        assertThat(engine.restores.get(0).scratch()).isTrue();
        ClosingProvider.closeAll(List.of(p));
        assertThat(engine.closed).isTrue();
    }
}
