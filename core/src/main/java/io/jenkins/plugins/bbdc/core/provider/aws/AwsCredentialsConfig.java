package io.jenkins.plugins.bbdc.core.provider.aws;

import java.time.Duration;
import java.util.Objects;

/**
 * Where AWS credentials come from: the SDK default chain (environment, profile, web identity, container or instance
 * role over IMDSv2), static keys handed over by the caller (e.g. from the Jenkins credentials store), or a role
 * assumed on top of either, refreshed automatically before it expires. {@link #toString()} never shows a secret.
 */
public final class AwsCredentialsConfig {
    public enum Kind { DEFAULT_CHAIN, STATIC, ASSUME_ROLE, PROVIDED }

    private final Kind kind;
    private final String accessKeyId;
    private final String secretAccessKey;
    private final String sessionToken;
    private final AwsCredentialsConfig base;
    private final String roleArn;
    private final String externalId;
    private final String sessionName;
    private final Duration sessionDuration;
    private software.amazon.awssdk.auth.credentials.AwsCredentialsProvider provided;
    private String providedDescription;
    /** An assumed role is renewed by the first call this long before it expires (the SDK's default)… */
    private Duration renewAhead = Duration.ofMinutes(5);
    /** …and by every call, waiting for the renewal, from this long before it expires (the SDK's default). */
    private Duration renewBlockingAhead = Duration.ofMinutes(1);

    private AwsCredentialsConfig(Kind kind, String accessKeyId, String secretAccessKey, String sessionToken,
                                 AwsCredentialsConfig base, String roleArn, String externalId, String sessionName,
                                 Duration sessionDuration) {
        this.kind = kind;
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        this.sessionToken = sessionToken;
        this.base = base;
        this.roleArn = roleArn;
        this.externalId = externalId;
        this.sessionName = sessionName;
        this.sessionDuration = sessionDuration;
    }

    /** The SDK default credentials chain. */
    public static AwsCredentialsConfig defaultChain() {
        return new AwsCredentialsConfig(Kind.DEFAULT_CHAIN, null, null, null, null, null, null, null, null);
    }

    /** Static keys; {@code sessionToken} may be null. */
    public static AwsCredentialsConfig staticKeys(String accessKeyId, String secretAccessKey, String sessionToken) {
        if (accessKeyId == null || accessKeyId.isBlank() || secretAccessKey == null || secretAccessKey.isBlank()) {
            throw new IllegalArgumentException("static AWS credentials need both an access key id and a secret key");
        }
        return new AwsCredentialsConfig(Kind.STATIC, accessKeyId, secretAccessKey, sessionToken, null, null, null,
                null, null);
    }

    /**
     * Assume {@code roleArn} with the {@code base} credentials; the session is renewed before it expires.
     *
     * @param externalId      the external id the role's trust policy requires, or null
     * @param sessionName     shown in CloudTrail; null means {@code bbdc-ops}
     * @param sessionDuration 15 min … 12 h; null means 1 h
     */
    public static AwsCredentialsConfig assumeRole(AwsCredentialsConfig base, String roleArn, String externalId,
                                                  String sessionName, Duration sessionDuration) {
        Objects.requireNonNull(base, "base credentials");
        if (roleArn == null || !roleArn.matches("arn:aws[a-z-]*:iam::\\d{12}:role/.+")) {
            throw new IllegalArgumentException("roleArn '" + roleArn
                    + "' is not an IAM role ARN (expected arn:aws:iam::<12-digit account>:role/<name>)");
        }
        Duration d = sessionDuration == null ? Duration.ofHours(1) : sessionDuration;
        if (d.compareTo(Duration.ofMinutes(15)) < 0 || d.compareTo(Duration.ofHours(12)) > 0) {
            throw new IllegalArgumentException("the assume-role session duration must be between 15 minutes and 12"
                    + " hours, not " + d);
        }
        String name = sessionName == null || sessionName.isBlank() ? "bbdc-ops" : sessionName;
        if (!name.matches("[\\w+=,.@-]{2,64}")) {
            throw new IllegalArgumentException("role session name '" + name
                    + "' must be 2-64 characters of letters, digits and + = , . @ _ -");
        }
        return new AwsCredentialsConfig(Kind.ASSUME_ROLE, null, null, null, base, roleArn, externalId, name, d);
    }

    /**
     * Credentials from a provider the caller owns (for example a Jenkins credentials entry, which is itself an SDK
     * v2 provider and refreshes an assumed role by itself). It is asked on every signing and never closed here.
     *
     * @param description how logs name these credentials (an id, never a secret)
     */
    public static AwsCredentialsConfig provided(software.amazon.awssdk.auth.credentials.AwsCredentialsProvider p,
                                                String description) {
        AwsCredentialsConfig c = new AwsCredentialsConfig(Kind.PROVIDED, null, null, null, null, null, null, null,
                null);
        c.provided = Objects.requireNonNull(p, "credentials provider");
        c.providedDescription = description == null ? "provided credentials" : description;
        return c;
    }

    /**
     * The same assumed role renewed earlier than the SDK's defaults (5 min / 1 min before expiry), so that a test can
     * see a renewal within seconds of a 15-minute session. Not an option users need.
     */
    AwsCredentialsConfig renewing(Duration ahead, Duration blockingAhead) {
        if (kind != Kind.ASSUME_ROLE || blockingAhead.isNegative() || blockingAhead.compareTo(ahead) > 0
                || ahead.compareTo(sessionDuration) >= 0) {
            throw new IllegalArgumentException("renewal windows " + ahead + " / " + blockingAhead + " do not fit a "
                    + sessionDuration + " assumed-role session");
        }
        AwsCredentialsConfig c = new AwsCredentialsConfig(kind, null, null, null, base, roleArn, externalId,
                sessionName, sessionDuration);
        c.renewAhead = ahead;
        c.renewBlockingAhead = blockingAhead;
        return c;
    }

    Duration renewAhead() {
        return renewAhead;
    }

    Duration renewBlockingAhead() {
        return renewBlockingAhead;
    }

    /** The caller's provider of a {@link Kind#PROVIDED} configuration, else null. */
    public software.amazon.awssdk.auth.credentials.AwsCredentialsProvider provider() {
        return provided;
    }

    public Kind kind() {
        return kind;
    }

    public String accessKeyId() {
        return accessKeyId;
    }

    String secretAccessKey() {
        return secretAccessKey;
    }

    String sessionToken() {
        return sessionToken;
    }

    public AwsCredentialsConfig base() {
        return base;
    }

    public String roleArn() {
        return roleArn;
    }

    String externalId() {
        return externalId;
    }

    public String sessionName() {
        return sessionName;
    }

    public Duration sessionDuration() {
        return sessionDuration;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case DEFAULT_CHAIN -> "default credentials chain";
            case STATIC -> "static key " + accessKeyId;
            case PROVIDED -> providedDescription;
            case ASSUME_ROLE -> "role " + roleArn + " assumed with " + base
                    + (externalId != null ? " (external id set)" : "");
        };
    }
}
