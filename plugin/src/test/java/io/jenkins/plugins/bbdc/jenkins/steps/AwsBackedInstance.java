package io.jenkins.plugins.bbdc.jenkins.steps;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdmin;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.provider.AwsComponentProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.ClosingProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.EbsSnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.RdsSnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.util.BitbucketClients;
import io.jenkins.plugins.bbdc.jenkins.util.UsernamePassword;
import io.jenkins.plugins.bbdc.testkit.aws.AwsEndpoint;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A configured Bitbucket instance {@code prod} on real parts, for the step tests that run the engines on AWS
 * providers: the Bitbucket simulator (one node, administrator {@code jenkins-ops}), the testkit AWS endpoint whose
 * snapshots complete at once (so the providers' production poll interval is never waited for), an EBS home volume
 * and the RDS instance {@code bitbucket-db} in {@link #REGION}, and the catalog in the given directory. The home and
 * database providers are the instance's own objects: a test changes them in place.
 */
final class AwsBackedInstance implements AutoCloseable {
    static final String REGION = "eu-west-1";

    final AwsEndpoint aws;
    final BitbucketSimulator sim;
    final BitbucketInstance instance;
    final EbsSnapshotProvider home;
    final RdsSnapshotProvider database;
    final LocalServices services = new LocalServices("none", new UsernamePassword("none", "none"));
    /** Every event the engines reported, as {@code LEVEL phase: message}. */
    final List<String> log = new ArrayList<>();
    private final String password;

    AwsBackedInstance(long seed, String password, Path catalog) {
        this.password = password;
        aws = AwsEndpoint.start(seed);
        aws.ec2().timings(Duration.ZERO, Duration.ZERO, Duration.ZERO);
        aws.rds().timings(Duration.ZERO, Duration.ZERO);
        aws.rds().addInstance(REGION, "bitbucket-db", "db.m6g.large", 7);
        sim = BitbucketSimulator.builder().nodes(1).user("jenkins-ops", password, true).start();
        instance = new BitbucketInstance("prod", sim.baseUrl().toString(), "bb-admin");
        instance.setBackupMode("ZERO_DOWNTIME");
        instance.setCatalogDirectory(catalog.toString());
        home = connected(new EbsSnapshotProvider(REGION));
        home.setVolumeId(aws.ec2().addVolume(REGION, REGION + "a", 100, "gp3"));
        instance.setHome(home);
        database = connected(new RdsSnapshotProvider("bitbucket-db", REGION));
        instance.setDatabase(database);
    }

    /** An AWS provider that reaches the testkit endpoint with the build's AWS credentials entry. */
    <T extends AwsComponentProvider> T connected(T p) {
        p.setCredentialsId("aws-prod");
        p.setEndpointUrl(aws.url().toString());
        return p;
    }

    BitbucketAdmin admin() throws Exception {
        return BitbucketClients.open(sim.baseUrl().toString(), null, new UsernamePassword("jenkins-ops", password));
    }

    void record(io.jenkins.plugins.bbdc.core.event.OperationEvent e) {
        log.add(e.level() + " " + e.phase() + ": " + e.message());
    }

    /** What {@code bitbucketRestore} (and its freestyle builder) hands the restore engine for {@code target}. */
    Map<String, Object> restore(BitbucketInstance target, BitbucketRestoreStep step)
            throws Exception {
        RestoreArguments args = step.arguments();
        Map<String, SnapshotProvider> providers = ComponentChoice.toEngine(args.components.resolve(target), services);
        try {
            return RestoreOperation.run(target, args, providers, null, new ProcessCommandRunner(),
                    io.jenkins.plugins.bbdc.core.restore.RestoreEngine.SharedHomeWork.LOCAL,
                    Path.of(target.getCatalogDirectory()), this::record);
        } finally {
            ClosingProvider.closeAll(providers.values());
        }
    }

    @Override
    public void close() {
        sim.close();
        aws.close();
    }
}
