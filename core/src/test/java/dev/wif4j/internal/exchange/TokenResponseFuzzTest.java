package dev.wif4j.internal.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wif4j.AccessToken;
import dev.wif4j.TokenExchangeException;
import java.net.URI;
import java.time.Instant;

/**
 * Fuzzes the 2xx token-response parser ({@link TokenResponseParser#parse}): a body is either a usable token
 * (non-blank, expiring between 1 s and 10 days after the request left) or a {@link TokenExchangeException}
 * with a short message that does not quote the access token. Any other exception is a bug.
 */
class TokenResponseFuzzTest {
    private static final URI ENDPOINT = URI.create("https://api.anthropic.com/v1/oauth/token");
    private static final Instant SENT = Instant.parse("2026-11-22T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] body) {
        AccessToken token;
        try {
            token = TokenResponseParser.parse(body, 200, "req_fuzz", SENT, ENDPOINT);
        } catch (TokenExchangeException e) {
            String message = e.getMessage();
            assertTrue(message.length() < 700, "an error message of " + message.length() + " chars");
            assertEquals(200, e.statusCode());
            String access = accessToken(body);
            if (access != null && access.length() >= 8 && !inTemplate(body, access)) {
                assertFalse(message.contains(access), "the message quotes the access token");
            }
            return;
        }
        assertFalse(token.value().isBlank());
        assertTrue(token.expiresAt().isAfter(SENT));
        assertFalse(token.expiresAt().isAfter(SENT.plusSeconds(TokenResponseParser.MAX_EXPIRES_IN_SECONDS)));
        assertFalse(token.toString().contains(token.value()) && token.value().length() > 8, "toString shows the token");
    }

    /**
     * Whether the message holds the access token only because the token is a piece of the message's own text
     * (found by the fuzzer: an access token of {@code "expires_in"}, and {@code "s_token "}, which the
     * template's "its access_token holds a space" contains). The same body with an access token of the same
     * shape (each letter and digit changed, every other character and the length kept, so the same problem
     * is found) gives a message that still contains the original only when the template holds it.
     */
    private static boolean inTemplate(byte[] body, String access) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode other = (com.fasterxml.jackson.databind.node.ObjectNode)
                    JSON.readTree(body);
            other.put("access_token", sameShape(access));
            TokenResponseParser.parse(JSON.writeValueAsBytes(other), 200, "req_fuzz", SENT, ENDPOINT);
            return false;
        } catch (TokenExchangeException e) {
            return e.getMessage().contains(access);
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /** Each ASCII letter and digit moved to another of its kind; everything else, and the length, kept. */
    private static String sameShape(String access) {
        StringBuilder out = new StringBuilder(access.length());
        for (char c : access.toCharArray()) {
            if (c >= 'a' && c <= 'z') {
                out.append((char) ('a' + (c - 'a' + 13) % 26));
            } else if (c >= 'A' && c <= 'Z') {
                out.append((char) ('A' + (c - 'A' + 13) % 26));
            } else if (c >= '0' && c <= '9') {
                out.append((char) ('0' + (c - '0' + 5) % 10));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String accessToken(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.path("access_token").isTextual() ? node.get("access_token").asText() : null;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }
}
