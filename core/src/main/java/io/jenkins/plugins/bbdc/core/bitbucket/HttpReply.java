package io.jenkins.plugins.bbdc.core.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * A response as the client keeps it. The raw body is deliberately not kept: it may carry a token, so only its parsed
 * JSON (or null) and a note of its shape survive.
 *
 * @param json       the body parsed as JSON, or null when empty or not JSON
 * @param empty      the body was empty
 * @param html       the body is an HTML page (by content type or by its first character)
 * @param location   a redirect's target with tokens redacted, or null
 */
record HttpReply(HttpCall call, int status, String contentType, JsonNode json, boolean empty, boolean html,
                 String location) {

    boolean successful() {
        return status >= 200 && status < 300;
    }

    boolean redirect() {
        return status >= 300 && status < 400;
    }

    static boolean looksLikeHtml(String contentType, String body) {
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("html")) {
            return true;
        }
        String t = body.stripLeading();
        return t.startsWith("<");
    }
}
