package io.jenkins.plugins.bbdc.core.provider.search;

import io.jenkins.plugins.bbdc.core.provider.HttpProxy;
import io.jenkins.plugins.bbdc.core.provider.HttpRetryPolicy;
import io.jenkins.plugins.bbdc.core.provider.PemTrust;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the OpenSearch (or Elasticsearch) cluster is, which snapshot repository and indices to use, and how to
 * authenticate. The password and API key are secrets: only ever sent in the Authorization header, never printed.
 * {@code trustedCertificatePem} is the cluster's (self-signed) certificate or its CA, for clusters whose certificate
 * the JVM does not already trust.
 */
public final class OpenSearchConfig {
    private final URI url;
    private final String repository;
    private final String indices;
    private final String username;
    private final String password;
    private final String apiKey;
    private final String trustedCertificatePem;
    private final HttpRetryPolicy retry;
    private final String repositoryType;
    private final Map<String, String> repositorySettings;
    private final Duration connectTimeout;
    private final HttpProxy proxy;
    private final Duration readTimeout;
    private final Duration pollInterval;
    private final Duration waitTimeout;

    private OpenSearchConfig(Builder b) {
        this.url = b.url;
        this.repository = b.repository;
        this.indices = b.indices;
        this.username = b.username;
        this.password = b.password;
        this.apiKey = b.apiKey;
        this.trustedCertificatePem = b.trustedCertificatePem;
        this.retry = b.retry;
        this.repositoryType = b.repositoryType;
        this.repositorySettings = Map.copyOf(b.repositorySettings);
        this.connectTimeout = b.connectTimeout;
        this.proxy = b.proxy;
        this.readTimeout = b.readTimeout;
        this.pollInterval = b.pollInterval;
        this.waitTimeout = b.waitTimeout;
    }

    /** The HTTP proxy of the calls, or {@link HttpProxy#NONE}. */
    public HttpProxy proxy() {
        return proxy;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (url == null || url.getHost() == null || !("http".equals(url.getScheme())
                || "https".equals(url.getScheme()))) {
            out.add("'url' must be the search cluster's http(s) URL, e.g. https://search.example.com:9200");
        }
        if (repository == null || repository.isBlank()) {
            out.add("'repository' (the snapshot repository name, e.g. bitbucket-snapshots) is required");
        }
        if (indices == null || indices.isBlank()) {
            out.add("'indices' must name Bitbucket's index pattern, e.g. bitbucket-*");
        }
        if (username != null && password == null) {
            out.add("a username needs a password");
        }
        if (username != null && apiKey != null) {
            out.add("use either username/password or an API key, not both");
        }
        if (PemTrust.problem(trustedCertificatePem) != null) {
            out.add(PemTrust.problem(trustedCertificatePem));
        }
        return out;
    }

    public URI url() {
        return url;
    }

    public String repository() {
        return repository;
    }

    public String indices() {
        return indices;
    }

    public String username() {
        return username;
    }

    String password() {
        return password;
    }

    String apiKey() {
        return apiKey;
    }

    public String trustedCertificatePem() {
        return trustedCertificatePem;
    }

    /** How calls wait when the cluster answers 429 / 503 or cannot be reached. */
    public HttpRetryPolicy retry() {
        return retry;
    }

    /** Create the repository with this type (fs, s3 …) when it is missing; null: a missing repository is an error. */
    public String repositoryType() {
        return repositoryType;
    }

    public Map<String, String> repositorySettings() {
        return repositorySettings;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    public Duration waitTimeout() {
        return waitTimeout;
    }

    @Override
    public String toString() {
        return url + " repository " + repository + " indices " + indices
                + (username != null ? " as " + username : apiKey != null ? " with an API key" : "");
    }

    public static final class Builder {
        private HttpProxy proxy = HttpProxy.NONE;
        private URI url;
        private String repository = "bitbucket-snapshots";
        private String indices = "bitbucket-*";
        private String username;
        private String password;
        private String apiKey;
        private String trustedCertificatePem;
        private HttpRetryPolicy retry = HttpRetryPolicy.production();
        private String repositoryType;
        private final Map<String, String> repositorySettings = new LinkedHashMap<>();
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(60);
        private Duration pollInterval = Duration.ofSeconds(5);
        private Duration waitTimeout = Duration.ofHours(2);

        public Builder url(URI u) {
            this.url = u;
            return this;
        }

        public Builder repository(String r) {
            this.repository = r;
            return this;
        }

        public Builder indices(String pattern) {
            this.indices = pattern;
            return this;
        }

        public Builder basicAuth(String user, String pass) {
            this.username = user;
            this.password = pass;
            return this;
        }

        public Builder apiKey(String key) {
            this.apiKey = key;
            return this;
        }

        /** The cluster's certificate or its CA (PEM); when set, only these certificates are trusted. */
        public Builder trustedCertificatePem(String pem) {
            this.trustedCertificatePem = pem;
            return this;
        }

        /** The back-off of throttled or failed calls (default {@link HttpRetryPolicy#production()}). */
        public Builder retry(HttpRetryPolicy policy) {
            this.retry = java.util.Objects.requireNonNull(policy);
            return this;
        }

        public Builder createRepository(String type, Map<String, String> settings) {
            this.repositoryType = type;
            this.repositorySettings.putAll(settings);
            return this;
        }

        /** The HTTP proxy for the calls; {@link HttpProxy#NONE} (the default) keeps the client's default. */
        public Builder proxy(HttpProxy p) {
            this.proxy = java.util.Objects.requireNonNull(p);
            return this;
        }

        public Builder timeouts(Duration connect, Duration read) {
            this.connectTimeout = connect;
            this.readTimeout = read;
            return this;
        }

        public Builder polling(Duration interval, Duration timeout) {
            this.pollInterval = interval;
            this.waitTimeout = timeout;
            return this;
        }

        public OpenSearchConfig build() {
            return new OpenSearchConfig(this);
        }
    }
}
