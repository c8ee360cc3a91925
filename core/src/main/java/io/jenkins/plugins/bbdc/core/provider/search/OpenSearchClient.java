package io.jenkins.plugins.bbdc.core.provider.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.bbdc.core.provider.HttpProxy;
import io.jenkins.plugins.bbdc.core.provider.HttpRetry;
import io.jenkins.plugins.bbdc.core.provider.PemTrust;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.time.Sleeper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * JSON over HTTP(S) to the search cluster, with its error bodies turned into {@link OpenSearchException}s and
 * {@link HttpRetry} for {@code 429} (rejected execution, circuit breakers), {@code 503} under load and unreachable
 * moments. {@code concurrent_snapshot_execution_exception} (also 503) is left to the caller, which waits for the
 * running snapshot.
 */
final class OpenSearchClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String CONCURRENT_SNAPSHOT = "concurrent_snapshot_execution_exception";

    private final OpenSearchConfig config;
    private final OkHttpClient http;
    private final HttpRetry retry;
    private final HttpUrl base;

    OpenSearchClient(OpenSearchConfig config) {
        this.config = config;
        this.base = HttpUrl.get(config.url());
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .retryOnConnectionFailure(false);
        config.proxy().applyTo(b);
        if (config.trustedCertificatePem() != null) {
            PemTrust.apply(b, config.trustedCertificatePem(), "OpenSearch provider");
        }
        this.http = b.build();
        this.retry = new HttpRetry(http, config.retry(), answer -> answer.body().contains(CONCURRENT_SNAPSHOT));
    }

    static ObjectMapper json() {
        return JSON;
    }

    JsonNode call(String method, String what, JsonNode body, HttpRetry.Kind kind, Sleeper sleeper,
                  String... segments) throws ProviderException, InterruptedException {
        return callWithQuery(method, what, body, null, kind, sleeper, segments);
    }

    /** {@code query} is one {@code name=value} parameter, or null. */
    JsonNode callWithQuery(String method, String what, JsonNode body, String query, HttpRetry.Kind kind,
                           Sleeper sleeper, String... segments) throws ProviderException, InterruptedException {
        HttpUrl.Builder url = base.newBuilder();
        for (String s : segments) {
            url.addPathSegment(s);
        }
        if (query != null) {
            int eq = query.indexOf('=');
            url.addQueryParameter(query.substring(0, eq), query.substring(eq + 1));
        }
        Request.Builder rb = new Request.Builder().url(url.build());
        if (config.username() != null) {
            rb.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (config.username() + ":" + config.password()).getBytes(StandardCharsets.UTF_8)));
        } else if (config.apiKey() != null) {
            rb.header("Authorization", "ApiKey " + config.apiKey());
        }
        HttpRetry.Answer r = retry.sendJson(rb, method, body, kind, sleeper, "search cluster " + base, what);
        JsonNode json;
        try {
            json = r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException notJson) {
            if (r.isSuccessful()) {
                throw new ProviderException("search cluster " + base.host() + ": " + what + " answered HTTP "
                        + r.code() + " with a body that is not JSON: " + notJson.getMessage(), notJson);
            }
            json = JSON.createObjectNode(); // an error page of something in between (a proxy)
        }
        if (r.isSuccessful()) {
            return json;
        }
        String type = json.path("error").path("type").asText("http_" + r.code());
        String reason = json.path("error").path("reason").asText(r.message());
        String hint = r.code() == 401 ? " — check the search credentials"
                : r.code() == 403 ? " — the search user needs the snapshot privileges (see docs/providers.md)"
                : r.code() == 407 ? HttpProxy.REFUSED_HINT
                : r.pushbackNote();
        throw new OpenSearchException("search cluster " + base.host() + ": " + what + " failed (HTTP "
                + r.code() + " " + type + ": " + reason + ")" + hint, r.code(), type, r.retries() > 0);
    }

    void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
