package io.jenkins.plugins.bbdc.testkit.bitbucket;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client (one request per connection) used by the load balancer to forward requests and to
 * health-check nodes. Plain sockets keep it free of background threads, so closing the simulator leaves none.
 */
final class RawHttp {
    record Response(int status, List<Map.Entry<String, String>> headers, byte[] body) {
    }

    private RawHttp() {
    }

    static Response send(int port, String method, String target, List<Map.Entry<String, String>> headers,
                         byte[] body, int connectTimeoutMillis, int readTimeoutMillis) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), connectTimeoutMillis);
            socket.setSoTimeout(readTimeoutMillis);
            socket.setTcpNoDelay(true);
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            head.append("Host: 127.0.0.1:").append(port).append("\r\n");
            head.append("Connection: close\r\n");
            for (Map.Entry<String, String> header : headers) {
                head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
            }
            if (body.length > 0 || !("GET".equals(method) || "HEAD".equals(method))) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            request.write(body);
            OutputStream out = socket.getOutputStream();
            out.write(request.toByteArray());
            out.flush();
            return read(new BufferedInputStream(socket.getInputStream()), "HEAD".equals(method));
        }
    }

    private static Response read(InputStream in, boolean head) throws IOException {
        String statusLine = line(in);
        if (statusLine == null || !statusLine.startsWith("HTTP/")) {
            throw new IOException("empty reply from node");
        }
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        long length = -1;
        boolean chunked = false;
        String line;
        while ((line = line(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                chunked = value.toLowerCase(java.util.Locale.ROOT).contains("chunked");
            }
            headers.add(Map.entry(name, value));
        }
        byte[] body;
        if (head || status == 204 || status == 304 || (status >= 100 && status < 200)) {
            body = new byte[0];
        } else if (chunked) {
            body = dechunk(in);
        } else if (length >= 0) {
            body = in.readNBytes((int) length);
            if (body.length < length) {
                throw new IOException("node closed the connection mid-body");
            }
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, body);
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            if (sizeLine == null) {
                throw new IOException("node closed the connection mid-body");
            }
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0) {
                while ((sizeLine = line(in)) != null && !sizeLine.isEmpty()) {
                    // trailers are dropped
                }
                return out.toByteArray();
            }
            out.write(in.readNBytes(size));
            line(in);
        }
    }

    /** One CRLF-terminated line in ISO-8859-1, or null at end of stream. */
    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int end = sb.length();
                if (end > 0 && sb.charAt(end - 1) == '\r') {
                    sb.setLength(end - 1);
                }
                return sb.toString();
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }
}
