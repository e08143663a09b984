package dev.wif4j.internal.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wif4j.internal.Redaction;
import dev.wif4j.spi.support.Text;
import java.io.IOException;

/**
 * Reduces an error body to its error fields, because a body may echo the assertion or a token:
 * the RFC 6749 fields ({@code error}, {@code error_description}, {@code error_uri}) and the
 * Claude API envelope ({@code type}, {@code error.type}, {@code error.message}). Everything
 * kept is scrubbed of anything that looks like a token.
 */
final class ErrorBodies {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /**
     * What an error body says.
     *
     * @param redacted the kept fields as compact JSON, or a description of a non-JSON body
     * @param errorType {@code error.type} or the OAuth {@code error}; may be {@code null}
     * @param errorMessage {@code error.message} or {@code error_description}; may be {@code null}
     */
    record Parsed(String redacted, String errorType, String errorMessage) {}

    private ErrorBodies() {}

    static Parsed parse(byte[] body, String contentType) {
        if (body == null || body.length == 0) {
            return new Parsed(null, null, null);
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            return new Parsed("[not a JSON error body: " + body.length + " bytes"
                    + (contentType == null ? "" : " of " + contentType) + "]", null, null);
        }
        ObjectNode kept = JSON.createObjectNode();
        String type = null;
        String message = null;
        if (root.path("type").isTextual()) {
            kept.put("type", scrub(root.get("type").asText()));
        }
        JsonNode error = root.get("error");
        if (error != null && error.isObject()) {
            ObjectNode e = kept.putObject("error");
            if (error.path("type").isTextual()) {
                type = scrub(error.get("type").asText());
                e.put("type", type);
            }
            if (error.path("message").isTextual()) {
                message = scrub(error.get("message").asText());
                e.put("message", message);
            }
        } else if (error != null && error.isTextual()) {
            type = scrub(error.asText());
            kept.put("error", type);
        }
        if (root.path("error_description").isTextual()) {
            String description = scrub(root.get("error_description").asText());
            kept.put("error_description", description);
            if (message == null) {
                message = description;
            }
        }
        if (root.path("error_uri").isTextual()) {
            kept.put("error_uri", scrub(root.get("error_uri").asText()));
        }
        return new Parsed(kept.toString(), type, message);
    }

    /** Secrets masked, control characters escaped (a server's text must not forge lines), cut at 500. */
    private static String scrub(String text) {
        return Text.escape(Redaction.scrub(text), 500);
    }
}
