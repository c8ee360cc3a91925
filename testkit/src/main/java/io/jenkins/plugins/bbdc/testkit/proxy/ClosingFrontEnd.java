package io.jenkins.plugins.bbdc.testkit.proxy;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reverse-proxy front end (nginx, Apache, a cloud load balancer, an HTTP/1.0 proxy) in front of one HTTP target,
 * for the way such front ends end keep-alive connections: every request is forwarded to the target on a connection of
 * its own, and the client's connection is then
 * <ul>
 *   <li>{@link Mode#IDLE_TIMEOUT}: kept open for the next request, and closed (FIN, no answer) once it has been idle
 *       for the idle timeout — nginx {@code keepalive_timeout} 75 s, Apache {@code KeepAliveTimeout} 5 s, an AWS ALB
 *       60 s; tests use a second or two;</li>
 *   <li>{@link Mode#CLOSE_AFTER_EACH}: closed right after each answer, without a {@code Connection: close} header (an
 *       HTTP/1.0 proxy that answers in HTTP/1.1 syntax): the client only learns it when its next request on that
 *       connection fails.</li>
 * </ul>
 * {@link #swallowNextAnswer()} makes it forward the next request and close the client's connection instead of
 * answering: a write that reached the server and got no answer. Plain HTTP, {@code Content-Length} bodies only.
 */
public final class ClosingFrontEnd implements AutoCloseable {
    /** When the front end closes a client's connection. */
    public enum Mode { IDLE_TIMEOUT, CLOSE_AFTER_EACH }

    /** One forwarded request: method, path with query (tokens masked), and the client connection's number. */
    public record Forwarded(String method, String target, int connection) { }

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade");

    private final URI target;
    private final Mode mode;
    private final Duration idleTimeout;
    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final List<Forwarded> forwarded = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger closedIdle = new AtomicInteger();
    private final AtomicInteger swallow = new AtomicInteger();
    private volatile boolean closed;

    private ClosingFrontEnd(URI target, Mode mode, Duration idleTimeout) throws IOException {
        this.target = target;
        this.mode = mode;
        this.idleTimeout = idleTimeout;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        Thread acceptor = new Thread(this::accept, "closing-front-end-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Keep-alive connections closed after {@code idleTimeout} without a request. */
    public static ClosingFrontEnd idleTimeout(URI target, Duration idleTimeout) {
        return start(target, Mode.IDLE_TIMEOUT, idleTimeout);
    }

    /** Every client connection closed right after its first answer, without saying so. */
    public static ClosingFrontEnd closeAfterEachAnswer(URI target) {
        return start(target, Mode.CLOSE_AFTER_EACH, Duration.ZERO);
    }

    private static ClosingFrontEnd start(URI target, Mode mode, Duration idleTimeout) {
        try {
            return new ClosingFrontEnd(target, mode, idleTimeout);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a loopback port for the front end", e);
        }
    }

    /** The front end's URL, with the target's path (context path) appended. */
    public URI url() {
        String path = target.getRawPath() == null ? "" : target.getRawPath();
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
    }

    /** The next request is forwarded, and its answer dropped: the client's connection is closed instead. */
    public void swallowNextAnswer() {
        swallow.incrementAndGet();
    }

    /** Client connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** Client connections the front end closed because they were idle for the idle timeout. */
    public int closedIdle() {
        return closedIdle.get();
    }

    public List<Forwarded> forwarded() {
        return List.copyOf(forwarded);
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                int number = connections.incrementAndGet();
                open.add(client);
                Thread t = new Thread(() -> serve(client, number), "closing-front-end-conn-" + number);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) {
                    // a failed accept on a loopback socket: keep serving the others
                    continue;
                }
            }
        }
    }

    private void serve(Socket client, int number) {
        try (client) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            while (!closed) {
                if (mode == Mode.IDLE_TIMEOUT) {
                    client.setSoTimeout((int) Math.max(1, idleTimeout.toMillis()));
                }
                Request request;
                try {
                    request = Request.read(in);
                } catch (SocketTimeoutException idle) {
                    closedIdle.incrementAndGet();
                    return; // closes the connection: FIN, no answer
                }
                if (request == null) {
                    return; // the client closed it
                }
                client.setSoTimeout(0);
                forwarded.add(new Forwarded(request.method, request.target.replaceAll("(?i)(token=)[^&]*",
                        "$1****"), number));
                byte[] answer = forward(request);
                if (swallow.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    return;
                }
                out.write(answer);
                out.flush();
                if (mode == Mode.CLOSE_AFTER_EACH) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            open.remove(client);
        }
    }

    /** Sends the request to the target on a connection of its own and returns the answer to relay (keep-alive). */
    private byte[] forward(Request request) throws IOException {
        int port = target.getPort() < 0 ? 80 : target.getPort();
        try (Socket upstream = new Socket()) {
            upstream.connect(new InetSocketAddress(target.getHost(), port), 10_000);
            upstream.setSoTimeout(120_000);
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.writeBytes((request.method + " " + request.target + " HTTP/1.1\r\n").getBytes(StandardCharsets.UTF_8));
            for (String[] h : request.headers) {
                String name = h[0].toLowerCase(Locale.ROOT);
                if (!HOP_BY_HOP.contains(name) && !name.equals("host") && !name.equals("content-length")) {
                    head.writeBytes((h[0] + ": " + h[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            head.writeBytes(("Host: " + target.getHost() + ":" + port + "\r\nContent-Length: "
                    + request.body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            OutputStream up = upstream.getOutputStream();
            up.write(head.toByteArray());
            up.write(request.body);
            up.flush();
            InputStream in = new BufferedInputStream(upstream.getInputStream());
            String status = Request.line(in);
            List<String[]> headers = Request.headers(in);
            byte[] body = Request.body(in, headers, true);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            answer.writeBytes((status.replaceFirst("^HTTP/1\\.[01]", "HTTP/1.1") + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            for (String[] h : headers) {
                String name = h[0].toLowerCase(Locale.ROOT);
                if (!HOP_BY_HOP.contains(name) && !name.equals("content-length")) {
                    answer.writeBytes((h[0] + ": " + h[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            // keep-alive framing, and never a "Connection: close": the client is not told when it ends
            answer.writeBytes(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            answer.writeBytes(body);
            return answer.toByteArray();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** A parsed HTTP/1.1 request or answer head, and its body. */
    private static final class Request {
        final String method;
        final String target;
        final List<String[]> headers;
        final byte[] body;

        private Request(String method, String target, List<String[]> headers, byte[] body) {
            this.method = method;
            this.target = target;
            this.headers = headers;
            this.body = body;
        }

        /** The next request on the connection, or null when the client closed it. */
        static Request read(InputStream in) throws IOException {
            String line = line(in);
            if (line == null) {
                return null;
            }
            String[] parts = line.split(" ");
            if (parts.length < 3) {
                throw new IOException("not an HTTP request line: " + line);
            }
            List<String[]> headers = headers(in);
            return new Request(parts[0], parts[1], headers, body(in, headers, false));
        }

        static List<String[]> headers(InputStream in) throws IOException {
            List<String[]> headers = new ArrayList<>();
            for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                if (colon > 0) {
                    headers.add(new String[] {h.substring(0, colon).trim(), h.substring(colon + 1).trim()});
                }
            }
            return headers;
        }

        /** A Content-Length body, a chunked one, or (for an answer) everything until the end of the stream. */
        static byte[] body(InputStream in, List<String[]> headers, boolean untilEnd) throws IOException {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase("content-length")) {
                    return in.readNBytes(Integer.parseInt(h[1]));
                }
                if (h[0].equalsIgnoreCase("transfer-encoding") && h[1].equalsIgnoreCase("chunked")) {
                    ByteArrayOutputStream body = new ByteArrayOutputStream();
                    for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
                         size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                        body.writeBytes(in.readNBytes(size));
                        line(in);
                    }
                    headers(in); // trailers
                    return body.toByteArray();
                }
            }
            return untilEnd ? in.readAllBytes() : new byte[0];
        }

        /** One CRLF-terminated line, or null at the end of the stream before any byte. */
        static String line(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
                }
                line.write(b);
            }
            return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
