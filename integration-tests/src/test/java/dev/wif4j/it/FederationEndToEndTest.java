package dev.wif4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wif4j.AccessToken;
import dev.wif4j.TokenExchangeException;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.ManualClock;
import dev.wif4j.testkit.OidcIssuer;
import dev.wif4j.testkit.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The whole flow over real HTTP on 127.0.0.1: a JWT from {@link OidcIssuer} in a token file, detected by
 * wif4j, exchanged at the {@link AnthropicEmulator}, cached, refreshed and used on {@code /v1/messages}.
 * One manual clock drives the issuer, the emulator and wif4j's cache.
 */
class FederationEndToEndTest {
    private static final String TOKEN_FILE = "/var/run/secrets/anthropic.com/token";
    private static final String SUBJECT = "system:serviceaccount:prod:billing";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ManualClock clock;
    private OidcIssuer idp;
    private AnthropicEmulator anthropic;
    private String ruleId;
    private FakeDetectionContext world;

    @BeforeEach
    void start() {
        clock = ManualClock.startingNow();
        idp = OidcIssuer.builder().clock(clock).start();
        anthropic = AnthropicEmulator.builder().clock(clock).start();
        ruleId = anthropic.trust(idp, "system:serviceaccount:prod:*", Duration.ofMinutes(10));
    }

    @AfterEach
    void stop() {
        if (world != null) {
            world.close();
        }
        anthropic.close();
        idp.close();
    }

    private WorkloadIdentity identity(String jwt) {
        world = FakeDetectionContext.builder()
                .clock(clock)
                .env("ANTHROPIC_FEDERATION_RULE_ID", ruleId)
                .env("ANTHROPIC_ORGANIZATION_ID", anthropic.organizationId())
                .env("ANTHROPIC_BASE_URL", anthropic.baseUrl())
                .env("ANTHROPIC_IDENTITY_TOKEN_FILE", TOKEN_FILE)
                .file(TOKEN_FILE, jwt + "\n")
                .build();
        return WorkloadIdentity.builder().context(world).build();
    }

    private String mint() {
        return idp.mint().subject(SUBJECT).sign();
    }

    @Test
    @DisplayName("a token file is detected, exchanged once, cached, and the token works on /v1/messages")
    void tokenFileIsDetectedExchangedAndCached() throws Exception {
        String jwt = mint();
        try (WorkloadIdentity identity = identity(jwt)) {
            assertEquals("file", identity.providerId());
            AccessToken token = identity.credentials().token();
            assertTrue(token.value().startsWith("sk-ant-oat01-"), "not an Anthropic access token");
            assertEquals(clock.instant().plusSeconds(600), token.expiresAt(), "the rule's lifetime, from the response");
            for (int i = 0; i < 100; i++) {
                assertSame(token, identity.credentials().token());
            }
            assertEquals(1, anthropic.exchangeRequests(), "cached calls must not reach the token endpoint");
            assertEquals(200, anthropic.callMessages(token));

            RecordedRequest sent = anthropic.tokenRequests().get(0);
            assertEquals("POST", sent.method());
            assertEquals("/v1/oauth/token", sent.path());
            assertEquals("application/json", sent.header("Content-Type").orElseThrow());
            assertEquals("oauth-2025-04-20,oidc-federation-2026-04-01", sent.header("anthropic-beta").orElseThrow());
            assertTrue(sent.header("User-Agent").orElseThrow().startsWith("wif4j/"), sent.header("User-Agent").orElseThrow());
            JsonNode body = JSON.readTree(sent.body());
            assertEquals("urn:ietf:params:oauth:grant-type:jwt-bearer", body.get("grant_type").asText());
            assertEquals(jwt, body.get("assertion").asText(), "the file's content, trimmed");
            assertEquals(ruleId, body.get("federation_rule_id").asText());
            assertEquals(anthropic.organizationId(), body.get("organization_id").asText());
            assertFalse(body.has("workspace_id"), "no workspace was configured");
            assertEquals("ok", anthropic.lastDecision().reason());
            assertEquals(SUBJECT, anthropic.lastDecision().subject());
        }
    }

