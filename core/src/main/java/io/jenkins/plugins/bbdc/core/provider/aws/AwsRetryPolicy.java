package io.jenkins.plugins.bbdc.core.provider.aws;

import java.time.Duration;

/**
 * How AWS calls wait when AWS pushes back. Throttling ({@code RequestLimitExceeded}, {@code Throttling},
 * {@code SnapshotCreationPerVolumeRateExceeded}) backs off exponentially from {@code throttleBase} with jitter;
 * concurrency limits (pending snapshots per volume, concurrent EC2 and RDS copies) wait {@code limitWait} per attempt
 * until {@code limitTimeout} — they queue, they do not fail the backup. Hard quotas (total snapshots, instances,
 * storage) are not waited for: see {@link AwsErrors}.
 *
 * @param throttleBase      first back-off (AWS asks for ≥ 15 s between snapshot requests of a volume)
 * @param throttleMax       cap of one back-off
 * @param throttleAttempts  retries after throttling before giving up
 * @param limitWait         wait between attempts while a concurrency limit is reached
 * @param limitTimeout      total time to keep waiting for a concurrency limit
 * @param pollInterval      how often snapshot/volume/database states are polled
 * @param retryBudget       total back-off one call may spend on throttling, AWS-side errors and unreachable
 *                          endpoints before it fails (the concurrency-limit wait has its own {@code limitTimeout})
 */
public record AwsRetryPolicy(Duration throttleBase, Duration throttleMax, int throttleAttempts, Duration limitWait,
                             Duration limitTimeout, Duration pollInterval, Duration retryBudget) {

    /** Without a separate budget: the attempts alone bound the back-off. */
    public AwsRetryPolicy(Duration throttleBase, Duration throttleMax, int throttleAttempts, Duration limitWait,
                          Duration limitTimeout, Duration pollInterval) {
        this(throttleBase, throttleMax, throttleAttempts, limitWait, limitTimeout, pollInterval,
                throttleMax.multipliedBy(2L * Math.max(1, throttleAttempts)));
    }

    public AwsRetryPolicy {
        if (throttleBase.isNegative() || throttleMax.compareTo(throttleBase) < 0 || throttleAttempts < 0
                || limitWait.isNegative() || limitTimeout.isNegative() || pollInterval.isNegative()
                || retryBudget.isNegative()) {
            throw new IllegalArgumentException("invalid AWS retry policy " + throttleBase + "/" + throttleMax + "/"
                    + throttleAttempts + "/" + limitWait + "/" + limitTimeout + "/" + pollInterval);
        }
    }

    /**
     * Production defaults: back-off from 15 s up to 5 min, at most 10 retries and 10 min of back-off per call; limits
     * waited for up to 6 h; poll every 15 s.
     */
    public static AwsRetryPolicy production() {
        return new AwsRetryPolicy(Duration.ofSeconds(15), Duration.ofMinutes(5), 10, Duration.ofSeconds(60),
                Duration.ofHours(6), Duration.ofSeconds(15), Duration.ofMinutes(10));
    }

    /** The same shape with every duration in milliseconds, for tests against the local endpoint. */
    public static AwsRetryPolicy fast() {
        return new AwsRetryPolicy(Duration.ofMillis(5), Duration.ofMillis(40), 20, Duration.ofMillis(20),
                Duration.ofSeconds(20), Duration.ofMillis(20));
    }
}
