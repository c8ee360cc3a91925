package io.jenkins.plugins.bbdc.core.provider.netapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.bbdc.core.provider.HttpProxy;
import io.jenkins.plugins.bbdc.core.provider.HttpRetry;
import io.jenkins.plugins.bbdc.core.provider.PemTrust;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.time.Sleeper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * JSON over HTTPS to the ONTAP REST API: basic authentication, ONTAP's error bodies turned into
 * {@link OntapException}s, asynchronous jobs (HTTP 202 with {@code job.uuid}) followed through
 * {@code /api/cluster/jobs/{uuid}} until {@code success} or {@code failure}, {@code _links.next} paging, and
 * {@link HttpRetry} for {@code 429 Too Many Requests} (honouring {@code Retry-After}) and unreachable moments.
 */
final class OntapClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OntapConfig config;
    private final OkHttpClient http;
    private final HttpRetry retry;
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
            PemTrust.apply(b, config.trustedCertificatePem(), "ONTAP provider");
        }
        this.http = b.build();
        this.retry = new HttpRetry(http, config.retry(), answer -> false);
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
    JsonNode call(String method, String what, HttpUrl url, JsonNode body, HttpRetry.Kind kind, Sleeper sleeper)
            throws ProviderException, InterruptedException {
        return send(method, what, url, body, kind, sleeper).json();
    }

    /** A successful answer and how many times the request had to be repeated to get it. */
    record Reply(JsonNode json, int retries) { }

    /** As {@link #call}, also telling how often the request was repeated. */
    Reply send(String method, String what, HttpUrl url, JsonNode body, HttpRetry.Kind kind, Sleeper sleeper)
            throws ProviderException, InterruptedException {
        Request.Builder rb = new Request.Builder().url(url).header("Accept", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (config.username() + ":" + config.password()).getBytes(StandardCharsets.UTF_8)));
        HttpRetry.Answer r = retry.sendJson(rb, method, body, kind, sleeper, "ONTAP " + base, what);
        JsonNode json;
        try {
            json = r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException notJson) {
            json = JSON.createObjectNode();
        }
        if (r.isSuccessful()) {
            return new Reply(json, r.retries());
        }
        String code = json.path("error").path("code").asText("");
        String message = json.path("error").path("message").asText(r.message());
        String hint = r.code() == 401 ? " — check the ONTAP user name and password"
                : r.code() == 403 ? " — the ONTAP account lacks a privilege this needs (see the ONTAP role"
                + " in docs/providers.md)" : r.code() == 407 ? HttpProxy.REFUSED_HINT : r.pushbackNote();
        throw new OntapException("ONTAP " + base.host() + ": " + what + " failed (HTTP " + r.code()
                + (code.isEmpty() ? "" : ", error " + code) + ": " + message + ")" + hint, r.code(), code);
    }

    /** Every record of a listing, following {@code _links.next.href} page by page. */
    List<JsonNode> records(String what, HttpUrl first, Sleeper sleeper) throws ProviderException, InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        HttpUrl next = first;
        int pages = 0;
        while (next != null) {
            JsonNode page = call("GET", what, next, null, HttpRetry.Kind.READ, sleeper);
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
                    Map.of("fields", "uuid,state,message,code,description,error")), null, HttpRetry.Kind.READ,
                    sleeper);
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
