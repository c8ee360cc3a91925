package io.jenkins.plugins.bbdc.cli.config;

import io.jenkins.plugins.bbdc.core.provider.HttpProxy;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Configuration of the AWS (EBS, RDS, Aurora) and HTTP-API (ONTAP, OpenSearch) providers. Each provider's keys are an
 * allow-list below; a key left out keeps core's default (defaults are never repeated here). The AWS clients are
 * closed by the caller; every provider's calls go through the {@code proxy} section, if there is one.
 */
final class CloudProviders {
    /** Keys every AWS provider section takes (also {@code upgrade.cloudFormation}, with its own list). */
    static final List<String> AWS_KEYS = List.of("region", "credentials", "endpoint", "connectTimeout",
            "readTimeout");
    static final List<String> EBS_KEYS = with(AWS_KEYS, "volumeId", "instanceId", "excludeBootVolume",
            "excludeVolumeIds", "tags", "durableTimeout", "pageSize", "restore", "copy");
    static final List<String> EBS_RESTORE_KEYS = List.of("availabilityZone", "instanceId", "volumeType", "iops",
            "throughput", "encrypted", "kmsKeyId", "devices");
    static final List<String> EBS_DEVICE_KEYS = List.of("mountPoint", "osDevice");
    static final List<String> AURORA_KEYS = with(AWS_KEYS, "dbClusterIdentifier", "tags", "waitTimeout",
            "restorableWaitTimeout", "pageSize", "restore", "copy");
    static final List<String> RDS_KEYS = with(AURORA_KEYS, "dbInstanceIdentifier");
    static final List<String> AURORA_RESTORE_KEYS = List.of("identifier", "instanceClass", "subnetGroupName",
            "securityGroupIds", "parameterGroupName", "clusterParameterGroupName");
    static final List<String> RDS_RESTORE_KEYS = with(AURORA_RESTORE_KEYS, "multiAz");
    /** Keys of a provider's {@code copy} block: the backup engine copies the snapshots there once complete. */
    static final List<String> COPY_KEYS = List.of("region", "kmsKeyId");
    static final List<String> CREDENTIALS_KEYS = List.of("accessKeyId", "secretAccessKey", "sessionToken", "roleArn",
            "externalId", "sessionName", "duration");
    static final List<String> ONTAP_KEYS = List.of("url", "svm", "volume", "username", "password",
            "trustedCertificatePem", "connectTimeout", "readTimeout", "jobPollInterval", "jobTimeout", "pageSize");
    static final List<String> OPENSEARCH_KEYS = List.of("url", "repository", "indices", "username", "password",
            "apiKey", "createRepository", "trustedCertificatePem", "connectTimeout", "readTimeout", "pollInterval",
            "waitTimeout");

    private CloudProviders() {
    }

    static List<String> with(List<String> keys, String... more) {
        return Stream.concat(keys.stream(), Stream.of(more)).toList();
    }

    static SnapshotProvider ebs(ConfigNode n, ProxySettings proxy, List<AutoCloseable> closeables) {
        EbsConfig config = ebsConfig(n);
        return new EbsSnapshotProvider(config, clients(n, proxy, closeables));
    }

    static SnapshotProvider rds(ConfigNode n, ProxySettings proxy, List<AutoCloseable> closeables) {
        RdsConfig config = rdsConfig(n, false);
        return new RdsSnapshotProvider(config, clients(n, proxy, closeables));
    }

    static SnapshotProvider aurora(ConfigNode n, ProxySettings proxy, List<AutoCloseable> closeables) {
        RdsConfig config = rdsConfig(n, true);
        return new RdsSnapshotProvider(config, clients(n, proxy, closeables));
    }

    static SnapshotProvider ontap(ConfigNode n, ProxySettings proxy) {
        return new OntapSnapshotProvider(ontapConfig(n, proxy));
    }

    static SnapshotProvider openSearch(ConfigNode n, ProxySettings proxy) {
        return new OpenSearchSnapshotProvider(openSearchConfig(n, proxy));
    }

    static EbsConfig ebsConfig(ConfigNode n) {
        n.allowOnly(EBS_KEYS);
        EbsConfig.Builder b = EbsConfig.builder();
        if (n.has("volumeId")) {
            b.volumeId(n.string("volumeId"));
        }
        if (n.has("instanceId")) {
            b.instanceId(n.string("instanceId"));
        }
        if (n.has("excludeBootVolume")) {
            b.excludeBootVolume(n.bool("excludeBootVolume", true));
        }
        b.excludeVolumeIds(new LinkedHashSet<>(n.strings("excludeVolumeIds")))
                .extraTags(RestoreSection.strings(n.child("tags")));
        if (n.has("durableTimeout")) {
            b.durableTimeout(n.duration("durableTimeout", null));
        }
        if (n.has("pageSize")) {
            b.pageSize(n.integer("pageSize", 0));
        }
        ConfigNode r = n.child("restore");
        r.allowOnly(EBS_RESTORE_KEYS);
        if (r.isPresent()) {
            b.restoreVolume(r.string("volumeType", null), r.optionalInteger("iops"), r.optionalInteger("throughput"));
            b.restoreEncryption(r.has("encrypted") ? r.bool("encrypted", false) : null, r.string("kmsKeyId", null));
            b.restoreTarget(r.string("availabilityZone", null), r.string("instanceId", null));
            devices(r.child("devices"), b);
        }
        return b.build();
    }

