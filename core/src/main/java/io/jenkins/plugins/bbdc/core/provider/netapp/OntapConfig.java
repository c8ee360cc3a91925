package io.jenkins.plugins.bbdc.core.provider.netapp;

import io.jenkins.plugins.bbdc.core.provider.HttpProxy;
import io.jenkins.plugins.bbdc.core.provider.HttpRetryPolicy;
import io.jenkins.plugins.bbdc.core.provider.PemTrust;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Which ONTAP cluster, SVM and volume hold a component, and how to reach the cluster's REST API. The password is a
 * secret: it is only ever sent in the Authorization header, never printed. {@code trustedCertificatePem} is the
 * cluster's (self-signed) certificate or its CA, for clusters whose certificate the JVM does not already trust.
 */
public final class OntapConfig {
    private final URI url;
    private final String svm;
    private final String volume;
    private final String username;
    private final String password;
    private final String trustedCertificatePem;
    private final Duration connectTimeout;
    private final HttpProxy proxy;
    private final Duration readTimeout;
    private final Duration pollInterval;
    private final Duration jobTimeout;
    private final int pageSize;
    private final HttpRetryPolicy retry;

    private OntapConfig(Builder b) {
        this.url = b.url;
        this.svm = b.svm;
        this.volume = b.volume;
        this.username = b.username;
        this.password = b.password;
        this.trustedCertificatePem = b.trustedCertificatePem;
        this.connectTimeout = b.connectTimeout;
        this.proxy = b.proxy;
        this.readTimeout = b.readTimeout;
        this.pollInterval = b.pollInterval;
        this.jobTimeout = b.jobTimeout;
        this.pageSize = b.pageSize;
        this.retry = b.retry;
    }

    /** The HTTP proxy of the calls, or {@link HttpProxy#NONE}. */
    public HttpProxy proxy() {
        return proxy;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Everything wrong with this configuration, each saying what to set. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (url == null || url.getHost() == null || !("http".equals(url.getScheme())
                || "https".equals(url.getScheme()))) {
            out.add("'url' must be the ONTAP cluster management URL, e.g. https://cluster1.example.com");
        }
        if (svm == null || svm.isBlank()) {
            out.add("'svm' (the storage VM that owns the volume, e.g. svm_bitbucket) is required");
        }
        if (volume == null || volume.isBlank()) {
            out.add("'volume' (the name of the volume holding the component, e.g. bitbucket_shared) is required");
        }
        if (username == null || username.isBlank() || password == null) {
            out.add("'username' and 'password' of an ONTAP account with the bbdc-snapshots role are required");
        }
        if (PemTrust.problem(trustedCertificatePem) != null) {
            out.add(PemTrust.problem(trustedCertificatePem));
        }
        if (pageSize < 1) {
            out.add("'pageSize' must be at least 1");
        }
        return out;
    }

    public URI url() {
        return url;
    }

    public String svm() {
        return svm;
    }

    public String volume() {
        return volume;
    }

    public String username() {
        return username;
    }

    String password() {
        return password;
    }

    public String trustedCertificatePem() {
        return trustedCertificatePem;
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

    public Duration jobTimeout() {
        return jobTimeout;
    }

    /** {@code max_records} per listing page; the provider follows {@code _links.next} for the rest. */
    public int pageSize() {
        return pageSize;
    }

    /** How calls wait when the cluster answers 429 (or 503) or cannot be reached. */
    public HttpRetryPolicy retry() {
        return retry;
    }

    @Override
    public String toString() {
        return url + " svm " + svm + " volume " + volume + " as " + username;
    }

    public static final class Builder {
        private HttpProxy proxy = HttpProxy.NONE;
        private URI url;
        private String svm;
        private String volume;
        private String username;
        private String password;
        private String trustedCertificatePem;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(60);
        private Duration pollInterval = Duration.ofSeconds(2);
        private Duration jobTimeout = Duration.ofMinutes(10);
        private int pageSize = 100;
        private HttpRetryPolicy retry = HttpRetryPolicy.production();

        public Builder url(URI u) {
            this.url = u;
            return this;
        }

        public Builder volume(String svmName, String volumeName) {
            this.svm = svmName;
            this.volume = volumeName;
            return this;
        }

        public Builder basicAuth(String user, String pass) {
            this.username = user;
            this.password = pass;
            return this;
        }

        public Builder trustedCertificatePem(String pem) {
            this.trustedCertificatePem = pem;
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

        /** How often to poll an asynchronous job and how long it may take before the provider gives up. */
        public Builder jobs(Duration interval, Duration timeout) {
            this.pollInterval = interval;
            this.jobTimeout = timeout;
            return this;
        }

        public Builder pageSize(int n) {
            this.pageSize = n;
            return this;
        }

        /** The back-off of throttled or failed calls (default {@link HttpRetryPolicy#production()}). */
        public Builder retry(HttpRetryPolicy policy) {
            this.retry = java.util.Objects.requireNonNull(policy);
            return this;
        }

        public OntapConfig build() {
            return new OntapConfig(this);
        }
    }
}
