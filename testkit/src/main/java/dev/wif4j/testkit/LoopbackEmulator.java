package dev.wif4j.testkit;

import com.sun.net.httpserver.HttpHandler;
import dev.wif4j.testkit.internal.LoopbackServer;
import dev.wif4j.testkit.internal.RequestLog;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/**
 * The part every emulator shares: a {@link LoopbackServer}, a {@link RequestLog} for the main endpoint (more for
 * emulators with several), the embedded issuers it closes, and the builder's clock. Package-private: the public
 * shape is {@link Emulator}; the emulators extend this to stop repeating it.
 */
abstract class LoopbackEmulator implements Emulator {

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
     * An emulator on a free port over plain http.
     *
     * @param name thread-name prefix
     */
    LoopbackEmulator(String name) {
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

    /** Starts serving, once the routes are in place. */
    final void serve() {
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
     * Closes a part (an embedded issuer) with this emulator.
     *
     * @param part the part
     * @param <T> its type
     * @return the part
     */
    final <T extends AutoCloseable> T own(T part) {
        parts.add(Objects.requireNonNull(part));
        return part;
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
