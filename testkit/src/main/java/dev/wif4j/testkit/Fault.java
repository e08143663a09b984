package dev.wif4j.testkit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One misbehaviour an emulator shows for one request, queued with
 * {@link AnthropicEmulator#enqueue(Fault)}: a canned response, a delay before the normal answer, a
 * body sent a byte at a time, or a dropped connection. Immutable.
 */
public final class Fault {

    /** What the fault does. */
    public enum Kind {
        /** Answers with the given status, headers and body instead of the normal answer. */
        RESPONSE,
        /** Waits, then answers normally. */
        DELAY,
        /** Sends a 200 and then the body slowly, one byte per interval. */
        TRICKLE,
        /** Closes the connection without an answer. */
        DISCONNECT
    }

    private final Kind kind;
    private final int status;
    private final String body;
    private final Map<String, String> headers;
    private final Duration duration;

    private Fault(Kind kind, int status, String body, Map<String, String> headers, Duration duration) {
        this.kind = kind;
        this.status = status;
        this.body = body;
        this.headers = Map.copyOf(headers);
        this.duration = duration;
    }

    /**
     * A canned JSON response.
     *
     * @param status the HTTP status
     * @param jsonBody the body, sent as {@code application/json}
     * @return the fault
     */
    public static Fault status(int status, String jsonBody) {
        return response(status, "application/json", jsonBody);
    }

    /**
     * A canned response of any type, e.g. a proxy's HTML error page.
     *
     * @param status the HTTP status
     * @param contentType the content type
     * @param body the body
     * @return the fault
     */
    public static Fault response(int status, String contentType, String body) {
        return new Fault(Kind.RESPONSE, status, Objects.requireNonNull(body),
                Map.of("Content-Type", Objects.requireNonNull(contentType)), Duration.ZERO);
    }

    /**
     * A normal answer after a pause, for timeouts.
     *
     * @param delay the pause
     * @return the fault
     */
    public static Fault delay(Duration delay) {
        return new Fault(Kind.DELAY, 0, "", Map.of(), delay);
    }

    /**
     * A 200 whose body arrives one byte per interval.
     *
     * @param body the body
     * @param perByte the pause between bytes
     * @return the fault
     */
    public static Fault trickle(String body, Duration perByte) {
        return new Fault(Kind.TRICKLE, 200, body, Map.of("Content-Type", "application/json"), perByte);
    }

    /** @return a fault that closes the connection without answering */
    public static Fault disconnect() {
        return new Fault(Kind.DISCONNECT, 0, "", Map.of(), Duration.ZERO);
    }

    /**
     * A copy with one more response header, e.g. {@code Retry-After}.
     *
     * @param name the header
     * @param value the value
     * @return the new fault
     */
    public Fault withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
        return new Fault(kind, status, body, more, duration);
    }

    /** @return what the fault does */
    public Kind kind() {
        return kind;
    }

    /** @return the status of a canned response */
    public int status() {
        return status;
    }

    /** @return the body of a canned or trickled response */
    public String body() {
        return body;
    }

    /** @return the response headers */
    public Map<String, String> headers() {
        return headers;
    }

    /** @return the delay, or the pause between trickled bytes */
    public Duration duration() {
        return duration;
    }

    @Override
    public String toString() {
        return "Fault[" + kind + (status == 0 ? "" : " " + status) + (duration.isZero() ? "" : " " + duration) + "]";
    }
}
