package dev.wif4j.testkit.internal;

import com.sun.net.httpserver.HttpExchange;
import dev.wif4j.testkit.Fault;
import dev.wif4j.testkit.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What every emulator does with a request: record it, read it with a bound, and play a queued fault. */
public final class Exchanges {

    private Exchanges() {
    }

    /**
     * Reads a request body, at most 4 MiB; the rest is discarded so a runaway client cannot fill the heap.
     *
     * @param exchange the exchange
     * @return the body
     * @throws IOException when the client went away
     */
    public static byte[] readBody(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        byte[] bytes = in.readNBytes(4 * 1024 * 1024);
        in.transferTo(OutputStream.nullOutputStream());
        return bytes;
    }

    /**
     * @param exchange the exchange
     * @param body the body already read
     * @return the request as recorded
     */
    public static RecordedRequest record(HttpExchange exchange, byte[] body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        return new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                Map.copyOf(headers), new String(body, StandardCharsets.UTF_8));
    }

    /**
     * Plays a fault.
     *
     * @param exchange the exchange
     * @param fault the fault
     * @param requestId the request id to send, or {@code null}
     * @return whether the fault answered the request ({@code false} after a delay: answer normally)
     * @throws IOException when the client went away
     */
    public static boolean serve(HttpExchange exchange, Fault fault, String requestId) throws IOException {
        switch (fault.kind()) {
            case DELAY -> {
                sleep(fault.duration());
                return false;
            }
            case DISCONNECT -> {
                // Closing the exchange before any response line drops the connection.
                exchange.getResponseBody().close();
                return true;
            }
            case TRICKLE -> {
                byte[] bytes = fault.body().getBytes(StandardCharsets.UTF_8);
                fault.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
                if (requestId != null) {
                    exchange.getResponseHeaders().set("request-id", requestId);
                }
                exchange.sendResponseHeaders(fault.status(), bytes.length);
                OutputStream out = exchange.getResponseBody();
                for (byte b : bytes) {
                    out.write(b);
                    out.flush();
                    sleep(fault.duration());
                }
                out.close();
                return true;
            }
            default -> {
                Map<String, String> headers = new LinkedHashMap<>(fault.headers());
                if (requestId != null) {
                    headers.putIfAbsent("request-id", requestId);
                }
                LoopbackServer.send(exchange, fault.status(), null, fault.body(), headers);
                return true;
            }
        }
    }

    /**
     * Decodes an {@code application/x-www-form-urlencoded} body or a raw query string; the first of
     * repeated keys wins.
     *
     * @param raw the text, or {@code null}
     * @return the parameters, in order
     */
    public static Map<String, String> form(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            params.putIfAbsent(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    /**
     * Sleeps, keeping the interrupt.
     *
     * @param duration how long
     */
    public static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
