package dev.wif4j.testkit.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An OAuth 2.0 error answer (RFC 6749 §5.2): {@code {"error": ..., "error_description": ...}} and, after them in
 * the order given, the fields a real server adds (Entra's {@code error_codes}, {@code trace_id}, ...), so every
 * emulator writes the bytes its server does through one writer.
 */
public final class OAuthError {

    /** The content type most servers send. */
    public static final String JSON = "application/json";
    /** The content type Microsoft's endpoints send. */
    public static final String JSON_UTF8 = "application/json; charset=utf-8";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String error;
    private final String description;
    private final Map<String, Object> extra = new LinkedHashMap<>();

    private OAuthError(String error, String description) {
        this.error = Objects.requireNonNull(error);
        this.description = Objects.requireNonNull(description);
    }

    /**
     * @param error the error code, e.g. {@code invalid_client}
     * @param description the human-readable {@code error_description}
     * @return an answer with just these two fields
     */
    public static OAuthError of(String error, String description) {
        return new OAuthError(error, description);
    }

    /**
     * Adds a field after the standard two.
     *
     * @param name the field name
     * @param value a string, number, boolean or list of them
     * @return this answer
     */
    public OAuthError with(String name, Object value) {
        extra.put(Objects.requireNonNull(name), value);
        return this;
    }

    /** @return the JSON body */
    public String json() {
        ObjectNode body = MAPPER.createObjectNode().put("error", error).put("error_description", description);
        extra.forEach((name, value) -> body.set(name, MAPPER.valueToTree(value)));
        return body.toString();
    }

    /**
     * Sends the answer.
     *
     * @param exchange the exchange
     * @param status the HTTP status, 400 or 401 by the RFC (some servers use others)
     * @param contentType {@link #JSON} or {@link #JSON_UTF8}, as the real server sends
     * @throws IOException when the client went away
     */
    public void send(HttpExchange exchange, int status, String contentType) throws IOException {
        LoopbackServer.send(exchange, status, contentType, json(), Map.of());
    }
}
