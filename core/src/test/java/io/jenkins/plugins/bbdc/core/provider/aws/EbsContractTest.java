package io.jenkins.plugins.bbdc.core.provider.aws;

import static io.jenkins.plugins.bbdc.core.provider.aws.AwsTestSupport.REGION;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.ProviderContractTest;
import io.jenkins.plugins.bbdc.core.provider.RestoreOutcome;
import io.jenkins.plugins.bbdc.core.provider.RestoreRequest;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.testkit.aws.AwsEndpoint;
import io.jenkins.plugins.bbdc.testkit.aws.Ec2Fake;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The provider contract for EBS, in one of its two modes (see the subclasses), against the testkit's EC2. */
abstract class EbsContractTest extends ProviderContractTest {
    static final String COPY_REGION = "us-west-2";
    AwsEndpoint aws;
    AwsClientFactory clients;
    String ec2Instance;

    /** The mode under test: a volume or the instance. */
    abstract EbsConfig.Builder target();

    /** A target that does not exist, and its id. */
    abstract EbsConfig.Builder missingTarget();

    abstract String missingId();

    @Override
    protected void startFake() {
        aws = AwsEndpoint.start(21, clock);
        Map<String, Integer> devices = new LinkedHashMap<>();
        devices.put("/dev/xvda", 8);
        devices.put("/dev/xvdf", 100);
        devices.put("/dev/xvdg", 50);
        ec2Instance = aws.ec2().addInstance(REGION, "eu-west-1a", "/dev/xvda", devices);
        clients = new AwsClientFactory(AwsTestSupport.settings(aws).retry(AwsRetryPolicy.production()).build());
    }

    @Override
    protected void stopFake() {
        clients.close();
        aws.close();
    }

    @Override
    protected SnapshotProvider newProvider() {
        return new EbsSnapshotProvider(target().build(), clients);
    }

    @Override
    protected SnapshotProvider newMisconfiguredProvider() {
        return new EbsSnapshotProvider(missingTarget().build(), clients);
    }

    @Override
    protected String misconfiguredThing() {
        return missingId();
    }

    @Override
    protected ComponentRole role() {
        return ComponentRole.HOME;
    }

    /** Device → snapshot id of a ref. */
    static Map<String, String> snapshots(SnapshotRef ref) {
        Map<String, String> out = new LinkedHashMap<>();
        ref.attributes().forEach((k, v) -> {
            if (k.startsWith("snapshot:")) {
                out.put(k.substring("snapshot:".length()), v);
            }
        });
        return out;
    }

    private Optional<Labels> labels(String region, SnapshotRef ref) {
        List<Ec2Fake.SnapshotView> found = snapshots(ref).values().stream()
                .flatMap(id -> aws.ec2().snapshot(region, id).stream()).toList();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> t = found.get(0).tags();
        found.forEach(s -> assertThat(s.tags()).as("every snapshot of the set is tagged alike")
                .containsAllEntriesOf(Map.of("bbdc:restore-point", t.get("bbdc:restore-point"),
                        "bbdc:instance", t.get("bbdc:instance"), "bbdc:role", t.get("bbdc:role"))));
        return Optional.of(new Labels(t.get("bbdc:restore-point"), t.get("bbdc:instance"), t.get("bbdc:role")));
    }

    @Override
    protected Optional<Labels> inFake(SnapshotRef ref) {
        return labels(REGION, ref);
    }

    @Override
    protected RestoreRequest restoreRequest(SnapshotRef ref) {
        return new RestoreRequest(Map.of(), false, null, true, false); // scratch: new volumes, nothing attached
    }

    @Override
    protected void assertRestored(SnapshotRef ref, RestoreOutcome outcome) {
        snapshots(ref).forEach((device, snapshot) -> {
            String created = outcome.location().get("volume:" + device);
            Ec2Fake.VolumeView v = aws.ec2().volume(REGION, created).orElseThrow();
            assertThat(v.snapshotId()).isEqualTo(snapshot);
            assertThat(v.state()).isEqualTo("available");
            assertThat(v.tags()).containsEntry("bbdc:scratch", "true").containsEntry("bbdc:restore-point", ref.restorePointId());
            assertThat(aws.ec2().volumeAt(REGION, ec2Instance, device)).as("the live volume stays attached")
                    .isNotEqualTo(created);
        });
    }

    @Override
    protected Map<String, String> copyDestination() {
        return Map.of("region", COPY_REGION);
    }

    @Override
    protected Optional<Labels> copyInFake(SnapshotRef copy) {
        assertThat(copy.attribute("region")).isEqualTo(COPY_REGION);
        return labels(COPY_REGION, copy);
    }

    @Override
    protected void throttle(double rate) {
        aws.faults().throttle(rate);
    }

    @Override
    protected long throttledAnswers() {
        return aws.calls().stream().filter(c -> "RequestLimitExceeded".equals(c.errorCode())).count();
    }

    @Override
    protected void seed(String instance, int count) {
        String volume = aws.ec2().volumeAt(REGION, ec2Instance, "/dev/xvdf");
        aws.ec2().seedSnapshots(REGION, volume, count, n -> Map.of("bbdc:restore-point", seedRestorePoint(n),
                "bbdc:instance", instance, "bbdc:role", role().value(), "bbdc:device", "/dev/xvdf",
                "bbdc:volume", volume));
    }

    @Override
    protected void clearCalls() {
        aws.clearCalls();
    }

    @Override
    protected int listRequests() {
        return aws.calls("DescribeSnapshots").size();
    }
}
