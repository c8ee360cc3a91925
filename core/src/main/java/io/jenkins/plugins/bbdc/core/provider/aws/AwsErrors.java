package io.jenkins.plugins.bbdc.core.provider.aws;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * What an AWS error answer means and the message that says what to do about it: one table of error codes, used by
 * the providers' retrying calls ({@link AwsCalls}) and by the CloudFormation upgrade's poll steps alike, so that every
 * failed call names the IAM action it needed.
 */
public final class AwsErrors {
    /** How a caller should react to an AWS error. */
    public enum Kind {
        /** Asked too often; nothing happened. Ask again after a back-off. */
        THROTTLED,
        /** A concurrency limit (pending snapshots of a volume, copies in progress): wait for running work to end. */
        BUSY,
        /** A hard account quota (total snapshots, instances, storage): only the user can free some or raise it. */
        QUOTA,
        DENIED,
        BAD_CREDENTIALS,
        /** HTTP 5xx: AWS failed on its side. */
        AWS_SIDE,
        OTHER
    }

    static final Set<String> THROTTLING = Set.of("RequestLimitExceeded", "Throttling", "ThrottlingException",
            "SnapshotCreationPerVolumeRateExceeded", "TooManyRequestsException", "RequestThrottled",
            "RequestThrottledException", "PriorRequestNotComplete");
    /** EC2's concurrency limits; RDS's copy limit shares its code with a hard quota, see {@link #kind}. */
    static final Set<String> LIMITS = Set.of("ConcurrentSnapshotLimitExceeded", "PendingSnapshotLimitExceeded",
            "ResourceLimitExceeded", "SnapshotCopyLimitExceeded");
    static final Set<String> DENIED = Set.of("UnauthorizedOperation", "AccessDenied", "AccessDeniedException");
    static final Set<String> BAD_CREDENTIALS = Set.of("AuthFailure", "InvalidClientTokenId", "SignatureDoesNotMatch",
            "ExpiredToken", "UnrecognizedClientException", "InvalidAccessKeyId");
    /** Hard quotas: error code → the quota's name in Service Quotas (RDS's snapshot quota depends on the action). */
    static final Map<String, String> QUOTAS = Map.of(
            "SnapshotQuotaExceeded", "Manual DB instance snapshots",
            "InstanceQuotaExceeded", "DB instances",
            "DBClusterQuotaExceededFault", "DB clusters",
            "StorageQuotaExceeded", "Total storage for all DB instances",
            "SnapshotLimitExceeded", "Snapshots per Region (Amazon EBS)",
            "VolumeLimitExceeded", "Storage for the volume type, in TiB (Amazon EBS)",
            "MaxIOPSLimitExceeded", "IOPS for the volume type (Amazon EBS)");

    private AwsErrors() {
    }

    /** The AWS error code, or null when the answer carried none (e.g. an HTTP proxy answered). */
    public static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    private static String message(AwsServiceException e) {
        return e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
    }

    /** How to react to {@code e}, the answer to {@code iamAction} (e.g. {@code rds:CopyDBSnapshot}). */
    public static Kind kind(String iamAction, AwsServiceException e) {
        String code = code(e);
        if (code == null) {
            return e.statusCode() >= 500 ? Kind.AWS_SIDE : Kind.OTHER;
        }
        if (THROTTLING.contains(code)) {
            return Kind.THROTTLED;
        }
        if (LIMITS.contains(code) || rdsCopiesInProgress(iamAction, code, message(e))) {
            return Kind.BUSY;
        }
        if (QUOTAS.containsKey(code)) {
            return Kind.QUOTA;
        }
        if (DENIED.contains(code)) {
            return Kind.DENIED;
        }
        if (BAD_CREDENTIALS.contains(code)) {
            return Kind.BAD_CREDENTIALS;
        }
        return e.statusCode() >= 500 ? Kind.AWS_SIDE : Kind.OTHER;
    }

