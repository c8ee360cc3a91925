package io.jenkins.plugins.bbdc.core.provider.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.ProviderContractTest;
import io.jenkins.plugins.bbdc.core.provider.RestoreOutcome;
import io.jenkins.plugins.bbdc.core.provider.RestoreRequest;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.testkit.opensearch.OpenSearchEndpoint;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The provider contract for OpenSearch, over real HTTP against the testkit's OpenSearch. Its get-snapshots API has
 * no paging, so thousands of snapshots come in one reply.
 */
class OpenSearchContractTest extends ProviderContractTest {
    private static final String REPOSITORY = "bitbucket-snapshots";
    private static final String PASSWORD = "s3arch-Secret";
    private OpenSearchEndpoint search;
    private int callsBefore;

    @Override
    protected void startFake() {
        search = OpenSearchEndpoint.start("bbdc", PASSWORD, clock).addIndex("bitbucket-search-v1", 1234)
                .addRepository(REPOSITORY, "/mnt/snapshots");
    }

    @Override
    protected void stopFake() {
        search.close();
    }

    private OpenSearchConfig.Builder config() {
        return OpenSearchConfig.builder().url(search.url()).basicAuth("bbdc", PASSWORD);
    }

    @Override
    protected SnapshotProvider newProvider() {
        return new OpenSearchSnapshotProvider(config().build());
    }

    @Override
    protected SnapshotProvider newMisconfiguredProvider() {
        return new OpenSearchSnapshotProvider(config().repository(misconfiguredThing()).build());
    }

    @Override
    protected String misconfiguredThing() {
        return "no-such-repository";
    }

    @Override
    protected ComponentRole role() {
        return ComponentRole.SEARCH;
    }

    @Override
    protected Optional<Labels> inFake(SnapshotRef ref) {
        return search.snapshot(REPOSITORY, ref.id()).map(OpenSearchEndpoint.SnapshotView::metadata)
                .map(m -> new Labels((String) m.get("bbdc_restore_point"), (String) m.get("bbdc_instance"),
                        (String) m.get("bbdc_role")));
    }

    @Override
    protected RestoreRequest restoreRequest(SnapshotRef ref) {
        return new RestoreRequest(Map.of(), false, null, true, false); // scratch: renamed indices
    }

    @Override
    protected void assertRestored(SnapshotRef ref, RestoreOutcome outcome) {
        String scratch = "bbdc-verify-" + ref.restorePointId() + "-bitbucket-search-v1";
        assertThat(outcome.location()).containsEntry("index:bitbucket-search-v1", scratch);
        assertThat(search.indices()).containsEntry(scratch, 1234L).containsEntry("bitbucket-search-v1", 1234L);
        assertThat(search.restoredFrom(scratch)).isEqualTo(REPOSITORY + "/" + ref.id() + "/bitbucket-search-v1");
        assertThat(search.isOpen("bitbucket-search-v1")).as("the live index is untouched").isTrue();
    }

    @Override
    protected void throttle(double rate) {
        search.throttle(rate, rate);
    }

    @Override
    protected long throttledAnswers() {
        return search.calls().stream().filter(c -> c.status() == 429 || c.status() == 503).count();
    }

    @Override
    protected void seed(String instance, int count) {
        Map<String, Map<String, String>> snapshots = new LinkedHashMap<>();
        for (int n = 0; n < count; n++) {
            String rp = seedRestorePoint(n);
            snapshots.put("bbdc-" + instance + "-" + rp + "-" + role().slug(), Map.of("bbdc_restore_point", rp,
                    "bbdc_instance", instance, "bbdc_role", role().value()));
        }
        search.seedSnapshots(REPOSITORY, snapshots);
    }

    @Override
    protected void clearCalls() {
        callsBefore = search.calls().size();
    }

    @Override
    protected int listRequests() {
        return (int) search.calls().stream().skip(callsBefore)
                .filter(c -> c.method().equals("GET") && c.path().endsWith("/_all")).count();
    }

    @Override
    protected boolean listingPages() {
        return false;
    }
}
