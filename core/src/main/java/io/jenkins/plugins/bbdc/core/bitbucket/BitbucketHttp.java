package io.jenkins.plugins.bbdc.core.bitbucket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketException.Kind;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSink;

/**
 * Sends {@link HttpCall}s: the contract's headers on every call, retries with backoff for reads (and for writes that
 * provably never left this machine), and a reply that never keeps the raw body. Failures become
 * {@link BitbucketException}s through {@link BitbucketErrors}.
 *
 * <p><b>Writes and closed connections.</b> A server, a load balancer after its idle timeout, or an HTTP/1.0 proxy after
 * every answer closes keep-alive connections, often without saying so. OkHttp (4.12 and 5.3.2 alike) reuses a pooled
 * connection without probing it unless it has been idle for 10 s, so a request written to such a connection fails with "unexpected end
 * of stream" — and nothing then tells whether the server read it. OkHttp replays that only for bodies that are not
 * one-shot (ours are one-shot, rule 12), so a read recovers transparently and a write would fail. Writes therefore
 * never use a pooled connection: each opens its own. A write is sent again only when it provably never reached the
 * server: its connection could not be established (no network interceptor ran, so no byte of it was written). Once
 * written, a write that gets no answer is reported, never repeated.
 */
final class BitbucketHttp {
    private static final Logger LOG = Logger.getLogger(BitbucketAdminClient.class.getName());
    private static final MediaType JSON = MediaType.get("application/json");
    /** Larger bodies are not JSON we need; they are cut (and then fail to parse) rather than held in memory. */
    private static final long MAX_BODY = 4L * 1024 * 1024;

    private final BitbucketClientOptions options;
    private final OkHttpClient http;
    /** The same client without a pool: every write opens a connection of its own. */
    private final OkHttpClient writes;
    private final BitbucketErrors errors;

