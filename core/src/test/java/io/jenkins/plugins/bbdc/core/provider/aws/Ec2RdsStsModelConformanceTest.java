package io.jenkins.plugins.bbdc.core.provider.aws;

import static io.jenkins.plugins.bbdc.core.provider.aws.AwsTestSupport.REGION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.upgrade.aws.QueryXmlModelCheck;
import io.jenkins.plugins.bbdc.core.upgrade.aws.RawReplies;
import io.jenkins.plugins.bbdc.testkit.aws.AwsEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CopySnapshotResponse;
import software.amazon.awssdk.services.ec2.model.CopyTagsFromSource;
import software.amazon.awssdk.services.ec2.model.CreateSnapshotResponse;
import software.amazon.awssdk.services.ec2.model.CreateSnapshotsResponse;
import software.amazon.awssdk.services.ec2.model.CreateVolumeResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSnapshotsResponse;
import software.amazon.awssdk.services.ec2.model.DescribeVolumesResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceBlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SnapshotInfo;
import software.amazon.awssdk.services.ec2.model.SnapshotState;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeAttachmentState;
import software.amazon.awssdk.services.ec2.model.VolumeState;
import software.amazon.awssdk.services.ec2.model.VolumeType;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterMember;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DescribeDbSnapshotsResponse;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;

/**
 * Protocol fidelity of the testkit's EC2, RDS and STS fakes, judged by the service models compiled into the real AWS
 * SDK (as {@code AwsQueryModelConformanceTest} does for Auto Scaling and CloudFormation): every reply of every action
 * the EBS and RDS providers and the assume-role credentials use is walked element by element against the model
 * ({@link QueryXmlModelCheck}; EC2 in its own protocol variant), error replies against the services' envelopes, and
 * the fields the providers read must arrive parsed (a misspelt element would arrive as null).
 */
class Ec2RdsStsModelConformanceTest {
    private static final String WEST = "us-west-2";
    /** botocore's ec2 2016-11-15 and rds 2014-10-31 models mark no member of these output shapes required. */
    private static final QueryXmlModelCheck EC2_MODEL = QueryXmlModelCheck.ec2(
            "http://ec2.amazonaws.com/doc/2016-11-15/", Map.of());
    private static final QueryXmlModelCheck RDS_MODEL = new QueryXmlModelCheck(
            "http://rds.amazonaws.com/doc/2014-10-31/", Map.of());
    /** Members botocore's sts 2011-06-15 model marks required. */
    private static final QueryXmlModelCheck STS_MODEL = new QueryXmlModelCheck(
            "https://sts.amazonaws.com/doc/2011-06-15/", Map.of(
                    "Credentials", Set.of("AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"),
                    "AssumedRoleUser", Set.of("AssumedRoleId", "Arn")));

    private AwsEndpoint aws;
    private SdkHttpClient http;
    private Ec2Client ec2;
    private Ec2Client ec2West;
    private RdsClient rds;
    private RdsClient rdsWest;
    private StsClient sts;
    private final RawReplies raw = new RawReplies();
    private String instance;

