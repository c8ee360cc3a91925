package io.jenkins.plugins.bbdc.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.CheckReport;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.testkit.aws.AwsEndpoint;
import io.jenkins.plugins.bbdc.testkit.aws.CallRecord;
import io.jenkins.plugins.bbdc.testkit.netapp.OntapEndpoint;
import io.jenkins.plugins.bbdc.testkit.opensearch.OpenSearchEndpoint;
import io.jenkins.plugins.bbdc.testkit.proxy.ForwardProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code proxy} section of a configuration file carries the calls of the providers the CLI builds: the real AWS
 * SDK (EC2 and the STS call of an assumed role) and the real OkHttp clients (ONTAP, OpenSearch), against the testkit
 * endpoints behind the testkit's authenticating forward proxy.
 */
class ProxySectionTest {
    private static final Map<String, String> ENV = Map.of(
            "PROXY_PASSWORD", "pr0xy-S3cret",
            "WRONG_PROXY_PASSWORD", "not-the-pr0xy-S3cret",
            "AWS_KEY", "AKIABASE000000000001",
            "AWS_SECRET", "aws-S3cret",
            "APP_PASSWORD", "app-S3cret");

    @TempDir
    Path tmp;

    private AwsEndpoint aws;
    private ForwardProxy proxy;

    @BeforeEach
    void start() {
        aws = AwsEndpoint.start();
        proxy = ForwardProxy.start("svc-bbdc", "pr0xy-S3cret");
    }

    @AfterEach
    void stop() {
        proxy.close();
        aws.close();
    }

    private CliConfig config(String proxySection, String backup) throws Exception {
        Path f = tmp.resolve("bbdc-ops.yaml");
        Files.writeString(f, """
                instance: {id: prod, url: "https://bitbucket.example.com", username: admin,
                           password: {env: BBDC_PASSWORD}}
                """ + proxySection + "backup:\n" + backup.indent(2));
        return CliConfig.load(f, ENV::get);
    }

    private String proxySection(String passwordVariable, String noProxyHosts) {
        return "proxy:\n  url: http://127.0.0.1:" + proxy.port() + "\n  username: svc-bbdc\n"
                + "  password: {env: " + passwordVariable + "}\n"
                + (noProxyHosts == null ? "" : "  noProxyHosts: " + noProxyHosts + "\n");
    }

    private static CheckReport check(ProviderFactory factory, ConfigNode component) throws Exception {
        SnapshotProvider p = factory.create(component);
        try {
            return p.check(new ProviderContext("prod", ComponentRole.HOME, BackupMode.ZERO_DOWNTIME, spec -> {
                throw new java.io.IOException("no commands in this test");
            }, Clock.systemUTC(), d -> { }, EventSink.NONE));
        } finally {
            if (p instanceof AutoCloseable c) {
                c.close();
            }
        }
    }

    private String ebs(String volume) {
        return "home:\n  ebs:\n    region: eu-west-1\n    endpoint: " + aws.url() + "\n    volumeId: " + volume + "\n"
                + "    credentials: {accessKeyId: {env: AWS_KEY}, secretAccessKey: {env: AWS_SECRET},\n"
                + "                  roleArn: \"arn:aws:iam::" + AwsEndpoint.ACCOUNT_ID + ":role/bitbucket-backup\"}\n";
    }

    @Test
    void awsCallsIncludingTheAssumedRoleGoThroughTheProxyWithItsCredentials() throws Exception {
        String volume = aws.ec2().addVolume("eu-west-1", "eu-west-1a", 100, "gp3");
        CliConfig config = config(proxySection("PROXY_PASSWORD", null), ebs(volume));
        try (ProviderFactory factory = new ProviderFactory(config.proxy())) {
            assertThat(check(factory, config.section("backup").child("home")).errors()).isEmpty();
        }
        assertThat(aws.calls()).extracting(CallRecord::action).contains("AssumeRole");
        assertThat(aws.calls()).filteredOn(c -> !c.action().equals("AssumeRole")).isNotEmpty()
                .allSatisfy(c -> assertThat(c.accessKeyId()).as("signed with the assumed role").startsWith("ASIA"));
        assertThat(proxy.seen()).filteredOn(s -> s.user() != null).hasSameSizeAs(aws.calls())
                .allSatisfy(s -> assertThat(s.target().getPort()).isEqualTo(aws.url().getPort()));
    }

