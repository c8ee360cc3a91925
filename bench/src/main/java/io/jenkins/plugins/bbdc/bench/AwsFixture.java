package io.jenkins.plugins.bbdc.bench;

import io.jenkins.plugins.bbdc.core.provider.aws.AwsClientFactory;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsCredentialsConfig;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsRetryPolicy;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsSettings;
import io.jenkins.plugins.bbdc.testkit.aws.AwsEndpoint;
import io.jenkins.plugins.bbdc.testkit.aws.CallRecord;

import java.time.Duration;
import java.util.List;

/**
 * The testkit AWS endpoint and a factory of real AWS SDK v2 clients pointed at it, with the production retry policy
 * scaled down 100× (back-off 150 ms … 3 s, 10 retries, polls every 150 ms): the production policy's 15 s first
 * back-off and 15 s polls would make every run minutes long; added times scale with the policy.
 */
final class AwsFixture implements AutoCloseable {
    static final String REGION = "eu-west-1";
    static final AwsRetryPolicy SCALED_PRODUCTION = new AwsRetryPolicy(Duration.ofMillis(150), Duration.ofSeconds(3),
            10, Duration.ofMillis(600), Duration.ofMinutes(4), Duration.ofMillis(150));
    final AwsEndpoint aws;
    final AwsClientFactory clients;

    AwsFixture(Duration snapshotTime) {
        this.aws = AwsEndpoint.start(9);
        aws.ec2().timings(snapshotTime, Duration.ofMillis(40), Duration.ofMillis(60));
        this.clients = new AwsClientFactory(AwsSettings.builder().region(REGION)
                .credentials(AwsCredentialsConfig.staticKeys("AKIABENCHMARK", "bench-secret-key", null))
                .endpointOverride(aws.url()).retry(SCALED_PRODUCTION).build());
    }

    long calls(String action) {
        return aws.calls().stream().filter(c -> c.action().equals(action)).count();
    }

    long throttled() {
        List<CallRecord> calls = aws.calls();
        return calls.stream().filter(c -> c.errorCode() != null && c.errorCode().contains("LimitExceeded")).count();
    }

    @Override
    public void close() {
        clients.close();
        aws.close();
    }
}
