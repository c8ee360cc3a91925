package io.jenkins.plugins.bbdc.cli.config;

import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsClientFactory;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsCredentialsConfig;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsSettings;
import io.jenkins.plugins.bbdc.core.provider.aws.EbsConfig;
import io.jenkins.plugins.bbdc.core.provider.aws.EbsSnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.aws.RdsConfig;
import io.jenkins.plugins.bbdc.core.provider.aws.RdsSnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.netapp.OntapConfig;
import io.jenkins.plugins.bbdc.core.provider.netapp.OntapSnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.search.OpenSearchConfig;
import io.jenkins.plugins.bbdc.core.provider.search.OpenSearchSnapshotProvider;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;

/** Configuration of the AWS (EBS, RDS, Aurora) and OpenSearch providers; the AWS clients are closed by the caller. */
final class CloudProviders {
    private CloudProviders() {
    }

    static SnapshotProvider ebs(ConfigNode n, List<AutoCloseable> closeables) {
        n.allowOnly("region", "credentials", "endpoint", "volumeId", "instanceId", "excludeBootVolume",
                "excludeVolumeIds", "tags", "durableTimeout", "restore");
        EbsConfig.Builder b = EbsConfig.builder();
        if (n.has("volumeId")) {
            b.volumeId(n.string("volumeId"));
        }
        if (n.has("instanceId")) {
            b.instanceId(n.string("instanceId"));
        }
        b.excludeBootVolume(n.bool("excludeBootVolume", true))
                .excludeVolumeIds(new LinkedHashSet<>(n.strings("excludeVolumeIds")))
                .extraTags(RestoreSection.strings(n.child("tags")));
        if (n.has("durableTimeout")) {
            b.durableTimeout(n.duration("durableTimeout", null));
        }
        ConfigNode r = n.child("restore");
        r.allowOnly("availabilityZone", "instanceId", "volumeType", "iops", "throughput", "encrypted", "kmsKeyId");
        if (r.isPresent()) {
            b.restoreVolume(r.string("volumeType", null), r.optionalInteger("iops"), r.optionalInteger("throughput"));
            b.restoreEncryption(r.has("encrypted") ? r.bool("encrypted", false) : null, r.string("kmsKeyId", null));
            b.restoreTarget(r.string("availabilityZone", null), r.string("instanceId", null));
        }
        return new EbsSnapshotProvider(b.build(), clients(n, closeables));
    }

    static SnapshotProvider rds(ConfigNode n, List<AutoCloseable> closeables) {
        n.allowOnly("region", "credentials", "endpoint", "dbInstanceIdentifier", "dbClusterIdentifier", "tags",
                "waitTimeout", "restore");
        RdsConfig.Builder b = RdsConfig.builder();
        if (n.has("dbInstanceIdentifier")) {
            b.dbInstanceIdentifier(n.string("dbInstanceIdentifier"));
        }
        if (n.has("dbClusterIdentifier")) {
            b.dbClusterIdentifier(n.string("dbClusterIdentifier"));
        }
        b.extraTags(RestoreSection.strings(n.child("tags")));
        if (n.has("waitTimeout")) {
            b.waitTimeout(n.duration("waitTimeout", null));
        }
        ConfigNode r = n.child("restore");
        r.allowOnly("identifier", "instanceClass", "subnetGroupName", "securityGroupIds", "parameterGroupName",
                "clusterParameterGroupName", "multiAz");
        if (r.isPresent()) {
            b.restoreIdentifier(r.string("identifier", null)).instanceClass(r.string("instanceClass", null))
                    .subnetGroupName(r.string("subnetGroupName", null)).securityGroupIds(r.strings("securityGroupIds"))
                    .parameterGroupName(r.string("parameterGroupName", null))
                    .clusterParameterGroupName(r.string("clusterParameterGroupName", null))
                    .multiAz(r.has("multiAz") ? r.bool("multiAz", false) : null);
        }
        return new RdsSnapshotProvider(b.build(), clients(n, closeables));
    }

