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

    /**
     * botocore parses Auto Scaling and CloudFormation replies by its own copy of the service models, so every field the
     * CloudFormation upgrade reads must come out of the CLI under its model name; a misspelt element would be missing.
     */
    @Test
    void autoScalingThroughTheCli() throws Exception {
        List<String> ids = aws.autoScaling().addGroup("cli-nodes", 1, 3, 2, "8.19.1");
        aws.autoScaling().addGroup("cli-other", 1, 1, 1, "1.0");

        Result groups = run("autoscaling", "describe-auto-scaling-groups", "--auto-scaling-group-names", "cli-nodes");
        assertThat(groups.exit()).as(groups.stderr()).isZero();
        JsonNode group = groups.json().at("/AutoScalingGroups/0");
        assertThat(group.at("/AutoScalingGroupName").asText()).isEqualTo("cli-nodes");
        assertThat(group.at("/DesiredCapacity").asInt()).isEqualTo(2);
        assertThat(group.at("/MinSize").asInt()).isEqualTo(1);
        assertThat(group.at("/MaxSize").asInt()).isEqualTo(3);
        assertThat(group.at("/CreatedTime").asText()).startsWith("2026-01-05T10:00:00");
        assertThat(group.at("/Instances")).hasSize(2);
        for (JsonNode i : group.at("/Instances")) {
            assertThat(i.at("/InstanceId").asText()).isIn(ids);
            assertThat(i.at("/LifecycleState").asText()).isEqualTo("InService");
            assertThat(i.at("/HealthStatus").asText()).isEqualTo("Healthy");
            assertThat(i.at("/AvailabilityZone").asText()).startsWith("eu-west-1");
            assertThat(i.at("/ProtectedFromScaleIn").isBoolean()).isTrue();
        }

        // --page-size becomes MaxRecords; the CLI follows NextToken until every group is listed
        Result paged = run("autoscaling", "describe-auto-scaling-groups", "--page-size", "1");
        assertThat(paged.exit()).as(paged.stderr()).isZero();
        List<String> names = new ArrayList<>();
        paged.json().at("/AutoScalingGroups").forEach(g -> names.add(g.at("/AutoScalingGroupName").asText()));
        assertThat(names).contains("cli-nodes", "cli-other").doesNotHaveDuplicates();

        Result found = run("autoscaling", "describe-auto-scaling-instances", "--instance-ids", ids.get(0));
        assertThat(found.exit()).as(found.stderr()).isZero();
        JsonNode details = found.json().at("/AutoScalingInstances");
        assertThat(details).hasSize(1);
        assertThat(details.get(0).at("/AutoScalingGroupName").asText()).isEqualTo("cli-nodes");
        assertThat(details.get(0).at("/InstanceId").asText()).isEqualTo(ids.get(0));
        assertThat(details.get(0).at("/LifecycleState").asText()).isEqualTo("InService");
        assertThat(details.get(0).at("/HealthStatus").asText()).isEqualTo("HEALTHY");

        Result terminated = run("autoscaling", "terminate-instance-in-auto-scaling-group", "--instance-id",
                ids.get(0), "--no-should-decrement-desired-capacity");
        assertThat(terminated.exit()).as(terminated.stderr()).isZero();
        JsonNode activity = terminated.json().at("/Activity");
        assertThat(activity.at("/ActivityId").asText()).isNotBlank();
        assertThat(activity.at("/AutoScalingGroupName").asText()).isEqualTo("cli-nodes");
        assertThat(activity.at("/StatusCode").asText()).isEqualTo("InProgress");
        assertThat(activity.at("/StartTime").asText()).isNotBlank();
        assertThat(activity.at("/Cause").asText()).contains(ids.get(0));
        assertThat(aws.autoScaling().desiredCapacity("cli-nodes")).isEqualTo(2);

        Result unknown = run("autoscaling", "terminate-instance-in-auto-scaling-group", "--instance-id",
                "i-0000000000000dead", "--should-decrement-desired-capacity");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.stderr()).contains("ValidationError").contains("i-0000000000000dead");
    }

    @Test
    void cloudFormationThroughTheCli() throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("BitbucketVersion", "8.19.1");
        params.put("ClusterNodeInstanceType", "m6i.xlarge");
        aws.cloudFormation().updateTime(Duration.ZERO).addStack("cli-stack", params, null, null);

        Result described = run("cloudformation", "describe-stacks", "--stack-name", "cli-stack");
        assertThat(described.exit()).as(described.stderr()).isZero();
        JsonNode stack = described.json().at("/Stacks/0");
        assertThat(stack.at("/StackName").asText()).isEqualTo("cli-stack");
        assertThat(stack.at("/StackId").asText()).startsWith("arn:aws:cloudformation:eu-west-1:123456789012:stack/");
        assertThat(stack.at("/StackStatus").asText()).isEqualTo("CREATE_COMPLETE");
        assertThat(stack.at("/CreationTime").asText()).isNotBlank();
        assertThat(stack.at("/Parameters/0/ParameterKey").asText()).isEqualTo("BitbucketVersion");
        assertThat(stack.at("/Parameters/0/ParameterValue").asText()).isEqualTo("8.19.1");
        assertThat(stack.at("/Parameters")).hasSize(2);
        assertThat(stack.at("/Capabilities/0").asText()).isEqualTo("CAPABILITY_IAM");

        Result refused = run("cloudformation", "update-stack", "--stack-name", "cli-stack",
                "--use-previous-template", "--parameters", "ParameterKey=BitbucketVersion,ParameterValue=8.19.2",
                "ParameterKey=ClusterNodeInstanceType,UsePreviousValue=true");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.stderr()).contains("InsufficientCapabilitiesException").contains("CAPABILITY_IAM");

        Result updated = run("cloudformation", "update-stack", "--stack-name", "cli-stack",
                "--use-previous-template", "--parameters", "ParameterKey=BitbucketVersion,ParameterValue=8.19.2",
                "ParameterKey=ClusterNodeInstanceType,UsePreviousValue=true", "--capabilities", "CAPABILITY_IAM");
        assertThat(updated.exit()).as(updated.stderr()).isZero();
        assertThat(updated.json().at("/StackId").asText()).isEqualTo(stack.at("/StackId").asText());
        assertThat(aws.cloudFormation().stackView("cli-stack").orElseThrow().parameters())
                .containsEntry("BitbucketVersion", "8.19.2").containsEntry("ClusterNodeInstanceType", "m6i.xlarge");

        Result waited = run("cloudformation", "wait", "stack-update-complete", "--stack-name", "cli-stack");
        assertThat(waited.exit()).as(waited.stderr()).isZero();

        Result missing = run("cloudformation", "describe-stacks", "--stack-name", "no-such-stack");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.stderr()).contains("ValidationError").contains("Stack with id no-such-stack does not exist");
    }
}
