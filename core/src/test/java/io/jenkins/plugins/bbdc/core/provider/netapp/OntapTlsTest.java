package io.jenkins.plugins.bbdc.core.provider.netapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.exec.CommandResult;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.testkit.tls.SelfSignedCertificate;
import io.jenkins.plugins.bbdc.testkit.netapp.OntapEndpoint;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cluster with a self-signed certificate: refused by default, trusted exactly when its certificate is given. */
class OntapTlsTest {
    @TempDir
    static Path dir;
    private static OntapEndpoint ontap;
    private static String pem;

    @BeforeAll
    static void start() throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.generate(dir, "cluster1");
        pem = cert.pem();
        ontap = OntapEndpoint.startHttps("bbdc", "pw", cert.keyStore(), SelfSignedCertificate.PASSWORD);
        ontap.addVolume("svm_bb", "bitbucket_shared");
    }

    @AfterAll
    static void stop() {
        if (ontap != null) {
            ontap.close();
        }
    }

    private static OntapConfig.Builder config() {
        return OntapConfig.builder().url(ontap.url()).volume("svm_bb", "bitbucket_shared").basicAuth("bbdc", "pw")
                .jobs(Duration.ofMillis(10), Duration.ofSeconds(10));
    }

    private static ProviderContext ctx() {
        return new ProviderContext("bb-prod", ComponentRole.HOME, BackupMode.ZERO_DOWNTIME,
                spec -> new CommandResult(spec.command(), 0, "", "", 0), Clock.systemUTC(), null, null);
    }

    @Test
    void aSelfSignedClusterIsRefusedUntilItsCertificateIsTrusted() throws Exception {
        assertThat(ontap.url().getScheme()).isEqualTo("https");
        try (OntapSnapshotProvider p = new OntapSnapshotProvider(config().build())) {
            assertThatThrownBy(() -> p.list(ctx())).hasMessageContaining("configure 'trustedCertificate'");
        }
        try (OntapSnapshotProvider p = new OntapSnapshotProvider(config().trustedCertificatePem(pem).build())) {
            assertThat(p.check(ctx()).hasErrors()).isFalse();
            assertThat(p.list(ctx())).isEmpty();
        }
        assertThatThrownBy(() -> new OntapSnapshotProvider(config().trustedCertificatePem("not a certificate")
                .build())).hasMessageContaining("PEM");
    }
}