    /** {@code devices: {/dev/xvdf: {mountPoint: /srv/bitbucket, osDevice: /dev/nvme1n1}}}, by EC2 device name. */
    private static void devices(ConfigNode devices, EbsConfig.Builder b) {
        for (Map.Entry<String, ConfigNode> e : devices.entries().entrySet()) {
            String device = e.getKey();
            ConfigNode d = e.getValue().requireObject().allowOnly(EBS_DEVICE_KEYS);
            if (!device.startsWith("/dev/")) {
                throw d.error("'" + device + "' is not an EC2 device name: use the device the volume is attached at,"
                        + " for example /dev/xvdf or /dev/sdf");
            }
            if (!d.has("mountPoint") && !d.has("osDevice")) {
                throw d.error("expected mountPoint (where to mount the restored volume) and/or osDevice (the name"
                        + " the operating system gives it)");
            }
            if (d.has("mountPoint")) {
                String mountPoint = d.string("mountPoint");
                if (!mountPoint.startsWith("/")) {
                    throw d.child("mountPoint").error("'" + mountPoint + "' is not an absolute path");
                }
                b.mountPoint(device, mountPoint);
            }
            if (d.has("osDevice")) {
                String osDevice = d.string("osDevice");
                if (!osDevice.startsWith("/dev/")) {
                    throw d.child("osDevice").error("'" + osDevice + "' is not a device path: expected for example"
                            + " /dev/nvme1n1 or /dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol…");
                }
                b.osDevice(device, osDevice);
            }
        }
    }

    /** {@code aurora}: a cluster only; {@code rds}: an instance, or a cluster given as dbClusterIdentifier. */
    static RdsConfig rdsConfig(ConfigNode n, boolean aurora) {
        n.allowOnly(aurora ? AURORA_KEYS : RDS_KEYS);
        if (aurora && !n.has("dbClusterIdentifier")) {
            throw n.child("dbClusterIdentifier").error("required: the identifier of the Aurora PostgreSQL cluster");
        }
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
        if (n.has("restorableWaitTimeout")) {
            b.restorableWaitTimeout(n.duration("restorableWaitTimeout", null));
        }
        if (n.has("pageSize")) {
            b.pageSize(n.integer("pageSize", 0));
        }
        ConfigNode r = n.child("restore");
        r.allowOnly(aurora ? AURORA_RESTORE_KEYS : RDS_RESTORE_KEYS);
        if (r.isPresent()) {
            b.restoreIdentifier(r.string("identifier", null)).instanceClass(r.string("instanceClass", null))
                    .subnetGroupName(r.string("subnetGroupName", null)).securityGroupIds(r.strings("securityGroupIds"))
                    .parameterGroupName(r.string("parameterGroupName", null))
                    .clusterParameterGroupName(r.string("clusterParameterGroupName", null))
                    .multiAz(r.has("multiAz") ? r.bool("multiAz", false) : null);
        }
        return b.build();
    }

    static OntapConfig ontapConfig(ConfigNode n, ProxySettings proxy) {
        n.allowOnly(ONTAP_KEYS);
        OntapConfig defaults = OntapConfig.builder().build();
        OntapConfig.Builder b = OntapConfig.builder().url(CliConfig.uri(n.child("url"), n.string("url")))
                .volume(n.string("svm"), n.string("volume"))
                .basicAuth(n.string("username"), n.secret("password").get())
                .timeouts(n.duration("connectTimeout", defaults.connectTimeout()),
                        n.duration("readTimeout", defaults.readTimeout()))
                .jobs(n.duration("jobPollInterval", defaults.pollInterval()),
                        n.duration("jobTimeout", defaults.jobTimeout()));
        if (n.has("pageSize")) {
            b.pageSize(n.integer("pageSize", 0));
        }
        if (n.has("trustedCertificatePem")) {
            b.trustedCertificatePem(readFile(n.child("trustedCertificatePem"), "certificate"));
        }
        return b.proxy(httpProxy(n, proxy)).build();
    }

