package io.jenkins.plugins.bbdc.core.bitbucket;

import io.jenkins.plugins.bbdc.core.time.Sleeper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import okhttp3.OkHttpClient;

/**
 * Everything {@link BitbucketAdminClient} needs: where Bitbucket is, how to authenticate, timeouts and retries.
 * Build with {@link #builder(URI)}.
 *
 * @param baseUrl        Bitbucket's URL including any context path (the load balancer), without trailing slash
 * @param adminUrl       one node reached directly, bypassing the load balancer, for the {@code /mvc} maintenance
 *                       calls; equals {@code baseUrl} when not configured
 * @param credentials    Basic with a system administrator (default) or Bearer
 * @param connectTimeout TCP connect timeout of every call
 * @param readTimeout    read timeout of every call
 * @param retryPolicy    retries of idempotent reads; writes are never retried
 * @param userAgent      {@code bbdc-ops/<version>} by default
 * @param sleeper        waits between retries (injected by tests)
 * @param random         jitter source (injected by tests)
 * @param httpClient     a preconfigured OkHttp client to derive from (proxy, TLS trust, interceptors), or null
 * @param nodeUrls       every application node's own URL (with the context path): where the unlock and the cancel
 *                       are tried when the admin and base URLs fail (see {@link #maintenanceUrls()})
 */
public record BitbucketClientOptions(URI baseUrl, URI adminUrl, BitbucketCredentials credentials,
                                     Duration connectTimeout, Duration readTimeout, RetryPolicy retryPolicy,
                                     String userAgent, Sleeper sleeper, Random random, OkHttpClient httpClient,
                                     List<URI> nodeUrls) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

    public BitbucketClientOptions {
        baseUrl = normalize(baseUrl, "Bitbucket base URL");
        adminUrl = adminUrl == null ? baseUrl : normalize(adminUrl, "Bitbucket admin URL");
        if (credentials == null) {
            throw new IllegalArgumentException("no Bitbucket credentials configured: admin calls need the username and"
                    + " password of a Bitbucket system administrator");
        }
        connectTimeout = positive(connectTimeout, DEFAULT_CONNECT_TIMEOUT, "connect timeout");
        readTimeout = positive(readTimeout, DEFAULT_READ_TIMEOUT, "read timeout");
        retryPolicy = retryPolicy == null ? RetryPolicy.DEFAULT : retryPolicy;
        userAgent = userAgent == null || userAgent.isBlank() ? defaultUserAgent() : userAgent;
        sleeper = sleeper == null ? Sleeper.SYSTEM : sleeper;
        random = random == null ? new Random() : random;
        List<URI> nodes = new ArrayList<>();
        for (URI node : nodeUrls == null ? List.<URI>of() : nodeUrls) {
            nodes.add(normalize(node, "Bitbucket node URL"));
        }
        nodeUrls = List.copyOf(nodes);
    }

    /**
     * The URLs to try, in order, for a maintenance call that must not be given up on the first failure — the unlock
     * and the cancel: the admin URL (where the lock was taken), the base URL, then each node's own URL, without
     * duplicates. A load balancer may stop forwarding while Bitbucket is locked (a health check that treats
     * {@code MAINTENANCE} as down), while each node still accepts the call.
     */
    public List<URI> maintenanceUrls() {
        Set<URI> urls = new LinkedHashSet<>();
        urls.add(adminUrl);
        urls.add(baseUrl);
        urls.addAll(nodeUrls);
        return List.copyOf(urls);
    }

    public static Builder builder(URI baseUrl) {
        return new Builder(baseUrl);
    }

    public static Builder builder(String baseUrl) {
        try {
            return new Builder(URI.create(baseUrl.trim()));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("'" + baseUrl + "' is not a valid Bitbucket URL: expected for example"
                    + " https://bitbucket.example.com or http://localhost:7990/bitbucket", e);
        }
    }

    /** {@code bbdc-ops/<version of this build>}. */
    public static String defaultUserAgent() {
        return "bbdc-ops/" + Version.VALUE;
    }

    private static URI normalize(URI url, String what) {
        if (url == null) {
            throw new IllegalArgumentException("no " + what + " configured: expected for example"
                    + " https://bitbucket.example.com or http://localhost:7990/bitbucket");
        }
        String scheme = url.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || url.getHost() == null) {
            throw new IllegalArgumentException("the " + what + " '" + url + "' must be an absolute http(s) URL such as"
                    + " https://bitbucket.example.com or http://localhost:7990/bitbucket");
        }
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the " + what + " must not contain a user name or password; configure"
                    + " them as credentials instead");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException("the " + what + " '" + url + "' must not have a query or fragment;"
                    + " give only the address and context path, for example http://localhost:7990/bitbucket");
        }
        String s = url.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return URI.create(s);
    }

    private static Duration positive(Duration d, Duration dflt, String what) {
        if (d == null) {
            return dflt;
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("the " + what + " must be positive, got " + d);
        }
        return d;
    }

    public static final class Builder {
        private final URI baseUrl;
        private URI adminUrl;
        private BitbucketCredentials credentials;
        private Duration connectTimeout;
        private Duration readTimeout;
        private RetryPolicy retryPolicy;
        private String userAgent;
        private Sleeper sleeper;
        private Random random;
        private OkHttpClient httpClient;
        private List<URI> nodeUrls = List.of();

        private Builder(URI baseUrl) {
            this.baseUrl = baseUrl;
        }

        /** One node directly (bypassing the load balancer) for the {@code /mvc} maintenance calls. */
        public Builder adminUrl(URI url) {
            this.adminUrl = url;
            return this;
        }

        public Builder adminUrl(String url) {
            return adminUrl(url == null || url.isBlank() ? null : URI.create(url.trim()));
        }

        /** Basic auth with a system administrator: the default, and what admin endpoints require. */
        public Builder basicAuth(String username, String password) {
            this.credentials = BitbucketCredentials.basic(username, password);
            return this;
        }

        /** Bearer token: admin endpoints do not accept it on the versions documented so far. */
        public Builder bearerToken(String token) {
            this.credentials = BitbucketCredentials.bearer(token);
            return this;
        }

        public Builder credentials(BitbucketCredentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        public Builder readTimeout(Duration d) {
            this.readTimeout = d;
            return this;
        }

        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = policy;
            return this;
        }

        public Builder userAgent(String userAgent) {
            this.userAgent = userAgent;
            return this;
        }

        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        public Builder random(Random random) {
            this.random = random;
            return this;
        }

        /** Derive the HTTP client from this one (proxy, trust store, extra interceptors). */
        public Builder httpClient(OkHttpClient client) {
            this.httpClient = client;
            return this;
        }

        /** Every application node's own URL: the last places the unlock and the cancel are tried. */
        public Builder nodeUrls(List<URI> urls) {
            this.nodeUrls = urls == null ? List.of() : List.copyOf(urls);
            return this;
        }

        public BitbucketClientOptions build() {
            return new BitbucketClientOptions(baseUrl, adminUrl, credentials, connectTimeout, readTimeout,
                    retryPolicy, userAgent, sleeper, random, httpClient, nodeUrls);
        }
    }

    /** The build's version, from a Maven-filtered resource. */
    private static final class Version {
        static final String VALUE = load();

        private static String load() {
            Properties p = new Properties();
            try (InputStream in = BitbucketClientOptions.class.getResourceAsStream("client.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String v = p.getProperty("version", "");
            return v.isBlank() || v.startsWith("${") ? "dev" : v;
        }
    }
}
