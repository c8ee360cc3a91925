package io.jenkins.plugins.bbdc.core.provider.aws;

import io.jenkins.plugins.bbdc.core.event.OperationEvent;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Runs one AWS call with the project's retry rules: throttling backs off exponentially with jitter, concurrency
 * limits wait and queue, hard quotas and access denials fail at once naming the quota or the IAM action (see
 * {@link AwsErrors}), and reads (only reads) are retried when AWS cannot be reached. An unknown host fails at once,
 * a refused connection after {@link #REFUSED_ATTEMPTS} attempts (both name the settings to check). Each retry is an
 * event at the normal level (what failed, which retry, the wait); the back-off of one call is bounded by the policy's
 * retry budget. Every wait goes through the context's sleeper.
 */
final class AwsCalls {
    private final AwsRetryPolicy policy;
    private final ProviderContext ctx;
    private final String operation;
    private final String principal;
    private final Random random;

    AwsCalls(AwsRetryPolicy policy, ProviderContext ctx, String operation, String principal, Random random) {
        this.policy = policy;
        this.ctx = ctx;
        this.operation = operation;
        this.principal = principal;
        this.random = random;
    }

    /** A call that changes something: not retried when AWS could not be reached (it may have happened). */
    <T> T write(String iamAction, Supplier<T> call) throws AwsCallException, InterruptedException {
        return run(iamAction, call, false);
    }

    /** A call that only reads: also retried when AWS could not be reached or failed on its side. */
    <T> T read(String iamAction, Supplier<T> call) throws AwsCallException, InterruptedException {
        return run(iamAction, call, true);
    }

    private <T> T run(String iamAction, Supplier<T> call, boolean idempotent)
            throws AwsCallException, InterruptedException {
        int throttled = 0;
        int unreachable = 0;
        int refused = 0;
        Duration waited = Duration.ZERO;
        Instant limitSince = null;
        while (true) {
            try {
                return call.get();
            } catch (AwsServiceException e) {
                String code = AwsErrors.code(e);
                String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
                AwsErrors.Kind kind = AwsErrors.kind(iamAction, e);
                if (kind == AwsErrors.Kind.THROTTLED) {
                    Duration wait = backoff(throttled);
                    if (throttled >= policy.throttleAttempts() || overBudget(waited, wait)) {
                        throw new AwsCallException("AWS kept throttling " + iamAction + " (" + code + ") after "
                                + throttled + " retries (" + waited.toSeconds() + " s of back-off); run the operation"
                                + " again later or raise the retry budget", code, e.statusCode(), e);
                    }
                    throttled++;
                    retrying(iamAction + " throttled by AWS (" + code + ")", throttled, wait);
                    waited = waited.plus(wait);
                } else if (kind == AwsErrors.Kind.BUSY) {
                    Instant now = ctx.clock().instant();
                    limitSince = limitSince == null ? now : limitSince;
                    if (Duration.between(limitSince, now).compareTo(policy.limitTimeout()) >= 0) {
                        throw new AwsCallException("AWS limit for " + iamAction + " stayed reached (" + code + ") for "
                                + policy.limitTimeout() + ": " + message + "; wait for running snapshots or copies to"
                                + " finish, or ask AWS for a higher quota", code, e.statusCode(), e);
                    }
                    Duration wait = jitter(policy.limitWait());
                    note(OperationEvent.Level.INFO, iamAction + " waits for an AWS limit (" + code + "): " + message
                            + "; asking again in " + seconds(wait) + " (waiting up to " + policy.limitTimeout() + ")");
                    ctx.sleeper().sleep(wait);
                } else if (kind == AwsErrors.Kind.AWS_SIDE && idempotent && unreachable < policy.throttleAttempts()
                        && !overBudget(waited, backoff(unreachable))) {
                    Duration wait = backoff(unreachable++);
                    retrying(iamAction + " failed on the AWS side (" + code + ", HTTP " + e.statusCode() + ")",
                            unreachable, wait);
                    waited = waited.plus(wait);
                } else {
                    throw AwsErrors.failure(iamAction, principal, "docs/providers.md", e);
                }
            } catch (SdkClientException e) {
                UnknownHostException unknownHost = cause(e, UnknownHostException.class);
                if (unknownHost != null) {
                    // no retry resolves a host name that does not exist (a mistyped region or endpoint)
                    throw AwsErrors.unknownHost(iamAction, unknownHost, e);
                }
                if (cause(e, ConnectException.class) != null && ++refused >= REFUSED_ATTEMPTS) {
                    throw AwsErrors.refused(iamAction, refused, e);
                }
                Duration wait = backoff(unreachable);
                if (!idempotent || unreachable >= policy.throttleAttempts() || overBudget(waited, wait)) {
                    throw AwsErrors.unreachable(iamAction, !idempotent, e);
                }
                unreachable++;
                retrying(iamAction + " could not reach AWS (" + e.getMessage() + ")", unreachable, wait);
                waited = waited.plus(wait);
            }
        }
    }

    /** Connection refused this many times in a row: nothing listens there, more retries will not change that. */
    static final int REFUSED_ATTEMPTS = 2;

    private boolean overBudget(Duration waited, Duration next) {
        return waited.plus(next).compareTo(policy.retryBudget()) > 0;
    }

    /** Every retry is visible at the normal level: what failed, which retry, how long until it. */
    private void retrying(String what, int retry, Duration wait) throws InterruptedException {
        note(OperationEvent.Level.WARNING, what + "; retry " + retry + " of at most " + policy.throttleAttempts()
                + " in " + seconds(wait) + " (at most " + policy.retryBudget().toMinutes() + " min of retries per"
                + " call)");
        ctx.sleeper().sleep(wait);
    }

    private static String seconds(Duration d) {
        return d.toMillis() < 1000 ? d.toMillis() + " ms" : d.toSeconds() + " s";
    }

    private static <X extends Throwable> X cause(Throwable t, Class<X> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    /** Exponential from the base, capped, plus up to half again of jitter (never below the base). */
    private Duration backoff(int attempt) {
        long base = policy.throttleBase().toMillis();
        long d = Math.min(policy.throttleMax().toMillis(), base << Math.min(attempt, 20));
        return jitter(Duration.ofMillis(d));
    }

    private Duration jitter(Duration d) {
        long half = d.toMillis() / 2;
        long extra;
        synchronized (random) {
            extra = half <= 0 ? 0 : (long) (random.nextDouble() * half);
        }
        return d.plusMillis(extra);
    }

    private void note(OperationEvent.Level level, String message) {
        ctx.events().emit(new OperationEvent(ctx.clock().instant(), level, operation, "aws",
                ctx.role().value(), null, null, null, message));
    }
}
