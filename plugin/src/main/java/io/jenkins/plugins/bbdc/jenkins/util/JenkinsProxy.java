package io.jenkins.plugins.bbdc.jenkins.util;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.ProxyConfiguration;
import hudson.util.Secret;
import io.jenkins.plugins.bbdc.core.provider.HttpProxy;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsSettings;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import jenkins.model.Jenkins;

/**
 * Jenkins' HTTP proxy (Manage Jenkins » System » HTTP proxy) as the engine's proxy settings: the one place where
 * {@link ProxyConfiguration} is read and mapped. Calls made on the controller (AWS, ONTAP, OpenSearch) go through it, except to its
 * no-proxy hosts. The password is held in memory for one operation and never shown by {@link #toString()}.
 *
 * <p>No-proxy entries follow Jenkins' own rule ({@code ProxyConfiguration.getNoProxyHostPatterns}): entries are
 * separated by white space, commas or {@code |}; {@code *} matches any characters and the whole host name must match.
 * Host names are compared without regard to case.
 */
public final class JenkinsProxy {
    /** No proxy: every call connects directly. */
    public static final JenkinsProxy NONE = new JenkinsProxy(null, null, null, Set.of());

    private static final Pattern SEPARATORS = Pattern.compile("[ \t\n,|]+");

    private final URI uri;
    private final String userName;
    private final String password;
    private final Set<String> noProxyRegexes;
    private final List<Pattern> noProxyPatterns = new ArrayList<>();

    private JenkinsProxy(URI uri, String userName, String password, Set<String> noProxyRegexes) {
        this.uri = uri;
        this.userName = userName;
        this.password = password;
        this.noProxyRegexes = Set.copyOf(noProxyRegexes);
        for (String regex : noProxyRegexes) {
            noProxyPatterns.add(Pattern.compile(regex));
        }
    }

    /**
     * The proxy configured in Jenkins now, read on the controller when an operation starts; {@link #NONE} when none.
     *
     * @throws IllegalArgumentException saying what to fix when the configured proxy cannot be used
     */
    public static JenkinsProxy ofJenkins() {
        ProxyConfiguration p = Jenkins.get().getProxy();
        if (p == null) {
            return NONE;
        }
        Secret secret = p.getSecretPassword();
        return of(p.getName(), p.getPort(), p.getUserName(), secret == null ? null : secret.getPlainText(),
                p.getNoProxyHost());
    }

    /**
     * Maps the values of Jenkins' proxy form.
     *
     * @param name        the proxy server; null or blank means no proxy
     * @param userName    null or blank: the proxy needs no authentication
     * @param password    the proxy password (secret)
     * @param noProxyHost the "No Proxy Host" text, as typed
     * @throws IllegalArgumentException saying what to fix when the port or a no-proxy entry is unusable
     */
    public static JenkinsProxy of(@CheckForNull String name, int port, @CheckForNull String userName,
                                  @CheckForNull String password, @CheckForNull String noProxyHost) {
        String host = Text.trimToNull(name);
        if (host == null) {
            return NONE;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(Messages.JenkinsProxy_badPort(host, String.valueOf(port)));
        }
        String user = Text.trimToNull(userName);
        Set<String> regexes = new LinkedHashSet<>();
        if (noProxyHost != null) {
            for (String entry : SEPARATORS.split(noProxyHost)) {
                if (!entry.isEmpty()) {
                    regexes.add(regex(entry));
                }
            }
        }
        return new JenkinsProxy(uri(host, port), user, user == null ? null : (password == null ? "" : password),
                regexes);
    }

    private static URI uri(String host, int port) {
        try {
            URI uri = new URI("http", null, host, port, null, null, null);
            if (uri.getHost() == null) {
                throw new URISyntaxException(host, "no host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(Messages.JenkinsProxy_badHost(host), e);
        }
    }

    /** Jenkins' translation of one entry: dots are literal, {@code *} is any run of characters. */
    private static String regex(String entry) {
        String regex = HttpProxy.hostPatternRegex(entry);
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(Messages.JenkinsProxy_badNoProxyHost(entry), e);
        }
        return regex;
    }

    public boolean isSet() {
        return uri != null;
    }

    /** The proxy as {@code http://host:port}, or null when none is set. */
    @CheckForNull
    public URI uri() {
        return uri;
    }

    @CheckForNull
    public String userName() {
        return userName;
    }

    /** True when calls to {@code targetHost} connect directly because it is one of Jenkins' no-proxy hosts. */
    public boolean bypasses(String targetHost) {
        String h = targetHost.toLowerCase(Locale.ROOT);
        return noProxyPatterns.stream().anyMatch(p -> p.matcher(h).matches());
    }

    /**
     * Puts this proxy into AWS settings: the SDK then sends every call through it, except to hosts matching the
     * no-proxy entries (the SDK matches these regular expressions against the lower-cased host of each call: the
     * regional endpoint, an endpoint override such as a VPC endpoint, STS). Nothing is set when there is no proxy.
     */
    public void applyTo(AwsSettings.Builder settings) {
        if (uri != null) {
            settings.proxy(uri, userName, password, noProxyRegexes);
        }
    }

    /**
     * This proxy for the HTTP-API providers (ONTAP, OpenSearch), with the same no-proxy hosts; {@link HttpProxy#NONE}
     * when there is none.
     */
    public HttpProxy toHttpProxy() {
        return uri == null ? HttpProxy.NONE : HttpProxy.of(uri, userName, password, noProxyRegexes);
    }

    @Override
    public String toString() {
        if (uri == null) {
            return Messages.JenkinsProxy_none();
        }
        String proxy = userName != null ? Messages.JenkinsProxy_describeAs(uri, userName)
                : Messages.JenkinsProxy_describe(uri);
        return noProxyRegexes.isEmpty() ? proxy
                : Messages.JenkinsProxy_describeExcept(proxy, String.valueOf(noProxyRegexes.size()));
    }
}
