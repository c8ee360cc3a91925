package io.jenkins.plugins.bbdc.core.bitbucket;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketException.Kind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Turns HTTP statuses and I/O failures into {@link BitbucketException}s whose message says what happened, where, and
 * what to do — and never carries a credential, a token or a raw response body.
 */
final class BitbucketErrors {
    private final BitbucketCredentials credentials;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    BitbucketErrors(BitbucketCredentials credentials, Duration connectTimeout, Duration readTimeout) {
        this.credentials = credentials;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    /** A non-2xx reply, or a 2xx reply that is not what the call expects. */
    BitbucketException fromReply(HttpReply r) {
        HttpCall c = r.call();
        String server = serverMessage(r);
        String said = server == null ? "" : " Bitbucket said: \"" + server + "\".";
        String where = " (HTTP " + r.status() + " from " + c.describe() + ")";
        String hint = c.hints().containsKey(r.status()) ? " " + c.hints().get(r.status()) : "";
        int s = r.status();
        boolean bearer = credentials instanceof BitbucketCredentials.Bearer;
        String lower = server == null ? "" : server.toLowerCase(Locale.ROOT);
        if (s == 401 && lower.contains("insufficient permission") && !bearer) {
            // admin/cluster answers 401 (not 403) to a logged-in user without SYS_ADMIN (bitbucket-admin-api.md 5)
            return ex(Kind.FORBIDDEN, r, "Bitbucket refused the call: " + credentials.describe() + " is not a"
                    + " Bitbucket system administrator" + where + "." + said + " Use an account with the System"
                    + " Admin global permission." + hint);
        }
        if (s == 401) {
            if (bearer) {
                return ex(Kind.AUTHENTICATION, r, "Bitbucket refused the access token" + where + ": " + needBasic()
                        + said + hint);
            }
            String token = c.carriesMaintenanceToken()
                    ? " If the credentials are right, the maintenance lock token was not accepted: the lock may have"
                    + " been released or taken over by someone else."
                    : "";
            return ex(Kind.AUTHENTICATION, r, "Bitbucket rejected the credentials of " + credentials.describe()
                    + where + "." + said + " Check the username and password of the Bitbucket system administrator"
                    + " configured for this instance." + token + hint);
        }
        if (s == 403) {
            if (lower.contains("clustered")) {
                return ex(Kind.FORBIDDEN, r, "Bitbucket at " + origin(c) + " is not a clustered Data Center"
                        + " installation" + where + "." + said + " Rolling upgrades need Bitbucket Data Center running"
                        + " as a cluster; upgrade a single node with Bitbucket's normal upgrade procedure instead."
                        + hint);
            }
            if (lower.contains("xsrf")) {
                return ex(Kind.FORBIDDEN, r, "Bitbucket's XSRF protection rejected the request" + where + "." + said
                        + " The client sends 'X-Atlassian-Token: no-check' and 'Content-Type: application/json'; a"
                        + " proxy in front of Bitbucket may be removing them." + hint);
            }
            if (bearer) {
                return ex(Kind.FORBIDDEN, r, "Bitbucket refused the access token for this call" + where + ": "
                        + needBasic() + said + hint);
            }
            return ex(Kind.FORBIDDEN, r, "Bitbucket refused the call: " + credentials.describe() + " is not a"
                    + " Bitbucket system administrator" + where + "." + said + " Use an account with the System"
                    + " Admin global permission." + hint);
        }
        if (s == 404) {
            return ex(Kind.NOT_FOUND, r, "Could not " + c.purpose() + ": not found" + where + "." + said
                    + (hint.isEmpty() ? " Check the Bitbucket URL, including any context path (for example"
                    + " http://host:7990/bitbucket), and that this Bitbucket version offers this API." : hint));
        }
        if (s == 409) {
            return ex(Kind.CONFLICT, r, "Could not " + c.purpose() + ": Bitbucket answered 409 Conflict" + where
                    + "." + said + hint);
        }
        if (r.redirect()) {
            return ex(Kind.UNEXPECTED_RESPONSE, r, "Could not " + c.purpose() + ": Bitbucket redirected the call to "
                    + (r.location() == null ? "another address" : r.location()) + where + ". Configure the final"
                    + " address of Bitbucket itself (https instead of http? a missing context path?), not one that"
                    + " redirects; a redirect to a login page means a proxy or single sign-on is in front of it." + hint);
        }
        if (r.successful()) {
            return unexpectedBody(r);
        }
        String retried = c.idempotent() ? "" : " The call was not repeated (writes never are automatically);"
                + " check the state in Bitbucket before trying again.";
        return ex(Kind.SERVER_ERROR, r, "Could not " + c.purpose() + ": Bitbucket answered HTTP " + s
                + (s >= 500 ? " (a server error)" : "") + " from " + c.describe() + "." + said
                + (s >= 500 ? " Look at atlassian-bitbucket.log on the node for the cause." : "") + retried + hint);
    }

    /** A 2xx reply that is not the JSON the call expects. */
    BitbucketException unexpectedBody(HttpReply r) {
        HttpCall c = r.call();
        String where = " (HTTP " + r.status() + " from " + c.describe() + ")";
        if (r.html()) {
            return ex(Kind.UNEXPECTED_RESPONSE, r, "Could not " + c.purpose() + ": the answer is an HTML page, not"
                    + " Bitbucket's JSON" + where + ". This is most likely the login page of a proxy or single sign-on"
                    + " in front of Bitbucket: point the Bitbucket URL (or the admin URL) at Bitbucket itself,"
                    + " bypassing that proxy.");
        }
        if (r.empty()) {
            return ex(Kind.UNEXPECTED_RESPONSE, r, "Could not " + c.purpose() + ": the answer is empty where"
                    + " Bitbucket sends JSON" + where + ". Check that the URL points at Bitbucket Data Center.");
        }
        return ex(Kind.UNEXPECTED_RESPONSE, r, "Could not " + c.purpose() + ": the answer is not the JSON Bitbucket"
                + " sends (content type " + (r.contentType() == null ? "none" : r.contentType()) + ")" + where
                + ". Check that the URL points at Bitbucket Data Center and not at a proxy page.");
    }

    /** The JSON parsed but lacks a member the call cannot do without. */
    BitbucketException missingMember(HttpReply r, String member, String consequence) {
        return ex(Kind.UNEXPECTED_RESPONSE, r, "Could not " + r.call().purpose() + ": Bitbucket's answer has no '"
                + member + "' (HTTP " + r.status() + " from " + r.call().describe() + ")." + consequence);
    }

    /** An I/O failure (no HTTP answer) of a call that was {@code sent} (written to a connection) or not. */
    BitbucketException fromIo(HttpCall c, IOException e, int tries, boolean sent) {
        String host = c.url().host() + ":" + c.url().port();
        String after = tries > 1 ? " after " + tries + " tries" : "";
        String write = c.idempotent() || !sent ? "" : " The request was written to a connection of its own and got"
                + " no answer, so it may have reached Bitbucket: it was not repeated (a write is sent again only when"
                + " it provably never left this machine); check Bitbucket's state before trying again.";
        if (e instanceof SocketTimeoutException) {
            boolean connect = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("connect");
            return new BitbucketException(Kind.TIMEOUT, 0, "Could not " + c.purpose() + ": "
                    + (connect ? "no connection to " + host + " within the connect timeout of " + human(connectTimeout)
                    : host + " did not answer within the read timeout of " + human(readTimeout)) + after + " ("
                    + c.describe() + "). Check that the node is up and not overloaded, or raise the timeout." + write,
                    sanitized(e));
        }
        if (e instanceof InterruptedIOException) {
            return new BitbucketException(Kind.TIMEOUT, 0, "Could not " + c.purpose() + ": interrupted while waiting"
                    + " for " + host + " (" + c.describe() + ")." + write, sanitized(e));
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            return new BitbucketException(Kind.UNREACHABLE, 0, "Could not " + c.purpose() + ": connection to " + host
                    + " refused" + after + " (" + c.describe() + "). Is Bitbucket running on that node, and is the URL"
                    + " right?", sanitized(e));
        }
        if (e instanceof UnknownHostException) {
            return new BitbucketException(Kind.UNREACHABLE, 0, "Could not " + c.purpose() + ": the host name '"
                    + c.url().host() + "' does not resolve (" + c.describe() + "). Check the Bitbucket URL.",
                    sanitized(e));
        }
        if (e instanceof SSLException) {
            return new BitbucketException(Kind.UNREACHABLE, 0, "Could not " + c.purpose() + ": the TLS handshake with "
                    + host + " failed (" + c.describe() + "): " + safe(e.getMessage()) + ". Check the certificate"
                    + " and the Java trust store.", sanitized(e));
        }
        return new BitbucketException(Kind.UNREACHABLE, 0, "Could not " + c.purpose() + ": the connection to " + host
                + " failed" + after + " (" + c.describe() + "): " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : " " + safe(e.getMessage())) + "." + write, sanitized(e));
    }

    /** An admin call with a Bearer token failed: say what to configure instead. */
    static String needBasic() {
        return "admin endpoints need Basic auth with a sysadmin. Bitbucket Data Center does not accept access tokens"
                + " on administrative endpoints (BSERV-10482): configure the username and password of a Bitbucket"
                + " system administrator.";
    }

    static String human(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
    }

    private String serverMessage(HttpReply r) {
        return r.json() == null ? null : safe(BitbucketJson.errorMessage(r.json()));
    }

    String safe(String text) {
        return Redaction.text(text, List.of(credentials.secret()));
    }

    /** The cause without its message (an I/O message could echo a URL with a token); keeps the type and stack. */
    private IOException sanitized(IOException e) {
        IOException copy = new IOException(e.getClass().getName() + ": " + safe(String.valueOf(e.getMessage())));
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }

    private static String origin(HttpCall c) {
        return c.url().scheme() + "://" + c.url().host() + ":" + c.url().port();
    }

    private static BitbucketException ex(Kind kind, HttpReply r, String message) {
        return new BitbucketException(kind, r.status(), message);
    }
}
