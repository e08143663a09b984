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
            if (access != null && access.length() >= 8 && !inTemplate(body, access)) {
                assertFalse(message.contains(access), "the message quotes the access token");
            }
            return;
        }
        assertFalse(token.value().isBlank());
        assertTrue(token.expiresAt().isAfter(SENT));
        assertFalse(token.expiresAt().isAfter(SENT.plusSeconds(TokenExchanger.MAX_EXPIRES_IN_SECONDS)));
        assertFalse(token.toString().contains(token.value()) && token.value().length() > 8, "toString shows the token");
    }

    /**
     * Whether the message holds the access token only because the token is a word of the message's own text
     * (an access token of {@code "expires_in"}, found by the fuzzer): the same body with another access token
     * gives a message that still contains it.
     */
    private static boolean inTemplate(byte[] body, String access) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode other = (com.fasterxml.jackson.databind.node.ObjectNode)
                    JSON.readTree(body);
            other.put("access_token", "sk-ant-oat01-fuzz-replacement-" + access.length());
            TokenExchanger.parse(JSON.writeValueAsBytes(other), 200, "req_fuzz", SENT, ENDPOINT);
            return false;
        } catch (TokenExchangeException e) {
            return e.getMessage().contains(access);
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
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
