package io.jenkins.plugins.bbdc.core.provider.aws;

import io.jenkins.plugins.bbdc.core.event.OperationEvent;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Runs one AWS call with the project's retry rules: throttling backs off exponentially with jitter, concurrency
 * limits wait and queue, access denials name the IAM action to grant, and reads (only reads) are retried when AWS
 * cannot be reached. Every wait goes through the context's sleeper.
 */
final class AwsCalls {
    static final Set<String> THROTTLING = Set.of("RequestLimitExceeded", "Throttling", "ThrottlingException",
            "SnapshotCreationPerVolumeRateExceeded", "TooManyRequestsException", "RequestThrottled",
            "RequestThrottledException", "PriorRequestNotComplete");
    static final Set<String> LIMITS = Set.of("ConcurrentSnapshotLimitExceeded", "ResourceLimitExceeded",
            "SnapshotCopyLimitExceeded");
    static final Set<String> DENIED = Set.of("UnauthorizedOperation", "AccessDenied", "AccessDeniedException");
    static final Set<String> BAD_CREDENTIALS = Set.of("AuthFailure", "InvalidClientTokenId", "SignatureDoesNotMatch",
            "ExpiredToken", "UnrecognizedClientException", "InvalidAccessKeyId");

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
                String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
                String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
                if (code != null && THROTTLING.contains(code)) {
                    if (throttled >= policy.throttleAttempts()) {
                        throw new AwsCallException("AWS kept throttling " + iamAction + " (" + code + ") after "
                                + throttled + " retries; run the operation again later or raise the retry budget",
                                code, e.statusCode(), e);
                    }
                    Duration wait = backoff(throttled++);
                    note(iamAction + " throttled by AWS (" + code + "); retrying in " + wait.toMillis() + " ms");
                    ctx.sleeper().sleep(wait);
                } else if (code != null && LIMITS.contains(code)) {
                    Instant now = ctx.clock().instant();
                    limitSince = limitSince == null ? now : limitSince;
                    if (Duration.between(limitSince, now).compareTo(policy.limitTimeout()) >= 0) {
                        throw new AwsCallException("AWS limit for " + iamAction + " stayed reached (" + code + ") for "
                                + policy.limitTimeout() + ": " + message + "; wait for running snapshots or copies to"
                                + " finish, or ask AWS for a higher quota", code, e.statusCode(), e);
                    }
                    note(iamAction + " waits for an AWS limit (" + code + "): " + message);
                    ctx.sleeper().sleep(jitter(policy.limitWait()));
                } else if (code != null && DENIED.contains(code)) {
                    throw new AwsCallException("AWS denied " + iamAction + " (" + code + "): allow the IAM action "
                            + iamAction + " for " + principal + " (see docs/providers.md for the minimal policy)."
                            + " AWS said: " + message, code, e.statusCode(), e);
                } else if (code != null && BAD_CREDENTIALS.contains(code)) {
                    throw new AwsCallException("AWS rejected the credentials of " + principal + " for " + iamAction
                            + " (" + code + "): check the key, the role and the clock of this machine", code,
                            e.statusCode(), e);
                } else if (idempotent && e.statusCode() >= 500 && unreachable < policy.throttleAttempts()) {
                    Duration wait = backoff(unreachable++);
                    note(iamAction + " failed on the AWS side (" + code + "); retrying in " + wait.toMillis() + " ms");
                    ctx.sleeper().sleep(wait);
                } else {
                    throw new AwsCallException("AWS " + iamAction + " failed: " + answer(code, message,
                            e.statusCode()), code, e.statusCode(), e);
                }
            } catch (SdkClientException e) {
                if (!idempotent || unreachable >= policy.throttleAttempts()) {
                    throw new AwsCallException("could not complete " + iamAction + ": " + e.getMessage()
                            + (idempotent ? "" : " (the request may or may not have reached AWS; check before"
                            + " retrying)"), null, 0, e);
                }
                Duration wait = backoff(unreachable++);
                note(iamAction + " could not reach AWS (" + e.getMessage() + "); retrying in " + wait.toMillis()
                        + " ms");
                ctx.sleeper().sleep(wait);
            }
        }
    }

    /** What came back, for a message: an answer from something between (an HTTP proxy) has no AWS error code. */
    static String answer(String code, String message, int status) {
        if (code == null && status == 407) {
            return "HTTP 407 from the HTTP proxy: it requires authentication or refused the proxy user name and"
                    + " password; check the proxy settings";
        }
        if (code == null) {
            return "HTTP " + status + (message == null || message.isBlank() ? "" : ": " + message);
        }
        return code + ": " + message;
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
