package io.jenkins.plugins.bbdc.testkit.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Protocol fidelity beyond the Java SDK: the AWS CLI (botocore, its own serializers and XML parsers, models of its
 * own version) drives the endpoint. Skipped with the reason when the CLI is not installed and cannot be installed.
 */
class AwsEndpointAwsCliTest {
    private static final String REGION = "eu-west-1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static AwsEndpoint aws;
    private static String cli;
    private static String instance;

    @TempDir
    static Path home;

    record Result(int exit, String stdout, String stderr) {
        JsonNode json() throws IOException {
            return JSON.readTree(stdout);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        cli = findOrInstallCli();
        Assumptions.assumeTrue(cli != null, "the AWS CLI ('aws') is not on the PATH and 'apt-get install -y awscli'"
                + " did not provide it; install awscli to run this protocol test");
        aws = AwsEndpoint.start(3);
        aws.ec2().timings(Duration.ZERO, Duration.ZERO, Duration.ZERO);
        aws.rds().timings(Duration.ZERO, Duration.ZERO);
        Map<String, Integer> devices = new LinkedHashMap<>();
        devices.put("/dev/xvda", 8);
        devices.put("/dev/xvdf", 100);
        instance = aws.ec2().addInstance(REGION, "eu-west-1a", "/dev/xvda", devices);
        aws.rds().addInstance(REGION, "bitbucket-db", "db.m6g.large", 7);
    }

    @AfterAll
    static void stop() {
        if (aws != null) {
            aws.close();
        }
    }

    private static String findOrInstallCli() throws InterruptedException {
        String found = onPath();
        if (found == null && new File("/usr/bin/apt-get").canExecute()) {
            try {
                Process p = new ProcessBuilder("apt-get", "install", "-y", "awscli").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(5, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                }
            } catch (IOException e) {
                return null;
            }
            found = onPath();
        }
        return found;
    }

    private static String onPath() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, "aws");
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        return null;
    }

    private static Result run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(cli));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--endpoint-url", aws.url().toString(), "--region", REGION, "--output", "json"));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("AWS_ACCESS_KEY_ID", "AKIACLITEST");
        env.put("AWS_SECRET_ACCESS_KEY", "cli-secret");
        env.remove("AWS_SESSION_TOKEN");
        env.remove("AWS_PROFILE");
        env.put("AWS_CONFIG_FILE", home.resolve("config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("credentials").toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_MAX_ATTEMPTS", "1");
        env.put("AWS_PAGER", "");
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("aws " + String.join(" ", args) + " did not finish");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void ec2SnapshotsAndVolumesThroughTheCli() throws Exception {
        Result described = run("ec2", "describe-instances", "--instance-ids", instance);
        assertThat(described.exit()).as(described.stderr()).isZero();
        JsonNode inst = described.json().at("/Reservations/0/Instances/0");
        assertThat(inst.at("/RootDeviceName").asText()).isEqualTo("/dev/xvda");
        assertThat(inst.at("/BlockDeviceMappings")).hasSize(2);

        Result created = run("ec2", "create-snapshots", "--instance-specification",
                "InstanceId=" + instance + ",ExcludeBootVolume=true", "--tag-specifications",
                "ResourceType=snapshot,Tags=[{Key=bbdc:role,Value=home},{Key=bbdc:restore-point,Value=rp-cli}]");
        assertThat(created.exit()).as(created.stderr()).isZero();
        JsonNode snaps = created.json().at("/Snapshots");
        assertThat(snaps).hasSize(1);
        String snapshotId = snaps.get(0).at("/SnapshotId").asText();
        assertThat(snaps.get(0).at("/VolumeId").asText()).isEqualTo(aws.ec2().volumeAt(REGION, instance,
                "/dev/xvdf"));

        Result listed = run("ec2", "describe-snapshots", "--owner-ids", "self", "--filters",
                "Name=tag:bbdc:role,Values=home", "Name=tag-key,Values=bbdc:restore-point");
        assertThat(listed.exit()).as(listed.stderr()).isZero();
        JsonNode s = listed.json().at("/Snapshots/0");
        assertThat(s.at("/SnapshotId").asText()).isEqualTo(snapshotId);
        assertThat(s.at("/State").asText()).isEqualTo("completed");
        assertThat(s.at("/StartTime").asText()).isNotBlank();
        assertThat(s.at("/Tags")).hasSize(2);

        Result waited = run("ec2", "wait", "snapshot-completed", "--snapshot-ids", snapshotId);
        assertThat(waited.exit()).as(waited.stderr()).isZero();

        Result volume = run("ec2", "create-volume", "--snapshot-id", snapshotId, "--availability-zone",
                "eu-west-1a", "--volume-type", "gp3", "--iops", "4000", "--throughput", "250", "--encrypted");
        assertThat(volume.exit()).as(volume.stderr()).isZero();
        assertThat(volume.json().at("/Iops").asInt()).isEqualTo(4000);
        assertThat(volume.json().at("/Throughput").asInt()).isEqualTo(250);
        assertThat(volume.json().at("/Encrypted").asBoolean()).isTrue();
        assertThat(volume.json().at("/SnapshotId").asText()).isEqualTo(snapshotId);

        Result missing = run("ec2", "delete-snapshot", "--snapshot-id", "snap-0000000000000dead");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.stderr()).contains("InvalidSnapshot.NotFound").contains("snap-0000000000000dead");

        aws.faults().deny("CreateSnapshot");
        Result denied = run("ec2", "create-snapshot", "--volume-id", aws.ec2().volumeAt(REGION, instance,
                "/dev/xvdf"));
        aws.faults().allow("CreateSnapshot");
        assertThat(denied.exit()).isNotZero();
        assertThat(denied.stderr()).contains("UnauthorizedOperation");
    }

    @Test
    void rdsSnapshotsThroughTheCli() throws Exception {
        Result created = run("rds", "create-db-snapshot", "--db-instance-identifier", "bitbucket-db",
                "--db-snapshot-identifier", "bbdc-cli-1", "--tags", "Key=bbdc:role,Value=database");
        assertThat(created.exit()).as(created.stderr()).isZero();
        assertThat(created.json().at("/DBSnapshot/DBSnapshotIdentifier").asText()).isEqualTo("bbdc-cli-1");

        Result listed = run("rds", "describe-db-snapshots", "--db-instance-identifier", "bitbucket-db",
                "--snapshot-type", "manual", "--max-records", "20");
        assertThat(listed.exit()).as(listed.stderr()).isZero();
        JsonNode snap = listed.json().at("/DBSnapshots/0");
        assertThat(snap.at("/Status").asText()).isEqualTo("available");
        assertThat(snap.at("/TagList/0/Key").asText()).isEqualTo("bbdc:role");
        assertThat(snap.at("/DBSnapshotArn").asText())
                .isEqualTo("arn:aws:rds:eu-west-1:123456789012:snapshot:bbdc-cli-1");

        Result missing = run("rds", "describe-db-instances", "--db-instance-identifier", "nope");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.stderr()).contains("DBInstanceNotFound");

        Result badName = run("rds", "create-db-snapshot", "--db-instance-identifier", "bitbucket-db",
                "--db-snapshot-identifier", "bad--name");
        assertThat(badName.exit()).isNotZero();
        assertThat(badName.stderr()).contains("InvalidParameterValue");
    }
}
