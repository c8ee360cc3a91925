package io.jenkins.plugins.bbdc.jenkins.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.CheckReport;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsClientFactory;
import io.jenkins.plugins.bbdc.core.time.Sleeper;
import io.jenkins.plugins.bbdc.jenkins.util.JenkinsProxy;
import io.jenkins.plugins.bbdc.testkit.aws.AwsEndpoint;
import io.jenkins.plugins.bbdc.testkit.netapp.OntapEndpoint;
import io.jenkins.plugins.bbdc.testkit.opensearch.OpenSearchEndpoint;
import io.jenkins.plugins.bbdc.testkit.proxy.ForwardProxy;
import java.time.Clock;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The calls the plugin's providers make from the controller (AWS, ONTAP, OpenSearch) go through Jenkins' HTTP proxy:
 * the real AWS SDK and OkHttp clients, built by the plugin from the build's services, against the testkit endpoints
 * behind the testkit's forwarding, authenticating proxy.
 */
class ControllerCallsProxyTest {
    private static final String REGION = "eu-west-1";
    /** Retries back off through the context's sleeper: no real waiting in these tests. */
    private static final Sleeper NO_WAIT = d -> { };

    private AwsEndpoint aws;
    private ForwardProxy proxy;

    /** Build services whose Jenkins proxy is the given one, for an instance allowing the controller's identity. */
    private static final class ProxiedServices extends EngineMappingTest.FakeServices {
        private final Supplier<JenkinsProxy> jenkinsProxy;

        ProxiedServices(Supplier<JenkinsProxy> jenkinsProxy) {
            super(true);
            this.jenkinsProxy = jenkinsProxy;
        }

        @Override
        public JenkinsProxy proxy() {
            return jenkinsProxy.get();
        }
    }

    @BeforeEach
    void start() throws Exception {
        aws = AwsEndpoint.start();
        proxy = ForwardProxy.start("svc-jenkins", "pr0xy-S3cret");
    }

    @AfterEach
    void stop() {
        proxy.close();
        aws.close();
    }

    private EbsSnapshotProvider ebs(String volumeId) {
        EbsSnapshotProvider p = new EbsSnapshotProvider(REGION);
        p.setVolumeId(volumeId);
        p.setCredentialsId("aws-prod");
        p.setEndpointUrl(aws.url().toString());
        return p;
    }

    private static ProviderContext ctx() {
        return new ProviderContext("prod", ComponentRole.HOME, BackupMode.ZERO_DOWNTIME, spec -> {
            throw new java.io.IOException("no commands");
        }, Clock.systemUTC(), NO_WAIT, EventSink.NONE);
    }

    @Test
    void theChecksOfAnEbsProviderGoThroughJenkinsProxyWithItsCredentials() throws Exception {
        String volume = aws.ec2().addVolume(REGION, REGION + "a", 100, "gp3");
        JenkinsProxy jenkins = JenkinsProxy.of("127.0.0.1", proxy.port(), "svc-jenkins", "pr0xy-S3cret", null);
        try (ClosingProvider engine = (ClosingProvider) ebs(volume).toEngine(new ProxiedServices(() -> jenkins))) {
            CheckReport report = engine.check(ctx());
            assertThat(report.errors()).isEmpty();
        }
        assertThat(aws.calls()).isNotEmpty();
        // every call the endpoint answered reached it through the proxy, authenticated after the proxy's challenge
        assertThat(proxy.seen()).filteredOn(s -> s.user() != null).hasSameSizeAs(aws.calls())
                .allSatisfy(s -> assertThat(s.target()).hasHost("127.0.0.1").hasPort(aws.url().getPort()));
        assertThat(proxy.seen()).first().extracting(ForwardProxy.Seen::user).as("challenged first").isNull();
    }

    @Test
    void anEndpointListedAsNoProxyHostIsCalledDirectly() throws Exception {
        String volume = aws.ec2().addVolume(REGION, REGION + "a", 100, "gp3");
        JenkinsProxy jenkins = JenkinsProxy.of("127.0.0.1", proxy.port(), "svc-jenkins", "pr0xy-S3cret",
                "*.vpce.amazonaws.com, 127.0.0.*");
        try (ClosingProvider engine = (ClosingProvider) ebs(volume).toEngine(new ProxiedServices(() -> jenkins))) {
            assertThat(engine.check(ctx()).errors()).isEmpty();
        }
        assertThat(aws.calls()).isNotEmpty();
        assertThat(proxy.seen()).isEmpty();
    }

