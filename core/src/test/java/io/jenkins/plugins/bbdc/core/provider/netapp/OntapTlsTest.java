package io.jenkins.plugins.bbdc.core.provider.netapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.exec.CommandResult;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.testkit.netapp.OntapEndpoint;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cluster with a self-signed certificate: refused by default, trusted exactly when its certificate is given. */
class OntapTlsTest {
    private static final char[] STORE_PASSWORD = "changeit".toCharArray();
    @TempDir
    static Path dir;
    private static OntapEndpoint ontap;
    private static String pem;

    @BeforeAll
    static void start() throws Exception {
        Path store = dir.resolve("cluster.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(keytool, "-genkeypair", "-alias", "cluster", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=cluster1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit"));
        Path cert = dir.resolve("cluster.pem");
        run(List.of(keytool, "-exportcert", "-rfc", "-alias", "cluster", "-keystore", store.toString(),
                "-storepass", "changeit", "-file", cert.toString()));
        pem = Files.readString(cert);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, STORE_PASSWORD);
        }
        ontap = OntapEndpoint.startHttps("bbdc", "pw", ks, STORE_PASSWORD);
        ontap.addVolume("svm_bb", "bitbucket_shared");
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
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
