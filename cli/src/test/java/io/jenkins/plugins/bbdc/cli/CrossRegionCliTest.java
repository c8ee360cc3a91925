package io.jenkins.plugins.bbdc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.bbdc.testkit.aws.AwsEndpoint;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code copy:} blocks and {@code rebuild-catalog} from the command line: a backup whose EBS home and RDS database are
 * copied to a second region, then — the first region lost — a host configured for the second region rebuilds its
 * catalog from the copies. Real SDK calls against the testkit AWS endpoint; Bitbucket is the simulator.
 */
class CrossRegionCliTest {
    private static final String SOURCE = "eu-west-1";
    private static final String DR = "eu-central-1";

    @TempDir
    Path tmp;
    private AwsEndpoint aws;
    private BitbucketSimulator sim;
    private String volume;

    @BeforeEach
    void start() {
        aws = AwsEndpoint.start(7);
        sim = BitbucketSimulator.builder().nodes(2).user("backup", "b4ckup-Pw", true).start();
        aws.ec2().timings(Duration.ofMillis(40), Duration.ofMillis(20), Duration.ofMillis(20));
        aws.rds().timings(Duration.ofMillis(40), Duration.ofMillis(40));
        aws.rds().addInstance(SOURCE, "bitbucket-db", "db.m6g.large", 7);
        String instance = aws.ec2().addInstance(SOURCE, SOURCE + "a", "/dev/xvda",
                Map.of("/dev/xvda", 8, "/dev/xvdf", 100));
        volume = aws.ec2().volumeAt(SOURCE, instance, "/dev/xvdf");
    }

    @AfterEach
    void stop() {
        sim.close();
        aws.close();
    }

    private Path config(String name, String region, String catalog, String homeExtra, String dbExtra)
            throws Exception {
        Path keyId = Files.writeString(tmp.resolve("aws-key-id"), "AKIATESTKEY");
        Path key = Files.writeString(tmp.resolve("aws-secret"), "test-secret-key");
        Path pw = Files.writeString(tmp.resolve("bb.pw"), "b4ckup-Pw");
        String aws = "region: %s, endpoint: \"%s\", credentials: {accessKeyId: {file: %s}, secretAccessKey: {file: %s}}"
                .formatted(region, this.aws.url(), keyId, key);
        return Files.writeString(tmp.resolve(name), """
                instance: {id: prod, url: "%s", username: backup, password: {file: %s}}
                catalog: %s
                backup:
                  home: {ebs: {volumeId: %s, %s%s}}
                  database: {rds: {dbInstanceIdentifier: bitbucket-db, %s%s}}
                """.formatted(sim.baseUrl(), pw, tmp.resolve(catalog), volume, aws, homeExtra, aws, dbExtra));
    }

    @Test
    void aBackupCopiesToTheOtherRegionAndTheCopiesRebuildACatalogThere() throws Exception {
        Path source = config("source.yaml", SOURCE, "catalog", ", copy: {region: " + DR + "}",
                ", copy: {region: " + DR + ", kmsKeyId: \"arn:aws:kms:eu-central-1:123456789012:key/dr\"}");

        CliTestSupport.Run backup = CliTestSupport.run("backup", "--config", source.toString(), "--json");

        assertThat(backup.exitCode()).as(backup.err()).isEqualTo(ExitCodes.OK);
        JsonNode point = new ObjectMapper().readTree(backup.out()).path("point");
        assertThat(point.path("status").asText()).isEqualTo("COMPLETE");
        for (JsonNode c : point.path("components")) {
            assertThat(c.path("copies")).as(c.path("role").asText()).hasSize(1);
            assertThat(c.path("copies").get(0).path("attributes").path("region").asText()).isEqualTo(DR);
        }
        assertThat(aws.ec2().snapshots(DR)).hasSize(1);
        assertThat(aws.rds().snapshots(DR)).singleElement()
                .satisfies(s -> assertThat(s.kmsKeyId()).endsWith("key/dr"));

        // the disaster-recovery host: the same instance, providers in the copy region, an empty catalog
        Path dr = config("dr.yaml", DR, "dr-catalog", "", "");
        CliTestSupport.Run rebuild = CliTestSupport.run("rebuild-catalog", "--config", dr.toString());
        CliTestSupport.Run list = CliTestSupport.run("list", "--config", dr.toString(), "--json");

        assertThat(rebuild.exitCode()).as(rebuild.err()).isEqualTo(ExitCodes.OK);
        assertThat(rebuild.out()).contains("1 restore point(s) recreated (0 of them PARTIAL)");
        JsonNode rebuilt = new ObjectMapper().readTree(list.out()).get(0);
        assertThat(rebuilt.path("id").asText()).isEqualTo(point.path("id").asText());
        assertThat(rebuilt.path("status").asText()).isEqualTo("COMPLETE");
    }

    @Test
    void aFailedCopyExitsWithFiveAndSaysThePointIsRestorable() throws Exception {
        aws.faults().deny("CopyDBSnapshot");
        Path source = config("source.yaml", SOURCE, "catalog", "", ", copy: {region: " + DR + "}");

        CliTestSupport.Run backup = CliProcess.run(tmp, "backup", "--config", source.toString());

        assertThat(backup.exitCode()).as(backup.err()).isEqualTo(ExitCodes.COPY_FAILED);
        assertThat(backup.err()).contains("is COMPLETE and restorable").contains("rds:CopyDBSnapshot");
        assertThat(backup.out()).contains("COPY FAILED");
        CliTestSupport.Run list = CliTestSupport.run("list", "--config", source.toString());
        assertThat(list.out()).contains("COMPLETE");
    }

    @Test
    void aCopyIntoTheProvidersOwnRegionOrOnAProviderThatCannotCopyIsRefused() throws Exception {
        Path own = config("own.yaml", SOURCE, "catalog", ", copy: {region: " + SOURCE + "}", "");
        CliTestSupport.Run r = CliTestSupport.run("plan", "--config", own.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("backup.home.ebs.copy.region").contains("own region");

        Path noRegion = config("noregion.yaml", SOURCE, "catalog", ", copy: {kmsKeyId: alias/dr}", "");
        r = CliTestSupport.run("plan", "--config", noRegion.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("backup.home.ebs.copy.region").contains("required");
    }
}
