package io.jenkins.plugins.bbdc.core.provider;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/**
 * The {@code trustedCertificate} option of the HTTP-API providers: an HTTP client that trusts exactly the given PEM
 * certificates (a server's self-signed certificate or its CA), instead of the JVM's default CAs.
 */
public final class PemTrust {
    /** Appended to an unreachable-server message caused by TLS. */
    public static final String SELF_SIGNED_HINT = " — if the server uses a self-signed certificate (or one of a"
            + " private CA), configure 'trustedCertificate'";

    private PemTrust() {
    }

    /** A configuration problem of the option, or null when {@code pem} is absent or looks like a certificate. */
    public static String problem(String pem) {
        return pem != null && !pem.contains("-----BEGIN CERTIFICATE-----")
                ? "'trustedCertificate' must be a PEM certificate (-----BEGIN CERTIFICATE----- …)" : null;
    }

    /**
     * Makes {@code client} trust exactly the certificates of {@code pem}.
     *
     * @param provider names the provider in errors, e.g. {@code ONTAP provider}
     * @throws IllegalArgumentException when {@code pem} holds no readable certificate
     */
    public static void apply(OkHttpClient.Builder client, String pem, String provider) {
        X509TrustManager tm = trustManager(pem, provider);
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[] {tm}, null);
            client.sslSocketFactory(ssl.getSocketFactory(), tm);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(provider + ": cannot use the trusted certificate: " + e.getMessage(), e);
        }
    }

    private static X509TrustManager trustManager(String pem, String provider) {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : cf.generateCertificates(new ByteArrayInputStream(pem.getBytes(
                    StandardCharsets.US_ASCII)))) {
                ks.setCertificateEntry("trusted-" + i++, c);
            }
            if (i == 0) {
                throw new IllegalArgumentException(provider + ": 'trustedCertificate' holds no certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return (X509TrustManager) tmf.getTrustManagers()[0];
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(provider + ": 'trustedCertificate' is not a readable PEM certificate: "
                    + e.getMessage(), e);
        }
    }
}
