package io.jenkins.plugins.bbdc.core.provider.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.exec.CommandResult;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.CheckReport;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.testkit.tls.SelfSignedCertificate;
import io.jenkins.plugins.bbdc.testkit.opensearch.OpenSearchEndpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A search cluster over HTTPS with a self-signed certificate, basic authentication and an API key. */
class OpenSearchTlsAndAuthTest {
    private static final String PASSWORD = "s3arch-Secret";
    private static final String API_KEY = Base64.getEncoder().encodeToString(
            "VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw".getBytes(StandardCharsets.UTF_8));
    @TempDir
    static Path dir;
    private static OpenSearchEndpoint search;
    private static String pem;

    @BeforeAll
    static void start() throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.generate(dir, "search1");
        pem = cert.pem();
        search = OpenSearchEndpoint.startHttps("bbdc", PASSWORD, cert.keyStore(), SelfSignedCertificate.PASSWORD)
                .apiKey(API_KEY).addRepository("bitbucket-snapshots", "/mnt/snapshots");
    }

    @AfterAll
    static void stop() {
        if (search != null) {
            search.close();
        }
    }

    private static OpenSearchConfig.Builder trusted() {
        return OpenSearchConfig.builder().url(search.url()).trustedCertificatePem(pem);
    }

    private static ProviderContext ctx() {
        return new ProviderContext("bb-prod", ComponentRole.SEARCH, BackupMode.ZERO_DOWNTIME,
                spec -> new CommandResult(spec.command(), 0, "", "", 0), Clock.systemUTC(), null, null);
    }

    private static CheckReport check(OpenSearchConfig config) throws Exception {
        try (OpenSearchSnapshotProvider p = new OpenSearchSnapshotProvider(config)) {
            return p.check(ctx());
        }
    }

    @Test
    void aSelfSignedClusterIsRefusedUntilItsCertificateIsTrusted() throws Exception {
        assertThat(search.url().getScheme()).isEqualTo("https");
        try (OpenSearchSnapshotProvider p = new OpenSearchSnapshotProvider(OpenSearchConfig.builder()
                .url(search.url()).basicAuth("bbdc", PASSWORD).build())) {
            assertThatThrownBy(() -> p.list(ctx())).hasMessageContaining("configure 'trustedCertificate'");
        }
        try (OpenSearchSnapshotProvider p = new OpenSearchSnapshotProvider(trusted().basicAuth("bbdc", PASSWORD)
                .build())) {
            assertThat(p.check(ctx()).errors()).isEmpty();
            assertThat(p.list(ctx())).isEmpty();
        }
        assertThatThrownBy(() -> new OpenSearchSnapshotProvider(trusted().trustedCertificatePem("not a certificate")
                .build())).hasMessageContaining("'trustedCertificate' must be a PEM certificate");
    }

    @Test
    void basicAuthAndApiKeysAreSentAsConfiguredAndWrongOnesAreRefused() throws Exception {
        assertThat(check(trusted().basicAuth("bbdc", PASSWORD).build()).errors()).isEmpty();
        assertThat(check(trusted().apiKey(API_KEY).build()).errors()).isEmpty();

        String wrongKey = Base64.getEncoder().encodeToString("VuaCfGcBCdbkQm-e5aOx:wrong".getBytes(
                StandardCharsets.UTF_8));
        for (OpenSearchConfig wrong : new OpenSearchConfig[] {trusted().basicAuth("bbdc", "not-it").build(),
                trusted().apiKey(wrongKey).build(), trusted().build()}) {
            CheckReport report = check(wrong);
            assertThat(report.errors()).singleElement().satisfies(e -> assertThat(e).contains("HTTP 401")
                    .contains("check the search credentials").doesNotContain("not-it").doesNotContain(wrongKey));
        }
        assertThat(search.calls()).filteredOn(c -> c.status() == 401).hasSize(3);
    }
}
