package io.jenkins.plugins.bbdc.core.provider.netapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.HttpRetryPolicy;
import io.jenkins.plugins.bbdc.core.provider.ProviderContractTest;
import io.jenkins.plugins.bbdc.core.provider.RestoreOutcome;
import io.jenkins.plugins.bbdc.core.provider.RestoreRequest;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.testkit.netapp.OntapEndpoint;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The provider contract for NetApp ONTAP, over real HTTP against the testkit's ONTAP REST API. */
class OntapContractTest extends ProviderContractTest {
    private static final String SVM = "svm_bb";
    private static final String VOLUME = "bitbucket_shared";
    private static final String PASSWORD = "0ntap-Secret";
    private OntapEndpoint ontap;
    private int callsBefore;

    @Override
    protected void startFake() {
        ontap = OntapEndpoint.start("bbdc", PASSWORD, clock);
        ontap.addVolume(SVM, VOLUME);
        ontap.writeContent(SVM, VOLUME, "v1");
    }

    @Override
    protected void stopFake() {
        ontap.close();
    }

    private OntapConfig.Builder config() {
        return OntapConfig.builder().url(ontap.url()).volume(SVM, VOLUME).basicAuth("bbdc", PASSWORD);
    }

    @Override
    protected SnapshotProvider newProvider() {
        return new OntapSnapshotProvider(config().build());
    }

    @Override
    protected SnapshotProvider newMisconfiguredProvider() {
        return new OntapSnapshotProvider(config().volume(SVM, misconfiguredThing()).build());
    }

    @Override
    protected String misconfiguredThing() {
        return "no_such_volume";
    }

    @Override
    protected ComponentRole role() {
        return ComponentRole.HOME;
    }

    @Override
    protected Optional<Labels> inFake(SnapshotRef ref) {
        return ontap.snapshot(SVM, VOLUME, ref.id()).map(s -> OntapSnapshotProvider.parseComment(s.comment()))
                .map(c -> new Labels(c.get("restore-point"), c.get("instance"), c.get("role")));
    }

    @Override
    protected void changeLiveData() {
        ontap.writeContent(SVM, VOLUME, "v2");
    }

    @Override
    protected RestoreRequest restoreRequest(SnapshotRef ref) {
        return new RestoreRequest(Map.of(), true, null, false, false); // ONTAP reverts the live volume
    }

    @Override
    protected void assertRestored(SnapshotRef ref, RestoreOutcome outcome) {
        assertThat(ontap.content(SVM, VOLUME)).as("the volume holds what it held at the capture").isEqualTo("v1");
        assertThat(outcome.location()).containsEntry("svm", SVM).containsEntry("volume", VOLUME);
    }

    @Override
    protected void throttle(double rate) {
        ontap.throttle(rate).retryAfter(rate > 0 ? Duration.ofSeconds(3) : null);
    }

    @Override
    protected long throttledAnswers() {
        return ontap.calls().stream().filter(c -> c.status() == 429).count();
    }

    @Override
    protected void seed(String instance, int count) {
        Map<String, String> snapshots = new LinkedHashMap<>();
        for (int n = 0; n < count; n++) {
            String rp = seedRestorePoint(n);
            snapshots.put("bbdc-" + instance + "-" + rp + "-" + role().slug(),
                    OntapSnapshotProvider.comment(instance, rp, role()));
        }
        ontap.seedSnapshots(SVM, VOLUME, snapshots);
    }

    @Override
    protected void clearCalls() {
        callsBefore = ontap.calls().size();
    }

    @Override
    protected int listRequests() {
        return (int) ontap.calls().stream().skip(callsBefore)
                .filter(c -> c.method().equals("GET") && c.path().contains("/snapshots?")).count();
    }

    @Test
    void aCaptureThrottledBeforeItRanIsDatedWhenItWasAcceptedNotWhenItWasFirstSent() throws Exception {
        try (io.jenkins.plugins.bbdc.core.provider.PreparedCapture prepared = provider().prepare(ctx(INSTANCE))) {
            java.time.Instant before = clock.instant();
            ontap.throttle(1.0).retryAfter(Duration.ofSeconds(30));
            // the first POST is refused with 429; let the retry through
            Thread lift = new Thread(() -> {
                long deadline = System.currentTimeMillis() + 10_000;
                while (clock.sleeps().isEmpty() && System.currentTimeMillis() < deadline) {
                    Thread.onSpinWait();
                }
                ontap.throttle(0).retryAfter(null);
            });
            lift.start();
            SnapshotRef ref = provider().capture(prepared, new io.jenkins.plugins.bbdc.core.provider.CaptureRequest(
                    "20261121t100000z-aaaa", INSTANCE, role(),
                    io.jenkins.plugins.bbdc.core.provider.BackupMode.ZERO_DOWNTIME), ctx(INSTANCE));
            lift.join();

            assertThat(clock.sleeps()).isNotEmpty();
            assertThat(ref.capturedAt()).isAfterOrEqualTo(before.plusSeconds(30));
        }
    }

    @Test
    void aThrottledCallWaitsAtLeastWhatRetryAfterAsksAndGivesUpNamingIt() throws Exception {
        ontap.throttle(1.0).retryAfter(Duration.ofSeconds(7));
        try (OntapSnapshotProvider p = new OntapSnapshotProvider(config().retry(new HttpRetryPolicy(
                Duration.ofSeconds(1), Duration.ofSeconds(4), 3)).build())) {
            assertThatThrownBy(() -> p.list(ctx(INSTANCE))).hasMessageContaining("HTTP 429")
                    .hasMessageContaining("after 3 retries");
        }
        assertThat(clock.sleeps()).hasSize(3).allSatisfy(d -> assertThat(d).isGreaterThanOrEqualTo(
                Duration.ofSeconds(7)));
        assertThat(throttledAnswers()).isEqualTo(4);
    }
}
