package io.jenkins.plugins.bbdc.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.core.provider.HttpProxy;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsCredentialsConfig;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsSettings;
import io.jenkins.plugins.bbdc.core.provider.aws.EbsConfig;
import io.jenkins.plugins.bbdc.core.provider.aws.EbsSnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.aws.RdsConfig;
import io.jenkins.plugins.bbdc.core.provider.aws.RdsSnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.netapp.OntapConfig;
import io.jenkins.plugins.bbdc.core.provider.search.OpenSearchConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider examples of docs/cli.md (ebs, rds, aurora, ontap, openSearch, and the proxy section), read from the
 * document itself, load into the core configuration the documentation promises.
 */
class DocumentedCloudExamplesTest {
    private static final DocumentedExamples DOCS = DocumentedExamples.cliMd();
    private static final Map<String, String> ENV = Map.of(
            "AWS_ACCESS_KEY_ID", "AKIAEXAMPLE000000001",
            "AWS_SECRET_ACCESS_KEY", "example-secret-key",
            "ONTAP_PASSWORD", "ontap-S3cret",
            "OPENSEARCH_PASSWORD", "search-S3cret",
            "BBDC_PROXY_PASSWORD", "pr0xy-S3cret");
    private static final String INSTANCE = """
            instance:
              id: prod
              url: https://bitbucket.example.com
              username: admin
              password: {env: BBDC_PASSWORD}
            """;

    @TempDir
    Path tmp;

    /** A configuration file made of the documented proxy section and one documented component example. */
    private CliConfig config(String component) throws Exception {
        Path f = tmp.resolve("bbdc-ops.yaml");
        Files.writeString(f, INSTANCE + DOCS.section("proxy") + "backup:\n" + component.indent(2));
        return CliConfig.load(f, ENV::get);
    }

    private static ConfigNode provider(CliConfig config, String role, String kind) {
        return config.section("backup").child(role).child(kind);
    }

    @Test
    void theProxyExampleGivesUrlUserAndWholeHostPatterns() throws Exception {
        CliConfig config = config(DOCS.provider("ebs"));
        ProxySettings proxy = config.proxy();
        assertThat(proxy.isSet()).isTrue();
        assertThat(proxy).hasToString("proxy http://proxy.example.com:3128 as svc-bbdc");

        HttpProxy http = proxy.toHttpProxy();
        assertThat(http.isSet()).isTrue();
        assertThat(http.bypasses("git.internal")).isTrue();
        assertThat(http.bypasses("GIT.Internal")).isTrue();
        assertThat(http.bypasses("internal")).as("the whole host must match *.internal").isFalse();
        assertThat(http.bypasses("10.1.2.3")).isTrue();
        assertThat(http.bypasses("110.1.2.3")).isFalse();
        assertThat(http.bypasses("vpce-0a1b.ec2.eu-west-1.vpce.amazonaws.com")).isTrue();
        assertThat(http.bypasses("ec2.eu-west-1.amazonaws.com")).isFalse();
    }

