package io.jenkins.plugins.bbdc.core.provider.aws;

import io.jenkins.plugins.bbdc.core.event.OperationEvent;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Runs one AWS call with the project's retry rules: throttling backs off exponentially with jitter, concurrency
 * limits wait and queue, hard quotas and access denials fail at once naming the quota or the IAM action (see
 * {@link AwsErrors}), and reads (only reads) are retried when AWS cannot be reached. Every wait goes through the
 * context's sleeper.
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
        Instant limitSince = null;
        while (true) {
            try {
                return call.get();
            } catch (AwsServiceException e) {
                String code = AwsErrors.code(e);
                String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
                AwsErrors.Kind kind = AwsErrors.kind(iamAction, e);
                if (kind == AwsErrors.Kind.THROTTLED) {
                    if (throttled >= policy.throttleAttempts()) {
                        throw new AwsCallException("AWS kept throttling " + iamAction + " (" + code + ") after "
                                + throttled + " retries; run the operation again later or raise the retry budget",
                                code, e.statusCode(), e);
                    }
                    Duration wait = backoff(throttled++);
                    note(iamAction + " throttled by AWS (" + code + "); retrying in " + wait.toMillis() + " ms");
                    ctx.sleeper().sleep(wait);
                } else if (kind == AwsErrors.Kind.BUSY) {
                    Instant now = ctx.clock().instant();
                    limitSince = limitSince == null ? now : limitSince;
                    if (Duration.between(limitSince, now).compareTo(policy.limitTimeout()) >= 0) {
                        throw new AwsCallException("AWS limit for " + iamAction + " stayed reached (" + code + ") for "
                                + policy.limitTimeout() + ": " + message + "; wait for running snapshots or copies to"
                                + " finish, or ask AWS for a higher quota", code, e.statusCode(), e);
                    }
                    note(iamAction + " waits for an AWS limit (" + code + "): " + message);
                    ctx.sleeper().sleep(jitter(policy.limitWait()));
                } else if (kind == AwsErrors.Kind.AWS_SIDE && idempotent && unreachable < policy.throttleAttempts()) {
                    Duration wait = backoff(unreachable++);
                    note(iamAction + " failed on the AWS side (" + code + "); retrying in " + wait.toMillis() + " ms");
                    ctx.sleeper().sleep(wait);
                } else {
                    throw AwsErrors.failure(iamAction, principal, "docs/providers.md", e);
                }
            } catch (SdkClientException e) {
                if (!idempotent || unreachable >= policy.throttleAttempts()) {
                    throw AwsErrors.unreachable(iamAction, !idempotent, e);
                }
                Duration wait = backoff(unreachable++);
                note(iamAction + " could not reach AWS (" + e.getMessage() + "); retrying in " + wait.toMillis()
                        + " ms");
                ctx.sleeper().sleep(wait);
            }
        }
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

    private void note(String message) {
        ctx.events().emit(new OperationEvent(ctx.clock().instant(), OperationEvent.Level.DEBUG, operation, "aws",
                ctx.role().value(), null, null, null, message));
    }
}
