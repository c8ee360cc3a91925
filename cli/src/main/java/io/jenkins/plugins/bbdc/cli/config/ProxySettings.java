package io.jenkins.plugins.bbdc.cli.config;

import io.jenkins.plugins.bbdc.core.provider.HttpProxy;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The top-level {@code proxy} section: one HTTP proxy for every call the AWS (EBS, RDS, Aurora, STS, CloudFormation),
 * ONTAP and OpenSearch providers make. No-proxy entries are host name patterns in which {@code *} stands for any
 * characters, compared with the whole host of a call without regard to case (the rule of Jenkins' "No Proxy Host",
 * so the plugin and the CLI read them alike); they become the regular expressions core's {@link HttpProxy} and
 * {@link AwsSettings} match. The password is a {@link SecretRef}, resolved only when a provider is built.
 */
public final class ProxySettings {
    /** No {@code proxy} section: the clients keep the JVM's defaults (docs/cli.md says which). */
    public static final ProxySettings NONE = new ProxySettings(null, null, null, Set.of());

    private static final Pattern SEPARATORS = Pattern.compile("[\\s,|]+");
    private static final Pattern HOST_PATTERN = Pattern.compile("[a-z0-9._*-]+");

    private final URI url;
    private final String username;
    private final SecretRef password;
    private final Set<String> noProxyRegexes;

    private ProxySettings(URI url, String username, SecretRef password, Set<String> noProxyRegexes) {
        this.url = url;
        this.username = username;
        this.password = password;
        this.noProxyRegexes = Set.copyOf(noProxyRegexes);
    }

    static ProxySettings parse(ConfigNode n) {
        if (!n.isPresent()) {
            return NONE;
        }
        n.allowOnly("url", "username", "password", "noProxyHosts");
        URI url = proxyUrl(n.child("url"), n.string("url"));
        String username = n.string("username", null);
        if (username != null && username.isBlank()) {
            throw n.child("username").error("empty; leave the key out when the proxy needs no authentication");
        }
        SecretRef password = null;
        if (username != null) {
            password = n.secret("password");
        } else if (n.has("password")) {
            throw n.child("password").error("only meaningful with username: the proxy user it belongs to");
        }
        return new ProxySettings(url, username, password, noProxy(n.child("noProxyHosts")));
    }

    /** {@code http://host:port} and nothing else; never echoes a URL that may carry a password. */
    private static URI proxyUrl(ConfigNode where, String text) {
        URI u;
        try {
            u = new URI(text.trim());
        } catch (URISyntaxException e) {
            u = null;
        }
        if (text.contains("@")) {
            throw where.error("must not contain a user name or password; give them as proxy.username and"
                    + " proxy.password (by reference)");
        }
        if (u == null || !"http".equalsIgnoreCase(u.getScheme()) || u.getHost() == null || u.getPort() <= 0
                || !(u.getRawPath() == null || u.getRawPath().isEmpty() || "/".equals(u.getRawPath()))
                || u.getRawQuery() != null || u.getRawFragment() != null) {
            throw where.error("'" + text + "' is not a proxy URL: expected http://host:port, for example"
                    + " http://proxy.example.com:3128 (the connection to the proxy is plain HTTP; https targets are"
                    + " tunnelled through it)");
        }
        return URI.create("http://" + u.getRawAuthority());
    }

    /** A list of patterns, or one text with patterns separated by spaces, commas or {@code |}. */
    private static Set<String> noProxy(ConfigNode n) {
        List<ConfigNode> entries = new ArrayList<>();
        if (n.isPresent() && !n.isList()) {
            entries.add(n);
        } else {
            entries.addAll(n.items());
        }
        Set<String> regexes = new LinkedHashSet<>();
        for (ConfigNode entry : entries) {
            for (String pattern : SEPARATORS.split(entry.asText().trim())) {
                if (pattern.isEmpty()) {
                    continue;
                }
                String p = pattern.toLowerCase(Locale.ROOT);
                if (!HOST_PATTERN.matcher(p).matches()) {
                    throw entry.error("'" + pattern + "' is not a host name pattern: give host names or IP addresses,"
                            + " with * for any characters (for example *.internal, 10.0.*, ec2.eu-west-1.amazonaws.com);"
                            + " ports and CIDR ranges are not supported");
                }
                regexes.add(HttpProxy.hostPatternRegex(p));
            }
        }
        return regexes;
    }

    public boolean isSet() {
        return url != null;
    }

    /** Sends the AWS calls (and STS) through this proxy; nothing is set without one. */
    public void applyTo(AwsSettings.Builder settings) {
        if (url != null) {
            settings.proxy(url, username, password == null ? null : password.get(), noProxyRegexes);
        }
    }

    /** This proxy for the ONTAP and OpenSearch clients; {@link HttpProxy#NONE} without one. */
    public HttpProxy toHttpProxy() {
        return url == null ? HttpProxy.NONE
                : HttpProxy.of(url, username, password == null ? null : password.get(), noProxyRegexes);
    }

    @Override
    public String toString() {
        return url == null ? "no proxy" : "proxy " + url + (username != null ? " as " + username : "");
    }
}
