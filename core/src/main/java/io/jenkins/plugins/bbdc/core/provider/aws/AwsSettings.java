package io.jenkins.plugins.bbdc.core.provider.aws;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Connection settings shared by the AWS providers. The region is always explicit: nothing falls back to
 * {@code us-east-1} or to instance metadata.
 */
public final class AwsSettings {
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d");

    private final String region;
    private final AwsCredentialsConfig credentials;
    private final URI endpointOverride;
    private final URI proxy;
    private final String proxyUsername;
    private final String proxyPassword;
    private final Set<String> nonProxyHosts;
    private final Duration connectTimeout;
    private final Duration socketTimeout;
    private final AwsRetryPolicy retry;

    private AwsSettings(Builder b) {
        this.region = b.region;
        this.credentials = b.credentials;
        this.endpointOverride = b.endpointOverride;
        this.proxy = b.proxy;
        this.proxyUsername = b.proxyUsername;
        this.proxyPassword = b.proxyPassword;
        this.nonProxyHosts = Set.copyOf(b.nonProxyHosts);
        this.connectTimeout = b.connectTimeout;
        this.socketTimeout = b.socketTimeout;
        this.retry = b.retry;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What is wrong with these settings, each message saying what to set; empty when usable. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (region == null || region.isBlank()) {
            out.add("the AWS region is not set: set 'region' (for example eu-west-1); it is never guessed");
        } else if (!validRegion(region)) {
            out.add("'" + region + "' is not an AWS region name (for example eu-west-1, us-gov-west-1)");
        }
        if (proxy != null && (proxy.getHost() == null || proxy.getPort() <= 0)) {
            out.add("proxy '" + proxy + "' needs a host and a port, e.g. http://proxy.example.com:3128");
        }
        if (endpointOverride != null && endpointOverride.getHost() == null) {
            out.add("endpoint override '" + endpointOverride + "' is not an absolute URL");
        }
        return out;
    }

    /** A region name such as {@code eu-west-1} (format only; AWS says whether it is enabled for the account). */
    public static boolean validRegion(String region) {
        return region != null && REGION.matcher(region).matches();
    }

    public String region() {
        return region;
    }

    public AwsCredentialsConfig credentials() {
        return credentials;
    }

    public URI endpointOverride() {
        return endpointOverride;
    }

    public URI proxy() {
        return proxy;
    }

    String proxyUsername() {
        return proxyUsername;
    }

    String proxyPassword() {
        return proxyPassword;
    }

    public Set<String> nonProxyHosts() {
        return nonProxyHosts;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration socketTimeout() {
        return socketTimeout;
    }

    public AwsRetryPolicy retry() {
        return retry;
    }

    @Override
    public String toString() {
        return "region " + region + ", " + credentials
                + (endpointOverride != null ? ", endpoint " + endpointOverride : "")
                + (proxy != null ? ", proxy " + proxy + (proxyUsername != null ? " as " + proxyUsername : "") : "");
    }

    public static final class Builder {
        private String region;
        private AwsCredentialsConfig credentials = AwsCredentialsConfig.defaultChain();
        private URI endpointOverride;
        private URI proxy;
        private String proxyUsername;
        private String proxyPassword;
        private Set<String> nonProxyHosts = Set.of();
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration socketTimeout = Duration.ofSeconds(60);
        private AwsRetryPolicy retry = AwsRetryPolicy.production();

        public Builder region(String r) {
            this.region = r;
            return this;
        }

        public Builder credentials(AwsCredentialsConfig c) {
            this.credentials = Objects.requireNonNull(c);
            return this;
        }

        /** A different endpoint for every service (a VPC endpoint, or the test endpoint). */
        public Builder endpointOverride(URI uri) {
            this.endpointOverride = uri;
            return this;
        }

        /** An HTTP proxy; the password is secret and never printed. */
        public Builder proxy(URI uri, String username, String password, Set<String> nonProxy) {
            this.proxy = uri;
            this.proxyUsername = username;
            this.proxyPassword = password;
            this.nonProxyHosts = nonProxy == null ? Set.of() : nonProxy;
            return this;
        }

        public Builder timeouts(Duration connect, Duration socket) {
            this.connectTimeout = Objects.requireNonNull(connect);
            this.socketTimeout = Objects.requireNonNull(socket);
            return this;
        }

        public Builder retry(AwsRetryPolicy policy) {
            this.retry = Objects.requireNonNull(policy);
            return this;
        }

        public AwsSettings build() {
            return new AwsSettings(this);
        }
    }
}
