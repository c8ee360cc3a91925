package io.jenkins.plugins.bbdc.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.bbdc.core.time.Sleeper;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Random;
import java.util.function.Predicate;
import javax.net.ssl.SSLException;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Runs one HTTP request of an HTTP-API provider with {@link HttpRetryPolicy}: what may be repeated depends on the
 * {@link Kind} of call, because a request that reached the server may have done its work.
 *
 * <ul>
 *   <li>{@code 429 Too Many Requests} is repeated for every kind: the server refused the request before running it.
 *   <li>{@code 503} is repeated for reads and {@link Kind#REPEATABLE} changes; {@code 502}/{@code 504} (a gateway
 *       that may have passed the request on) only for reads.
 *   <li>A connection that could not be opened is repeated for every kind (nothing was sent); any other transient
 *       I/O failure (a read timeout, a reset) only for reads — a change that timed out may have been done.
 *   <li>TLS and unknown-host failures are never repeated: waiting does not fix them.
 * </ul>
 * Every wait goes through the caller's {@link Sleeper}, so tests control time.
 */
public final class HttpRetry {
    /** What a call does, which decides what may be repeated. */
    public enum Kind {
        /** Reads only. */
        READ,
        /** Changes something, and doing it twice is harmless or recognised (a uniquely named create, a delete). */
        REPEATABLE,
        /** Changes something and must not run twice; repeated only when the server provably did not run it. */
        ONCE
    }

    /** The final answer: status, reason phrase, body text and how many retries it took. */
    public record Answer(int code, String message, String body, int retries) {
        public boolean isSuccessful() {
            return code >= 200 && code < 300;
        }

        /** A note for an error message when the server kept pushing back through every retry. */
        public String pushbackNote() {
            return retries == 0 ? "" : " after " + retries + " retries (the server kept pushing back; try again"
                    + " when it is less busy, or raise the retry budget)";
        }
    }

    private final OkHttpClient http;
    private final HttpRetryPolicy policy;
    private final Predicate<Answer> notPushback;
    private final Random random = new Random();

    /**
     * @param notPushback answers with a retryable status that the caller handles itself (e.g. OpenSearch's
     *                    {@code concurrent_snapshot_execution_exception}, which is waited for, not retried)
     */
    public HttpRetry(OkHttpClient http, HttpRetryPolicy policy, Predicate<Answer> notPushback) {
        this.http = http;
        this.policy = policy;
        this.notPushback = notPushback;
    }

    /**
     * @throws IOException the last I/O failure when it may not (or no longer) be repeated; {@link #mayHaveRun} tells
     *                     whether the server may have done the work
     */
    public Answer execute(Request request, Kind kind, Sleeper sleeper) throws IOException, InterruptedException {
        int retries = 0;
        while (true) {
            Duration wait;
            try (Response r = http.newCall(request).execute()) {
                ResponseBody body = r.body();
                Answer answer = new Answer(r.code(), r.message(), body == null ? "" : body.string(), retries);
                if (retries >= policy.attempts() || !pushback(answer.code(), kind) || notPushback.test(answer)) {
                    return answer;
                }
                wait = atLeast(backoff(retries), retryAfter(r.header("Retry-After")));
            } catch (IOException e) {
                if (retries >= policy.attempts() || !repeatable(e, kind)) {
                    throw e;
                }
                wait = backoff(retries);
            }
            retries++;
            sleeper.sleep(wait);
        }
    }

    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");

    /**
     * Sends a JSON API call as {@link #execute} does: {@code body} as JSON, or none (an empty one for a method that
     * needs a body). A call that gets no answer fails with a message naming {@code server} and {@code what}, with
     * the trusted-certificate hint after a TLS failure or the warning that a change may have been carried out.
     */
    public Answer sendJson(Request.Builder request, String method, JsonNode body, Kind kind, Sleeper sleeper,
                           String server, String what) throws ProviderException, InterruptedException {
        RequestBody rqBody = body != null ? RequestBody.create(body.toString().getBytes(StandardCharsets.UTF_8),
                JSON_TYPE) : method.equals("GET") || method.equals("DELETE") ? null
                : RequestBody.create(new byte[0], JSON_TYPE);
        try {
            return execute(request.method(method, rqBody).build(), kind, sleeper);
        } catch (IOException e) {
            throw new ProviderException(server + " unreachable while trying to " + what + ": " + e.getMessage()
                    + (e instanceof SSLException ? PemTrust.SELF_SIGNED_HINT : mayHaveRun(e, kind)
                    ? " (the request may have reached the cluster: check whether it was done before repeating it)"
                    : ""), e);
        }
    }

    /** True when a call of this kind that failed with {@code e} may have been carried out by the server. */
    public static boolean mayHaveRun(IOException e, Kind kind) {
        return kind != Kind.READ && !(e instanceof ConnectException);
    }

    private static boolean pushback(int code, Kind kind) {
        return code == 429 || code == 503 && kind != Kind.ONCE || (code == 502 || code == 504) && kind == Kind.READ;
    }

    private static boolean repeatable(IOException e, Kind kind) {
        if (e instanceof SSLException || e instanceof UnknownHostException) {
            return false;
        }
        return kind == Kind.READ || e instanceof ConnectException;
    }

    /** Exponential from the base, capped, plus up to half again of jitter. */
    private Duration backoff(int retry) {
        long base = policy.base().toMillis();
        long d = Math.min(policy.max().toMillis(), base << Math.min(retry, 20));
        long extra;
        synchronized (random) {
            extra = (long) (random.nextDouble() * (d / 2));
        }
        return Duration.ofMillis(d + extra);
    }

    private static final Duration LONGEST_RETRY_AFTER = Duration.ofMinutes(15);

    /** {@code Retry-After} as delay-seconds or an HTTP date, at most 15 minutes; null when absent or unreadable. */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        Duration d;
        try {
            d = Duration.ofSeconds(Long.parseLong(header.trim()));
        } catch (NumberFormatException notSeconds) {
            try {
                d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(header.trim(),
                        DateTimeFormatter.RFC_1123_DATE_TIME));
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
        return d.isNegative() ? Duration.ZERO : d.compareTo(LONGEST_RETRY_AFTER) > 0 ? LONGEST_RETRY_AFTER : d;
    }

    private static Duration atLeast(Duration d, Duration floor) {
        return floor != null && floor.compareTo(d) > 0 ? floor : d;
    }
}
