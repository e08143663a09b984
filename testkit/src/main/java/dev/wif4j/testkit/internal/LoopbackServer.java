package dev.wif4j.testkit.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * The JDK HTTP server bound to 127.0.0.1 on a free port, with daemon worker threads, so an emulator
 * can never listen beyond loopback and never keeps a JVM alive.
 */
public final class LoopbackServer implements AutoCloseable {

    /** The JDK server's switch for TCP_NODELAY on the connections it accepts; read once, when it first starts. */
    static final String NO_DELAY = "sun.net.httpserver.nodelay";

    static {
        // A real API server answers without Nagle's delay. The JDK server writes an answer's head and body
        // separately; with Nagle on, the body of a second answer on a kept-alive connection waits for the client's
        // delayed ACK (40 ms on Linux), a cost no real server adds. putIfAbsent: a test that sets it keeps its value.
        System.getProperties().putIfAbsent(NO_DELAY, "true");
    }

    private final HttpServer server;
    private final ExecutorService workers;
    private final boolean https;

    /**
     * Starts a server on 127.0.0.1.
     *
     * @param name thread-name prefix, for thread dumps
     * @param port the port, 0 for a free one
     */
    public LoopbackServer(String name, int port) {
        this(name, port, null);
    }

    /**
     * Starts a server on 127.0.0.1 that speaks https with the given TLS context, or plain http when it is
     * {@code null}.
     *
     * @param name thread-name prefix, for thread dumps
     * @param port the port, 0 for a free one
     * @param tls the server's TLS context (its key manager holds the certificate), or {@code null}
     */
    public LoopbackServer(String name, int port, SSLContext tls) {
        this.https = tls != null;
        AtomicInteger count = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            if (tls != null) {
                HttpsServer secure = HttpsServer.create(address, 64);
                secure.setHttpsConfigurator(new HttpsConfigurator(tls));
                this.server = secure;
            } else {
                this.server = HttpServer.create(address, 64);
            }
        } catch (IOException e) {
            workers.shutdownNow();
            throw new UncheckedIOException("cannot bind " + name + " to 127.0.0.1:" + port, e);
        }
        server.setExecutor(workers);
    }

    /**
     * Routes a path prefix to a handler; an exception in the handler becomes a 500 naming it.
     *
     * @param path the path prefix
     * @param handler the handler
     */
    public void route(String path, HttpHandler handler) {
        server.createContext(path, exchange -> {
            // The 500 is sent inside the try-with-resources: after it, the exchange is closed and cannot answer.
            try (exchange) {
                try {
                    handler.handle(exchange);
                } catch (RuntimeException e) {
                    try {
                        send(exchange, 500, "text/plain", "emulator failure: " + e, Map.of());
                    } catch (IOException | RuntimeException ignored) {
                        // The response was already under way.
                    }
                }
            } catch (IOException e) {
                // The client went away; nothing to answer.
            }
        });
    }

    /** Starts serving. */
    public void start() {
        server.start();
    }

    /** @return the bound port */
    public int port() {
        return server.getAddress().getPort();
    }

    /** @return {@code http://127.0.0.1:<port>}, or {@code https://...} for a TLS server */
    public String baseUrl() {
        return (https ? "https" : "http") + "://127.0.0.1:" + port();
    }

    /**
     * Sends a complete response.
     *
     * @param exchange the exchange
     * @param status the status
     * @param contentType the content type, or {@code null} for none
     * @param body the body
     * @param headers extra headers
     * @throws IOException when the client went away
     */
    public static void send(HttpExchange exchange, int status, String contentType, String body,
            Map<String, String> headers) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
