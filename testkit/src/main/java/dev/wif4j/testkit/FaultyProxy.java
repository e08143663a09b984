package dev.wif4j.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fault-injecting HTTP/1.1 proxy on 127.0.0.1, placed between wif4j and any loopback emulator:
 * point wif4j's base URL at {@link #baseUrl()} and the proxy forwards to the emulator, one request per
 * connection, unless a queued fault takes the next connection. Unlike the emulators' own
 * {@link Fault}s, these act at the TCP level: a refused connection, a reset in the middle of a body, a
 * connection that never answers. It can also answer by itself (429 with {@code Retry-After}, 5xx
 * bursts) so that the upstream sees only what got through.
 *
 * <p>Forwards only to a loopback address; the target is fixed at start.
 */
public final class FaultyProxy implements AutoCloseable {
    /** What the proxy does with one connection. */
    public enum Action {
        /** Forward the request and relay the whole answer. */
        FORWARD,
        /** Forward the request, relay the head and half the body, then reset the connection (RST). */
        RESET_MID_BODY,
        /** Read the request and never answer, until the client gives up or the proxy closes. */
        STALL,
        /** Answer by itself, without reaching the upstream. */
        RESPOND
    }

    private record Planned(Action action, int status, String body, List<String> headers) {}

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "upgrade", "http2-settings",
            "proxy-connection", "te", "transfer-encoding");

    private final InetSocketAddress upstream;
    private final int port;
    private volatile ServerSocket server;
    private final ConcurrentLinkedQueue<Planned> plan = new ConcurrentLinkedQueue<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger forwarded = new AtomicInteger();
    private final AtomicInteger faulted = new AtomicInteger();
    private volatile boolean closed;

    private FaultyProxy(InetSocketAddress upstream) throws IOException {
        this.upstream = upstream;
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.server = s;
        this.port = s.getLocalPort();
        startAccepting(s);
    }

    /**
     * Starts a proxy in front of a loopback base URL, e.g. {@link AnthropicEmulator#baseUrl()}.
     *
     * @param upstreamBaseUrl {@code http://127.0.0.1:<port>} or {@code http://localhost:<port>}
     * @return the running proxy
     * @throws IllegalArgumentException if the upstream is not plain HTTP on a loopback address
     */
    public static FaultyProxy to(String upstreamBaseUrl) {
        URI uri = URI.create(upstreamBaseUrl);
        if (!"http".equals(uri.getScheme()) || uri.getPort() < 0) {
            throw new IllegalArgumentException("FaultyProxy forwards to http://<loopback>:<port> only: " + upstreamBaseUrl);
        }
        try {
            InetAddress address = InetAddress.getByName(uri.getHost());
            if (!address.isLoopbackAddress()) {
                throw new IllegalArgumentException("FaultyProxy forwards to loopback addresses only: " + upstreamBaseUrl);
            }
            return new FaultyProxy(new InetSocketAddress(address, uri.getPort()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The URL to use as wif4j's base URL.
     *
     * @return {@code http://127.0.0.1:<port>}
     */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * The next connection gets half of the upstream's answer, then a TCP reset.
     *
     * @return this proxy
     */
    public FaultyProxy resetMidBody() {
        plan.add(new Planned(Action.RESET_MID_BODY, 0, null, List.of()));
        return this;
    }

    /**
     * The next connection is read and never answered.
     *
     * @return this proxy
     */
    public FaultyProxy stall() {
        plan.add(new Planned(Action.STALL, 0, null, List.of()));
        return this;
    }

    /**
     * The next {@code times} connections are answered by the proxy itself, e.g. a burst of 503s.
     *
     * @param times how many connections
     * @param status the HTTP status
     * @param jsonBody the body, sent as {@code application/json}
     * @param headers extra headers as name, value pairs, e.g. {@code "Retry-After", "1"}
     * @return this proxy
     */
    public FaultyProxy respond(int times, int status, String jsonBody, String... headers) {
        if (headers.length % 2 != 0) {
            throw new IllegalArgumentException("headers come in name, value pairs");
        }
        for (int i = 0; i < times; i++) {
            plan.add(new Planned(Action.RESPOND, status, Objects.requireNonNull(jsonBody, "jsonBody"),
                    List.of(headers)));
        }
        return this;
    }

    /**
     * Stops or resumes listening. While stopped, connecting fails at once with "connection refused".
     *
     * @param refuse {@code true} to refuse connections
     */
    public synchronized void refuseConnections(boolean refuse) {
        try {
            if (refuse && server != null) {
                server.close();
                server = null;
            } else if (!refuse && server == null && !closed) {
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                server = s;
                startAccepting(s);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Connections accepted so far.
     *
     * @return the count
     */
    public int connections() {
        return connections.get();
    }

    /**
     * Requests relayed to the upstream in full.
     *
     * @return the count
     */
    public int forwarded() {
        return forwarded.get();
    }

    /**
     * Connections that got a fault (reset, stall or the proxy's own answer).
     *
     * @return the count
     */
    public int faulted() {
        return faulted.get();
    }

    /**
     * Faults still queued.
     *
     * @return the count
     */
    public int pending() {
        return plan.size();
    }

    /**
     * The proxy's threads that are still running (the accept loop and one per open connection); zero
     * some time after {@link #close()}.
     *
     * @return the count
     */
    public int liveThreads() {
        return (int) threads.stream().filter(Thread::isAlive).count();
    }

    private void startAccepting(ServerSocket s) {
        Thread t = new Thread(() -> accept(s), "faulty-proxy-accept-" + port);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            Socket client;
            try {
                client = s.accept();
            } catch (IOException e) {
                return; // closed
            }
            connections.incrementAndGet();
            open.add(client);
            Thread t = new Thread(() -> handle(client), "faulty-proxy-conn-" + port);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void handle(Socket client) {
        try (client) {
            Planned p = plan.poll();
            Action action = p == null ? Action.FORWARD : p.action();
            byte[] request = readMessage(client.getInputStream(), true);
            if (request == null) {
                return;
            }
            switch (action) {
                case STALL -> {
                    faulted.incrementAndGet();
                    // Hold the connection open, reading nothing more, until one side closes it.
                    while (client.getInputStream().read() >= 0) {
                        // discard
                    }
                }
                case RESPOND -> {
                    faulted.incrementAndGet();
                    byte[] body = p.body().getBytes(StandardCharsets.UTF_8);
                    StringBuilder head = new StringBuilder("HTTP/1.1 ").append(p.status()).append(" Proxy\r\n")
                            .append("Content-Type: application/json\r\nContent-Length: ").append(body.length)
                            .append("\r\nConnection: close\r\n");
                    for (int i = 0; i < p.headers().size(); i += 2) {
                        head.append(p.headers().get(i)).append(": ").append(p.headers().get(i + 1)).append("\r\n");
                    }
                    OutputStream out = client.getOutputStream();
                    out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body);
                    out.flush();
                }
                case FORWARD, RESET_MID_BODY -> {
                    byte[] answer = exchangeUpstream(request);
                    int split = headEnd(answer);
                    OutputStream out = client.getOutputStream();
                    if (action == Action.FORWARD) {
                        out.write(answer);
                        out.flush();
                        forwarded.incrementAndGet();
                    } else {
                        faulted.incrementAndGet();
                        int half = split + Math.max(1, (answer.length - split) / 2);
                        out.write(answer, 0, Math.min(half, answer.length));
                        out.flush();
                        client.setSoLinger(true, 0); // close() now sends RST, not FIN
                    }
                }
            }
        } catch (IOException e) {
            // the client went away, or the proxy is closing
        } finally {
            open.remove(client);
        }
    }

    /** Sends one request upstream on a fresh connection and returns the whole answer, with Connection: close. */
    private byte[] exchangeUpstream(byte[] request) throws IOException {
        try (Socket up = new Socket()) {
            up.connect(upstream, 5000);
            up.setSoTimeout(30_000);
            up.getOutputStream().write(rewriteHead(request, true));
            up.getOutputStream().flush();
            byte[] answer = readMessage(up.getInputStream(), false);
            if (answer == null) {
                throw new IOException("the upstream closed without answering");
            }
            return rewriteHead(answer, false);
        }
    }

    /** Drops hop-by-hop headers (h2c upgrade, keep-alive) and asks for one message per connection. */
    private static byte[] rewriteHead(byte[] message, boolean isRequest) {
        int end = headEnd(message);
        String head = new String(message, 0, end, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n");
        StringBuilder out = new StringBuilder(lines[0]).append("\r\n");
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            String name = line.substring(0, Math.max(0, line.indexOf(':'))).strip().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !(isRequest && name.equals("host"))) {
                out.append(line).append("\r\n");
            }
        }
        if (!isRequest && !head.toLowerCase(Locale.ROOT).contains("\r\ncontent-length:")) {
            out.append("Content-Length: ").append(message.length - end).append("\r\n");
        }
        if (isRequest) {
            out.append("Host: 127.0.0.1\r\n");
        }
        out.append("Connection: close\r\n\r\n");
        byte[] newHead = out.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] result = new byte[newHead.length + message.length - end];
        System.arraycopy(newHead, 0, result, 0, newHead.length);
        System.arraycopy(message, end, result, newHead.length, message.length - end);
        return result;
    }

    /** The offset just past the blank line that ends the head. */
    private static int headEnd(byte[] message) {
        for (int i = 3; i < message.length; i++) {
            if (message[i - 3] == '\r' && message[i - 2] == '\n' && message[i - 1] == '\r' && message[i] == '\n') {
                return i + 1;
            }
        }
        return message.length;
    }

    /**
     * Reads one message: the head, then Content-Length bytes of body (a request), or everything up to
     * EOF (an answer on a Connection: close exchange, chunked bodies included as they come).
     */
    private static byte[] readMessage(InputStream in, boolean isRequest) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int b;
        int matched = 0;
        while (matched < 4 && (b = in.read()) >= 0) {
            buffer.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        if (matched < 4) {
            return buffer.size() == 0 ? null : buffer.toByteArray();
        }
        String head = buffer.toString(StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        int at = head.indexOf("\r\ncontent-length:");
        if (isRequest || at >= 0) {
            long length = 0;
            if (at >= 0) {
                int eol = head.indexOf("\r\n", at + 2);
                length = Long.parseLong(head.substring(at + "\r\ncontent-length:".length(), eol).strip());
            }
            buffer.write(in.readNBytes((int) length));
        } else {
            buffer.write(in.readAllBytes());
        }
        return buffer.toByteArray();
    }

    /** Closes the listening socket and every open connection; stalled clients see their connection end. */
    @Override
    public synchronized void close() {
        closed = true;
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : new ArrayList<>(open)) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "FaultyProxy[" + baseUrl() + " -> " + upstream + ", connections=" + connections + ", faulted=" + faulted
                + "]";
    }
}
