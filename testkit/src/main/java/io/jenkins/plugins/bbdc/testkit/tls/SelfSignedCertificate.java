package io.jenkins.plugins.bbdc.testkit.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code 127.0.0.1} made with the JDK's {@code keytool}, as a storage or search
 * cluster's default certificate is: the key store for a testkit HTTPS endpoint and the PEM a client must trust.
 */
public final class SelfSignedCertificate {
    public static final char[] PASSWORD = "changeit".toCharArray();
    private final KeyStore keyStore;
    private final String pem;

    private SelfSignedCertificate(KeyStore keyStore, String pem) {
        this.keyStore = keyStore;
        this.pem = pem;
    }

    /** Generates the key pair and certificate {@code CN=<commonName>} in {@code dir}. */
    public static SelfSignedCertificate generate(Path dir, String commonName)
            throws IOException, InterruptedException, GeneralSecurityException {
        Path store = dir.resolve(commonName + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + commonName, "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)));
        Path cert = dir.resolve(commonName + ".pem");
        run(List.of(keytool, "-exportcert", "-rfc", "-alias", "server", "-keystore", store.toString(),
                "-storepass", new String(PASSWORD), "-file", cert.toString()));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD);
        }
        return new SelfSignedCertificate(ks, Files.readString(cert));
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + command + ": " + out);
        }
    }

    public KeyStore keyStore() {
        return keyStore;
    }

    /** The certificate in PEM, as an operator would paste it into 'trustedCertificate'. */
    public String pem() {
        return pem;
    }
}