    static OpenSearchConfig openSearchConfig(ConfigNode n, ProxySettings proxy) {
        n.allowOnly(OPENSEARCH_KEYS);
        OpenSearchConfig defaults = OpenSearchConfig.builder().build();
        OpenSearchConfig.Builder b = OpenSearchConfig.builder().url(CliConfig.uri(n.child("url"), n.string("url")))
                .repository(n.string("repository", defaults.repository()))
                .indices(n.string("indices", defaults.indices()));
        if (n.has("username")) {
            if (n.has("apiKey")) {
                throw n.child("apiKey").error("give either username and password or apiKey, not both");
            }
            b.basicAuth(n.string("username"), n.secret("password").get());
        } else if (n.has("password")) {
            throw n.child("password").error("only meaningful with username: the user it belongs to");
        } else if (n.has("apiKey")) {
            b.apiKey(n.secret("apiKey").get());
        }
        ConfigNode repo = n.child("createRepository");
        if (repo.isPresent()) {
            repo.allowOnly("type", "settings");
            b.createRepository(repo.string("type"), RestoreSection.strings(repo.child("settings")));
        }
        b.timeouts(n.duration("connectTimeout", defaults.connectTimeout()),
                n.duration("readTimeout", defaults.readTimeout()));
        b.polling(n.duration("pollInterval", defaults.pollInterval()),
                n.duration("waitTimeout", defaults.waitTimeout()));
        if (n.has("trustedCertificatePem")) {
            b.trustedCertificatePem(readFile(n.child("trustedCertificatePem"), "certificate"));
        }
        return b.proxy(httpProxy(n, proxy)).build();
    }

    private static HttpProxy httpProxy(ConfigNode where, ProxySettings proxy) {
        try {
            return proxy.toHttpProxy();
        } catch (IllegalArgumentException e) {
            throw where.error("proxy: " + e.getMessage());
        }
    }

    private static String readFile(ConfigNode where, String what) {
        try {
            return Files.readString(Path.of(where.asText()));
        } catch (IOException e) {
            throw where.error("cannot read the " + what + " file: " + e.getMessage());
        }
    }

    /**
     * AWS clients for a section with {@code region}, optional {@code credentials}, {@code endpoint} and timeouts, through
     * the proxy if one is configured; closed with the provider factory.
     */
    static AwsClientFactory clients(ConfigNode n, ProxySettings proxy, List<AutoCloseable> closeables) {
        AwsClientFactory factory = new AwsClientFactory(awsSettings(n, proxy));
        closeables.add(factory);
        return factory;
    }

    static AwsSettings awsSettings(ConfigNode n, ProxySettings proxy) {
        if (!n.has("region")) {
            throw n.child("region").error("required: the AWS region, for example eu-west-1 (it is never guessed:"
                    + " there is no default region)");
        }
        AwsSettings defaults = AwsSettings.builder().build();
        AwsSettings.Builder s = AwsSettings.builder().region(n.string("region")).credentials(credentials(n.child(
                "credentials"))).timeouts(n.duration("connectTimeout", defaults.connectTimeout()),
                n.duration("readTimeout", defaults.socketTimeout()));
        if (n.has("endpoint")) {
            s.endpointOverride(CliConfig.uri(n.child("endpoint"), n.string("endpoint")));
        }
        proxy.applyTo(s);
        return s.build();
    }

    /**
     * {@code credentials}: absent = the SDK default chain; {@code {accessKeyId: {env: …}, secretAccessKey: {env: …}}};
     * with {@code roleArn} (+ externalId, sessionName, duration) the base credentials assume that role, refreshed
     * automatically. Keys that would be ignored are refused.
     */
    static AwsCredentialsConfig credentials(ConfigNode c) {
        if (!c.isPresent()) {
            return AwsCredentialsConfig.defaultChain();
        }
        c.allowOnly(CREDENTIALS_KEYS);
        for (String key : List.of("secretAccessKey", "sessionToken")) {
            if (c.has(key) && !c.has("accessKeyId")) {
                throw c.child(key).error("only meaningful with accessKeyId (static keys)");
            }
        }
        for (String key : List.of("externalId", "sessionName", "duration")) {
            if (c.has(key) && !c.has("roleArn")) {
                throw c.child(key).error("only meaningful with roleArn (the role to assume)");
            }
        }
        try {
            AwsCredentialsConfig creds = AwsCredentialsConfig.defaultChain();
            if (c.has("accessKeyId")) {
                creds = AwsCredentialsConfig.staticKeys(c.secret("accessKeyId").get(),
                        c.secret("secretAccessKey").get(), c.has("sessionToken") ? c.secret("sessionToken").get() : null);
            }
            if (c.has("roleArn")) {
                creds = AwsCredentialsConfig.assumeRole(creds, c.string("roleArn"), c.string("externalId", null),
                        c.string("sessionName", null), c.optionalDuration("duration"));
            }
            return creds;
        } catch (IllegalArgumentException e) {
            throw c.error(e.getMessage());
        }
    }
}
