package dev.wif4j.testkit;

import com.sun.net.httpserver.HttpHandler;
import dev.wif4j.testkit.internal.LoopbackServer;
import dev.wif4j.testkit.internal.RequestLog;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/**
 * The base of every testkit emulator, and of an in-house author's own: an HTTP server on 127.0.0.1 (a free port,
 * daemon threads), the {@link Fault}s queued with {@link #enqueue(Fault)}, the log of {@link #requests()}, and
 * {@link #close()}. A subclass adds its service's endpoints with {@link #endpoint(String, Handler)}, each a function
 * from the {@link RecordedRequest} to a {@link Response}, calls {@link #serve()} and names its
 * {@link #environment()}. The base records every request first, then answers it with the next queued fault if there
 * is one (after a {@link Fault#delay delay} fault, with the handler), else with the handler; a handler that throws
 * answers 500. Nothing of the JDK's {@code com.sun.net.httpserver} shows, so a test module needs no
 * {@code --add-reads}.
 *
 * <pre>{@code
 * final class TokenServiceEmulator extends LoopbackEmulator {
 *     TokenServiceEmulator() {
 *         super("token-service");
 *         endpoint("/v1/token", request -> request.header("Authorization").isPresent()
 *                 ? Response.json(200, "{\"token\":\"t-1\"}")
 *                 : Response.json(401, "{\"error\":\"no credentials\"}"));
 *         serve();
 *     }
 *
 *     public Map<String, String> environment() {
 *         return Map.of("TOKEN_SERVICE_URL", baseUrl());
 *     }
 * }
 *
 * try (TokenServiceEmulator service = new TokenServiceEmulator()) {
 *     service.enqueue(Fault.status(503, "{}"));
 *     // ... exercise the provider, then look at service.requests()
 * }
 * }</pre>
 *
 * <p>Handlers run on the server's threads, several at once under concurrent requests: keep what they share
 * thread-safe.
 */
public abstract class LoopbackEmulator implements Emulator {

    private final LoopbackServer server;
    private final boolean ownsServer;
    private final List<RecordedRequest> received = new CopyOnWriteArrayList<>();
    private final RequestLog log = new RequestLog(received);
    private final List<AutoCloseable> parts = new CopyOnWriteArrayList<>();

    /**
     * An emulator with a server of its own; it starts serving at {@link #serve()}.
     *
     * @param name thread-name prefix
     * @param port the port, 0 for a free one
     * @param tls the TLS context, or {@code null} for plain http
     */
    LoopbackEmulator(String name, int port, SSLContext tls) {
        this.server = new LoopbackServer(name, port, tls);
        this.ownsServer = true;
    }

    /**
     * An emulator on a free port of 127.0.0.1 over plain http; it starts serving at {@link #serve()}.
     *
     * @param name the prefix of its threads' names, for thread dumps
     */
    protected LoopbackEmulator(String name) {
        this(name, 0, null);
    }

    /**
     * An emulator served beside an issuer, on the issuer's host (authentik's token endpoint); it owns the issuer.
     *
     * @param host the issuer
     */
    LoopbackEmulator(OidcIssuer host) {
        this.server = host.server();
        this.ownsServer = false;
        own(host);
    }

    @Override
    public String baseUrl() {
        return server.baseUrl();
    }

    @Override
    public void enqueue(Fault fault) {
        log.enqueue(fault);
    }

