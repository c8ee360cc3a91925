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
import java.time.Clock;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * AWS calls of the plugin's providers go through Jenkins' HTTP proxy: the real AWS SDK, built by the plugin from the
 * build's services, against the testkit AWS endpoint behind a recording, authenticating proxy.
 */
class AwsProxyTest {
    private static final String REGION = "eu-west-1";
    /** Retries back off through the context's sleeper: no real waiting in these tests. */
    private static final Sleeper NO_WAIT = d -> { };

    private AwsEndpoint aws;
    private RecordingHttpProxy proxy;

    /** Build services whose Jenkins proxy is the given one. */
    private static final class ProxiedServices extends EngineMappingTest.FakeServices {
        private final Supplier<JenkinsProxy> jenkinsProxy;

        ProxiedServices(Supplier<JenkinsProxy> jenkinsProxy) {
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
        proxy = new RecordingHttpProxy("svc-jenkins", "pr0xy-S3cret");
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
        assertThat(proxy.seen()).first().extracting(RecordingHttpProxy.Seen::user).as("challenged first").isNull();
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
            try (ClosingProvider engine = (ClosingProvider) p.toEngine(new ProxiedServices(() -> jenkins))) {
                var settings = ((AwsClientFactory) engine.resource()).settings();
                assertThat(settings.proxy()).hasToString("http://proxy.corp.example:3128");
                assertThat(settings.nonProxyHosts()).containsExactly(".*\\.vpce\\.amazonaws\\.com");
            }
        }
    }

    @Test
    void anUnusableJenkinsProxyStopsTheOperationNamingTheProviderAndWhereToFixIt() {
        ProxiedServices services = new ProxiedServices(() -> JenkinsProxy.of("proxy.corp.example", 0, null, null, null));
        assertThatThrownBy(() -> ebs("vol-1").toEngine(services)).isInstanceOf(AbortException.class)
                .hasMessageContaining("ebs " + REGION).hasMessageContaining("Manage Jenkins » System » HTTP proxy");
    }
}
