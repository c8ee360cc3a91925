package io.jenkins.plugins.bbdc.testkit.bitbucket;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;

/**
 * A node's HTTP listener on a fixed loopback port: really closed when the node is stopped (so callers get
 * "connection refused") and re-opened on the same port when it starts again.
 */
final class NodeServer {
    private final String contextPath;
    private final HttpHandler handler;
    private final ExecutorService executor;
    private int port;
    private HttpServer server;
    private boolean shutDown;

    NodeServer(String contextPath, HttpHandler handler, ExecutorService executor) {
        this(contextPath, handler, executor, 0);
    }

    /** {@code port} 0 = any free port, chosen when first opened. */
    NodeServer(String contextPath, HttpHandler handler, ExecutorService executor, int port) {
        this.contextPath = contextPath;
        this.handler = handler;
        this.executor = executor;
        this.port = port;
    }

    synchronized int port() {
        return port;
    }

    synchronized boolean isOpen() {
        return server != null;
    }

    synchronized void open() {
        if (shutDown) {
            throw new IllegalStateException("the simulator is closed");
        }
        if (server != null) {
            return;
        }
        HttpServer created = bind();
        created.createContext(contextPath.isEmpty() ? "/" : contextPath, handler);
        created.setExecutor(executor);
        created.start();
        port = created.getAddress().getPort();
        server = created;
    }

    synchronized void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** Closes the listener for good: a start racing with the simulator's close cannot re-open it. */
    synchronized void shutDown() {
        shutDown = true;
        close();
    }

    private HttpServer bind() {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try {
                return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
            } catch (BindException e) {
                // The port we must keep may linger briefly after close; give it a moment before failing.
                if (port == 0 || System.nanoTime() > deadline) {
                    throw new UncheckedIOException("cannot re-open node port " + port, e);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new UncheckedIOException("interrupted while re-opening node port " + port, e);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open a loopback port for a simulated node", e);
            }
        }
    }
}
