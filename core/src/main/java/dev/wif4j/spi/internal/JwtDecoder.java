package dev.wif4j.spi.internal;

import java.io.IOException;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes a compact JWS without verifying it. Strict: three non-empty base64url parts, a JSON
 * object header with {@code alg}, a JSON object payload. Error messages describe the shape of the
 * input, never its content.
 */
public final class JwtDecoder {
    /** Decoding stops here: no real identity token comes close, and Anthropic refuses > 16 KiB. */
    public static final int MAX_CHARS = 64 * 1024;

    /**
     * The text is not a JWT; the message says what is wrong with its shape and never repeats it. Its own type, not
     * the SPI's exception, so that this package stays below the SPI ({@code IdentityToken} turns it into one).
     */
    public static final class MalformedException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message);
        }

        /**
         * Made here, typed as its supertype: the JVM then loads this class at the first malformed token, not when
         * it verifies {@link JwtDecoder}, which decodes every identity token (issue 32).
         */
        private static IllegalArgumentException of(String message) {
            return new MalformedException(message);
        }
    }

    /** The decoded header and claims, both unmodifiable. */
    public record Decoded(Map<String, Object> header, Map<String, Object> claims) {}

    private JwtDecoder() {}

    /**
     * Decodes the token.
     *
     * @param jwt the compact serialization
     * @return header and claims
     * @throws MalformedException describing what is wrong with the shape
     */
    public static Decoded decode(String jwt) {
        if (jwt.isEmpty()) {
            throw MalformedException.of("The identity token is empty.");
        }
        if (jwt.length() > MAX_CHARS) {
            throw MalformedException.of("The identity token is " + jwt.length()
                    + " characters long; a JWT over " + MAX_CHARS + " characters is not accepted.");
        }
        for (int i = 0; i < jwt.length(); i++) {
            if (Character.isWhitespace(jwt.charAt(i))) {
                throw MalformedException.of("The identity token holds white space inside it: a JWT is one "
                        + "line of base64url parts (two tokens in one file, or a line break in the middle?).");
            }
        }
        int first = jwt.indexOf('.');
        int second = first < 0 ? -1 : jwt.indexOf('.', first + 1);
        if (first < 0 || second < 0 || jwt.indexOf('.', second + 1) >= 0) {
            long dots = jwt.chars().filter(c -> c == '.').count();
            throw MalformedException.of("The identity token is not a JWT: expected three parts "
                    + "separated by dots (header.payload.signature), found " + (dots + 1)
                    + (dots == 4 ? " (an encrypted JWE, which Anthropic does not accept)" : "") + ".");
        }
        if (first == 0 || second == first + 1 || second == jwt.length() - 1) {
            throw MalformedException.of("The identity token is not a JWT: its "
                    + (first == 0 ? "header" : second == first + 1 ? "payload" : "signature")
                    + " part is empty" + (second == jwt.length() - 1 ? " (an unsigned token, which Anthropic refuses)" : "")
                    + ".");
        }
        Map<String, Object> header = object(jwt.substring(0, first), "header");
        Map<String, Object> claims = object(jwt.substring(first + 1, second), "payload");
        for (int i = second + 1; i < jwt.length(); i++) {
            if (!isBase64Url(jwt.charAt(i))) {
                throw MalformedException.of(
                        "The identity token is not a JWT: its signature part is not base64url text.");
            }
        }
        if (!(header.get("alg") instanceof String)) {
            throw MalformedException.of("The identity token's header has no 'alg'.");
        }
        return new Decoded(header, claims);
    }

    private static boolean isBase64Url(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    private static Map<String, Object> object(String part, String name) {
        byte[] bytes;
        try {
            for (int i = 0; i < part.length(); i++) {
                if (!isBase64Url(part.charAt(i))) {
                    throw new IllegalArgumentException("character outside the base64url alphabet");
                }
            }
            bytes = Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw MalformedException.of("The identity token is not a JWT: its " + name
                    + " part is not base64url text.");
        }
        Object value;
        try {
            value = Json.parseUtf8(bytes, false);
        } catch (IOException e) {
            throw MalformedException.of("The identity token is not a JWT: its " + name
                    + " part is not JSON.");
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw MalformedException.of("The identity token is not a JWT: its " + name
                    + " is JSON but not an object.");
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            copy.put(String.valueOf(e.getKey()), e.getValue());
        }
        return Collections.unmodifiableMap(copy);
    }
}