    @Test
    void aNoProxyHostIsCalledDirectly() throws Exception {
        String volume = aws.ec2().addVolume("eu-west-1", "eu-west-1a", 100, "gp3");
        CliConfig config = config(proxySection("PROXY_PASSWORD", "\"*.internal, 127.0.0.*\""), ebs(volume));
        try (ProviderFactory factory = new ProviderFactory(config.proxy())) {
            assertThat(check(factory, config.section("backup").child("home")).errors()).isEmpty();
        }
        assertThat(aws.calls()).isNotEmpty();
        assertThat(proxy.seen()).isEmpty();
    }

    @Test
    void aRefusedProxyPasswordFailsTheCheckAndIsNeverShown() throws Exception {
        String volume = aws.ec2().addVolume("eu-west-1", "eu-west-1a", 100, "gp3");
        CliConfig config = config(proxySection("WRONG_PROXY_PASSWORD", null), ebs(volume));
        try (ProviderFactory factory = new ProviderFactory(config.proxy())) {
            CheckReport report = check(factory, config.section("backup").child("home"));
            assertThat(String.join("\n", report.errors())).contains("407").doesNotContain("not-the-pr0xy-S3cret");
        }
        assertThat(aws.calls()).isEmpty();
        assertThat(proxy.seen()).isNotEmpty().allSatisfy(s -> assertThat(s.user()).isNull());
        assertThat(config.proxy().toString()).doesNotContain("S3cret");
    }

    @Test
    void ontapAndOpenSearchCallsGoThroughTheSameProxy() throws Exception {
        try (OntapEndpoint ontap = OntapEndpoint.start("bbdc", "app-S3cret");
             OpenSearchEndpoint search = OpenSearchEndpoint.start("bbdc", "app-S3cret")
                     .addIndex("bitbucket-search-v1", 10).addRepository("bitbucket-snapshots", "/mnt/snapshots")) {
            ontap.addVolume("svm1", "bitbucket_home");
            CliConfig config = config(proxySection("PROXY_PASSWORD", null), """
                    home: {ontap: {url: "%s", svm: svm1, volume: bitbucket_home, username: bbdc,
                                   password: {env: APP_PASSWORD}}}
                    search: {openSearch: {url: "%s", username: bbdc, password: {env: APP_PASSWORD}}}
                    """.formatted(ontap.url(), search.url()));
            try (ProviderFactory factory = new ProviderFactory(config.proxy())) {
                assertThat(check(factory, config.section("backup").child("home")).errors()).isEmpty();
                assertThat(check(factory, config.section("backup").child("search")).errors()).isEmpty();
            }
            assertThat(proxy.seen()).filteredOn(s -> s.user() != null).extracting(s -> s.target().getPort())
                    .contains(ontap.url().getPort(), search.url().getPort());
        }
    }

    @Test
    void withoutAProxySectionTheCallsAreDirect() throws Exception {
        String volume = aws.ec2().addVolume("eu-west-1", "eu-west-1a", 100, "gp3");
        CliConfig config = config("", ebs(volume));
        assertThat(config.proxy().isSet()).isFalse();
        try (ProviderFactory factory = new ProviderFactory(config.proxy())) {
            assertThat(check(factory, config.section("backup").child("home")).errors()).isEmpty();
        }
        assertThat(aws.calls()).isNotEmpty();
        assertThat(proxy.seen()).isEmpty();
    }
}
