package io.jenkins.plugins.bbdc.core.provider.aws;

import static io.jenkins.plugins.bbdc.core.provider.aws.AwsTestSupport.REGION;
import static io.jenkins.plugins.bbdc.core.provider.aws.AwsTestSupport.context;
import static io.jenkins.plugins.bbdc.core.provider.aws.AwsTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.event.OperationEvent;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.PreparedCapture;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.provider.RestoreOutcome;
import io.jenkins.plugins.bbdc.core.provider.RestoreRequest;
import io.jenkins.plugins.bbdc.core.provider.SnapshotInUseException;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.testkit.aws.AwsEndpoint;
import io.jenkins.plugins.bbdc.testkit.aws.CallRecord;
import io.jenkins.plugins.bbdc.testkit.aws.Ec2Fake;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The EBS provider through the real AWS SDK against the testkit's EC2 endpoint. */
class EbsSnapshotProviderTest {
    private AwsEndpoint aws;
    private AwsClientFactory clients;
    private String instance;
    private final EventSink.Collecting events = new EventSink.Collecting();
    private final AwsTestSupport.RecordingRunner runner = new AwsTestSupport.RecordingRunner(Set.of());

    @BeforeEach
    void start() {
        aws = AwsEndpoint.start(7);
        aws.ec2().timings(Duration.ofMillis(120), Duration.ofMillis(40), Duration.ofMillis(60));
        Map<String, Integer> devices = new LinkedHashMap<>();
        devices.put("/dev/xvda", 8);
        devices.put("/dev/xvdf", 100);
        devices.put("/dev/xvdg", 50);
        instance = aws.ec2().addInstance(REGION, "eu-west-1a", "/dev/xvda", devices);
        clients = AwsTestSupport.clients(aws);
    }

    @AfterEach
    void stop() {
        clients.close();
        aws.close();
    }

    private EbsSnapshotProvider instanceProvider() {
        return new EbsSnapshotProvider(EbsConfig.builder().instanceId(instance).build(), clients);
    }

    private ProviderContext ctx(ComponentRole role) {
        return context("bb-prod", role, runner, events);
    }

    private SnapshotRef backup(EbsSnapshotProvider p, String restorePoint, ComponentRole role) throws Exception {
        ProviderContext c = ctx(role);
        try (PreparedCapture prepared = p.prepare(c)) {
            SnapshotRef ref = p.capture(prepared, request(restorePoint, "bb-prod", role), c);
            return p.awaitDurable(prepared, ref, c);
        }
    }

    @Test
    void instanceModeSnapshotsEveryDataVolumeInOneCrashConsistentCall() throws Exception {
        EbsSnapshotProvider p = instanceProvider();
        ProviderContext c = ctx(ComponentRole.HOME);
        PreparedCapture prepared = p.prepare(c);
        SnapshotRef ref = p.capture(prepared, request("rp-1", "bb-prod", ComponentRole.HOME), c);

        assertThat(ref.durableAt()).as("capture returns before the snapshots complete").isNull();
        assertThat(aws.calls("CreateSnapshots")).singleElement().satisfies(call -> {
            assertThat(call.param("InstanceSpecification.InstanceId")).isEqualTo(instance);
            assertThat(call.param("InstanceSpecification.ExcludeBootVolume")).isEqualTo("true");
        });
        assertThat(aws.calls("CreateSnapshot")).isEmpty();
        assertThat(ref.attribute("devices")).isEqualTo("/dev/xvdf,/dev/xvdg");
        String xvdf = aws.ec2().volumeAt(REGION, instance, "/dev/xvdf");
        assertThat(ref.attribute("volume:/dev/xvdf")).isEqualTo(xvdf);
        assertThat(ref.sizeBytes()).isEqualTo(150L << 30);

        SnapshotRef durable = p.awaitDurable(prepared, ref, c);
        assertThat(durable.durableAt()).isNotNull();
        Ec2Fake.SnapshotView snap = aws.ec2().snapshot(REGION, ref.attribute("snapshot:/dev/xvdf")).orElseThrow();
        assertThat(snap.state()).isEqualTo("completed");
        assertThat(snap.volumeId()).isEqualTo(xvdf);
        assertThat(snap.tags()).containsEntry("bbdc:restore-point", "rp-1").containsEntry("bbdc:instance", "bb-prod")
                .containsEntry("bbdc:role", "home").containsEntry("bbdc:device", "/dev/xvdf")
                .containsEntry("Name", "bbdc-bb-prod-rp-1-home").containsKey("bbdc:durable-at");
        assertThat(events.events()).filteredOn(e -> "durable".equals(e.phase()))
                .extracting(OperationEvent::percent).contains(100);
    }

