package io.jenkins.plugins.bbdc.core.provider;

import java.time.Duration;

/**
 * How the HTTP-API providers (ONTAP, OpenSearch) wait when the server pushes back ({@code 429 Too Many Requests},
 * {@code 503} under load) or cannot be reached: exponential back-off from {@code base} with jitter, capped at
 * {@code max}, at most {@code attempts} retries of one call. A {@code Retry-After} from the server is waited at least.
 */
public record HttpRetryPolicy(Duration base, Duration max, int attempts) {

    public HttpRetryPolicy {
        if (base == null || max == null || base.isNegative() || max.compareTo(base) < 0 || attempts < 0) {
            throw new IllegalArgumentException("invalid HTTP retry policy " + base + "/" + max + "/" + attempts
                    + ": the first wait must be at most the longest, and the retries not negative");
        }
    }

    /** Production defaults: from 2 s up to 2 min, 10 retries (about 10 minutes of pushback before giving up). */
    public static HttpRetryPolicy production() {
        return new HttpRetryPolicy(Duration.ofSeconds(2), Duration.ofMinutes(2), 10);
    }

    /** No retry at all. */
    public static HttpRetryPolicy none() {
        return new HttpRetryPolicy(Duration.ZERO, Duration.ZERO, 0);
    }
}
