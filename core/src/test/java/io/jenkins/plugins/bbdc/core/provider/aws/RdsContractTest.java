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
import io.jenkins.plugins.bbdc.testkit.aws.RdsFake;
import java.util.Map;
import java.util.Optional;

/** The provider contract for RDS instances or Aurora clusters (see the subclasses), against the testkit's RDS. */
abstract class RdsContractTest extends ProviderContractTest {
    static final String COPY_REGION = "us-west-2";
    static final String RESTORED = "bitbucket-restored";
    AwsEndpoint aws;
    AwsClientFactory clients;

    abstract boolean cluster();

    /** The live database under test. */
    abstract String source();

    abstract RdsConfig.Builder config(String identifier);

    @Override
    protected void startFake() {
        aws = AwsEndpoint.start(23, clock);
        aws.rds().addInstance(REGION, "bitbucket-db", "db.m6g.large", 7);
        aws.rds().addCluster(REGION, "bitbucket-aurora", "db.r6g.large");
        clients = new AwsClientFactory(AwsTestSupport.settings(aws).retry(AwsRetryPolicy.production()).build());
    }

    @Override
    protected void stopFake() {
        clients.close();
        aws.close();
    }

    @Override
    protected SnapshotProvider newProvider() {
        return new RdsSnapshotProvider(config(source()).pageSize(100).build(), clients);
    }

    @Override
    protected SnapshotProvider newMisconfiguredProvider() {
        return new RdsSnapshotProvider(config(misconfiguredThing()).build(), clients);
    }

    @Override
    protected String misconfiguredThing() {
        return "no-such-database";
    }

    @Override
    protected ComponentRole role() {
        return ComponentRole.DATABASE;
    }

    private Optional<Labels> labels(String region, String id) {
        return aws.rds().snapshots(region).stream().filter(s -> s.id().equals(id) && s.cluster() == cluster())
                .findFirst().map(RdsFake.SnapshotView::tags).map(t -> new Labels(t.get("bbdc:restore-point"),
                        t.get("bbdc:instance"), t.get("bbdc:role")));
    }

    @Override
    protected Optional<Labels> inFake(SnapshotRef ref) {
        return labels(REGION, ref.id());
    }

    @Override
    protected RestoreRequest restoreRequest(SnapshotRef ref) {
        return new RestoreRequest(Map.of("identifier", RESTORED), false, null, false, false);
    }

    @Override
    protected void assertRestored(SnapshotRef ref, RestoreOutcome outcome) {
        assertThat(outcome.location()).containsEntry("identifier", RESTORED);
        if (cluster()) {
            RdsFake.ClusterView c = aws.rds().cluster(REGION, RESTORED).orElseThrow();
            assertThat(c.restoredFromSnapshot()).isEqualTo(ref.id());
            assertThat(c.status()).isEqualTo("available");
            assertThat(c.members()).isNotEmpty();
        } else {
            RdsFake.InstanceView d = aws.rds().instance(REGION, RESTORED).orElseThrow();
            assertThat(d.restoredFromSnapshot()).isEqualTo(ref.id());
            assertThat(d.status()).isEqualTo("available");
        }
        assertThat(cluster() ? aws.rds().cluster(REGION, source()).orElseThrow().status()
                : aws.rds().instance(REGION, source()).orElseThrow().status()).as("the live database is untouched")
                .isEqualTo("available");
    }

    @Override
    protected Map<String, String> copyDestination() {
        return Map.of("region", COPY_REGION);
    }

    @Override
    protected Optional<Labels> copyInFake(SnapshotRef copy) {
        assertThat(copy.attribute("region")).isEqualTo(COPY_REGION);
        return labels(COPY_REGION, copy.id());
    }

    @Override
    protected void throttle(double rate) {
        aws.faults().throttle(rate);
    }

    @Override
    protected long throttledAnswers() {
        return aws.calls().stream().filter(c -> "Throttling".equals(c.errorCode())).count();
    }

    @Override
    protected void seed(String instance, int count) {
        aws.rds().seedSnapshots(REGION, source(), cluster(), count, n -> Map.of("bbdc:restore-point",
                seedRestorePoint(n), "bbdc:instance", instance, "bbdc:role", role().value()));
    }

    @Override
    protected void clearCalls() {
        aws.clearCalls();
    }

    @Override
    protected int listRequests() {
        return aws.calls(cluster() ? "DescribeDBClusterSnapshots" : "DescribeDBSnapshots").size();
    }
}