    @Test
    void volumeModeSnapshotsOneVolumeWithItsDevice() throws Exception {
        String volume = aws.ec2().volumeAt(REGION, instance, "/dev/xvdg");
        EbsSnapshotProvider p = new EbsSnapshotProvider(EbsConfig.builder().volumeId(volume).build(), clients);
        SnapshotRef ref = backup(p, "rp-7", ComponentRole.meshHome("mesh-1"));

        assertThat(aws.calls("CreateSnapshot")).singleElement()
                .satisfies(call -> assertThat(call.param("VolumeId")).isEqualTo(volume));
        assertThat(ref.attribute("devices")).isEqualTo("/dev/xvdg");
        assertThat(aws.ec2().snapshot(REGION, ref.id()).orElseThrow().tags())
                .containsEntry("bbdc:role", "mesh-home:mesh-1").containsEntry("bbdc:device", "/dev/xvdg");
    }

    @Test
    void listRebuildsRestorePointsOfThisInstanceAndRoleOnly() throws Exception {
        EbsSnapshotProvider p = instanceProvider();
        SnapshotRef first = backup(p, "rp-1", ComponentRole.HOME);
        SnapshotRef second = backup(p, "rp-2", ComponentRole.HOME);
        String other = aws.ec2().volumeAt(REGION, instance, "/dev/xvdg");
        aws.ec2().seedSnapshots(REGION, other, 3, Map.of("bbdc:instance", "bb-staging", "bbdc:role", "home",
                "bbdc:restore-point", "rp-x"));

        List<SnapshotRef> listed = p.list(ctx(ComponentRole.HOME));

        assertThat(listed).extracting(SnapshotRef::restorePointId).containsExactly("rp-1", "rp-2");
        assertThat(listed.get(0).id()).isEqualTo(first.id());
        assertThat(listed.get(1).attributes()).isEqualTo(second.attributes());
        assertThat(listed).allSatisfy(r -> assertThat(r.durableAt()).isNotNull());
        assertThat(p.list(ctx(ComponentRole.DATABASE))).isEmpty();
    }

    @Test
    void listPagesThroughThousandsOfSnapshots() throws Exception {
        String volume = aws.ec2().volumeAt(REGION, instance, "/dev/xvdf");
        for (int i = 0; i < 3000; i++) {
            aws.ec2().seedSnapshots(REGION, volume, 1, Map.of("bbdc:instance", "bb-prod", "bbdc:role", "home",
                    "bbdc:restore-point", String.format("rp-%04d", i), "bbdc:device", "/dev/xvdf"));
        }
        aws.ec2().seedSnapshots(REGION, volume, 200, Map.of("bbdc:instance", "bb-other", "bbdc:role", "home",
                "bbdc:restore-point", "rp-other"));

        for (int pageSize : new int[] {100, 500}) {
            aws.clearCalls();
            EbsSnapshotProvider p = new EbsSnapshotProvider(EbsConfig.builder().instanceId(instance)
                    .pageSize(pageSize).build(), clients);
            List<SnapshotRef> listed = p.list(ctx(ComponentRole.HOME));
            assertThat(listed).hasSize(3000);
            assertThat(listed).extracting(SnapshotRef::restorePointId).doesNotHaveDuplicates()
                    .doesNotContain("rp-other");
            assertThat(aws.calls("DescribeSnapshots")).hasSize(3000 / pageSize)
                    .allSatisfy(c -> assertThat(c.param("MaxResults")).isEqualTo(String.valueOf(pageSize)));
        }
    }

    @Test
    void aThrottlingStormDoesNotFailABackup() throws Exception {
        aws.faults().throttle(0.3).snapshotRateExceeded(0.2)
                // at least one rate refusal whatever the dice say
                .failNext("CreateSnapshots", 400, "SnapshotCreationPerVolumeRateExceeded", "The maximum per volume"
                        + " CreateSnapshot request rate has been exceeded.");
        EbsSnapshotProvider p = instanceProvider();
        List<SnapshotRef> refs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            refs.add(backup(p, "rp-" + i, ComponentRole.HOME));
        }
        assertThat(p.list(ctx(ComponentRole.HOME))).hasSize(5);
        for (SnapshotRef r : refs) {
            p.delete(r, ctx(ComponentRole.HOME));
        }