    @Test
    @DisplayName("50 callers at the mandatory window share one refresh and all get the new token")
    void nearExpiryRefreshesOnceForFiftyConcurrentCallers() throws Exception {
        try (WorkloadIdentity identity = identity(mint())) {
            AccessToken first = identity.credentials().token();
            clock.advance(Duration.ofSeconds(600 - 20)); // 20 s left: inside the 30 s mandatory window
            world.writeFile(TOKEN_FILE, mint()); // the kubelet rotated the projected token
            int callers = 50;
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(callers);
            try {
                List<Future<AccessToken>> results = new ArrayList<>();
                for (int i = 0; i < callers; i++) {
                    Callable<AccessToken> call = () -> {
                        go.await();
                        return identity.credentials().token();
                    };
                    results.add(pool.submit(call));
                }
                go.countDown();
                Set<AccessToken> seen = new HashSet<>();
                for (Future<AccessToken> r : results) {
                    seen.add(r.get(30, TimeUnit.SECONDS));
                }
                assertEquals(1, seen.size(), "every caller gets the same refreshed token");
                assertNotEquals(first, seen.iterator().next(), "no caller gets the expiring token");
                assertEquals(2, anthropic.exchangeRequests(), "one refresh for all 50 callers");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    @DisplayName("a 401 from the API invalidates the token; the next call exchanges the rotated file")
    void unauthorizedInvalidatesAndRotatedFileIsPickedUp() throws Exception {
        String firstJwt = mint();
        try (WorkloadIdentity identity = identity(firstJwt)) {
            AccessToken first = identity.credentials().token();
            anthropic.revokeAll();
            assertEquals(401, anthropic.callMessages(first));
            String rotated = mint();
            world.writeFile(TOKEN_FILE, rotated);
            identity.credentials().invalidate(first);
            AccessToken second = identity.credentials().token();
            assertNotEquals(first.value(), second.value());
            assertEquals(200, anthropic.callMessages(second));
            assertEquals(2, anthropic.exchangeRequests());
            assertEquals(rotated, JSON.readTree(anthropic.tokenRequests().get(1).body()).get("assertion").asText(),
                    "the second exchange must present the rotated token");
            // A late 401 for the old token must not throw away the new one.
            identity.credentials().invalidate(first);
            assertSame(second, identity.credentials().token());
            assertEquals(2, anthropic.exchangeRequests());
        }
    }

    private TokenExchangeException rejected(UnaryOperator<OidcIssuer.TokenBuilder> token, String reason) {
        try (WorkloadIdentity identity = identity(token.apply(idp.mint().subject(SUBJECT)).sign())) {
            TokenExchangeException e = assertThrows(TokenExchangeException.class, () -> identity.credentials().token());
            assertEquals(401, e.statusCode());
            assertTrue(e.isAssertionRejected());
            assertEquals("authentication_error", e.errorType().orElseThrow());
            assertTrue(e.requestId().orElseThrow().startsWith("req_emu_"), "the request id is carried");
            assertEquals(reason, anthropic.lastDecision().reason(), "the emulator's reason (the Console's history)");
            assertFalse(anthropic.lastDecision().accepted());
            String hint = e.hint().orElseThrow();
            assertTrue(hint.contains("under rule " + ruleId), hint);
            assertTrue(hint.contains("https://platform.claude.com/settings/workload-identity-federation?tab=history"), hint);
            assertTrue(e.getMessage().contains(hint), "the message carries the hint");
            assertEquals(1, anthropic.exchangeRequests(), "a denial is not retried");
            return e;
        }
    }

    @Test
    @DisplayName("a token from another issuer is refused, and the hint shows its iss")
    void wrongIssuer() {
        String hint = rejected(t -> t.issuer("https://oidc.example.com/other"), "issuer_mismatch").hint().orElseThrow();
        assertTrue(hint.contains("iss=https://oidc.example.com/other"), hint);
        assertTrue(hint.contains("the issuer's URL equals iss byte for byte"), hint);
    }

    @Test
    @DisplayName("a token for the wrong audience is refused, and the hint says aud lacks the audience")
    void wrongAudience() {
        String hint = rejected(t -> t.audience("sts.amazonaws.com"), "match_audience").hint().orElseThrow();
        assertTrue(hint.contains("the token's aud [sts.amazonaws.com] does not contain https://api.anthropic.com"), hint);
    }

    @Test
    @DisplayName("an expired token is refused, and the hint says when it expired")
    void expiredToken() {
        String hint = rejected(t -> t.issuedAt(clock.instant().minus(Duration.ofHours(2))).lifetime(Duration.ofHours(1)),
                "token_expired").hint().orElseThrow();
        assertTrue(hint.contains("the token expired at " + clock.instant().minus(Duration.ofHours(1))), hint);
    }

    @Test
    @DisplayName("an HS256 token is refused, and the hint names the algorithm")
    void symmetricAlgorithm() {
        String hint = rejected(t -> t.signedWithHmac("a shared secret of at least 32 bytes!"), "unsupported_algorithm")
                .hint().orElseThrow();
        assertTrue(hint.contains("signed with HS256, but Anthropic accepts only asymmetric algorithms"), hint);
    }

    @Test
    @DisplayName("a token presented twice is refused as a replay, and the hint says the file was not rewritten")
    void replayedJwtId() {
        String jwt = mint();
        try (WorkloadIdentity identity = identity(jwt)) {
            AccessToken first = identity.credentials().token();
            identity.credentials().invalidate(first); // the file was not rotated: the same jti goes again
            TokenExchangeException e = assertThrows(TokenExchangeException.class, () -> identity.credentials().token());
            assertEquals(401, e.statusCode());
            assertEquals("jti_reused", anthropic.lastDecision().reason());
            String hint = e.hint().orElseThrow();
            assertTrue(hint.contains("Anthropic accepts each jti once"), hint);
            assertTrue(hint.contains("a token file must be rewritten before it is read again"), hint);
        }
    }

    @Test
    @DisplayName("a token file that is rewritten while the workload runs is read afresh for each exchange")
    void rotatedTokenFileIsPickedUp() throws Exception {
        try (WorkloadIdentity identity = identity(mint())) {
            Set<String> assertions = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                AccessToken token = identity.credentials().token();
                assertEquals(200, anthropic.callMessages(token));
                clock.advance(Duration.ofSeconds(61)); // a 401 drops a token at most once a minute
                identity.credentials().invalidate(token);
                world.writeFile(TOKEN_FILE, mint());
            }
            for (RecordedRequest r : anthropic.tokenRequests()) {
                assertions.add(JSON.readTree(r.body()).get("assertion").asText());
            }
            assertEquals(3, assertions.size(), "three exchanges, three different tokens from the file");
            assertTrue(anthropic.history().stream().allMatch(d -> d.accepted()));
        }
    }
}