    static SnapshotProvider ontap(ConfigNode n) {
        n.allowOnly("url", "svm", "volume", "username", "password", "trustedCertificatePem", "connectTimeout",
                "readTimeout", "jobPollInterval", "jobTimeout");
        OntapConfig.Builder b = OntapConfig.builder().url(CliConfig.uri(n.child("url"), n.string("url")))
                .volume(n.string("svm"), n.string("volume"))
                .basicAuth(n.string("username"), n.secret("password").get())
                .timeouts(n.duration("connectTimeout", Duration.ofSeconds(10)),
                        n.duration("readTimeout", Duration.ofSeconds(60)))
                .jobs(n.duration("jobPollInterval", Duration.ofSeconds(2)), n.duration("jobTimeout",
                        Duration.ofMinutes(10)));
        if (n.has("trustedCertificatePem")) {
            try {
                b.trustedCertificatePem(java.nio.file.Files.readString(java.nio.file.Path.of(
                        n.string("trustedCertificatePem"))));
            } catch (java.io.IOException e) {
                throw n.child("trustedCertificatePem").error("cannot read the certificate file: " + e.getMessage());
            }
        }
        return new OntapSnapshotProvider(b.build());
    }

    static SnapshotProvider openSearch(ConfigNode n) {
        n.allowOnly("url", "repository", "indices", "username", "password", "apiKey", "createRepository",
                "connectTimeout", "readTimeout", "pollInterval", "waitTimeout");
        OpenSearchConfig.Builder b = OpenSearchConfig.builder().url(CliConfig.uri(n.child("url"), n.string("url")))
                .repository(n.string("repository", "bitbucket-snapshots"))
                .indices(n.string("indices", "bitbucket-search-v1"));
        if (n.has("username")) {
            b.basicAuth(n.string("username"), n.secret("password").get());
        } else if (n.has("apiKey")) {
            b.apiKey(n.secret("apiKey").get());
        }
        ConfigNode repo = n.child("createRepository");
        if (repo.isPresent()) {
            repo.allowOnly("type", "settings");
            b.createRepository(repo.string("type"), RestoreSection.strings(repo.child("settings")));
        }
        b.timeouts(n.duration("connectTimeout", Duration.ofSeconds(10)), n.duration("readTimeout",
                Duration.ofSeconds(60)));
        b.polling(n.duration("pollInterval", Duration.ofSeconds(2)), n.duration("waitTimeout", Duration.ofHours(2)));
        return new OpenSearchSnapshotProvider(b.build());
    }

    /**
     * {@code credentials}: absent = the SDK default chain; {@code {accessKeyId: {env: …}, secretAccessKey: {env: …}}};
     * with {@code roleArn} (+ externalId, sessionName, duration) the base credentials assume that role, refreshed
     * automatically.
     */
    static AwsClientFactory clients(ConfigNode n, List<AutoCloseable> closeables) {
        AwsSettings.Builder s = AwsSettings.builder().region(n.string("region"));
        ConfigNode c = n.child("credentials");
        AwsCredentialsConfig creds = AwsCredentialsConfig.defaultChain();
        if (c.isPresent()) {
            c.allowOnly("accessKeyId", "secretAccessKey", "sessionToken", "roleArn", "externalId", "sessionName",
                    "duration");
            if (c.has("accessKeyId")) {
                creds = AwsCredentialsConfig.staticKeys(c.secret("accessKeyId").get(), c.secret("secretAccessKey").get(),
                        c.has("sessionToken") ? c.secret("sessionToken").get() : null);
            }
            if (c.has("roleArn")) {
                creds = AwsCredentialsConfig.assumeRole(creds, c.string("roleArn"), c.string("externalId", null),
                        c.string("sessionName", "bbdc-ops"), c.duration("duration", Duration.ofHours(1)));
            }
        }
        s.credentials(creds);
        if (n.has("endpoint")) {
            s.endpointOverride(URI.create(n.string("endpoint")));
        }
        AwsClientFactory factory = new AwsClientFactory(s.build());
        closeables.add(factory);
        return factory;
    }
}
