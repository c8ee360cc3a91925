package io.jenkins.plugins.bbdc.testkit.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A forwarding HTTP proxy on a loopback port, as a corporate proxy behaves for plain-HTTP targets (RFC 9112
 * absolute-form request targets, RFC 9110 {@code 407} with a Basic {@code Proxy-Authenticate} challenge): it refuses
 * requests without the right {@code Proxy-Authorization}, forwards the others to their target and relays the answer,
 * and records every request it saw. Passwords are never recorded. Plain-HTTP targets only: no {@code CONNECT}
 * tunnels (the testkit endpoints speak plain HTTP).
 */
public final class ForwardProxy implements AutoCloseable {
    /** One request that reached the proxy: its target and the user it authenticated as (null: refused with 407). */
    public record Seen(String method, URI target, String user) { }

    private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "expect", "host",
            "upgrade", "proxy-authorization", "proxy-connection", "keep-alive", "te", "trailer", "transfer-encoding");

    private final String user;
    private final String password;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "recording-proxy");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient upstream = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    private ForwardProxy(String user, String password) throws IOException {
        this.user = user;
        this.password = password;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a proxy on a free loopback port that accepts only {@code user} with {@code password} (Basic). */
    public static ForwardProxy start(String user, String password) {
        try {
            return new ForwardProxy(user, password);
        } catch (IOException e) {
            throw new IllegalStateException("could not start the proxy: " + e.getMessage(), e);
        }
    }

    /** The proxy's port on 127.0.0.1. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Every request that reached the proxy, in order, including those it refused with 407. */
    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            URI target = ex.getRequestURI();
            if (!target.isAbsolute()) {
                ex.sendResponseHeaders(400, -1); // a proxy is asked for absolute URLs only
                return;
            }
            String expected = "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(ex.getRequestHeaders().getFirst("Proxy-Authorization"))) {
                seen.add(new Seen(ex.getRequestMethod(), target, null));
                byte[] page = "<html><body>Proxy authentication required</body></html>"
                        .getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Proxy-Authenticate", "Basic realm=\"corp-proxy\"");
                ex.getResponseHeaders().add("Content-Type", "text/html");
                ex.sendResponseHeaders(407, page.length);
                ex.getResponseBody().write(page);
                return;
            }
            seen.add(new Seen(ex.getRequestMethod(), target, user));
            HttpRequest.Builder forward = HttpRequest.newBuilder(target)
                    .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
                if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                    h.getValue().forEach(v -> forward.header(h.getKey(), v));
                }
            }
            HttpResponse<byte[]> answer;
            try {
                answer = upstream.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                ex.sendResponseHeaders(502, -1);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ex.sendResponseHeaders(504, -1);
                return;
            }
            answer.headers().map().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    values.forEach(v -> ex.getResponseHeaders().add(name, v));
                }
            });
            byte[] out = answer.body();
            ex.sendResponseHeaders(answer.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                ex.getResponseBody().write(out);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