    @BeforeEach
    void start() {
        aws = AwsEndpoint.start();
        aws.ec2().timings(Duration.ofMillis(300), Duration.ofMillis(100), Duration.ofMillis(100));
        aws.rds().timings(Duration.ofMillis(300), Duration.ofMillis(300));
        Map<String, Integer> devices = new LinkedHashMap<>();
        devices.put("/dev/xvda", 8);
        devices.put("/dev/xvdf", 100);
        instance = aws.ec2().addInstance(REGION, "eu-west-1a", "/dev/xvda", devices);
        aws.rds().addInstance(REGION, "bitbucket-db", "db.m6g.large", 7);
        aws.rds().addCluster(REGION, "bitbucket-aurora", "db.r6g.large");
        http = ApacheHttpClient.builder().build();
        StaticCredentialsProvider keys = StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIAMODELTEST", "model-test-secret"));
        ec2 = Ec2Client.builder().region(Region.of(REGION)).credentialsProvider(keys).httpClient(http)
                .endpointOverride(aws.url()).overrideConfiguration(o -> o.addExecutionInterceptor(raw)
                        .retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        ec2West = Ec2Client.builder().region(Region.of(WEST)).credentialsProvider(keys).httpClient(http)
                .endpointOverride(aws.url()).overrideConfiguration(o -> o.addExecutionInterceptor(raw)
                        .retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        rds = RdsClient.builder().region(Region.of(REGION)).credentialsProvider(keys).httpClient(http)
                .endpointOverride(aws.url()).overrideConfiguration(o -> o.addExecutionInterceptor(raw)
                        .retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        rdsWest = RdsClient.builder().region(Region.of(WEST)).credentialsProvider(keys).httpClient(http)
                .endpointOverride(aws.url()).overrideConfiguration(o -> o.addExecutionInterceptor(raw)
                        .retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        sts = StsClient.builder().region(Region.of(REGION)).credentialsProvider(keys).httpClient(http)
                .endpointOverride(aws.url()).overrideConfiguration(o -> o.addExecutionInterceptor(raw)
                        .retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    @AfterEach
    void stop() {
        ec2.close();
        ec2West.close();
        rds.close();
        rdsWest.close();
        sts.close();
        http.close();
        aws.close();
    }

    /** The call's reply as it came over the wire matches the model; returns the parsed response. */
    private <T extends SdkPojo> T ok(QueryXmlModelCheck model, String operation, T response) {
        RawReplies.Reply reply = raw.last(operation);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(model.success(operation, response, reply.body())).as("%s reply vs the model:%n%s", operation,
                reply.body()).isEmpty();
        return response;
    }

    private void failed(QueryXmlModelCheck model, String operation, int status, String code, Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(AwsServiceException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(status);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.awsErrorDetails().errorMessage()).isNotBlank();
        });
        RawReplies.Reply reply = raw.last(operation);
        assertThat(reply.status()).isEqualTo(status);
        assertThat(model.error(reply.body())).as("%s error reply:%n%s", operation, reply.body()).isEmpty();
    }

    /** Polls (every reply model-checked) until the condition holds. */
    private static <T> T await(Supplier<T> poll, Predicate<T> done) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            T t = poll.get();
            if (done.test(t)) {
                return t;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the state was never reached: " + poll.get());
    }

    private static TagSpecification tags(ResourceType type, String key, String value) {
        return TagSpecification.builder().resourceType(type).tags(
                software.amazon.awssdk.services.ec2.model.Tag.builder().key(key).value(value).build()).build();
    }

    private static software.amazon.awssdk.services.rds.model.Tag rdsTag(String key, String value) {
        return software.amazon.awssdk.services.rds.model.Tag.builder().key(key).value(value).build();
    }

    // ---------------------------------------------------------------- EC2

    @Test
    void ec2RepliesMatchTheModelAndCarryEveryFieldTheEbsProviderReads() throws Exception {
        String xvdf = aws.ec2().volumeAt(REGION, instance, "/dev/xvdf");

        Instance inst = ok(EC2_MODEL, "DescribeInstances", ec2.describeInstances(r -> r.instanceIds(instance)))
                .reservations().get(0).instances().get(0);
        assertThat(inst.instanceId()).isEqualTo(instance);
        assertThat(inst.rootDeviceName()).isEqualTo("/dev/xvda");
        assertThat(inst.placement().availabilityZone()).isEqualTo("eu-west-1a");
        assertThat(inst.blockDeviceMappings()).extracting(InstanceBlockDeviceMapping::deviceName)
                .containsExactly("/dev/xvda", "/dev/xvdf");
        assertThat(inst.blockDeviceMappings().get(1).ebs().volumeId()).isEqualTo(xvdf);
        assertThat(inst.blockDeviceMappings().get(1).ebs().status()).isEqualTo(
                software.amazon.awssdk.services.ec2.model.AttachmentStatus.ATTACHED);

        Volume live = ok(EC2_MODEL, "DescribeVolumes", ec2.describeVolumes(r -> r.volumeIds(xvdf))).volumes().get(0);
        assertThat(live.volumeId()).isEqualTo(xvdf);
        assertThat(live.size()).isEqualTo(100);
        assertThat(live.availabilityZone()).isEqualTo("eu-west-1a");
        assertThat(live.state()).isEqualTo(VolumeState.IN_USE);
        assertThat(live.volumeType()).isEqualTo(VolumeType.GP3);
        assertThat(live.iops()).isEqualTo(3000);
        assertThat(live.attachments()).singleElement().satisfies(a -> {
            assertThat(a.instanceId()).isEqualTo(instance);
            assertThat(a.device()).isEqualTo("/dev/xvdf");
            assertThat(a.state()).isEqualTo(VolumeAttachmentState.ATTACHED);
            assertThat(a.attachTime()).isNotNull();
        });

        CreateSnapshotResponse one = ok(EC2_MODEL, "CreateSnapshot", ec2.createSnapshot(r -> r.volumeId(xvdf)
                .description("one volume").tagSpecifications(tags(ResourceType.SNAPSHOT, "bbdc:restore-point",
                        "rp-1"))));
        assertThat(one.snapshotId()).startsWith("snap-");
        assertThat(one.volumeId()).isEqualTo(xvdf);
        assertThat(one.state()).isEqualTo(SnapshotState.PENDING);
        assertThat(one.startTime()).isNotNull();
        assertThat(one.progress()).endsWith("%");
        assertThat(one.volumeSize()).isEqualTo(100);
        assertThat(one.tags()).anySatisfy(t -> assertThat(t.key()).isEqualTo("bbdc:restore-point"));

        CreateSnapshotsResponse multi = ok(EC2_MODEL, "CreateSnapshots", ec2.createSnapshots(r -> r
                .instanceSpecification(s -> s.instanceId(instance).excludeBootVolume(true))
                .copyTagsFromSource(CopyTagsFromSource.VOLUME)
                .tagSpecifications(tags(ResourceType.SNAPSHOT, "bbdc:restore-point", "rp-2"))));
        SnapshotInfo info = multi.snapshots().get(0);
        assertThat(multi.snapshots()).hasSize(1);
        assertThat(info.snapshotId()).startsWith("snap-");
        assertThat(info.volumeId()).isEqualTo(xvdf);
        assertThat(info.state()).isEqualTo(SnapshotState.PENDING);
        assertThat(info.startTime()).isNotNull();
        assertThat(info.volumeSize()).isEqualTo(100);
        assertThat(info.tags()).anySatisfy(t -> assertThat(t.value()).isEqualTo("rp-2"));

        DescribeSnapshotsResponse listed = ok(EC2_MODEL, "DescribeSnapshots", ec2.describeSnapshots(r -> r
                .ownerIds("self").filters(Filter.builder().name("tag:bbdc:restore-point").values("rp-*").build())));
        assertThat(listed.snapshots()).extracting(s -> s.snapshotId())
                .containsExactly(one.snapshotId(), info.snapshotId());
        assertThat(listed.snapshots().get(0).tags()).isNotEmpty();
        assertThat(listed.snapshots().get(0).volumeSize()).isEqualTo(100);
        assertThat(listed.snapshots().get(0).progress()).endsWith("%");
        assertThat(listed.snapshots().get(0).encrypted()).isFalse();
        aws.ec2().seedSnapshots(REGION, xvdf, 6, Map.of("bbdc:restore-point", "rp-seeded"));
        DescribeSnapshotsResponse page = ok(EC2_MODEL, "DescribeSnapshots", ec2.describeSnapshots(r -> r
                .ownerIds("self").maxResults(5)));
        assertThat(page.snapshots()).hasSize(5);
        assertThat(page.nextToken()).isNotBlank();

        String completed = await(() -> ok(EC2_MODEL, "DescribeSnapshots", ec2.describeSnapshots(r -> r
                .snapshotIds(info.snapshotId()))).snapshots().get(0), s -> s.state() == SnapshotState.COMPLETED)
                .snapshotId();

        String key = "arn:aws:kms:us-west-2:123456789012:key/dr";
        CopySnapshotResponse copy = ok(EC2_MODEL, "CopySnapshot", ec2West.copySnapshot(r -> r.sourceRegion(REGION)
                .destinationRegion(WEST).sourceSnapshotId(completed).encrypted(true).kmsKeyId(key)
                .tagSpecifications(tags(ResourceType.SNAPSHOT, "bbdc:restore-point", "rp-2"))));
        assertThat(copy.snapshotId()).startsWith("snap-");
        assertThat(copy.tags()).anySatisfy(t -> assertThat(t.value()).isEqualTo("rp-2"));

        CreateVolumeResponse created = ok(EC2_MODEL, "CreateVolume", ec2.createVolume(r -> r
                .availabilityZone("eu-west-1a").snapshotId(completed).volumeType(VolumeType.GP3).iops(6000)
                .throughput(500).encrypted(true).tagSpecifications(tags(ResourceType.VOLUME, "bbdc:restored-from",
                        completed))));
        assertThat(created.volumeId()).startsWith("vol-");
        assertThat(created.state()).isEqualTo(VolumeState.CREATING);
        assertThat(created.size()).isEqualTo(100);
        assertThat(created.snapshotId()).isEqualTo(completed);
        assertThat(created.availabilityZone()).isEqualTo("eu-west-1a");
        assertThat(created.volumeType()).isEqualTo(VolumeType.GP3);
        assertThat(created.iops()).isEqualTo(6000);
        assertThat(created.throughput()).isEqualTo(500);
        assertThat(created.encrypted()).isTrue();
        assertThat(created.kmsKeyId()).isNotBlank();
        assertThat(created.tags()).anySatisfy(t -> assertThat(t.key()).isEqualTo("bbdc:restored-from"));
        await(() -> ok(EC2_MODEL, "DescribeVolumes", ec2.describeVolumes(r -> r.filters(Filter.builder()
                .name("volume-id").values(created.volumeId()).build()))).volumes().get(0),
                v -> v.state() == VolumeState.AVAILABLE);

        var detached = ok(EC2_MODEL, "DetachVolume", ec2.detachVolume(r -> r.volumeId(xvdf).instanceId(instance)
                .device("/dev/xvdf")));
        assertThat(detached.state()).isEqualTo(VolumeAttachmentState.DETACHING);
        assertThat(detached.volumeId()).isEqualTo(xvdf);
        assertThat(detached.instanceId()).isEqualTo(instance);
        assertThat(detached.device()).isEqualTo("/dev/xvdf");
        assertThat(detached.attachTime()).isNotNull();
        await(() -> ok(EC2_MODEL, "DescribeVolumes", ec2.describeVolumes(r -> r.volumeIds(xvdf))).volumes().get(0),
                v -> v.state() == VolumeState.AVAILABLE && v.attachments().isEmpty());

        var attached = ok(EC2_MODEL, "AttachVolume", ec2.attachVolume(r -> r.volumeId(created.volumeId())
                .instanceId(instance).device("/dev/xvdf")));
        assertThat(attached.state()).isEqualTo(VolumeAttachmentState.ATTACHING);
        assertThat(attached.volumeId()).isEqualTo(created.volumeId());
        assertThat(attached.attachTime()).isNotNull();

        ok(EC2_MODEL, "CreateTags", ec2.createTags(r -> r.resources(xvdf).tags(
                software.amazon.awssdk.services.ec2.model.Tag.builder().key("bbdc:replaced-by")
                        .value(created.volumeId()).build())));
        ok(EC2_MODEL, "DeleteSnapshot", ec2.deleteSnapshot(r -> r.snapshotId(one.snapshotId())));

        assertThat(raw.operations()).contains("DescribeInstances", "DescribeVolumes", "CreateSnapshot",
                "CreateSnapshots", "DescribeSnapshots", "CopySnapshot", "CreateVolume", "DetachVolume",
                "AttachVolume", "CreateTags", "DeleteSnapshot");
    }

    @Test
    void ec2ErrorRepliesUseTheEc2Envelope() {
        failed(EC2_MODEL, "DescribeSnapshots", 400, "InvalidSnapshot.NotFound",
                () -> ec2.describeSnapshots(r -> r.snapshotIds("snap-0000000000000dead")));
        aws.faults().deny("CreateSnapshots");
        failed(EC2_MODEL, "CreateSnapshots", 403, "UnauthorizedOperation",
                () -> ec2.createSnapshots(r -> r.instanceSpecification(s -> s.instanceId(instance))));
        aws.faults().failNext("DescribeVolumes", 503, "RequestLimitExceeded", "Request limit exceeded.");
        failed(EC2_MODEL, "DescribeVolumes", 503, "RequestLimitExceeded", () -> ec2.describeVolumes(r -> { }));
        aws.ec2().limits(0, 20);
        failed(EC2_MODEL, "CreateSnapshot", 400, "ConcurrentSnapshotLimitExceeded",
                () -> ec2.createSnapshot(r -> r.volumeId(aws.ec2().volumeAt(REGION, instance, "/dev/xvdf"))));
    }

    // ---------------------------------------------------------------- RDS

    @Test
    void rdsInstanceRepliesMatchTheModelAndCarryEveryFieldTheRdsProviderReads() throws Exception {
        DBInstance source = ok(RDS_MODEL, "DescribeDBInstances", rds.describeDBInstances(r -> r
                .dbInstanceIdentifier("bitbucket-db"))).dbInstances().get(0);
        assertThat(source.dbInstanceIdentifier()).isEqualTo("bitbucket-db");
        assertThat(source.dbInstanceStatus()).isEqualTo("available");
        assertThat(source.engine()).isEqualTo("postgres");
        assertThat(source.engineVersion()).isEqualTo("15.8");
        assertThat(source.dbInstanceClass()).isEqualTo("db.m6g.large");
        assertThat(source.backupRetentionPeriod()).isEqualTo(7);
        assertThat(source.latestRestorableTime()).isNotNull();
        assertThat(source.dbClusterIdentifier()).isNull();
        assertThat(source.endpoint().address()).contains("bitbucket-db");
        assertThat(source.endpoint().port()).isEqualTo(5432);
        assertThat(source.dbSubnetGroup().dbSubnetGroupName()).isEqualTo("default");
        assertThat(source.vpcSecurityGroups()).isNotEmpty();
        assertThat(source.dbParameterGroups()).isNotEmpty();
        assertThat(source.dbInstanceArn()).startsWith("arn:aws:rds:" + REGION);

        DBSnapshot snap = ok(RDS_MODEL, "CreateDBSnapshot", rds.createDBSnapshot(r -> r
                .dbInstanceIdentifier("bitbucket-db").dbSnapshotIdentifier("bbdc-rp-1")
                .tags(rdsTag("bbdc:restore-point", "rp-1")))).dbSnapshot();
        assertThat(snap.dbSnapshotIdentifier()).isEqualTo("bbdc-rp-1");
        assertThat(snap.dbInstanceIdentifier()).isEqualTo("bitbucket-db");
        assertThat(snap.status()).isEqualTo("creating");
        assertThat(snap.percentProgress()).isBetween(0, 99);
        assertThat(snap.snapshotCreateTime()).isNotNull();
        assertThat(snap.engine()).isEqualTo("postgres");
        assertThat(snap.allocatedStorage()).isEqualTo(20);
        assertThat(snap.dbSnapshotArn()).endsWith(":snapshot:bbdc-rp-1");
        assertThat(snap.tagList()).anySatisfy(t -> assertThat(t.value()).isEqualTo("rp-1"));

        ok(RDS_MODEL, "AddTagsToResource", rds.addTagsToResource(r -> r.resourceName(snap.dbSnapshotArn())
                .tags(rdsTag("bbdc:durable-at", "2026-01-01T00:00:00Z"))));
        assertThat(ok(RDS_MODEL, "ListTagsForResource", rds.listTagsForResource(r -> r
                .resourceName(snap.dbSnapshotArn()))).tagList()).hasSize(2);

        DBSnapshot available = await(() -> ok(RDS_MODEL, "DescribeDBSnapshots", rds.describeDBSnapshots(r -> r
                .dbSnapshotIdentifier("bbdc-rp-1"))).dbSnapshots().get(0), s -> s.status().equals("available"));
        assertThat(available.percentProgress()).isEqualTo(100);
        aws.rds().seedSnapshots(REGION, "bitbucket-db", 25, Map.of("bbdc:instance", "other"));
        DescribeDbSnapshotsResponse page = ok(RDS_MODEL, "DescribeDBSnapshots", rds.describeDBSnapshots(r -> r
                .dbInstanceIdentifier("bitbucket-db").snapshotType("manual").maxRecords(20)));
        assertThat(page.dbSnapshots()).hasSize(20);
        assertThat(page.marker()).isNotBlank();

        DBSnapshot copy = ok(RDS_MODEL, "CopyDBSnapshot", rdsWest.copyDBSnapshot(r -> r
                .sourceDBSnapshotIdentifier(available.dbSnapshotArn()).targetDBSnapshotIdentifier("bbdc-rp-1")
                .kmsKeyId("arn:aws:kms:us-west-2:123456789012:key/dr").copyTags(true).sourceRegion(REGION)))
                .dbSnapshot();
        assertThat(copy.dbSnapshotArn()).startsWith("arn:aws:rds:" + WEST);
        assertThat(copy.sourceRegion()).isEqualTo(REGION);
        assertThat(copy.encrypted()).isTrue();

        DBInstance restored = ok(RDS_MODEL, "RestoreDBInstanceFromDBSnapshot", rds.restoreDBInstanceFromDBSnapshot(
                r -> r.dbInstanceIdentifier("bitbucket-db-rp-1").dbSnapshotIdentifier("bbdc-rp-1")
                        .dbInstanceClass("db.r6g.xlarge").tags(rdsTag("bbdc:restored-from", "bbdc-rp-1"))))
                .dbInstance();
        assertThat(restored.dbInstanceStatus()).isEqualTo("creating");
        assertThat(restored.endpoint()).isNull();
        DBInstance pitr = ok(RDS_MODEL, "RestoreDBInstanceToPointInTime", rds.restoreDBInstanceToPointInTime(r -> r
                .sourceDBInstanceIdentifier("bitbucket-db").targetDBInstanceIdentifier("bitbucket-db-pitr")
                .useLatestRestorableTime(true))).dbInstance();
        assertThat(pitr.dbInstanceIdentifier()).isEqualTo("bitbucket-db-pitr");
        DBInstance up = await(() -> ok(RDS_MODEL, "DescribeDBInstances", rds.describeDBInstances(r -> r
                .dbInstanceIdentifier("bitbucket-db-rp-1"))).dbInstances().get(0),
                d -> d.dbInstanceStatus().equals("available"));
        assertThat(up.endpoint().address()).contains("bitbucket-db-rp-1");
        assertThat(up.dbInstanceClass()).isEqualTo("db.r6g.xlarge");

        DBSnapshot deleted = ok(RDS_MODEL, "DeleteDBSnapshot", rds.deleteDBSnapshot(r -> r
                .dbSnapshotIdentifier("bbdc-rp-1"))).dbSnapshot();
        assertThat(deleted.status()).isEqualTo("deleted");
    }

    @Test
    void rdsClusterRepliesMatchTheModelAndCarryEveryFieldTheAuroraProviderReads() throws Exception {
        DBCluster source = ok(RDS_MODEL, "DescribeDBClusters", rds.describeDBClusters(r -> r
                .dbClusterIdentifier("bitbucket-aurora"))).dbClusters().get(0);
        assertThat(source.status()).isEqualTo("available");
        assertThat(source.engine()).isEqualTo("aurora-postgresql");
        assertThat(source.engineVersion()).isEqualTo("15.8");
        assertThat(source.backupRetentionPeriod()).isEqualTo(7);
        assertThat(source.latestRestorableTime()).isNotNull();
        assertThat(source.endpoint()).contains(".cluster-");
        assertThat(source.readerEndpoint()).contains(".cluster-ro-");
        assertThat(source.port()).isEqualTo(5432);
        assertThat(source.dbClusterMembers()).extracting(DBClusterMember::dbInstanceIdentifier,
                DBClusterMember::isClusterWriter).containsExactly(
                org.assertj.core.groups.Tuple.tuple("bitbucket-aurora-writer", true));
        assertThat(ok(RDS_MODEL, "DescribeDBInstances", rds.describeDBInstances(r -> r.filters(f -> f
                .name("db-cluster-id").values("bitbucket-aurora")))).dbInstances())
                .extracting(DBInstance::dbClusterIdentifier).containsExactly("bitbucket-aurora");

        DBClusterSnapshot snap = ok(RDS_MODEL, "CreateDBClusterSnapshot", rds.createDBClusterSnapshot(r -> r
                .dbClusterIdentifier("bitbucket-aurora").dbClusterSnapshotIdentifier("bbdc-rp-9")
                .tags(rdsTag("bbdc:restore-point", "rp-9")))).dbClusterSnapshot();
        assertThat(snap.dbClusterSnapshotIdentifier()).isEqualTo("bbdc-rp-9");
        assertThat(snap.dbClusterIdentifier()).isEqualTo("bitbucket-aurora");
        assertThat(snap.status()).isEqualTo("creating");
        assertThat(snap.snapshotCreateTime()).isNotNull();
        assertThat(snap.engine()).isEqualTo("aurora-postgresql");
        assertThat(snap.dbClusterSnapshotArn()).endsWith(":cluster-snapshot:bbdc-rp-9");
        assertThat(snap.tagList()).anySatisfy(t -> assertThat(t.value()).isEqualTo("rp-9"));
        DBClusterSnapshot available = await(() -> ok(RDS_MODEL, "DescribeDBClusterSnapshots",
                rds.describeDBClusterSnapshots(r -> r.dbClusterIdentifier("bitbucket-aurora").snapshotType("manual")))
                .dbClusterSnapshots().get(0), s -> s.status().equals("available"));
        assertThat(available.percentProgress()).isEqualTo(100);
        assertThat(available.allocatedStorage()).isEqualTo(20);

        DBClusterSnapshot copy = ok(RDS_MODEL, "CopyDBClusterSnapshot", rdsWest.copyDBClusterSnapshot(r -> r
                .sourceDBClusterSnapshotIdentifier(available.dbClusterSnapshotArn())
                .targetDBClusterSnapshotIdentifier("bbdc-rp-9").copyTags(true).sourceRegion(REGION)))
                .dbClusterSnapshot();
        assertThat(copy.dbClusterSnapshotArn()).startsWith("arn:aws:rds:" + WEST);

        DBCluster restored = ok(RDS_MODEL, "RestoreDBClusterFromSnapshot", rds.restoreDBClusterFromSnapshot(r -> r
                .dbClusterIdentifier("bb-aurora-snap").snapshotIdentifier("bbdc-rp-9")
                .engine("aurora-postgresql"))).dbCluster();
        assertThat(restored.status()).isEqualTo("creating");
        Instant fence = Instant.now().minusMillis(50);
        DBCluster pitr = ok(RDS_MODEL, "RestoreDBClusterToPointInTime", rds.restoreDBClusterToPointInTime(r -> r
                .sourceDBClusterIdentifier("bitbucket-aurora").dbClusterIdentifier("bb-aurora-pitr")
                .restoreToTime(fence))).dbCluster();
        assertThat(pitr.dbClusterIdentifier()).isEqualTo("bb-aurora-pitr");
        DBInstance writer = ok(RDS_MODEL, "CreateDBInstance", rds.createDBInstance(r -> r
                .dbInstanceIdentifier("bb-aurora-pitr-writer").dbClusterIdentifier("bb-aurora-pitr")
                .engine("aurora-postgresql").dbInstanceClass("db.r6g.large"))).dbInstance();
        assertThat(writer.dbClusterIdentifier()).isEqualTo("bb-aurora-pitr");
        DBCluster up = await(() -> ok(RDS_MODEL, "DescribeDBClusters", rds.describeDBClusters(r -> r
                .dbClusterIdentifier("bb-aurora-pitr"))).dbClusters().get(0), c -> c.status().equals("available"));
        assertThat(up.dbClusterMembers()).extracting(DBClusterMember::dbInstanceIdentifier)
                .containsExactly("bb-aurora-pitr-writer");

        DBClusterSnapshot deleted = ok(RDS_MODEL, "DeleteDBClusterSnapshot", rds.deleteDBClusterSnapshot(r -> r
                .dbClusterSnapshotIdentifier("bbdc-rp-9"))).dbClusterSnapshot();
        assertThat(deleted.dbClusterSnapshotIdentifier()).isEqualTo("bbdc-rp-9");
    }

    @Test
    void rdsErrorRepliesUseTheQueryEnvelope() {
        failed(RDS_MODEL, "DescribeDBSnapshots", 404, "DBSnapshotNotFound",
                () -> rds.describeDBSnapshots(r -> r.dbSnapshotIdentifier("no-such-snapshot")));
        aws.rds().limits(0, 20);
        failed(RDS_MODEL, "CreateDBSnapshot", 400, "SnapshotQuotaExceeded",
                () -> rds.createDBSnapshot(r -> r.dbInstanceIdentifier("bitbucket-db").dbSnapshotIdentifier("x")));
        aws.faults().deny("CreateDBClusterSnapshot");
        failed(RDS_MODEL, "CreateDBClusterSnapshot", 403, "AccessDenied", () -> rds.createDBClusterSnapshot(r -> r
                .dbClusterIdentifier("bitbucket-aurora").dbClusterSnapshotIdentifier("x")));
        aws.faults().throttle(1.0);
        failed(RDS_MODEL, "DescribeDBInstances", 400, "Throttling", () -> rds.describeDBInstances(r -> { }));
    }

    // ---------------------------------------------------------------- STS

    @Test
    void assumeRoleRepliesMatchTheModel() {
        Instant before = Instant.now();
        AssumeRoleResponse assumed = ok(STS_MODEL, "AssumeRole", sts.assumeRole(r -> r
                .roleArn("arn:aws:iam::123456789012:role/bbdc-backup").roleSessionName("bbdc-ops")
                .externalId("ext-42").durationSeconds(900)));
        assertThat(assumed.credentials().accessKeyId()).startsWith("ASIA");
        assertThat(assumed.credentials().secretAccessKey()).isNotBlank();
        assertThat(assumed.credentials().sessionToken()).isNotBlank();
        assertThat(assumed.credentials().expiration()).isBetween(before.plusSeconds(899), Instant.now()
                .plusSeconds(900));
        assertThat(assumed.assumedRoleUser().arn())
                .isEqualTo("arn:aws:sts::123456789012:assumed-role/bbdc-backup/bbdc-ops");
        assertThat(assumed.assumedRoleUser().assumedRoleId()).endsWith(":bbdc-ops");

        failed(STS_MODEL, "AssumeRole", 400, "ValidationError", () -> sts.assumeRole(r -> r
                .roleArn("arn:aws:iam::123456789012:role/bbdc-backup").roleSessionName("bbdc-ops")
                .durationSeconds(60)));
        aws.faults().deny("AssumeRole");
        failed(STS_MODEL, "AssumeRole", 403, "AccessDenied", () -> sts.assumeRole(r -> r
                .roleArn("arn:aws:iam::123456789012:role/bbdc-backup").roleSessionName("bbdc-ops")));
    }

    @Test
    void theListsOfActionsCoveredMatchWhatTheProvidersCall() {
        // a guard for this test itself: a provider calling a new action must get a model check here too
        List<String> checked = List.of("ec2:DescribeInstances", "ec2:DescribeVolumes", "ec2:CreateSnapshot",
                "ec2:CreateSnapshots", "ec2:DescribeSnapshots", "ec2:CopySnapshot", "ec2:CreateVolume",
                "ec2:DetachVolume", "ec2:AttachVolume", "ec2:CreateTags", "ec2:DeleteSnapshot",
                "rds:DescribeDBInstances", "rds:CreateDBSnapshot", "rds:AddTagsToResource",
                "rds:ListTagsForResource", "rds:DescribeDBSnapshots", "rds:CopyDBSnapshot",
                "rds:RestoreDBInstanceFromDBSnapshot", "rds:RestoreDBInstanceToPointInTime", "rds:DeleteDBSnapshot",
                "rds:DescribeDBClusters", "rds:CreateDBClusterSnapshot", "rds:DescribeDBClusterSnapshots",
                "rds:CopyDBClusterSnapshot", "rds:RestoreDBClusterFromSnapshot", "rds:RestoreDBClusterToPointInTime",
                "rds:CreateDBInstance", "rds:DeleteDBClusterSnapshot");
        assertThat(actionsCalledByTheProviders()).isNotEmpty().isSubsetOf(checked);
    }

    /** Every {@code "ec2:…"} / {@code "rds:…"} action the providers' sources pass to {@code AwsCalls}. */
    private static Set<String> actionsCalledByTheProviders() {
        java.nio.file.Path dir = java.nio.file.Path.of("src/main/java/io/jenkins/plugins/bbdc/core/provider/aws");
        java.util.regex.Pattern call = java.util.regex.Pattern.compile("\\.(?:read|write)\\(\"((?:ec2|rds):\\w+)\"");
        Set<String> out = new java.util.TreeSet<>();
        try (var files = java.nio.file.Files.list(dir)) {
            for (java.nio.file.Path f : files.toList()) {
                java.util.regex.Matcher m = call.matcher(java.nio.file.Files.readString(f));
                while (m.find()) {
                    out.add(m.group(1));
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }
}
