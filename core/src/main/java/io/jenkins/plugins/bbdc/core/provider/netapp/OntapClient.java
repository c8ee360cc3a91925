package io.jenkins.plugins.bbdc.core.provider.netapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.time.Sleeper;
import io.jenkins.plugins.bbdc.core.provider.HttpProxy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * JSON over HTTPS to the ONTAP REST API: basic authentication, ONTAP's error bodies turned into
 * {@link OntapException}s, asynchronous jobs (HTTP 202 with {@code job.uuid}) followed through
 * {@code /api/cluster/jobs/{uuid}} until {@code success} or {@code failure}, and {@code _links.next} paging.
 */
final class OntapClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");

    private final OntapConfig config;
    private final OkHttpClient http;
    private final HttpUrl base;

    OntapClient(OntapConfig config) {
        this.config = config;
        this.base = HttpUrl.get(config.url());
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .retryOnConnectionFailure(false);
        config.proxy().applyTo(b);
        if (config.trustedCertificatePem() != null) {
            X509TrustManager tm = trustManager(config.trustedCertificatePem());
            try {
                SSLContext ssl = SSLContext.getInstance("TLS");
                ssl.init(null, new javax.net.ssl.TrustManager[] {tm}, null);
                b.sslSocketFactory(ssl.getSocketFactory(), tm);
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("ONTAP provider: cannot use the trusted certificate: "
                        + e.getMessage(), e);
            }
        }
        this.http = b.build();
    }

    /** Trusts exactly the given PEM certificates (the cluster's own or its CA), not the JVM's default CAs. */
    private static X509TrustManager trustManager(String pem) {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : cf.generateCertificates(new ByteArrayInputStream(pem.getBytes(
                    StandardCharsets.US_ASCII)))) {
                ks.setCertificateEntry("ontap-" + i++, c);
            }
            if (i == 0) {
                throw new IllegalArgumentException("ONTAP provider: 'trustedCertificate' holds no certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return (X509TrustManager) tmf.getTrustManagers()[0];
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("ONTAP provider: 'trustedCertificate' is not a readable PEM"
                    + " certificate: " + e.getMessage(), e);
        }
    }

    static ObjectMapper json() {
        return JSON;
    }

    String host() {
        return base.host();
    }

    /** A URL under the cluster: {@code /api/<segments>} with query parameters (name, value pairs). */
    HttpUrl url(List<String> segments, Map<String, String> query) {
        HttpUrl.Builder u = base.newBuilder().addPathSegment("api");
        segments.forEach(u::addPathSegment);
        query.forEach(u::addQueryParameter);
        return u.build();
    }

    /** One call; a 202 job is returned as-is (see {@link #awaitJob}). */
    JsonNode call(String method, String what, HttpUrl url, JsonNode body) throws ProviderException {
        Request.Builder rb = new Request.Builder().url(url).header("Accept", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (config.username() + ":" + config.password()).getBytes(StandardCharsets.UTF_8)));
        try {
            RequestBody rqBody = body != null ? RequestBody.create(JSON.writeValueAsBytes(body), JSON_TYPE)
                    : method.equals("GET") || method.equals("DELETE") ? null : RequestBody.create(new byte[0],
                    JSON_TYPE);
            rb.method(method, rqBody);
            try (Response r = http.newCall(rb.build()).execute()) {
                ResponseBody rbody = r.body();
                String text = rbody == null ? "" : rbody.string();
                JsonNode json;
                try {
                    json = text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
                } catch (IOException notJson) {
                    json = JSON.createObjectNode();
                }
                if (r.isSuccessful()) {
                    return json;
                }
                String code = json.path("error").path("code").asText("");
                String message = json.path("error").path("message").asText(r.message());
                String hint = r.code() == 401 ? " — check the ONTAP user name and password"
                        : r.code() == 403 ? " — the ONTAP account lacks a privilege this needs (see the ONTAP role"
                        + " in docs/providers.md)" : r.code() == 407 ? HttpProxy.REFUSED_HINT : "";
                throw new OntapException("ONTAP " + base.host() + ": " + what + " failed (HTTP " + r.code()
                        + (code.isEmpty() ? "" : ", error " + code) + ": " + message + ")" + hint, r.code(), code);
            }
        } catch (IOException e) {
            throw new ProviderException("ONTAP " + base + " unreachable while trying to " + what + ": "
                    + e.getMessage() + (e instanceof javax.net.ssl.SSLException ? " — if the cluster uses a"
                    + " self-signed certificate, configure 'trustedCertificate'" : ""), e);
        }
    }

    /** Every record of a listing, following {@code _links.next.href} page by page. */
    List<JsonNode> records(String what, HttpUrl first) throws ProviderException {
        List<JsonNode> out = new ArrayList<>();
        HttpUrl next = first;
        int pages = 0;
        while (next != null) {
            JsonNode page = call("GET", what, next, null);
            page.path("records").forEach(out::add);
            String href = page.path("_links").path("next").path("href").asText(null);
            next = href == null ? null : base.resolve(href);
            if (++pages > 10_000) {
                throw new ProviderException("ONTAP " + base.host() + ": " + what + " never reached its last page");
            }
        }
        return out;
    }

    /**
     * Follows the job an accepted (202) call started until it ends. A response without a job finished at once.
     * Throws with ONTAP's own message when the job fails, or when it outlasts the configured job timeout.
     */
    JsonNode awaitJob(String what, JsonNode accepted, Clock clock, Sleeper sleeper)
            throws ProviderException, InterruptedException {
        String uuid = accepted.path("job").path("uuid").asText(null);
        if (uuid == null) {
            return accepted;
        }
        Instant start = clock.instant();
        Duration timeout = config.jobTimeout();
        while (true) {
            JsonNode job = call("GET", "read job " + uuid + " (" + what + ")", url(List.of("cluster", "jobs", uuid),
                    Map.of("fields", "uuid,state,message,code,description,error")), null);
            String state = job.path("state").asText();
            switch (state) {
                case "success":
                    return job;
                case "failure":
                    String message = job.path("error").path("message").asText(job.path("message").asText(
                            "no message"));
                    String code = job.path("error").path("code").asText(job.path("code").asText(""));
                    throw new OntapException("ONTAP " + base.host() + ": " + what + " failed (job " + uuid
                            + (code.isEmpty() ? "" : ", error " + code) + "): " + message, 200, code);
                default:
                    if (Duration.between(start, clock.instant()).compareTo(timeout) >= 0) {
                        throw new ProviderException("ONTAP " + base.host() + ": " + what + " is still " + state
                                + " after " + timeout + " (job " + uuid + "); check it with GET /api/cluster/jobs/"
                                + uuid + " and raise the job timeout if the cluster is busy");
                    }
                    sleeper.sleep(config.pollInterval());
            }
        }
    }

    void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
