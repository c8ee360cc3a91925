package io.jenkins.plugins.bbdc.core.bitbucket;

import java.util.Collection;
import java.util.Locale;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * Scrubs secrets from anything the client puts into a message or a log line: token-like query values, user info,
 * the configured secret itself and long opaque strings that look like tokens.
 */
final class Redaction {
    static final String MASK = "****";
    /** 16+ characters of letters and digits with at least one digit: the shape of lock tokens and access tokens. */
    private static final Pattern TOKEN_LIKE = Pattern.compile("\\b(?=[A-Za-z0-9_-]*\\d)[A-Za-z0-9_-]{16,}\\b");
    private static final Pattern TOKEN_PARAM = Pattern.compile("(?i)(token=)[^&\\s\"']*");

    private Redaction() {
    }

    /** The URL as it may appear in a message: no user info, every {@code *token*} query value masked. */
    static String url(HttpUrl url) {
        HttpUrl.Builder b = url.newBuilder().username("").password("");
        for (String name : url.queryParameterNames()) {
            if (name.toLowerCase(Locale.ROOT).contains("token")) {
                b.setQueryParameter(name, MASK);
            }
        }
        return b.build().toString().replace("%2A%2A%2A%2A", MASK);
    }

    /** Free text from a server (an error message) made safe to show: known secrets and token shapes masked. */
    static String text(String text, Collection<String> secrets) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                out = out.replace(secret, MASK);
            }
        }
        out = TOKEN_PARAM.matcher(out).replaceAll("$1" + MASK);
        out = TOKEN_LIKE.matcher(out).replaceAll(MASK);
        out = out.replaceAll("\\s+", " ").trim();
        return out.length() > 200 ? out.substring(0, 200) + "…" : out;
    }
}
