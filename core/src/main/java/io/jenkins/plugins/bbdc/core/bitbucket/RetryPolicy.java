package io.jenkins.plugins.bbdc.core.bitbucket;

import java.time.Duration;
import java.util.Random;

/**
 * Retries of idempotent reads (GET) after a connection failure, a timeout, 429 or 5xx. Writes are retried only when
 * their connection could not be made (they provably never left this machine), never after a timeout, 429 or 5xx
 * (bitbucket-admin-api.md rule 12).
 *
 * @param attempts    total tries including the first (1 = no retry)
 * @param baseBackoff wait before the second try; doubled for each further try
 * @param maxBackoff  upper bound of one wait
 * @param jitter      fraction 0..1 by which each wait is randomly shortened or lengthened
 */
public record RetryPolicy(int attempts, Duration baseBackoff, Duration maxBackoff, double jitter) {

    /** 3 tries, 500 ms, 1 s (capped at 5 s), ±25 %. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(5), 0.25);

    /** One try only. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 0);

    public RetryPolicy {
        if (attempts < 1) {
            throw new IllegalArgumentException("retry attempts must be at least 1 (1 = no retry), got " + attempts);
        }
        if (baseBackoff == null || baseBackoff.isNegative() || maxBackoff == null || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("retry backoffs must be zero or positive durations");
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("retry jitter is a fraction between 0 and 1, got " + jitter);
        }
    }

    /** The wait after failed try number {@code failedAttempt} (1-based). */
    public Duration backoff(int failedAttempt, Random random) {
        long base = baseBackoff.toMillis();
        long exp = base << Math.min(failedAttempt - 1, 20);
        long capped = Math.min(exp < 0 ? Long.MAX_VALUE : exp, maxBackoff.toMillis());
        double factor = 1 + jitter * (random.nextDouble() * 2 - 1);
        return Duration.ofMillis(Math.max(0, Math.round(capped * factor)));
    }
}