    @Override
    public List<RecordedRequest> requests() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        if (ownsServer) {
            server.close();
        }
        List<AutoCloseable> reversed = new ArrayList<>(parts);
        java.util.Collections.reverse(reversed);
        for (AutoCloseable part : reversed) {
            try {
                part.close();
            } catch (Exception e) {
                // Closing anyway: an embedded issuer's close does not fail.
            }
        }
    }

    @Override
    public String toString() {
        String details = details();
        return getClass().getSimpleName() + "[" + baseUrl() + (details.isEmpty() ? "" : ", " + details) + "]";
    }

    /** @return what {@link #toString()} shows after the base URL, e.g. the tenant or the role */
    String details() {
        return "";
    }

    /**
     * Routes a path prefix of this emulator's server.
     *
     * @param path the prefix
     * @param handler the handler
     */
    final void route(String path, HttpHandler handler) {
        server.route(path, handler);
    }

    /**
     * Answers the requests to a path prefix with a handler, recording each in {@link #requests()}. The faults queued
     * with {@link #enqueue(Fault)} answer first, one per request, on every endpoint added this way. Call it before
     * {@link #serve()}.
     *
     * @param pathPrefix the path prefix, e.g. {@code /v1/token}; the longest prefix that matches a request wins
     * @param handler the handler
     */
    protected final void endpoint(String pathPrefix, Handler handler) {
        Objects.requireNonNull(handler, "handler");
        server.route(pathPrefix, exchange -> {
            RecordedRequest request = log.record(exchange);
            if (log.playFault(exchange, null)) {
                return;
            }
            Response response;
            try {
                response = Objects.requireNonNull(handler.answer(request), "the handler's response");
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                // Answered here: the server takes an IOException for a client gone away, and answers nothing.
                response = Response.of(500, "text/plain", "emulator failure: " + e);
            }
            LoopbackServer.send(exchange, response.status(), null, response.body(), response.headers());
        });
    }

    /** Starts serving, once the endpoints are in place; a subclass's constructor calls it last. */
    protected final void serve() {
        server.start();
    }

    /** @return the bound port */
    final int boundPort() {
        return server.port();
    }

    /** @return the server, for an emulator served on this one's host */
    final LoopbackServer server() {
        return server;
    }

    /** @return the log of the main endpoint, the one {@link #enqueue(Fault)} feeds */
    final RequestLog log() {
        return log;
    }

    /** @return a log for another endpoint, with faults of its own; its requests count in {@link #requests()} */
    final RequestLog endpointLog() {
        return new RequestLog(received);
    }

    /**
     * Closes a part (an embedded issuer) with this emulator, the last owned first, after the server.
     *
     * @param part the part
     * @param <T> its type
     * @return the part
     */
    protected final <T extends AutoCloseable> T own(T part) {
        parts.add(Objects.requireNonNull(part));
        return part;
    }

    /**
     * What an {@link #endpoint(String, Handler) endpoint} does with a request that no fault answered.
     */
    @FunctionalInterface
    public interface Handler {
        /**
         * Answers a request.
         *
         * @param request the request, already recorded in {@link #requests()}
         * @return the response
         * @throws Exception to answer 500, naming the exception
         */
        Response answer(RecordedRequest request) throws Exception;
    }

    /**
     * An endpoint's answer.
     *
     * @param status the HTTP status
     * @param headers the response headers, {@code Content-Type} among them when there is a body
     * @param body the body, {@code ""} for none
     */
    public record Response(int status, Map<String, String> headers, String body) {

        /**
         * Checks and copies the parts.
         *
         * @param status the HTTP status
         * @param headers the response headers
         * @param body the body
         */
        public Response {
            if (status < 100 || status > 999) {
                throw new IllegalArgumentException("not an HTTP status: " + status);
            }
            headers = Map.copyOf(headers);
            Objects.requireNonNull(body, "body");
        }

        /**
         * A JSON answer.
         *
         * @param status the HTTP status
         * @param json the body, sent as {@code application/json}
         * @return the response
         */
        public static Response json(int status, String json) {
            return of(status, "application/json", json);
        }

        /**
         * An answer of any type, e.g. a proxy's HTML error page.
         *
         * @param status the HTTP status
         * @param contentType the content type
         * @param body the body
         * @return the response
         */
        public static Response of(int status, String contentType, String body) {
            return new Response(status, Map.of("Content-Type", Objects.requireNonNull(contentType, "contentType")),
                    body);
        }

        /**
         * A copy with one more header, e.g. {@code Retry-After}.
         *
         * @param name the header
         * @param value the value
         * @return the new response
         */
        public Response withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return new Response(status, more, body);
        }
    }

    /**
     * What every emulator's builder has: a clock, and {@code start()}.
     *
     * @param <B> the builder's own type
     * @param <E> the emulator it starts
     */
    abstract static class Builder<B extends Builder<B, E>, E extends Emulator> {
        Clock clock = Clock.systemUTC();

        Builder() {
        }

        /**
         * Sets the clock that stamps the emulator's tokens ({@code iat}, {@code exp}) and judges expiry, e.g. a
         * {@link ManualClock}.
         *
         * @param clock the clock
         * @return this builder
         */
        @SuppressWarnings("unchecked")
        public B clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return (B) this;
        }

        /** @return the started emulator; close it when done */
        public abstract E start();
    }
}