    @Test
    void theEbsExample() throws Exception {
        CliConfig config = config(DOCS.provider("ebs"));
        ConfigNode n = provider(config, "home", "ebs");

        AwsSettings aws = CloudProviders.awsSettings(n, config.proxy());
        assertThat(aws.region()).isEqualTo("eu-west-1");
        assertThat(aws.endpointOverride()).isEqualTo(URI.create("https://ec2.eu-west-1.amazonaws.com"));
        assertThat(aws.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(aws.socketTimeout()).isEqualTo(Duration.ofSeconds(90));
        AwsCredentialsConfig creds = aws.credentials();
        assertThat(creds.kind()).isEqualTo(AwsCredentialsConfig.Kind.ASSUME_ROLE);
        assertThat(creds.roleArn()).isEqualTo("arn:aws:iam::123456789012:role/bitbucket-backup");
        assertThat(creds.sessionName()).isEqualTo("bbdc-ops");
        assertThat(creds.sessionDuration()).isEqualTo(Duration.ofHours(1));
        assertThat(creds.base().kind()).isEqualTo(AwsCredentialsConfig.Kind.STATIC);
        assertThat(creds.base().accessKeyId()).as("resolved from {env: AWS_ACCESS_KEY_ID}")
                .isEqualTo("AKIAEXAMPLE000000001");
        assertThat(aws.proxy()).isEqualTo(URI.create("http://proxy.example.com:3128"));
        assertThat(aws.nonProxyHosts()).containsExactlyInAnyOrder(".*\\.internal", "10\\..*",
                ".*\\.vpce\\.amazonaws\\.com");
        assertThat(aws.toString()).contains("as svc-bbdc").doesNotContain("pr0xy-S3cret")
                .doesNotContain("example-secret-key");

        EbsConfig ebs = CloudProviders.ebsConfig(n);
        assertThat(ebs.problems()).isEmpty();
        assertThat(ebs.instanceId()).isEqualTo("i-0123456789abcdef0");
        assertThat(ebs.volumeId()).as("commented out in the example").isNull();
        assertThat(ebs.excludeBootVolume()).isTrue();
        assertThat(ebs.excludeVolumeIds()).containsExactly("vol-0fedcba9876543210");
        assertThat(ebs.extraTags()).containsExactly(Map.entry("team", "scm"));
        assertThat(ebs.durableTimeout()).isEqualTo(Duration.ofHours(2));
        assertThat(ebs.pageSize()).isEqualTo(200);
        assertThat(ebs.restoreAvailabilityZone()).isEqualTo("eu-west-1a");
        assertThat(ebs.restoreInstanceId()).isEqualTo("i-0123456789abcdef0");
        assertThat(ebs.effectiveVolumeType()).isEqualTo("gp3");
        assertThat(ebs.restoreIops()).isEqualTo(6000);
        assertThat(ebs.restoreThroughput()).isEqualTo(250);
        assertThat(ebs.restoreEncrypted()).isTrue();
        assertThat(ebs.restoreKmsKeyId()).isEqualTo("alias/bitbucket");
        assertThat(ebs.mountPoints()).containsExactly(
                Map.entry("/dev/xvdf", "/var/atlassian/application-data/bitbucket"));
        assertThat(ebs.osDevice("/dev/xvdf")).isEqualTo("/dev/nvme1n1");

        try (ProviderFactory factory = new ProviderFactory(config.proxy())) {
            SnapshotProvider built = factory.create(config.section("backup").child("home"));
            assertThat(built).isInstanceOf(EbsSnapshotProvider.class);
            assertThat(((EbsSnapshotProvider) built).config().mountPoints()).isEqualTo(ebs.mountPoints());
        }
    }

    @Test
    void theRdsExample() throws Exception {
        CliConfig config = config(DOCS.provider("rds"));
        ConfigNode n = provider(config, "database", "rds");
        AwsSettings aws = CloudProviders.awsSettings(n, config.proxy());
        assertThat(aws.region()).isEqualTo("eu-west-1");
        assertThat(aws.credentials().kind()).as("no credentials key: the SDK default chain")
                .isEqualTo(AwsCredentialsConfig.Kind.DEFAULT_CHAIN);
        assertThat(aws.proxy()).isEqualTo(URI.create("http://proxy.example.com:3128"));

        RdsConfig rds = CloudProviders.rdsConfig(n, false);
        assertThat(rds.problems()).isEmpty();
        assertThat(rds.cluster()).isFalse();
        assertThat(rds.source()).isEqualTo("bitbucket-db");
        assertThat(rds.extraTags()).containsExactly(Map.entry("team", "scm"));
        assertThat(rds.waitTimeout()).isEqualTo(Duration.ofHours(2));
        assertThat(rds.restorableWaitTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(rds.pageSize()).isEqualTo(50);
        assertThat(rds.restoreIdentifier()).isEqualTo("bitbucket-db-restored");
        assertThat(rds.instanceClass()).isEqualTo("db.r6g.large");
        assertThat(rds.subnetGroupName()).isEqualTo("bitbucket");
        assertThat(rds.securityGroupIds()).containsExactly("sg-0123456789abcdef0");
        assertThat(rds.parameterGroupName()).isEqualTo("bitbucket-pg15");
        assertThat(rds.multiAz()).isTrue();

        try (ProviderFactory factory = new ProviderFactory(config.proxy())) {
            assertThat(factory.create(config.section("backup").child("database"))).isInstanceOf(
                    RdsSnapshotProvider.class).extracting(SnapshotProvider::kind).isEqualTo("rds");
        }
    }

    @Test
    void theAuroraExample() throws Exception {
        CliConfig config = config(DOCS.provider("aurora"));
        ConfigNode n = provider(config, "database", "aurora");
        assertThat(CloudProviders.awsSettings(n, config.proxy()).region()).isEqualTo("eu-west-1");

        RdsConfig aurora = CloudProviders.rdsConfig(n, true);
        assertThat(aurora.problems()).isEmpty();
        assertThat(aurora.cluster()).isTrue();
        assertThat(aurora.source()).isEqualTo("bitbucket-aurora");
        assertThat(aurora.waitTimeout()).isEqualTo(Duration.ofHours(2));
        assertThat(aurora.restoreIdentifier()).isEqualTo("bitbucket-aurora-restored");
        assertThat(aurora.instanceClass()).isEqualTo("db.r6g.large");
        assertThat(aurora.clusterParameterGroupName()).isEqualTo("bitbucket-aurora-pg15");
        assertThat(aurora.multiAz()).isNull();

        try (ProviderFactory factory = new ProviderFactory(config.proxy())) {
            SnapshotProvider built = factory.create(config.section("backup").child("database"));
            assertThat(((RdsSnapshotProvider) built).config().cluster()).isTrue();
        }
    }

    @Test
    void theOntapExample() throws Exception {
        Path pem = tmp.resolve("ontap.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        String example = DOCS.provider("ontap");
        assertThat(example).contains("trustedCertificatePem: /etc/bbdc-ops/ontap.pem");
        CliConfig config = config(example.replace("/etc/bbdc-ops/ontap.pem", pem.toString()));

        OntapConfig ontap = CloudProviders.ontapConfig(provider(config, "home", "ontap"), config.proxy());
        assertThat(ontap.problems()).isEmpty();
        assertThat(ontap.url()).isEqualTo(URI.create("https://cluster1.internal"));
        assertThat(ontap.svm()).isEqualTo("svm1");
        assertThat(ontap.volume()).isEqualTo("bitbucket_home");
        assertThat(ontap.username()).isEqualTo("bbdc");
        assertThat(ontap.trustedCertificatePem()).contains("BEGIN CERTIFICATE");
        assertThat(ontap.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(ontap.readTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(ontap.pollInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(ontap.jobTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(ontap.pageSize()).isEqualTo(200);
        assertThat(ontap.proxy().isSet()).isTrue();
        assertThat(ontap.proxy()).hasToString("proxy http://proxy.example.com:3128 as svc-bbdc");
        assertThat(ontap.proxy().bypasses("cluster1.internal")).isTrue();
    }

    @Test
    void theOpenSearchExample() throws Exception {
        Path pem = tmp.resolve("search.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        String example = DOCS.provider("openSearch");
        assertThat(example).contains("trustedCertificatePem: /etc/bbdc-ops/search.pem");
        CliConfig config = config(example.replace("/etc/bbdc-ops/search.pem", pem.toString()));
        OpenSearchConfig search = CloudProviders.openSearchConfig(provider(config, "search", "openSearch"),
                config.proxy());
        assertThat(search.problems()).isEmpty();
        assertThat(search.url()).isEqualTo(URI.create("https://search.internal:9200"));
        assertThat(search.repository()).isEqualTo("bitbucket-snapshots");
        assertThat(search.indices()).isEqualTo("bitbucket-*");
        assertThat(search.username()).isEqualTo("bbdc");
        assertThat(search.repositoryType()).isEqualTo("fs");
        assertThat(search.repositorySettings()).containsExactly(Map.entry("location", "/mnt/snapshots"));
        assertThat(search.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(search.readTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(search.pollInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(search.waitTimeout()).isEqualTo(Duration.ofHours(3));
        assertThat(search.trustedCertificatePem()).contains("BEGIN CERTIFICATE");
        assertThat(search.proxy().isSet()).isTrue();
    }

    @Test
    void keysLeftOutKeepCoreDefaults() throws Exception {
        Path f = tmp.resolve("minimal.yaml");
        Files.writeString(f, INSTANCE + """
                backup:
                  home: {ontap: {url: "https://cluster1.internal", svm: svm1, volume: bb, username: bbdc,
                                 password: {env: ONTAP_PASSWORD}}}
                  search: {openSearch: {url: "https://search.internal:9200"}}
                  database: {rds: {region: eu-west-1, dbInstanceIdentifier: bitbucket-db}}
                """);
        CliConfig config = CliConfig.load(f, ENV::get);
        OpenSearchConfig search = CloudProviders.openSearchConfig(provider(config, "search", "openSearch"),
                ProxySettings.NONE);
        assertThat(search.indices()).isEqualTo("bitbucket-*");
        assertThat(search.pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(search.proxy().isSet()).as("no proxy section: the JVM defaults apply").isFalse();
        OpenSearchConfig core = OpenSearchConfig.builder().build();
        assertThat(search).usingRecursiveComparison().comparingOnlyFields("repository", "indices",
                "connectTimeout", "readTimeout", "pollInterval", "waitTimeout").isEqualTo(core);

        OntapConfig ontap = CloudProviders.ontapConfig(provider(config, "home", "ontap"), ProxySettings.NONE);
        assertThat(ontap).usingRecursiveComparison().comparingOnlyFields("connectTimeout", "readTimeout",
                "pollInterval", "jobTimeout", "pageSize").isEqualTo(OntapConfig.builder().build());

        ConfigNode rdsNode = provider(config, "database", "rds");
        RdsConfig rds = CloudProviders.rdsConfig(rdsNode, false);
        assertThat(rds.restorableWaitTimeout()).isEqualTo(RdsConfig.builder().build().restorableWaitTimeout());
        assertThat(rds.pageSize()).isEqualTo(RdsConfig.builder().build().pageSize());
        AwsSettings aws = CloudProviders.awsSettings(rdsNode, ProxySettings.NONE);
        assertThat(aws.proxy()).isNull();
        assertThat(aws.connectTimeout()).isEqualTo(AwsSettings.builder().build().connectTimeout());
    }
}
