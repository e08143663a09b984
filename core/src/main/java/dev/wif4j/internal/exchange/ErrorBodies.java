package dev.wif4j.internal.exchange;

import dev.wif4j.spi.internal.Redaction;
import dev.wif4j.spi.internal.Json;
import dev.wif4j.spi.support.Text;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reduces an error body to its error fields, because a body may echo the assertion or a token:
 * the RFC 6749 fields ({@code error}, {@code error_description}, {@code error_uri}) and the
 * Claude API envelope ({@code type}, {@code error.type}, {@code error.message}). Everything
 * kept is scrubbed of anything that looks like a token.
 */
final class ErrorBodies {
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
        Object root;
        try {
            root = Json.parse(body, false);
        } catch (IOException e) {
            root = null;
        }
        if (!(root instanceof Map<?, ?> object)) {
            return new Parsed("[not a JSON error body: " + body.length + " bytes"
                    + (contentType == null ? "" : " of " + contentType) + "]", null, null);
        }
        Map<String, Object> kept = new LinkedHashMap<>();
        String type = null;
        String message = null;
        if (object.get("type") instanceof String t) {
            kept.put("type", scrub(t));
        }
        Object error = object.get("error");
        if (error instanceof Map<?, ?> e) {
            Map<String, Object> keptError = new LinkedHashMap<>();
            kept.put("error", keptError);
            if (e.get("type") instanceof String t) {
                type = scrub(t);
                keptError.put("type", type);
            }
            if (e.get("message") instanceof String m) {
                message = scrub(m);
                keptError.put("message", message);
            }
        } else if (error instanceof String e) {
            type = scrub(e);
            kept.put("error", type);
        }
        if (object.get("error_description") instanceof String d) {
            String description = scrub(d);
            kept.put("error_description", description);
            if (message == null) {
                message = description;
            }
        }
        if (object.get("error_uri") instanceof String u) {
            kept.put("error_uri", scrub(u));
        }
        return new Parsed(Json.text(kept), type, message);
    }

    /** Secrets masked, control characters escaped (a server's text must not forge lines), cut at 500. */
    private static String scrub(String text) {
        return Text.escape(Redaction.scrub(text), 500);
    }
}
