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
 * Fuzzes the 2xx token-response parser ({@link TokenExchanger#parse}): a body is either a usable token
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
            token = TokenExchanger.parse(body, 200, "req_fuzz", SENT, ENDPOINT);
        } catch (TokenExchangeException e) {
            String message = e.getMessage();
            assertTrue(message.length() < 700, "an error message of " + message.length() + " chars");
            assertEquals(200, e.statusCode());
            String access = accessToken(body);
            if (access != null && access.length() >= 8) {
                assertFalse(message.contains(access), "the message quotes the access token");
            }
            return;
        }
        assertFalse(token.value().isBlank());
        assertTrue(token.expiresAt().isAfter(SENT));
        assertFalse(token.expiresAt().isAfter(SENT.plusSeconds(TokenExchanger.MAX_EXPIRES_IN_SECONDS)));
        assertFalse(token.toString().contains(token.value()) && token.value().length() > 8, "toString shows the token");
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
