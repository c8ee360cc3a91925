package io.jenkins.plugins.bbdc.core.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.exec.CommandResult;
import io.jenkins.plugins.bbdc.core.testsupport.ManualClock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every cloud and storage provider must do, checked through its real client (the AWS SDK, OkHttp) against the
 * testkit fake of its service: check, capture with the restore point in tags or names, list by instance, delete
 * idempotently, restore, copy where it claims {@link ProviderCapability#COPY}, survive a throttling storm with the
 * production retry policy, and list thousands of snapshots.
 *
 * <p>Time is a {@link ManualClock} shared by the provider's context and the fake: every back-off and poll advances it
 * instead of sleeping, so the production policies (15 s AWS back-off, 2 s job polls …) run in milliseconds.
 * A subclass starts its fake with {@link #clock} and answers the hooks below from the fake's own state.
 */
public abstract class ProviderContractTest {
    protected static final String INSTANCE = "bb-prod";
    protected static final String OTHER_INSTANCE = "bb-other";
    protected static final int THOUSANDS = 2100;

    protected final ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    protected final EventSink.Collecting events = new EventSink.Collecting();
    private final List<SnapshotProvider> opened = new ArrayList<>();

    /** Restore point, instance and role as the fake holds them for a snapshot (tags, comment, metadata). */
    public record Labels(String restorePoint, String instance, String role) { }

    /** Starts the fake with {@link #clock} and creates what a good configuration points at. */
    protected abstract void startFake() throws Exception;

    protected abstract void stopFake();

    /** A provider with a good configuration and the production retry policy. */
    protected abstract SnapshotProvider newProvider();

    /** A provider whose configuration points at something that does not exist. */
    protected abstract SnapshotProvider newMisconfiguredProvider();

    /** What {@code check()} of the misconfigured provider must name (the missing volume, database, repository). */
    protected abstract String misconfiguredThing();

    protected abstract ComponentRole role();

    /** The labels of the snapshot(s) of {@code ref} in the fake; empty when none of them exists any more. */
    protected abstract Optional<Labels> inFake(SnapshotRef ref);

    /** A restore the provider can do without touching anything live it must not (scratch or a new target). */
    protected abstract RestoreRequest restoreRequest(SnapshotRef ref);

    /** Changes the live data after the capture, where the restore brings it back. */
    protected void changeLiveData() {
    }

    /** Asserts, in the fake's state, that the restore did what it says. */
    protected abstract void assertRestored(SnapshotRef ref, RestoreOutcome outcome);

    /** Where a copy goes, for providers with {@link ProviderCapability#COPY}. */
    protected Map<String, String> copyDestination() {
        throw new UnsupportedOperationException("no copy destination");
    }

    /** The labels of a copy in the fake's other region. */
    protected Optional<Labels> copyInFake(SnapshotRef copy) {
        throw new UnsupportedOperationException("no copy");
    }

    /** The fake throttles this share of calls from now on (0 switches it off). */
    protected abstract void throttle(double rate);

    /** How many calls the fake refused with its throttling answer so far. */
    protected abstract long throttledAnswers();

    /** {@code count} completed snapshots of {@link #role()} for {@code instance}, made directly in the fake's state. */
    protected abstract void seed(String instance, int count);

    /** Forgets the calls the fake saw so far (for {@link #listRequests()}). */
    protected abstract void clearCalls();

    /** How many listing requests (pages) the fake answered since {@link #clearCalls()}. */
    protected abstract int listRequests();

    /** False when the vendor's listing API has no paging, so one request must bring everything. */
    protected boolean listingPages() {
        return true;
    }

    @BeforeEach
    final void startContract() throws Exception {
        startFake();
    }

    @AfterEach
    final void stopContract() throws Exception {
        for (SnapshotProvider p : opened) {
            if (p instanceof AutoCloseable c) {
                c.close();
            }
        }
        stopFake();
    }

    protected final SnapshotProvider provider() {
        SnapshotProvider p = newProvider();
        opened.add(p);
        return p;
    }

    protected final ProviderContext ctx(String instance) {
        return new ProviderContext(instance, role(), BackupMode.ZERO_DOWNTIME,
                spec -> new CommandResult(spec.command(), 0, "", "", 0), clock, clock.sleeper(), events);
    }

    protected final SnapshotRef backup(SnapshotProvider p, String instance, String restorePoint) throws Exception {
        ProviderContext c = ctx(instance);
        try (PreparedCapture prepared = p.prepare(c)) {
            SnapshotRef ref = p.capture(prepared, new CaptureRequest(restorePoint, instance, role(),
                    BackupMode.ZERO_DOWNTIME), c);
            return p.awaitDurable(prepared, ref, c);
        }
    }

    private Labels labels(String restorePoint, String instance) {
        return new Labels(restorePoint, instance, role().value());
    }

    @Test
    void checkPassesOnAGoodConfigurationAndNamesWhatIsWrongWithABadOne() throws Exception {
        assertThat(provider().check(ctx(INSTANCE)).errors()).isEmpty();

        SnapshotProvider bad = newMisconfiguredProvider();
        opened.add(bad);
        CheckReport report = bad.check(ctx(INSTANCE));
        assertThat(report.hasErrors()).isTrue();
        assertThat(String.join("\n", report.errors())).contains(misconfiguredThing());
    }

    @Test
    void aCaptureIsDurableAndCarriesItsRestorePointInstanceAndRole() throws Exception {
        SnapshotProvider p = provider();
        SnapshotRef ref = backup(p, INSTANCE, "rp-1");

        assertThat(ref.provider()).isEqualTo(p.kind());
        assertThat(ref).extracting(SnapshotRef::restorePointId, SnapshotRef::instanceId, SnapshotRef::role)
                .containsExactly("rp-1", INSTANCE, role().value());
        assertThat(ref.capturedAt()).isNotNull();
        assertThat(ref.durableAt()).as("durable").isNotNull();
        assertThat(ref.capturedAt()).isBeforeOrEqualTo(ref.durableAt());
        assertThat(inFake(ref)).contains(labels("rp-1", INSTANCE));
    }

    @Test
    void listFindsExactlyThisInstancesSnapshots() throws Exception {
        SnapshotProvider p = provider();
        SnapshotRef mine = backup(p, INSTANCE, "rp-1");
        SnapshotRef other = backup(p, OTHER_INSTANCE, "rp-2");

        List<SnapshotRef> listed = p.list(ctx(INSTANCE));
        assertThat(listed).extracting(SnapshotRef::restorePointId).containsExactly("rp-1");
        assertThat(listed).extracting(SnapshotRef::id).containsExactly(mine.id());
        assertThat(listed.get(0).durableAt()).isNotNull();
        assertThat(p.list(ctx(OTHER_INSTANCE))).extracting(SnapshotRef::id).containsExactly(other.id());
    }

    @Test
    void deleteRemovesTheSnapshotAndDeletingAgainIsNoError() throws Exception {
        SnapshotProvider p = provider();
        SnapshotRef kept = backup(p, INSTANCE, "rp-1");
        SnapshotRef ref = backup(p, INSTANCE, "rp-2");

        p.delete(ref, ctx(INSTANCE));

        assertThat(inFake(ref)).isEmpty();
        assertThat(inFake(kept)).isPresent();
        assertThat(p.list(ctx(INSTANCE))).extracting(SnapshotRef::restorePointId).containsExactly("rp-1");
        p.delete(ref, ctx(INSTANCE)); // already gone
    }

    @Test
    void restoreDoesWhatItSaysInTheFake() throws Exception {
        SnapshotProvider p = provider();
        assertThat(p.capabilities()).contains(ProviderCapability.RESTORE);
        SnapshotRef ref = backup(p, INSTANCE, "rp-1");
        changeLiveData();

        RestoreOutcome outcome = p.restore(ref, restoreRequest(ref), ctx(INSTANCE));

        assertThat(outcome.summary()).isNotBlank();
        assertRestored(ref, outcome);
    }

    @Test
    void copyGoesToTheOtherRegionWhereTheProviderCanCopy() throws Exception {
        SnapshotProvider p = provider();
        SnapshotRef ref = backup(p, INSTANCE, "rp-1");
        if (!p.capabilities().contains(ProviderCapability.COPY)) {
            assertThatThrownBy(() -> p.copy(ref, Map.of("region", "us-west-2"), ctx(INSTANCE)))
                    .isInstanceOf(ProviderException.class).hasMessageContaining("cannot copy");
            return;
        }
        SnapshotRef copy = p.copy(ref, copyDestination(), ctx(INSTANCE));

        assertThat(copy.restorePointId()).isEqualTo("rp-1");
        assertThat(copy.durableAt()).isNotNull();
        assertThat(copyInFake(copy)).contains(labels("rp-1", INSTANCE));
        assertThat(inFake(ref)).as("the original stays").isPresent();
    }

    @Test
    void aThrottlingStormFailsNoBackup() throws Exception {
        SnapshotProvider p = provider();
        throttle(0.3);
        List<SnapshotRef> refs = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            refs.add(backup(p, INSTANCE, "rp-" + i));
        }
        assertThat(p.list(ctx(INSTANCE))).extracting(SnapshotRef::restorePointId)
                .containsExactly("rp-1", "rp-2", "rp-3", "rp-4");
        for (SnapshotRef r : refs) {
            p.delete(r, ctx(INSTANCE));
        }
        assertThat(p.list(ctx(INSTANCE))).isEmpty();

        assertThat(throttledAnswers()).as("the fake throttled calls").isGreaterThan(3);
        throttle(0);
        refs.forEach(r -> assertThat(inFake(r)).isEmpty());
    }

    @Test
    void listReturnsThousandsOfSnapshots() throws Exception {
        seed(INSTANCE, THOUSANDS);
        seed(OTHER_INSTANCE, 60);
        SnapshotProvider p = provider();
        clearCalls();

        List<SnapshotRef> listed = p.list(ctx(INSTANCE));

        assertThat(listed).hasSize(THOUSANDS);
        assertThat(listed).extracting(SnapshotRef::restorePointId).doesNotHaveDuplicates()
                .allSatisfy(rp -> assertThat(rp).startsWith("seed-"));
        assertThat(listed).allSatisfy(r -> assertThat(r.instanceId()).isEqualTo(INSTANCE));
        if (listingPages()) {
            assertThat(listRequests()).as("pages requested").isGreaterThan(1);
        } else {
            assertThat(listRequests()).as("one request: the API has no paging").isEqualTo(1);
        }
    }

    /** The restore point id of the n-th seeded snapshot. */
    protected static String seedRestorePoint(int n) {
        return String.format("seed-%05d", n);
    }
}
