package io.jenkins.plugins.bbdc.core.provider.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.provider.HttpProxy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/** JSON over HTTP(S) to the search cluster, with its error bodies turned into {@link OpenSearchException}s. */
final class OpenSearchClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");

    private final OpenSearchConfig config;
    private final OkHttpClient http;
    private final HttpUrl base;

    OpenSearchClient(OpenSearchConfig config) {
        this.config = config;
        this.base = HttpUrl.get(config.url());
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .retryOnConnectionFailure(false);
        config.proxy().applyTo(b);
        this.http = b.build();
    }

    static ObjectMapper json() {
        return JSON;
    }

    JsonNode call(String method, String what, JsonNode body, String... segments) throws ProviderException {
        return callWithQuery(method, what, body, null, segments);
    }

    /** {@code query} is one {@code name=value} parameter, or null. */
    JsonNode callWithQuery(String method, String what, JsonNode body, String query, String... segments)
            throws ProviderException {
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
        try {
            RequestBody rqBody = body == null ? (method.equals("GET") || method.equals("DELETE") ? null
                    : RequestBody.create(new byte[0], JSON_TYPE))
                    : RequestBody.create(JSON.writeValueAsBytes(body), JSON_TYPE);
            rb.method(method, rqBody);
            try (Response r = http.newCall(rb.build()).execute()) {
                ResponseBody rbody = r.body();
                String text = rbody == null ? "" : rbody.string();
                JsonNode json;
                try {
                    json = text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
                } catch (IOException notJson) {
                    if (r.isSuccessful()) {
                        throw notJson;
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
                        : "";
                throw new OpenSearchException("search cluster " + base.host() + ": " + what + " failed (HTTP "
                        + r.code() + " " + type + ": " + reason + ")" + hint, r.code(), type);
            }
        } catch (IOException e) {
            throw new ProviderException("search cluster " + base + " unreachable while trying to " + what + ": "
                    + e.getMessage(), e);
        }
    }

    void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
