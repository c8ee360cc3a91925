package io.jenkins.plugins.bbdc.core.provider;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import okhttp3.Credentials;
import okhttp3.OkHttpClient;

/**
 * An HTTP proxy for the HTTP-API providers (ONTAP, OpenSearch): host and port, an optional Basic user and password
 * (secret: never printed) and non-proxy hosts, given as regular expressions matched against the whole lower-cased
 * host of each call — the same form {@code AwsSettings} takes. {@link #NONE} leaves a client as it is.
 */
public final class HttpProxy {
    /** No proxy set here: the HTTP client keeps its default. */
    public static final HttpProxy NONE = new HttpProxy(null, null, null, Set.of());

    /** Appended to the message of a call answered {@code 407 Proxy Authentication Required}. */
    public static final String REFUSED_HINT = " — the HTTP proxy wants authentication or refused the proxy user name"
            + " and password: check the proxy settings, or list this host as a no-proxy host";

    private final URI uri;
    private final String username;
    private final String password;
    private final List<Pattern> nonProxyHosts = new ArrayList<>();

    private HttpProxy(URI uri, String username, String password, Set<String> nonProxyHosts) {
        this.uri = uri;
        this.username = username;
        this.password = password;
        for (String regex : nonProxyHosts) {
            this.nonProxyHosts.add(Pattern.compile(regex));
        }
    }

    /**
     * @param uri           {@code http://host:port} of the proxy
     * @param username      null: the proxy needs no authentication
     * @param nonProxyHosts regular expressions of hosts called directly; null or empty for none
     * @throws IllegalArgumentException when the proxy has no host or port, or a non-proxy entry is no expression
     */
    public static HttpProxy of(URI uri, String username, String password, Set<String> nonProxyHosts) {
        if (uri == null || uri.getHost() == null || uri.getPort() <= 0) {
            throw new IllegalArgumentException("proxy '" + uri + "' needs a host and a port, e.g."
                    + " http://proxy.example.com:3128");
        }
        return new HttpProxy(uri, username, username == null ? null : (password == null ? "" : password),
                nonProxyHosts == null ? Set.of() : nonProxyHosts);
    }

    /**
     * The regular expression of one no-proxy host entry as Jenkins and {@code bbdc-ops} write them: case does not
     * matter, dots are literal, {@code *} stands for any run of characters, and the whole host name must match.
     */
    public static String hostPatternRegex(String entry) {
        return entry.toLowerCase(java.util.Locale.ROOT).replace(".", "\\.").replace("*", ".*");
    }

    public boolean isSet() {
        return uri != null;
    }

    /** True when calls to {@code host} connect directly. */
    public boolean bypasses(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return nonProxyHosts.stream().anyMatch(p -> p.matcher(h).matches());
    }

    /**
     * Sends the client's calls through this proxy, except to non-proxy hosts, and answers the proxy's {@code 407}
     * challenge once with the Basic credentials. The JVM's proxy properties are then not consulted.
     */
    public void applyTo(OkHttpClient.Builder client) {
        if (uri == null) {
            return;
        }
        Proxy proxy = new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort()));
        client.proxySelector(new ProxySelector() {
            @Override
            public List<Proxy> select(URI target) {
                return target.getHost() == null || bypasses(target.getHost()) ? List.of(Proxy.NO_PROXY)
                        : List.of(proxy);
            }

            @Override
            public void connectFailed(URI target, SocketAddress address, IOException e) {
                // OkHttp reports the failure to the caller; there is no other proxy to fall back to
            }
        });
        if (username != null) {
            String authorization = Credentials.basic(username, password);
            client.proxyAuthenticator((route, response) ->
                    response.request().header("Proxy-Authorization") != null ? null // refused: do not loop
                            : response.request().newBuilder().header("Proxy-Authorization", authorization).build());
        }
    }

    @Override
    public String toString() {
        return uri == null ? "no proxy" : "proxy " + uri + (username != null ? " as " + username : "");
    }
}
