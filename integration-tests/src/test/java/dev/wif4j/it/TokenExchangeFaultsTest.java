package dev.wif4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wif4j.AccessToken;
import dev.wif4j.TokenExchangeException;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.WorkloadIdentityBuilder;
import dev.wif4j.testkit.Fault;
import dev.wif4j.testkit.RecordedRequest;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The exchange against a misbehaving token endpoint: which failures are retried (each time with a new
 * identity token), which fail at once, and what the user reads.
 */
class TokenExchangeFaultsTest extends ExchangeScenario {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration HANG_GUARD = Duration.ofSeconds(20);

    private AccessToken token(WorkloadIdentityBuilder builder) {
        try (WorkloadIdentity identity = builder.build()) {
            return assertTimeoutPreemptively(HANG_GUARD, () -> identity.credentials().token());
        }
    }

    private TokenExchangeException failure(WorkloadIdentityBuilder builder) {
        try (WorkloadIdentity identity = builder.build()) {
            return assertTimeoutPreemptively(HANG_GUARD,
                    () -> assertThrows(TokenExchangeException.class, () -> identity.credentials().token()));
        }
    }

    private Set<String> assertionsSent() throws Exception {
        Set<String> assertions = new HashSet<>();
        for (RecordedRequest r : anthropic.tokenRequests()) {
            assertions.add(JSON.readTree(r.body()).get("assertion").asText());
        }
        return assertions;
    }

