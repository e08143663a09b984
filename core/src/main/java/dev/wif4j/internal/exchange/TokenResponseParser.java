package dev.wif4j.internal.exchange;

import dev.wif4j.AccessToken;
import dev.wif4j.TokenExchangeException;
import dev.wif4j.spi.internal.Json;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * Reads a 2xx token response into an access token, or says what is wrong with it without quoting it. Pure
 * (no I/O, no clock): the fuzz target, TokenResponseFuzzTest.
 */
final class TokenResponseParser {
    /** Rules allow at most a day; ten is room for change, more is a broken server. */
    static final long MAX_EXPIRES_IN_SECONDS = 10L * 24 * 3600;
    /** Anthropic's access tokens are about 100 characters; a header value past this is not one. */
    static final int MAX_ACCESS_TOKEN_CHARS = 4096;

    private TokenResponseParser() {}

    /**
     * Why a value cannot be an access token: it becomes {@code Authorization: Bearer <value>} in this
     * process and in every shell that prints it, so it is visible ASCII of a sane length or nothing.
     *
     * @param value the access_token field
     * @return the problem as a sentence fragment, or {@code null} when the value is acceptable
     */
    static String accessTokenProblem(String value) {
        if (value.length() > MAX_ACCESS_TOKEN_CHARS) {
            return "is " + value.length() + " characters long; an access token has at most "
                    + MAX_ACCESS_TOKEN_CHARS;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return "holds " + (c == '\r' || c == '\n' ? "a line break" : c == ' ' ? "a space"
                        : c < 0x20 || c == 0x7f ? "a control character" : "a non-ASCII character")
                        + ", which no access token does (it would corrupt the Authorization header)";
            }
        }
        return null;
    }

    /**
     * Reads a 2xx token response.
     *
     * @param body the response body
     * @param status the HTTP status, for the message
     * @param requestId the {@code request-id} header; may be {@code null}
     * @param sentAt when the request left: the expiry is counted from it
     * @param endpoint the token endpoint, for the message
     * @return the access token
     * @throws TokenExchangeException naming what is wrong with the body, never quoting it
     */
    static AccessToken parse(byte[] body, int status, String requestId, Instant sentAt, URI endpoint) {
        Object parsed;
        try {
            parsed = Json.parseUtf8(body, true);
        } catch (IOException e) {
            // Told apart here, not by a catch clause of its own: the JVM would load its class to verify this one,
            // which reads every first token (issue 32).
            if (e instanceof Json.DuplicateKeyException) {
                throw invalid(endpoint, status, requestId, "it repeats a key, so which value counts is unclear");
            }
            parsed = null;
        }
        if (!(parsed instanceof Map<?, ?> root)) {
            throw invalid(endpoint, status, requestId, "it is not a JSON object (" + body.length + " bytes)");
        }
        if (!(root.get("access_token") instanceof String access) || access.isBlank()) {
            throw invalid(endpoint, status, requestId, "it has no access_token");
        }
        String accessProblem = accessTokenProblem(access);
        if (accessProblem != null) {
            // Never quoted: it becomes an Authorization header, and it is a secret either way.
            throw invalid(endpoint, status, requestId, "its access_token " + accessProblem);
        }
        Object type = root.get("token_type");
        if (type != null && !(type instanceof String t && t.equalsIgnoreCase("bearer"))) {
            throw invalid(endpoint, status, requestId, "its token_type is " + shown(type, access) + ", not Bearer");
        }
        Object expiresIn = root.get("expires_in");
        if (expiresIn == null) {
            throw invalid(endpoint, status, requestId, "it has no expires_in");
        }
        if (!isWholeNumber(expiresIn)) {
            throw invalid(endpoint, status, requestId, "its expires_in is " + (expiresIn instanceof String
                    ? "a string" : shown(expiresIn, access)) + ", not a whole number of seconds");
        }
        long seconds = expiresIn instanceof Long l ? l : expiresIn instanceof Double d ? d.longValue() : -1;
        if (seconds <= 0 || seconds > MAX_EXPIRES_IN_SECONDS) { // a huge double saturates, and is refused
            throw invalid(endpoint, status, requestId, "its expires_in, " + shown(expiresIn, access)
                    + ", is not between 1 and "
                    + MAX_EXPIRES_IN_SECONDS + " seconds");
        }
        // Expiry counted from when the request left: never later than the server's own clock says.
        return new AccessToken(access, sentAt.plusSeconds(seconds),
                root.get("scope") instanceof String scope ? scope : null);
    }

    /** 3600 and 3600.0 alike; a whole number too large for a long is still one (and then out of range). */
    private static boolean isWholeNumber(Object value) {
        return value instanceof Long || value instanceof java.math.BigInteger
                || (value instanceof Double d && !d.isNaN() && !d.isInfinite() && d == Math.rint(d));
    }

    /**
     * A response value for an error message: short values only, and never one that is the access token
     * (a broken server may put it anywhere). Found by TokenResponseFuzzTest.
     */
    private static String shown(Object value, String accessToken) {
        String text = Json.text(value);
        String raw = value instanceof String s ? s : value instanceof Number || value instanceof Boolean ? text : "";
        // Long values are described, not quoted; so is any value that holds the access token.
        boolean holdsToken = accessToken != null && !accessToken.isEmpty()
                && (text.contains(accessToken) || raw.contains(accessToken));
        if (text.length() > 24 || holdsToken) {
            return "an unexpected " + Json.kind(value) + " of " + text.length() + " characters";
        }
        return text;
    }

    private static TokenExchangeException invalid(URI endpoint, int status, String requestId, String what) {
        return TokenExchangeException.builder("The token endpoint " + endpoint + " answered HTTP " + status
                + ExchangeFailures.requestIdPart(requestId) + " with an invalid token response: " + what + ".")
                .statusCode(status).requestId(requestId).hint(ExchangeFailures.CHECK_BASE_URL).build();
    }
}
