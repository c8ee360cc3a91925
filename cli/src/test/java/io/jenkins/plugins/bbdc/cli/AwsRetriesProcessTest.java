package io.jenkins.plugins.bbdc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.testkit.aws.AwsEndpoint;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AWS retries are visible and bounded: {@code bbdc-ops plan} as a real process, its EBS check against the testkit
 * AWS endpoint (production retry policy: the first back-off is 15 s), an unresolvable host and a closed port.
 */
class AwsRetriesProcessTest {
    private static final String REGION = "eu-west-1";

    @TempDir
    Path tmp;
    AwsEndpoint aws;
    BitbucketSimulator sim;
    String volume;

    @BeforeEach
    void start() {
        aws = AwsEndpoint.start(11);
        sim = BitbucketSimulator.builder().nodes(1).start();
        String instance = aws.ec2().addInstance(REGION, REGION + "a", "/dev/xvda",
                Map.of("/dev/xvda", 8, "/dev/xvdf", 100));
        volume = aws.ec2().volumeAt(REGION, instance, "/dev/xvdf");
    }

    @AfterEach
    void stop() {
        sim.close();
        aws.close();
    }

    private Path config(String endpoint) throws Exception {
        Path keyId = Files.writeString(tmp.resolve("aws-key-id"), "AKIATESTKEY");
        Path key = Files.writeString(tmp.resolve("aws-secret"), "test-secret-key");
        Path pw = Files.writeString(tmp.resolve("bb.pw"), "admin");
        return Files.writeString(tmp.resolve("c.yaml"), """
                instance: {id: prod, url: "%s", username: admin, password: {file: %s}}
                catalog: %s
                backup:
                  databaseOnHomeVolume: true
                  home: {ebs: {volumeId: %s, region: %s, endpoint: "%s", connectTimeout: 2s,
                         credentials: {accessKeyId: {file: %s}, secretAccessKey: {file: %s}}}}
                """.formatted(sim.baseUrl(), pw, tmp.resolve("catalog"), volume, REGION, endpoint, keyId, key));
    }

    @Test
    void aRetryAfterAnAwsSideErrorIsShownWithTheAttemptAndTheWait() throws Exception {
        aws.faults().failNext("DescribeVolumes", 500, "InternalError", "We encountered an internal error");

        CliTestSupport.Run r = CliProcess.run(tmp, "plan", "--config", config(aws.url().toString()).toString());

        assertThat(r.exitCode()).as(r.err() + r.out()).isEqualTo(ExitCodes.OK);
        assertThat(r.err()).containsPattern("ec2:DescribeVolumes failed on the AWS side \\(InternalError, HTTP 500\\);"
                + " retry 1 of at most 10 in (1[5-9]|2[0-2]) s \\(at most 10 min of retries per call\\)");
    }

    @Test
    void anUnknownHostFailsAtOnceNamingRegionAndEndpoint() throws Exception {
        long start = System.nanoTime();

        CliTestSupport.Run r = CliProcess.run(tmp, "plan", "--config",
                config("https://ec2.nonexistent.invalid").toString());

        // no back-off at all (the first would be 15 s; without the fail-fast the retries take over half an hour)
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
        assertThat(r.exitCode()).as(r.err() + r.out()).isEqualTo(ExitCodes.REFUSED);
        assertThat(r.out() + r.err()).contains("the host name of the AWS endpoint does not resolve (unknown host ec2.nonexistent.invalid")
                .contains("'region'").contains("'endpoint'").doesNotContain("retry 1");
    }

    @Test
    void aConnectionRefusedTwiceFailsNamingTheEndpoint() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }

        CliTestSupport.Run r = CliProcess.run(tmp, "plan", "--config",
                config("http://127.0.0.1:" + closedPort).toString());

        assertThat(r.exitCode()).as(r.err() + r.out()).isEqualTo(ExitCodes.REFUSED);
        assertThat(r.err()).contains("could not reach AWS").contains("retry 1 of at most 10");
        assertThat(r.out() + r.err()).contains("the connection was refused 2 times in a row")
                .contains("'endpoint'").doesNotContain("retry 2 of");
    }
}