    private static String apiError(String type, String message) {
        return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}}";
    }

    @Test
    @DisplayName("a 503 is retried with a new identity token, and the retry succeeds")
    void serviceUnavailableIsRetriedWithANewToken() throws Exception {
        anthropic.enqueue(Fault.status(503, apiError("overloaded_error", "Overloaded")));
        AccessToken token = token(builder());
        assertTrue(token.value().startsWith("sk-ant-oat01-"));
        assertEquals(2, anthropic.exchangeRequests());
        assertEquals(2, assertionsSent().size(), "each attempt must present a new token (jti is single-use)");
    }

    @Test
    @DisplayName("a 429 with a short Retry-After is retried; a dropped connection too")
    void rateLimitAndDisconnectAreRetried() {
        anthropic.enqueue(Fault.status(429, apiError("rate_limit_error", "Slow down")).withHeader("Retry-After", "1"));
        anthropic.enqueue(Fault.disconnect());
        assertTrue(token(builder()).value().startsWith("sk-ant-oat01-"));
        assertEquals(3, anthropic.exchangeRequests());
    }

    @Test
    @DisplayName("a 429 asking for a longer pause than a caller should wait fails at once")
    void longRetryAfterIsNotWaitedFor() {
        anthropic.enqueue(Fault.status(429, apiError("rate_limit_error", "Slow down")).withHeader("Retry-After", "120"));
        TokenExchangeException e = failure(builder());
        assertEquals(429, e.statusCode());
        assertEquals(1, anthropic.exchangeRequests());
    }

    @Test
    @DisplayName("a persistent 5xx gives up after the configured attempts and says so")
    void persistentServerErrorsGiveUp() {
        for (int i = 0; i < 3; i++) {
            anthropic.enqueue(Fault.status(500, apiError("api_error", "Internal server error")));
        }
        TokenExchangeException e = failure(builder());
        assertEquals(500, e.statusCode());
        assertEquals("api_error", e.errorType().orElseThrow());
        assertTrue(e.requestId().orElseThrow().startsWith("req_emu_"));
        assertTrue(e.hint().orElseThrow().contains("wif4j retried 3 times in all"), e.getMessage());
        assertEquals(3, anthropic.exchangeRequests());
    }

    @Test
    @DisplayName("a proxy's HTML error page is reported without dumping the page")
    void htmlErrorPage() {
        String page = "<html><body>" + "Bad gateway ".repeat(500) + "</body></html>";
        anthropic.enqueue(Fault.response(502, "text/html", page));
        TokenExchangeException e = failure(builder().retries(1, Duration.ofMillis(10), Duration.ofMillis(10)));
        assertEquals(502, e.statusCode());
        assertTrue(e.getMessage().length() < 2000, "the message must not carry the whole page: " + e.getMessage().length());
    }

    @Test
    @DisplayName("a 400 is not retried, and its message is shown with a hint at the ids")
    void badRequestIsNotRetried() {
        anthropic.enqueue(Fault.status(400, apiError("invalid_request_error", "workspace_id: expected wrkspc_...")));
        TokenExchangeException e = failure(builder());
        assertEquals(400, e.statusCode());
        assertFalse(e.isAssertionRejected());
        assertTrue(e.getMessage().contains("invalid_request_error: workspace_id: expected wrkspc_..."), e.getMessage());
        assertTrue(e.hint().orElseThrow().contains("ANTHROPIC_WORKSPACE_ID"), e.hint().orElseThrow());
        assertEquals(1, anthropic.exchangeRequests());
    }

    @Test
    @DisplayName("an error body that echoes the assertion never reaches the exception")
    void echoedAssertionIsRedacted() throws Exception {
        anthropic.enqueue(Fault.status(401, "{\"error\":\"invalid_grant\",\"error_description\":\"no\",\"assertion\":\"ECHO\"}"));
        TokenExchangeException e = failure(builder());
        String jwt = assertionsSent().iterator().next();
        String signature = jwt.substring(jwt.lastIndexOf('.') + 1);
        for (String shown : new String[] {e.getMessage(), e.toString(), e.redactedBody().orElse("")}) {
            assertFalse(shown.contains(signature), shown);
            assertFalse(shown.contains("ECHO"), shown);
        }
    }

    @Test
    @DisplayName("a response over 1 MiB is refused unread")
    void oversizedResponse() {
        anthropic.enqueue(Fault.status(200, "{\"access_token\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}"));
        TokenExchangeException e = failure(builder());
        assertTrue(e.getMessage().contains("answered with more than 1048576 bytes"), e.getMessage());
    }

    @Test
    @DisplayName("a body that trickles in past the timeout fails in bounded time")
    void tricklingBodyTimesOut() {
        anthropic.enqueue(Fault.trickle("{\"access_token\":\"sk-ant-oat01-slow\",\"expires_in\":3600}", Duration.ofMillis(300)));
        TokenExchangeException e = failure(builder().exchangeTimeout(Duration.ofSeconds(1))
                .retries(1, Duration.ofMillis(10), Duration.ofMillis(10)));
        assertTrue(e.getMessage().contains("no complete answer within 1 s"), e.getMessage());
    }

    @Test
    @DisplayName("a token_type other than Bearer is refused")
    void nonBearerTokenType() {
        anthropic.enqueue(Fault.status(200, "{\"access_token\":\"sk-ant-oat01-x\",\"token_type\":\"mac\",\"expires_in\":3600}"));
        TokenExchangeException e = failure(builder());
        assertTrue(e.getMessage().contains("its token_type is \"mac\", not Bearer"), e.getMessage());
        assertFalse(e.getMessage().contains("sk-ant-oat01-x"), "the access token must not be shown");
    }

    @Test
    @DisplayName("expires_in as a string, or missing, is refused rather than cached forever")
    void expiresInMustBeANumber() {
        anthropic.enqueue(Fault.status(200, "{\"access_token\":\"sk-ant-oat01-x\",\"token_type\":\"Bearer\",\"expires_in\":\"3600\"}"));
        assertTrue(failure(builder()).getMessage().contains("its expires_in is a string"));
        anthropic.enqueue(Fault.status(200, "{\"access_token\":\"sk-ant-oat01-x\",\"token_type\":\"Bearer\"}"));
        assertTrue(failure(builder()).getMessage().contains("it has no expires_in"));
        anthropic.enqueue(Fault.status(200, "{\"token_type\":\"Bearer\",\"expires_in\":3600}"));
        assertTrue(failure(builder()).getMessage().contains("it has no access_token"));
    }
}