    BitbucketHttp(BitbucketClientOptions options) {
        this.options = options;
        OkHttpClient.Builder b = options.httpClient() != null ? options.httpClient().newBuilder()
                : new OkHttpClient.Builder();
        this.http = b.connectTimeout(options.connectTimeout())
                .readTimeout(options.readTimeout())
                .writeTimeout(options.readTimeout())
                // a redirect is reported, not followed: OkHttp would turn a POST into a GET, and a redirect usually
                // means a wrong URL (http → https, missing context path) or a login page
                .followRedirects(false)
                .followSslRedirects(false)
                // runs once a connection is established, just before the request is written to it
                .addNetworkInterceptor(chain -> {
                    Sending sending = chain.request().tag(Sending.class);
                    if (sending != null) {
                        sending.started = true;
                    }
                    return chain.proceed(chain.request());
                })
                .build();
        this.writes = http.newBuilder().connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS)).build();
        this.errors = new BitbucketErrors(options.credentials(), options.connectTimeout(), options.readTimeout());
    }

    BitbucketErrors errors() {
        return errors;
    }

    /**
     * Sends the call, retrying a read after a failure or a 429/5xx, and a write only when it was never sent; returns
     * whatever HTTP answer came back, throws only when none did.
     */
    HttpReply send(HttpCall call) throws BitbucketException {
        RetryPolicy policy = options.retryPolicy();
        for (int attempt = 1; ; attempt++) {
            HttpReply reply;
            Sending sending = new Sending();
            try {
                reply = once(call, sending);
            } catch (IOException e) {
                boolean again = call.idempotent() || !sending.started;
                if (!again || attempt >= policy.attempts() || Thread.currentThread().isInterrupted()) {
                    throw errors.fromIo(call, e, attempt, sending.started);
                }
                LOG.log(Level.FINE, "{0} failed ({1}){2}; retrying", new Object[] {call.describe(),
                        e.getClass().getSimpleName(), sending.started ? "" : " before it was sent"});
                pause(call, policy, attempt);
                continue;
            }
            if (call.idempotent() && attempt < policy.attempts() && retryable(reply.status())) {
                LOG.log(Level.FINE, "{0} answered {1}; retrying", new Object[] {call.describe(), reply.status()});
                pause(call, policy, attempt);
                continue;
            }
            return reply;
        }
    }

    /** Sends the call and requires a 2xx JSON answer. */
    JsonNode json(HttpCall call) throws BitbucketException {
        return json(send(call));
    }

    JsonNode json(HttpReply reply) throws BitbucketException {
        if (!reply.successful()) {
            throw errors.fromReply(reply);
        }
        if (reply.json() == null) {
            throw errors.unexpectedBody(reply);
        }
        return reply.json();
    }

    /** Sends the call and requires a 2xx answer that is not an HTML page; the body is ignored. */
    void noContent(HttpCall call) throws BitbucketException {
        HttpReply reply = send(call);
        if (!reply.successful()) {
            throw errors.fromReply(reply);
        }
        if (reply.html()) {
            throw errors.unexpectedBody(reply);
        }
    }

    /** One try, no retry, no exception for HTTP statuses. */
    HttpReply once(HttpCall call) throws IOException {
        return once(call, new Sending());
    }

    private HttpReply once(HttpCall call, Sending sending) throws IOException {
        Request.Builder rb = new Request.Builder().url(call.url()).tag(Sending.class, sending)
                .header("Accept", "application/json")
                .header("User-Agent", options.userAgent());
        if (call.authenticated()) {
            rb.header("Authorization", options.credentials().authorizationHeader());
        }
        if (call.maintenanceToken() != null) {
            rb.header(HttpCall.MAINTENANCE_HEADER, call.maintenanceToken());
        }
        if (!"GET".equals(call.method())) {
            // XSRF opt-out for /rest; harmless on /mvc (bitbucket-admin-api.md 2.3)
            rb.header("X-Atlassian-Token", "no-check");
            rb.method(call.method(), EmptyJsonBody.INSTANCE);
        } else {
            rb.get();
        }
        long start = System.nanoTime();
        OkHttpClient client = call.idempotent() ? http : writes;
        try (Response response = client.newCall(rb.build()).execute()) {
            HttpReply reply = read(call, response);
            LOG.log(Level.FINE, "{0} → {1} in {2} ms", new Object[] {call.describe(), reply.status(),
                    (System.nanoTime() - start) / 1_000_000});
            return reply;
        }
    }

    private static HttpReply read(HttpCall call, Response response) throws IOException {
        ResponseBody body = response.body();
        String text = "";
        String contentType = null;
        boolean tooBig = false;
        if (body != null) {
            MediaType mt = body.contentType();
            contentType = mt == null ? null : mt.type() + "/" + mt.subtype();
            okio.BufferedSource source = body.source();
            if (source.request(MAX_BODY + 1)) {
                // far larger than any answer of the admin API: keep only a prefix to recognise an HTML page
                text = source.getBuffer().clone().readUtf8(1024);
                tooBig = true;
            } else {
                text = body.string();
            }
        }
        JsonNode json = null;
        if (!tooBig && !text.isBlank()) {
            try {
                json = BitbucketJson.parse(text);
            } catch (JsonProcessingException e) {
                json = null;
            }
        }
        String location = null;
        String loc = response.header("Location");
        if (loc != null) {
            HttpUrl target = call.url().resolve(loc);
            location = target == null ? "another address" : Redaction.url(target);
        }
        return new HttpReply(call, response.code(), contentType, json, text.isBlank(),
                !text.isBlank() && HttpReply.looksLikeHtml(contentType, text), location);
    }

    private static boolean retryable(int status) {
        return status == 429 || (status >= 500 && status <= 599);
    }

    private void pause(HttpCall call, RetryPolicy policy, int failedAttempt) throws BitbucketException {
        Duration wait = policy.backoff(failedAttempt, options.random());
        try {
            options.sleeper().sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BitbucketException(Kind.TIMEOUT, 0, "Could not " + call.purpose() + ": interrupted while"
                    + " waiting to retry " + call.describe() + ".");
        }
    }

    /** Whether a try got as far as writing its request (set by the network interceptor). */
    private static final class Sending {
        volatile boolean started;
    }

    /**
     * No body, {@code Content-Type: application/json}, and one-shot so that OkHttp itself never replays a write
     * once it has been sent (rule 12); connection failures before sending are still recovered.
     */
    private static final class EmptyJsonBody extends RequestBody {
        static final EmptyJsonBody INSTANCE = new EmptyJsonBody();

        @Override
        public MediaType contentType() {
            return JSON;
        }

        @Override
        public long contentLength() {
            return 0;
        }

        @Override
        public boolean isOneShot() {
            return true;
        }

        @Override
        public void writeTo(BufferedSink sink) {
            // no body
        }
    }
}
