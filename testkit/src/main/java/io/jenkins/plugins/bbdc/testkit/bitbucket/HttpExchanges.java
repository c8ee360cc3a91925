package io.jenkins.plugins.bbdc.testkit.bitbucket;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Reading requests from and writing {@link SimResponse}s to the JDK server's exchanges. */
final class HttpExchanges {
    private HttpExchanges() {
    }

    static SimRequest read(HttpExchange exchange, String contextPath) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String path = exchange.getRequestURI().getRawPath();
        if (!contextPath.isEmpty() && path.startsWith(contextPath)) {
            path = path.substring(contextPath.length());
        }
        if (path.isEmpty()) {
            path = "/";
        }
        return new SimRequest(exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT), path,
                exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), body);
    }

    static void write(HttpExchange exchange, SimResponse response) throws IOException {
        if (response.contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", response.contentType);
        }
        boolean noBody = response.body.length == 0 || "HEAD".equalsIgnoreCase(exchange.getRequestMethod())
                || response.status == 204 || response.status == 304;
        exchange.sendResponseHeaders(response.status, noBody ? -1 : response.body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body);
            }
        }
        exchange.close();
    }
}