        assertThat(aws.calls()).filteredOn(c -> "RequestLimitExceeded".equals(c.errorCode())).isNotEmpty();
        assertThat(aws.calls()).filteredOn(c -> "SnapshotCreationPerVolumeRateExceeded".equals(c.errorCode()))
                .isNotEmpty();
        aws.faults().reset();
        assertThat(p.list(ctx(ComponentRole.HOME))).isEmpty();
        assertThat(aws.calls("CreateSnapshots")).filteredOn(CallRecord::succeeded).hasSize(5);
    }

    @Test
    void snapshotsPinnedByAnImageAreReportedAndTheRestIsDeleted() throws Exception {
        EbsSnapshotProvider p = instanceProvider();
        SnapshotRef ref = backup(p, "rp-1", ComponentRole.HOME);
        String pinned = ref.attribute("snapshot:/dev/xvdf");
        String free = ref.attribute("snapshot:/dev/xvdg");
        String ami = aws.ec2().registerImage(REGION, pinned);

        assertThatThrownBy(() -> p.delete(ref, ctx(ComponentRole.HOME)))
                .isInstanceOf(SnapshotInUseException.class)
                .hasMessageContaining(pinned).hasMessageContaining(ami)
                .satisfies(e -> assertThat(((SnapshotInUseException) e).inUse()).containsExactly(
                        Map.entry(pinned, ami)));
        assertThat(aws.ec2().snapshot(REGION, free)).isEmpty();
        assertThat(aws.ec2().snapshot(REGION, pinned)).isPresent();

        aws.ec2().deregisterImage(REGION, ami);
        p.delete(ref, ctx(ComponentRole.HOME));
        assertThat(aws.ec2().snapshot(REGION, pinned)).isEmpty();
        p.delete(ref, ctx(ComponentRole.HOME)); // already gone: not an error
    }

    @Test
    void accessDeniedNamesTheMissingIamAction() throws Exception {
        aws.faults().deny("CreateSnapshots");
        EbsSnapshotProvider p = instanceProvider();
        ProviderContext c = ctx(ComponentRole.HOME);
        PreparedCapture prepared = p.prepare(c);
        assertThatThrownBy(() -> p.capture(prepared, request("rp-1", "bb-prod", ComponentRole.HOME), c))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("ec2:CreateSnapshots").hasMessageContaining("UnauthorizedOperation");
        assertThat(aws.ec2().snapshots(REGION)).isEmpty();
    }

    @Test
    void theRegionalSnapshotQuotaFailsAtOnceNamingIt() throws Exception {
        aws.faults().failNext("CreateSnapshots", 400, "SnapshotLimitExceeded",
                "You've reached the limit on the number of Amazon EBS snapshots that you can create.");
        EbsSnapshotProvider p = instanceProvider();
        ProviderContext c = ctx(ComponentRole.HOME);
        PreparedCapture prepared = p.prepare(c);
        assertThatThrownBy(() -> p.capture(prepared, request("rp-1", "bb-prod", ComponentRole.HOME), c))
                .isInstanceOf(AwsCallException.class)
                .hasMessageContaining("AWS quota reached for ec2:CreateSnapshots (SnapshotLimitExceeded)")
                .hasMessageContaining("'Snapshots per Region (Amazon EBS)' quota")
                .hasMessageContaining("Delete snapshots that are no longer needed");
        assertThat(aws.calls("CreateSnapshots")).singleElement();
    }

    @Test
    void aMissingRegionIsAConfigurationErrorNotUsEast1() {
        AwsSettings noRegion = AwsTestSupport.settings(aws).region(null).build();
        assertThatThrownBy(() -> new AwsClientFactory(noRegion))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("region is not set").hasMessageContaining("never guessed");
        assertThatThrownBy(() -> new AwsClientFactory(AwsTestSupport.settings(aws).region("Ireland").build()))
                .hasMessageContaining("'Ireland' is not an AWS region");
        assertThat(aws.calls()).isEmpty();
    }

    @Test
    void restoreRefusesToReplaceALiveVolumeWithoutPermission() throws Exception {
        EbsSnapshotProvider p = instanceProvider();
        SnapshotRef ref = backup(p, "rp-1", ComponentRole.HOME);
        int volumesBefore = aws.ec2().volumes(REGION).size();

        assertThatThrownBy(() -> p.restore(ref, new RestoreRequest(Map.of(), false, null, false, false),
                ctx(ComponentRole.HOME))).hasMessageContaining("allowReplace").hasMessageContaining("/dev/xvdf");
        assertThat(aws.ec2().volumes(REGION)).hasSize(volumesBefore);
    }

    @Test
    void restoreCreatesVolumesWaitsForTheDetachAndAttachesAndMounts() throws Exception {
        EbsSnapshotProvider p = new EbsSnapshotProvider(EbsConfig.builder().instanceId(instance)
                .restoreVolume("gp3", 6000, 500).restoreEncryption(true, "arn:aws:kms:eu-west-1:123456789012:key/k1")
                .mountPoint("/dev/xvdf", "/var/atlassian/shared").osDevice("/dev/xvdf", "/dev/nvme1n1").build(),
                clients);
        SnapshotRef ref = backup(p, "rp-1", ComponentRole.HOME);
        String oldF = aws.ec2().volumeAt(REGION, instance, "/dev/xvdf");

        RestoreOutcome out = p.restore(ref, new RestoreRequest(Map.of(), true, null, false, false),
                ctx(ComponentRole.HOME));

        String newF = out.location().get("volume:/dev/xvdf");
        assertThat(aws.ec2().volumeAt(REGION, instance, "/dev/xvdf")).isEqualTo(newF).isNotEqualTo(oldF);
        Ec2Fake.VolumeView v = aws.ec2().volume(REGION, newF).orElseThrow();
        assertThat(v.attachmentState()).isEqualTo("attached");
        assertThat(v).extracting(Ec2Fake.VolumeView::type, Ec2Fake.VolumeView::iops, Ec2Fake.VolumeView::throughput,
                Ec2Fake.VolumeView::encrypted, Ec2Fake.VolumeView::kmsKeyId, Ec2Fake.VolumeView::availabilityZone)
                .containsExactly("gp3", 6000, 500, true, "arn:aws:kms:eu-west-1:123456789012:key/k1", "eu-west-1a");
        assertThat(v.snapshotId()).isEqualTo(ref.attribute("snapshot:/dev/xvdf"));
        Ec2Fake.VolumeView old = aws.ec2().volume(REGION, oldF).orElseThrow();
        assertThat(old.state()).as("the old volume is kept, detached").isEqualTo("available");
        assertThat(old.tags()).containsEntry("bbdc:replaced-by", newF);
        assertThat(aws.calls("AttachVolume")).allSatisfy(c -> assertThat(c.succeeded()).isTrue());
        assertThat(runner.commands).containsExactly(List.of("mountpoint", "-q", "/var/atlassian/shared"),
                List.of("umount", "/var/atlassian/shared"), List.of("mount", "/dev/nvme1n1", "/var/atlassian/shared"));
        assertThat(out.operatorSteps()).anySatisfy(s -> assertThat(s).contains(oldF).contains("kept"));
    }

    @Test
    void scratchRestoreLeavesTheLiveInstanceAlone() throws Exception {
        EbsSnapshotProvider p = instanceProvider();
        SnapshotRef ref = backup(p, "rp-1", ComponentRole.HOME);
        String live = aws.ec2().volumeAt(REGION, instance, "/dev/xvdf");

        RestoreOutcome out = p.restore(ref, new RestoreRequest(Map.of(), false, null, true, false),
                ctx(ComponentRole.HOME));

        assertThat(aws.ec2().volumeAt(REGION, instance, "/dev/xvdf")).isEqualTo(live);
        assertThat(aws.calls("DetachVolume")).isEmpty();
        String scratch = out.location().get("volume:/dev/xvdf");
        assertThat(aws.ec2().volume(REGION, scratch).orElseThrow().tags()).containsEntry("bbdc:scratch", "true");
        assertThat(out.operatorSteps()).anySatisfy(s -> assertThat(s).contains("delete").contains(scratch));
    }

    @Test
    void copyToAnotherRegionWithKmsQueuesBehindTheCopyLimit() throws Exception {
        aws.ec2().limits(5, 1);
        EbsSnapshotProvider p = instanceProvider();
        SnapshotRef ref = backup(p, "rp-1", ComponentRole.HOME);
        // each copy stays pending long enough for the second CopySnapshot to meet the limit of one
        aws.ec2().timings(Duration.ofMillis(1000), Duration.ofMillis(40), Duration.ofMillis(60));
        String key = "arn:aws:kms:us-west-2:123456789012:key/dr";

        SnapshotRef copy = p.copy(ref, Map.of("region", "us-west-2", "kmsKeyId", key), ctx(ComponentRole.HOME));

        assertThat(copy.attribute("region")).isEqualTo("us-west-2");
        assertThat(copy.durableAt()).isNotNull();
        assertThat(copy.restorePointId()).isEqualTo("rp-1");
        assertThat(copy.capturedAt()).isEqualTo(ref.capturedAt());
        Ec2Fake.SnapshotView c = aws.ec2().snapshot("us-west-2", copy.attribute("snapshot:/dev/xvdg")).orElseThrow();
        assertThat(c.state()).isEqualTo("completed");
        assertThat(c.encrypted()).isTrue();
        assertThat(c.kmsKeyId()).isEqualTo(key);
        assertThat(c.copiedFrom()).isEqualTo(REGION + "/" + ref.attribute("snapshot:/dev/xvdg"));
        assertThat(c.tags()).containsEntry("bbdc:restore-point", "rp-1").containsEntry("bbdc:device", "/dev/xvdg");
        assertThat(aws.calls("CopySnapshot")).filteredOn(r -> "ResourceLimitExceeded".equals(r.errorCode()))
                .as("the second copy waited for the first").isNotEmpty();
        assertThat(aws.calls("CopySnapshot")).allSatisfy(r -> assertThat(r.region()).isEqualTo("us-west-2"));
    }

    @Test
    void assumedRoleCredentialsSignTheCalls() throws Exception {
        AwsSettings settings = AwsTestSupport.settings(aws).credentials(AwsCredentialsConfig.assumeRole(
                AwsCredentialsConfig.staticKeys("AKIABASE", "base-secret", null),
                "arn:aws:iam::123456789012:role/bbdc-backup", "ext-42", "bbdc-test", Duration.ofMinutes(15)))
                .build();
        try (AwsClientFactory assumed = new AwsClientFactory(settings)) {
            EbsSnapshotProvider p = new EbsSnapshotProvider(EbsConfig.builder().instanceId(instance).build(), assumed);
            p.prepare(ctx(ComponentRole.HOME));
        }
        assertThat(aws.assumedRoles()).singleElement().satisfies(r -> assertThat(r)
                .containsEntry("RoleArn", "arn:aws:iam::123456789012:role/bbdc-backup")
                .containsEntry("ExternalId", "ext-42").containsEntry("RoleSessionName", "bbdc-test")
                .containsEntry("DurationSeconds", "900").containsEntry("SignedBy", "AKIABASE"));
        assertThat(aws.calls("AssumeRole")).singleElement()
                .satisfies(c -> assertThat(c.param("DurationSeconds")).isEqualTo("900"));
        String key = aws.assumedRoles().get(0).get("AccessKeyId");
        assertThat(aws.calls("DescribeInstances")).singleElement()
                .satisfies(c -> assertThat(c.accessKeyId()).isEqualTo(key));
        assertThat(settings.toString()).doesNotContain("base-secret");
    }

    @Test
    void anAssumedRoleIsRenewedBeforeItExpiresAndCallsKeepSucceeding() throws Exception {
        // a 15-minute session renewed from 2 s after it was granted (every call waits for it from 2.5 s), instead of
        // the SDK's 5 min / 1 min before expiry, so that the renewal happens within the test
        Duration session = Duration.ofMinutes(15);
        AwsCredentialsConfig role = AwsCredentialsConfig.assumeRole(
                AwsCredentialsConfig.staticKeys("AKIABASE", "base-secret", null),
                "arn:aws:iam::123456789012:role/bbdc-backup", null, "bbdc-renew", session)
                .renewing(session.minusMillis(2000), session.minusMillis(2500));
        try (AwsClientFactory assumed = new AwsClientFactory(AwsTestSupport.settings(aws).credentials(role).build())) {
            EbsSnapshotProvider p = new EbsSnapshotProvider(EbsConfig.builder().instanceId(instance).build(), assumed);
            long granted = System.nanoTime();
            p.prepare(ctx(ComponentRole.HOME));
            p.prepare(ctx(ComponentRole.HOME));
            if (Duration.ofNanos(System.nanoTime() - granted).compareTo(Duration.ofMillis(1800)) < 0) {
                assertThat(aws.assumedRoles()).as("fresh credentials are reused").hasSize(1);
            }
            Thread.sleep(Math.max(0, 2700 - Duration.ofNanos(System.nanoTime() - granted).toMillis()));

            SnapshotRef ref = backup(p, "rp-1", ComponentRole.HOME);

            assertThat(ref.durableAt()).isNotNull();
            assertThat(aws.assumedRoles()).hasSizeGreaterThanOrEqualTo(2).allSatisfy(r -> assertThat(r)
                    .containsEntry("DurationSeconds", "900").containsEntry("SignedBy", "AKIABASE")
                    .containsEntry("RoleSessionName", "bbdc-renew"));
            String first = aws.assumedRoles().get(0).get("AccessKeyId");
            String renewed = aws.assumedRoles().get(aws.assumedRoles().size() - 1).get("AccessKeyId");
            assertThat(renewed).isNotEqualTo(first);
            assertThat(aws.calls("DescribeInstances").get(0).accessKeyId()).isEqualTo(first);
            assertThat(aws.calls("CreateSnapshots")).singleElement().satisfies(c -> {
                assertThat(c.succeeded()).isTrue();
                assertThat(c.accessKeyId()).as("signed with the renewed session").isEqualTo(renewed);
            });
        }
    }

    @Test
    void aCaptureQueuesBehindThePendingSnapshotLimitOfAVolume() throws Exception {
        aws.ec2().limits(1, 20);
        // the first snapshot stays pending long enough for the second request to meet the limit
        aws.ec2().timings(Duration.ofMillis(1500), Duration.ofMillis(40), Duration.ofMillis(60));
        String volume = aws.ec2().volumeAt(REGION, instance, "/dev/xvdf");
        EbsSnapshotProvider p = new EbsSnapshotProvider(EbsConfig.builder().volumeId(volume).build(), clients);
        ProviderContext c = ctx(ComponentRole.HOME);
        PreparedCapture prepared = p.prepare(c);
        SnapshotRef first = p.capture(prepared, request("rp-1", "bb-prod", ComponentRole.HOME), c);
        SnapshotRef second = p.capture(prepared, request("rp-2", "bb-prod", ComponentRole.HOME), c);

        assertThat(aws.calls("CreateSnapshot")).filteredOn(r -> "ConcurrentSnapshotLimitExceeded".equals(r.errorCode()))
                .as("the second snapshot waited for the first").isNotEmpty();
        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(p.awaitDurable(prepared, second, c).durableAt()).isNotNull();
    }

    @Test
    void theFsfreezeWrapperFreezesExactlyAroundTheSnapshotCall() throws Exception {
        List<String> log = new ArrayList<>();
        io.jenkins.plugins.bbdc.core.exec.CommandRunner host = spec -> {
            String cmd = String.join(" ", spec.command());
            synchronized (log) {
                log.add(spec.command().get(0) + (spec.command().get(0).equals("fsfreeze") ? " "
                        + spec.command().get(1) : "") + " after " + aws.calls("CreateSnapshots").size()
                        + " snapshot calls");
            }
            String out = cmd.startsWith("env") ? "4242\n" : "";
            return new io.jenkins.plugins.bbdc.core.exec.CommandResult(spec.command(), 0, out, "", 1);
        };
        io.jenkins.plugins.bbdc.core.provider.fs.FsfreezeProvider frozen =
                new io.jenkins.plugins.bbdc.core.provider.fs.FsfreezeProvider(instanceProvider(),
                        List.of("/var/atlassian/shared"), Duration.ofSeconds(30));
        ProviderContext c = context("bb-prod", ComponentRole.HOME, host, events);
        PreparedCapture prepared = frozen.prepare(c);
        SnapshotRef ref = frozen.capture(prepared, request("rp-1", "bb-prod", ComponentRole.HOME), c);

        assertThat(ref.provider()).isEqualTo("ebs");
        assertThat(log).contains("fsfreeze -f after 0 snapshot calls", "fsfreeze -u after 1 snapshot calls");
        assertThat(log.indexOf("fsfreeze -f after 0 snapshot calls"))
                .isLessThan(log.indexOf("fsfreeze -u after 1 snapshot calls"));
        assertThat(frozen.awaitDurable(prepared, ref, c).durableAt()).isNotNull();
    }
}
