package io.jenkins.plugins.bbdc.core.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.exec.CommandResult;
import io.jenkins.plugins.bbdc.core.provider.netapp.OntapConfig;
import io.jenkins.plugins.bbdc.core.provider.netapp.OntapSnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.search.OpenSearchConfig;
import io.jenkins.plugins.bbdc.core.provider.search.OpenSearchSnapshotProvider;
import io.jenkins.plugins.bbdc.core.time.Sleeper;
import io.jenkins.plugins.bbdc.testkit.netapp.OntapEndpoint;
import io.jenkins.plugins.bbdc.testkit.opensearch.OpenSearchEndpoint;
import io.jenkins.plugins.bbdc.testkit.proxy.ForwardProxy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP-API providers (ONTAP, OpenSearch) over real OkHttp through a real forwarding, authenticating proxy. */
class HttpProxyTest {
    private ForwardProxy proxy;
    private OntapEndpoint ontap;
    private OpenSearchEndpoint search;

    @BeforeEach
    void start() {
        proxy = ForwardProxy.start("svc-proxy", "pr0xy-S3cret");
        ontap = OntapEndpoint.start("bbdc", "0ntap-Secret");
        ontap.addVolume("svm_bb", "bitbucket_shared");
        search = OpenSearchEndpoint.start("bbdc", "s3arch-Secret").addIndex("bitbucket-search-v1", 10)
                .addRepository("bitbucket-snapshots", "/mnt/snapshots");
    }

    @AfterEach
    void stop() {
        search.close();
        ontap.close();
        proxy.close();
    }

    private HttpProxy through(String password, Set<String> nonProxyHosts) {
        return HttpProxy.of(URI.create("http://127.0.0.1:" + proxy.port()), "svc-proxy", password, nonProxyHosts);
    }

    private static ProviderContext ctx(ComponentRole role) {
        return new ProviderContext("bb-prod", role, BackupMode.ZERO_DOWNTIME,
                spec -> new CommandResult(spec.command(), 0, "", "", 0), Clock.systemUTC(), Sleeper.SYSTEM,
                EventSink.NONE);
    }

    private CheckReport checkOntap(HttpProxy p) throws Exception {
        try (OntapSnapshotProvider provider = new OntapSnapshotProvider(OntapConfig.builder().url(ontap.url())
                .volume("svm_bb", "bitbucket_shared").basicAuth("bbdc", "0ntap-Secret").proxy(p).build())) {
            return provider.check(ctx(ComponentRole.HOME));
        }
    }

    private CheckReport checkSearch(HttpProxy p) throws Exception {
        try (OpenSearchSnapshotProvider provider = new OpenSearchSnapshotProvider(OpenSearchConfig.builder()
                .url(search.url()).repository("bitbucket-snapshots").indices("bitbucket-*")
                .basicAuth("bbdc", "s3arch-Secret").polling(Duration.ofMillis(20), Duration.ofSeconds(5)).proxy(p)
                .build())) {
            return provider.check(ctx(ComponentRole.SEARCH));
        }
    }

    @Test
    void ontapAndSearchCallsGoThroughTheProxyAfterItsChallenge() throws Exception {
        assertThat(checkOntap(through("pr0xy-S3cret", null)).errors()).isEmpty();
        assertThat(checkSearch(through("pr0xy-S3cret", null)).errors()).isEmpty();
        assertThat(proxy.seen()).filteredOn(s -> s.user() != null).extracting(s -> s.target().getPort())
                .contains(ontap.url().getPort(), search.url().getPort());
        assertThat(proxy.seen()).first().extracting(ForwardProxy.Seen::user).as("challenged first").isNull();
        // the target's own Basic credentials still reach the target through the proxy
        assertThat(ontap.calls()).isNotEmpty();
        assertThat(search.calls()).isNotEmpty();
    }

    @Test
    void noProxyHostsAreCalledDirectly() throws Exception {
        HttpProxy p = through("pr0xy-S3cret", Set.of("127\\.0\\.0\\.1"));
        assertThat(checkOntap(p).errors()).isEmpty();
        assertThat(checkSearch(p).errors()).isEmpty();
        assertThat(proxy.seen()).isEmpty();
    }

    @Test
    void aRefusedProxyPasswordIsReportedAsSuchAndNeverShown() throws Exception {
        CheckReport ontapReport = checkOntap(through("wrong-S3cret", null));
        CheckReport searchReport = checkSearch(through("wrong-S3cret", null));
        for (CheckReport r : new CheckReport[] {ontapReport, searchReport}) {
            assertThat(String.join("\n", r.errors())).contains("HTTP 407").contains("proxy user name and password")
                    .doesNotContain("wrong-S3cret");
        }
        assertThat(ontap.calls()).isEmpty();
        assertThat(search.calls()).isEmpty();
    }

    @Test
    void aProxyNeedsAHostAndAPortAndNeverPrintsItsPassword() {
        assertThatThrownBy(() -> HttpProxy.of(URI.create("http://proxy.example.com"), null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a host and a port");
        HttpProxy p = HttpProxy.of(URI.create("http://proxy.example.com:3128"), "svc", "pr0xy-S3cret", Set.of());
        assertThat(p.toString()).contains("proxy.example.com:3128", "svc").doesNotContain("pr0xy-S3cret");
        assertThat(HttpProxy.NONE.isSet()).isFalse();
    }
}