    /**
     * RDS answers both "too many cross-region copies in progress" and "too many manual snapshots" with
     * {@code SnapshotQuotaExceeded}; only the message tells them apart ("Cannot copy more than 20 snapshots across
     * regions" / "Cannot create more than 100 manual snapshots"). The first passes as copies finish.
     */
    private static boolean rdsCopiesInProgress(String iamAction, String code, String message) {
        return "SnapshotQuotaExceeded".equals(code) && iamAction.startsWith("rds:Copy") && message != null
                && message.toLowerCase(Locale.ROOT).contains("copy");
    }

    /**
     * The failure to report for an answer that is not retried (or no longer): names the IAM action, and for a
     * denial the principal to grant it to and where the minimal policy is documented.
     *
     * @param principal who signed the call, for messages (never a secret)
     * @param policyDoc where the required permissions are listed, e.g. {@code docs/providers.md}
     */
    public static AwsCallException failure(String iamAction, String principal, String policyDoc,
                                           AwsServiceException e) {
        String code = code(e);
        String message = message(e);
        String text = switch (kind(iamAction, e)) {
            case DENIED -> "AWS denied " + iamAction + " (" + code + "): allow the IAM action " + iamAction + " for "
                    + principal + " (see " + policyDoc + " for the minimal policy). AWS said: " + message;
            case BAD_CREDENTIALS -> "AWS rejected the credentials of " + principal + " for " + iamAction + " ("
                    + code + "): check the key, the role and the clock of this machine";
            case QUOTA -> "AWS quota reached for " + iamAction + " (" + code + "): the account's '"
                    + quotaName(iamAction, code) + "' quota is used up in this region. AWS said: " + message
                    + ". " + quotaAdvice(code);
            default -> "AWS " + iamAction + " failed: " + answer(code, message, e.statusCode());
        };
        return new AwsCallException(text, code, e.statusCode(), e);
    }

    /** A call that did not get an answer from AWS. */
    /** The endpoint's host name does not resolve: a region that does not exist (or lacks the service), or a typo. */
    static AwsCallException unknownHost(String iamAction, java.net.UnknownHostException host, SdkClientException e) {
        return new AwsCallException("could not complete " + iamAction + ": the host name of the AWS endpoint does not"
                + " resolve (unknown host " + host.getMessage() + "); check the provider's 'region' (a region that does not exist,"
                + " or does not offer this service, has no endpoint) and its 'endpoint' override, and the DNS of"
                + " this machine; not retried", null, 0, e);
    }

    /** Nothing accepts connections at the endpoint (or the proxy): retrying longer would not change that. */
    static AwsCallException refused(String iamAction, int attempts, SdkClientException e) {
        return new AwsCallException("could not complete " + iamAction + ": the connection was refused " + attempts
                + " times in a row (" + e.getMessage() + "); check the provider's 'endpoint' override and 'region',"
                + " and the 'proxy' settings if a proxy is configured; not retried further", null, 0, e);
    }

    public static AwsCallException unreachable(String iamAction, boolean write, SdkClientException e) {
        return new AwsCallException("could not complete " + iamAction + ": " + e.getMessage()
                + (write ? " (the request may or may not have reached AWS; check before retrying)" : ""), null, 0, e);
    }

    private static String quotaName(String iamAction, String code) {
        if ("SnapshotQuotaExceeded".equals(code) && iamAction.contains("Cluster")) {
            return "Manual DB cluster snapshots";
        }
        return QUOTAS.get(code);
    }

    private static String quotaAdvice(String code) {
        return switch (code) {
            case "SnapshotQuotaExceeded", "SnapshotLimitExceeded" -> "Delete snapshots that are no longer needed"
                    + " (a shorter retention keeps fewer restore points), or request a higher quota in Service"
                    + " Quotas; the call is not retried.";
            case "InstanceQuotaExceeded", "DBClusterQuotaExceededFault" -> "Delete databases that are no longer"
                    + " needed (for example earlier scratch restores), or request a higher quota in Service Quotas;"
                    + " the call is not retried.";
            default -> "Free capacity that is no longer needed, or request a higher quota in Service Quotas; the"
                    + " call is not retried.";
        };
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
}
