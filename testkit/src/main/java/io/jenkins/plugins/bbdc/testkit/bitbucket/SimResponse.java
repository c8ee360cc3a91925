package io.jenkins.plugins.bbdc.testkit.bitbucket;

import java.nio.charset.StandardCharsets;

/** One HTTP answer: status, content type (null when the body is empty) and body bytes. */
final class SimResponse {
    static final String JSON = "application/json;charset=UTF-8";

    final int status;
    final String contentType;
    final byte[] body;

    private SimResponse(int status, String contentType, byte[] body) {
        this.status = status;
        this.contentType = contentType;
        this.body = body;
    }

    static SimResponse json(int status, Object value) {
        return new SimResponse(status, JSON, Json.bytes(value));
    }

    /** A status with no body at all (for example the bare 409 of /rest/zdu). */
    static SimResponse empty(int status) {
        return new SimResponse(status, null, new byte[0]);
    }

    /** Bitbucket's REST error body: {"errors":[{"context":null,"message":...,"exceptionName":null}]}. */
    static SimResponse error(int status, String message) {
        return json(status, Json.errors(message));
    }

    static SimResponse notFound(SimRequest request) {
        return error(404, "No resource at " + request.path + " in the Bitbucket simulator.");
    }

    static SimResponse methodNotAllowed(SimRequest request) {
        return error(405, "Method " + request.method + " is not allowed on " + request.path + ".");
    }

    static SimResponse html(int status, String html) {
        return new SimResponse(status, "text/html;charset=UTF-8", html.getBytes(StandardCharsets.UTF_8));
    }
}