    @Test
    void aProxyThatRefusesTheCredentialsFailsTheCallsAndNeverShowsThePassword() throws Exception {
        String volume = aws.ec2().addVolume(REGION, REGION + "a", 100, "gp3");
        JenkinsProxy jenkins = JenkinsProxy.of("127.0.0.1", proxy.port(), "svc-jenkins", "wrong-S3cret", null);
        try (ClosingProvider engine = (ClosingProvider) ebs(volume).toEngine(new ProxiedServices(() -> jenkins))) {
            CheckReport report = engine.check(ctx());
            assertThat(report.hasErrors()).isTrue();
            assertThat(String.join("\n", report.errors())).contains("HTTP 407 from the HTTP proxy")
                    .doesNotContain("wrong-S3cret");
            assertThat(((AwsClientFactory) engine.resource()).settings().toString()).doesNotContain("wrong-S3cret");
        }
        assertThat(aws.calls()).isEmpty();
        assertThat(proxy.seen()).isNotEmpty().allSatisfy(s -> assertThat(s.user()).isNull());
    }

    @Test
    void rdsAndAuroraUseTheSameProxy() throws Exception {
        JenkinsProxy jenkins = JenkinsProxy.of("proxy.corp.example", 3128, "svc-jenkins", "pr0xy-S3cret",
                "*.vpce.amazonaws.com");
        for (AwsComponentProvider p : new AwsComponentProvider[] {
                new RdsSnapshotProvider("bitbucket-db", REGION), new AuroraSnapshotProvider("bitbucket-cl", REGION)}) {
            // no credentials entry: the controller's identity, which the instance allows
            try (ClosingProvider engine = (ClosingProvider) p.toEngine(new ProxiedServices(() -> jenkins))) {
                var settings = ((AwsClientFactory) engine.resource()).settings();
                assertThat(settings.proxy()).hasToString("http://proxy.corp.example:3128");
                assertThat(settings.nonProxyHosts()).containsExactly(".*\\.vpce\\.amazonaws\\.com");
            }
        }
    }

    @Test
    void ontapAndSearchCallsUseTheSameProxyAndItsNoProxyHosts() throws Exception {
        // FakeServices resolves credentials id 'pg-backup' to bitbucket_backup / pg-S3cret
        try (OntapEndpoint ontap = OntapEndpoint.start("bitbucket_backup", "pg-S3cret");
             OpenSearchEndpoint search = OpenSearchEndpoint.start("bitbucket_backup", "pg-S3cret")
                     .addIndex("bitbucket-search-v1", 10).addRepository("bb-snaps", "/mnt/snapshots")) {
            ontap.addVolume("svm_bb", "bitbucket_shared");
            NetAppSnapshotProvider netapp = new NetAppSnapshotProvider(ontap.url().toString(), "svm_bb",
                    "bitbucket_shared", "pg-backup");
            OpenSearchSnapshotProvider openSearch = new OpenSearchSnapshotProvider(search.url().toString(), "bb-snaps");
            openSearch.setCredentialsId("pg-backup");
            JenkinsProxy jenkins = JenkinsProxy.of("127.0.0.1", proxy.port(), "svc-jenkins", "pr0xy-S3cret",
                    "search.internal");
            for (ComponentProvider p : new ComponentProvider[] {netapp, openSearch}) {
                try (AutoCloseable engine = (AutoCloseable) p.toEngine(new ProxiedServices(() -> jenkins))) {
                    assertThat(((io.jenkins.plugins.bbdc.core.provider.SnapshotProvider) engine).check(ctx()).errors())
                            .as(p.describe()).isEmpty();
                }
            }
            assertThat(proxy.seen()).filteredOn(s -> s.user() != null).extracting(s -> s.target().getPort())
                    .contains(ontap.url().getPort(), search.url().getPort());

            int before = proxy.seen().size();
            JenkinsProxy bypassed = JenkinsProxy.of("127.0.0.1", proxy.port(), "svc-jenkins", "pr0xy-S3cret",
                    "127.0.0.1");
            try (AutoCloseable engine = (AutoCloseable) netapp.toEngine(new ProxiedServices(() -> bypassed))) {
                assertThat(((io.jenkins.plugins.bbdc.core.provider.SnapshotProvider) engine).check(ctx()).errors())
                        .isEmpty();
            }
            assertThat(proxy.seen()).hasSize(before);
        }
    }

    @Test
    void anUnusableJenkinsProxyStopsTheOperationNamingTheProviderAndWhereToFixIt() {
        ProxiedServices services = new ProxiedServices(() -> JenkinsProxy.of("proxy.corp.example", 0, null, null, null));
        assertThatThrownBy(() -> ebs("vol-1").toEngine(services)).isInstanceOf(AbortException.class)
                .hasMessageContaining("ebs " + REGION).hasMessageContaining("Manage Jenkins » System » HTTP proxy");
    }
}
