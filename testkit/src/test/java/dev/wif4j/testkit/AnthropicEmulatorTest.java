package dev.wif4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Drives {@link AnthropicEmulator} over plain HTTP, as PROTOCOL.md §1-3 and §6.3/§6.4 describe the service. */
class AnthropicEmulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUBJECT = "system:serviceaccount:prod:billing";
    private static final String PREFIX = "system:serviceaccount:prod:*";
    private static final String HELLO =
            "{\"model\":\"claude-test\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    private static ManualClock clock;
    private static OidcIssuer idp;
    private static HttpClient http;

    private AnthropicEmulator anthropic;
    private String issuerId;
    private String ruleId;

    /** One HTTP answer: status, headers, raw body and, when it parses, the JSON body. */
    private record Reply(int status, HttpHeaders headers, String body, JsonNode json) {

        String text(String field) {
            return json.path(field).asText();
        }

        String requestId() {
            return headers.firstValue("request-id").orElse(null);
        }
    }

    @BeforeAll
    static void startIssuer() {
        clock = ManualClock.startingNow();
        idp = OidcIssuer.builder().clock(clock).start();
        http = client();
    }

    @AfterAll
    static void stopIssuer() {
        idp.close();
    }

    @BeforeEach
    void startEmulator() {
        anthropic = AnthropicEmulator.builder().clock(clock).start();
        issuerId = anthropic.addIssuer(FederationIssuer.of(idp));
        ruleId = anthropic.addRule(rule().subjectPrefix(PREFIX).audience(OidcIssuer.DEFAULT_AUDIENCE));
    }

    @AfterEach
    void stopEmulator() {
        anthropic.close();
    }

    // ---- success and the minted lifetime ----------------------------------------------------------

    @Test
    void exchangesAValidAssertionForABearerToken() throws Exception {
        String jti = UUID.randomUUID().toString();
        Reply reply = exchange(token().jwtId(jti).sign());

        assertAccepted(reply);
        assertEquals("Bearer", reply.text("token_type"));
        assertEquals("workspace:developer", reply.text("scope"));
        assertEquals(3600, reply.json().get("expires_in").asLong());
        assertEquals(FederationRule.DEFAULT_WORKSPACE, reply.text("workspace_id"));
        assertNotNull(reply.requestId());

        Decision decision = anthropic.lastDecision();
        assertEquals(ruleId, decision.ruleId());
        assertEquals(idp.issuerUrl(), decision.issuer());
        assertEquals(SUBJECT, decision.subject());
        assertEquals(jti, decision.jwtId());
        assertEquals(reply.requestId(), decision.requestId());
        assertEquals(clock.instant(), decision.time());
        assertEquals(1, anthropic.tokensIssued());
        assertEquals(1, anthropic.exchangeRequests());
    }

    @Test
    void assertionsAreTheIdentityTokensSentInOrderWhateverTheAnswer() throws Exception {
        String first = token().sign();
        String refused = token().audience("https://example.invalid").sign();
        exchange(first);
        exchange(refused);
        send(postRequest(anthropic, "/v1/oauth/token", "not json"));
        assertEquals(List.of(first, refused), anthropic.assertions());
        assertEquals(3, anthropic.exchangeRequests());
    }

    @Test
    void recordsTheTokenRequestAsSent() throws Exception {
        String body = request(token().sign()).toString();
        post("/v1/oauth/token", body, "anthropic-beta", "oauth-2025-04-20,oidc-federation-2026-04-01");

        RecordedRequest recorded = anthropic.tokenRequests().get(0);
        assertEquals("POST", recorded.method());
        assertEquals("/v1/oauth/token", recorded.path());
        assertEquals(body, recorded.body());
        assertEquals("application/json", recorded.header("Content-Type").orElseThrow());
        assertEquals("oauth-2025-04-20,oidc-federation-2026-04-01", recorded.header("ANTHROPIC-BETA").orElseThrow());
    }

    @Test
    void lifetimeIsCappedByTheRule() throws Exception {
        String shortRule = anthropic.addRule(rule().subjectPrefix(PREFIX).tokenLifetime(Duration.ofMinutes(10)));
        Reply reply = exchange(request(shortRule, token().lifetime(Duration.ofHours(1)).sign()));

        assertAccepted(reply);
        assertEquals(600, reply.json().get("expires_in").asLong());
    }

    @Test
    void lifetimeIsTwiceTheAssertionsRemainingLife() throws Exception {
        Reply reply = exchange(token().lifetime(Duration.ofSeconds(100)).sign());

        assertAccepted(reply);
        assertEquals(200, reply.json().get("expires_in").asLong());
    }

    @Test
    void lifetimeIsNeverBelowAMinute() throws Exception {
        Reply reply = exchange(token().lifetime(Duration.ofSeconds(20)).sign());

        assertAccepted(reply);
        assertEquals(60, reply.json().get("expires_in").asLong());
    }

    // ---- 400 invalid_request_error, no history --------------------------------------------------

    @Test
    void bodyThatIsNotJsonIsABadRequest() throws Exception {
        assertBadRequest(post("/v1/oauth/token", "grant_type=jwt&assertion=x"), "not valid JSON");
    }

    @Test
    void bodyThatIsNotAnObjectIsABadRequest() throws Exception {
        assertBadRequest(post("/v1/oauth/token", "[1,2]"), "must be a JSON object");
    }

    @Test
    void missingAssertionIsABadRequest() throws Exception {
        ObjectNode body = request(token().sign());
        body.remove("assertion");
        assertBadRequest(exchange(body), "assertion: Field required");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"grant_type, client_credentials", "federation_rule_id, rule-123", "organization_id, org_123",
            "workspace_id, ws_123", "service_account_id, sa_123"})
    void aMalformedFieldIsABadRequestNamingIt(String field, String value) throws Exception {
        ObjectNode body = request(token().sign()).put(field, value);
        assertBadRequest(exchange(body), field);
    }

    @Test
    void assertionOver16KiBIsABadRequest() throws Exception {
        assertBadRequest(exchange("a".repeat(16 * 1024 + 1)), "16 KiB");
    }

    @Test
    void assertionOfExactly16KiBReachesValidation() throws Exception {
        assertDenied(exchange("a".repeat(16 * 1024)), "malformed_token");
    }

    // ---- opaque 401 with no history -------------------------------------------------------------

    @Test
    void unknownRuleIsAnOpaque401WithoutHistory() throws Exception {
        Reply reply = exchange(request("fdrl_doesNotExist01", token().sign()));

        assertError(reply, 401, "authentication_error", "Authentication failed");
        assertTrue(anthropic.history().isEmpty());
        assertThrows(IllegalStateException.class, anthropic::lastDecision);
    }

    @Test
    void otherOrganizationIsAnOpaque401WithoutHistory() throws Exception {
        ObjectNode body = request(token().sign()).put("organization_id", UUID.randomUUID().toString());
        Reply reply = exchange(body);

        assertError(reply, 401, "authentication_error", "Authentication failed");
        assertTrue(anthropic.history().isEmpty());
    }

    @Test
    void organizationIdIsComparedCaseInsensitively() throws Exception {
        ObjectNode body = request(token().sign()).put("organization_id", anthropic.organizationId().toUpperCase());
        assertAccepted(exchange(body));
    }

    // ---- denial reasons -------------------------------------------------------------------------

    @Test
    void deniesAnotherIssuer() throws Exception {
        Reply reply = exchange(token().issuer(idp.issuerUrl() + "/").sign());

        assertDenied(reply, "issuer_mismatch");
        assertEquals(idp.issuerUrl() + "/", anthropic.lastDecision().issuer());
    }

    @Test
    void deniesAKidMissingFromTheJwks() throws Exception {
        assertDenied(exchange(token().keyId("no-such-key").sign()), "unknown_kid");
    }

    @Test
    void deniesATokenWithoutKid() throws Exception {
        assertDenied(exchange(token().withoutKeyId().sign()), "missing_kid");
    }

    @Test
    void deniesABadSignature() throws Exception {
        assertDenied(exchange(token().signedWithUnpublishedKey().sign()), "signature_invalid");
    }

    @Test
    void deniesATamperedPayload() throws Exception {
        String[] parts = token().sign().split("\\.");
        String other = token().subject("system:serviceaccount:prod:admin").sign().split("\\.")[1];
        assertDenied(exchange(parts[0] + "." + other + "." + parts[2]), "signature_invalid");
    }

    @Test
    void deniesHs256() throws Exception {
        Reply reply = exchange(token().signedWithHmac("a-shared-secret-of-at-least-32-bytes!").sign());

        assertDenied(reply, "unsupported_algorithm");
        assertEquals(SUBJECT, anthropic.lastDecision().subject());
    }

    @Test
    void deniesAlgNone() throws Exception {
        assertDenied(exchange(token().unsigned().sign()), "unsupported_algorithm");
    }

    @Test
    void deniesGarbage() throws Exception {
        Reply reply = exchange("not.a.jwt");

        assertDenied(reply, "malformed_token");
        assertNull(anthropic.lastDecision().issuer());
    }

    @Test
    void deniesATokenExpiredBeyondTheSkew() throws Exception {
        Instant now = clock.instant();
        String jwt = token().issuedAt(now.minus(Duration.ofMinutes(10))).expiresAt(now.minusSeconds(31)).sign();
        assertDenied(exchange(jwt), "token_expired");
    }

    @Test
    void acceptsATokenExpiredWithinTheSkew() throws Exception {
        Instant now = clock.instant();
        String jwt = token().issuedAt(now.minus(Duration.ofMinutes(10))).expiresAt(now.minusSeconds(10)).sign();
        Reply reply = exchange(jwt);

        assertAccepted(reply);
        assertEquals(60, reply.json().get("expires_in").asLong());
    }

    @Test
    void deniesATokenNotYetValid() throws Exception {
        assertDenied(exchange(token().notBefore(clock.instant().plusSeconds(60)).sign()), "token_not_yet_valid");
    }

    @Test
    void acceptsANotBeforeWithinTheSkew() throws Exception {
        assertAccepted(exchange(token().notBefore(clock.instant().plusSeconds(20)).sign()));
    }

    @Test
    void deniesAnIssueTimeInTheFuture() throws Exception {
        Instant now = clock.instant();
        String jwt = token().issuedAt(now.plusSeconds(120)).notBefore(now).sign();
        assertDenied(exchange(jwt), "iat_in_future");
    }

    @Test
    void deniesATokenWithoutSubject() throws Exception {
        Reply reply = exchange(token().without("sub").sign());

        assertDenied(reply, "missing_sub");
        assertNull(anthropic.lastDecision().subject());
    }

    @Test
    void deniesATokenWithoutIssueTime() throws Exception {
        assertDenied(exchange(token().without("iat").sign()), "missing_iat");
    }

    @Test
    void deniesATokenWithoutExpiry() throws Exception {
        assertDenied(exchange(token().without("exp").sign()), "missing_exp");
    }

    @Test
    void deniesALifetimeOverTheIssuersMaximum() throws Exception {
        String strict = anthropic.addIssuer(FederationIssuer.of(idp).maxJwtLifetime(Duration.ofMinutes(10)));
        String strictRule = anthropic.addRule(FederationRule.forIssuer(strict).subjectPrefix(PREFIX));

        assertDenied(exchange(request(strictRule, token().lifetime(Duration.ofMinutes(11)).sign())),
                "lifetime_exceeds_maximum");
        assertAccepted(exchange(request(strictRule, token().lifetime(Duration.ofMinutes(10)).sign())));
    }

    @Test
    void deniesALifetimeOverTheDefaultHour() throws Exception {
        assertDenied(exchange(token().lifetime(Duration.ofHours(1).plusSeconds(1)).sign()),
                "lifetime_exceeds_maximum");
    }

    @Test
    void exactSubjectPrefixMatchesOnlyThatSubject() throws Exception {
        String exact = anthropic.addRule(rule().subjectPrefix(SUBJECT));

        assertAccepted(exchange(request(exact, token().sign())));
        assertDenied(exchange(request(exact, token().subject(SUBJECT + "-2").sign())), "match_subject_prefix");
    }

    @Test
    void trailingStarSubjectPrefixMatchesAPrefix() throws Exception {
        assertAccepted(exchange(token().subject("system:serviceaccount:prod:anything").sign()));
        assertDenied(exchange(token().subject("system:serviceaccount:dev:billing").sign()), "match_subject_prefix");
    }

    @Test
    void subjectPrefixIsCaseSensitive() throws Exception {
        assertDenied(exchange(token().subject("SYSTEM:serviceaccount:prod:billing").sign()), "match_subject_prefix");
    }

    @Test
    void deniesAnotherAudience() throws Exception {
        assertDenied(exchange(token().audience("https://example.invalid").sign()), "match_audience");
    }

    @Test
    void acceptsAnAudienceArrayContainingTheAudience() throws Exception {
        assertAccepted(exchange(token().audience("https://example.invalid", OidcIssuer.DEFAULT_AUDIENCE).sign()));
    }

    @Test
    void deniesAnAudienceArrayWithoutTheAudience() throws Exception {
        assertDenied(exchange(token().audience("https://a.invalid", "https://b.invalid").sign()), "match_audience");
    }

    @Test
    void claimsMustMatchExactly() throws Exception {
        String claimsRule = anthropic.addRule(rule().claim("repository", "acme/app"));

        assertAccepted(exchange(request(claimsRule, token().claim("repository", "acme/app").sign())));
        assertDenied(exchange(request(claimsRule, token().claim("repository", "acme/other").sign())),
                "match_claims");
        assertDenied(exchange(request(claimsRule, token().sign())), "match_claims");
    }

    @Test
    void claimsMatchStringsOnly() throws Exception {
        String claimsRule = anthropic.addRule(rule().claim("run_attempt", "1"));
        assertDenied(exchange(request(claimsRule, token().claim("run_attempt", 1).sign())), "match_claims");
    }

    @Test
    void deniesAnotherServiceAccount() throws Exception {
        ObjectNode body = request(token().sign()).put("service_account_id", "svac_other");
        assertDenied(exchange(body), "service_account_mismatch");
    }

    @Test
    void acceptsTheRulesServiceAccount() throws Exception {
        ObjectNode body = request(token().sign()).put("service_account_id", FederationRule.DEFAULT_SERVICE_ACCOUNT);
        assertAccepted(exchange(body));
    }

    @Test
    void ruleOverSeveralWorkspacesNeedsAWorkspaceId() throws Exception {
        String multi = anthropic.addRule(rule().subjectPrefix(PREFIX).workspaces("wrkspc_a", "wrkspc_b"));
        assertDenied(exchange(request(multi, token().sign())), "workspace_id_required");
    }

    @Test
    void ruleOverAllWorkspacesNeedsAWorkspaceId() throws Exception {
        String all = anthropic.addRule(rule().subjectPrefix(PREFIX).allWorkspaces());

        assertDenied(exchange(request(all, token().sign())), "workspace_id_required");
        Reply reply = exchange(request(all, token().sign()).put("workspace_id", "wrkspc_any"));
        assertAccepted(reply);
        assertEquals("wrkspc_any", reply.text("workspace_id"));
    }

    @Test
    void deniesAWorkspaceOutsideTheRule() throws Exception {
        String multi = anthropic.addRule(rule().subjectPrefix(PREFIX).workspaces("wrkspc_a", "wrkspc_b"));

        assertDenied(exchange(request(multi, token().sign()).put("workspace_id", "wrkspc_c")), "workspace_not_in_rule");
        Reply reply = exchange(request(multi, token().sign()).put("workspace_id", "wrkspc_b"));
        assertAccepted(reply);
        assertEquals("wrkspc_b", reply.text("workspace_id"));
    }

    @Test
    void deniesAReplayedJti() throws Exception {
        String jwt = token().sign();

        assertAccepted(exchange(jwt));
        assertDenied(exchange(jwt), "jti_reused");
        assertEquals(1, anthropic.tokensIssued());
        assertEquals(2, anthropic.history().size());
    }

    @Test
    void deniedExchangeDoesNotSpendTheJti() throws Exception {
        String jwt = token().sign();

        assertDenied(exchange(request(token().sign()).put("service_account_id", "svac_other")),
                "service_account_mismatch");
        assertAccepted(exchange(jwt));
    }

    @Test
    void acceptsAReplayWhenTheIssuerDoesNotCheckJti() throws Exception {
        String lax = anthropic.addIssuer(FederationIssuer.of(idp).checkJti(false));
        String laxRule = anthropic.addRule(FederationRule.forIssuer(lax).subjectPrefix(PREFIX));
        String jwt = token().sign();

        assertAccepted(exchange(request(laxRule, jwt)));
        assertAccepted(exchange(request(laxRule, jwt)));
        assertEquals(2, anthropic.tokensIssued());
    }

    @Test
    void tokensWithoutJtiAreNeverReplays() throws Exception {
        String jwt = token().without("jti").sign();

        assertAccepted(exchange(jwt));
        assertAccepted(exchange(jwt));
        assertNull(anthropic.lastDecision().jwtId());
    }

    // ---- JWKS sources, rotation -----------------------------------------------------------------

    @Test
    void acceptsAnInlineJwksIssuer() throws Exception {
        String inline = anthropic.addIssuer(FederationIssuer.inline(idp.issuerUrl(), idp.publicKeysJson()));
        String inlineRule = anthropic.addRule(FederationRule.forIssuer(inline).subjectPrefix(PREFIX));

        assertAccepted(exchange(request(inlineRule, token().sign())));
        assertDenied(exchange(request(inlineRule, token().keyId("no-such-key").sign())), "unknown_kid");
    }

    @Test
    void acceptsAnInlineJwksDocument() throws Exception {
        String inline = anthropic.addIssuer(FederationIssuer.inline(idp.issuerUrl(), idp.jwksJson()));
        String inlineRule = anthropic.addRule(FederationRule.forIssuer(inline).subjectPrefix(PREFIX));
        assertAccepted(exchange(request(inlineRule, token().sign())));
    }

    @Test
    void refusesInlineKeysThatAreNotJwks() {
        assertThrows(IllegalArgumentException.class,
                () -> anthropic.addIssuer(FederationIssuer.inline(idp.issuerUrl(), "[{\"kty\":\"RSA\",\"kid\":\"k\"}]")));
    }

    @Test
    void acceptsAnExplicitJwksUrl() throws Exception {
        String explicit = anthropic.addIssuer(FederationIssuer.explicitUrl(idp.issuerUrl(), idp.jwksUri()));
        String explicitRule = anthropic.addRule(FederationRule.forIssuer(explicit).subjectPrefix(PREFIX));
        assertAccepted(exchange(request(explicitRule, token().sign())));
    }

    @Test
    void acceptsADiscoveryBaseOtherThanTheIssuerUrl() throws Exception {
        String other = anthropic.addIssuer(FederationIssuer.discovery("https://issuer.example.invalid",
                idp.issuerUrl()));
        String otherRule = anthropic.addRule(FederationRule.forIssuer(other).subjectPrefix(PREFIX));
        assertAccepted(exchange(request(otherRule, token().issuer("https://issuer.example.invalid").sign())));
    }

    @Test
    void deniesWhenTheJwksCannotBeFetched() throws Exception {
        String broken = anthropic.addIssuer(FederationIssuer.explicitUrl(idp.issuerUrl(), idp.issuerUrl() + "/nowhere"));
        String brokenRule = anthropic.addRule(FederationRule.forIssuer(broken).subjectPrefix(PREFIX));
        assertDenied(exchange(request(brokenRule, token().sign())), "jwks_unavailable");
    }

    @Test
    void refusesKeyUrlsOffLoopback() {
        assertThrows(IllegalArgumentException.class,
                () -> anthropic.addIssuer(FederationIssuer.discovery("https://issuer.example.com")));
        assertThrows(IllegalArgumentException.class, () -> anthropic.addIssuer(
                FederationIssuer.explicitUrl(idp.issuerUrl(), "https://10.0.0.1/jwks")));
    }

    @Test
    void acceptsAnEcIssuer() throws Exception {
        try (OidcIssuer ec = OidcIssuer.builder().algorithm("ES256").clock(clock).start()) {
            String ecIssuer = anthropic.addIssuer(FederationIssuer.of(ec));
            String ecRule = anthropic.addRule(FederationRule.forIssuer(ecIssuer).subjectPrefix("workload"));

            assertAccepted(exchange(request(ecRule, ec.mint().sign())));
        }
    }

    @Test
    void rotatedKeyIsUnknownUntilTheJwksCacheExpires() throws Exception {
        try (OidcIssuer rotating = OidcIssuer.builder().clock(clock).start()) {
            String rotatingRule = trustExactly(anthropic, rotating);
            assertAccepted(exchange(request(rotatingRule, rotating.mint().sign())));
            int fetches = rotating.jwksRequests();

            String newKid = rotating.rotateKey();
            String jwt = rotating.mint().sign();
            assertDenied(exchange(request(rotatingRule, jwt)), "unknown_kid");
            assertEquals(fetches, rotating.jwksRequests(), "the cached JWKS was used");

            clock.advance(Duration.ofSeconds(30));
            assertDenied(exchange(request(rotatingRule, jwt)), "unknown_kid");

            clock.advance(Duration.ofSeconds(31));
            assertAccepted(exchange(request(rotatingRule, jwt)));
            assertEquals(fetches + 1, rotating.jwksRequests());
            assertEquals(newKid, rotating.keyId());
        }
    }

    @Test
    void rotatedKeyIsAcceptedAtOnceWithoutJwksCache() throws Exception {
        try (OidcIssuer rotating = OidcIssuer.builder().clock(clock).start();
                AnthropicEmulator uncached = AnthropicEmulator.builder().clock(clock).jwksCacheTtl(Duration.ZERO)
                        .start()) {
            String rotatingRule = trustExactly(uncached, rotating);
            assertEquals(200, exchange(uncached, request(uncached, rotatingRule, rotating.mint().sign())).status());

            rotating.rotateKey();
            Reply reply = exchange(uncached, request(uncached, rotatingRule, rotating.mint().sign()));
            assertEquals(200, reply.status());
            assertEquals("ok", uncached.lastDecision().reason());
        }
    }

    @Test
    void oldKeyStillVerifiesAfterRotationUntilUnpublished() throws Exception {
        try (OidcIssuer rotating = OidcIssuer.builder().clock(clock).start();
                AnthropicEmulator uncached = AnthropicEmulator.builder().clock(clock).jwksCacheTtl(Duration.ZERO)
                        .start()) {
            String rotatingRule = trustExactly(uncached, rotating);
            String oldKid = rotating.keyId();
            String oldToken = rotating.mint().sign();
            String olderToken = rotating.mint().sign();
            rotating.rotateKey();

            assertEquals(200, exchange(uncached, request(uncached, rotatingRule, oldToken)).status());
            rotating.unpublish(oldKid);
            assertEquals(401, exchange(uncached, request(uncached, rotatingRule, olderToken)).status());
            assertEquals("unknown_kid", uncached.lastDecision().reason());
        }
    }

    // ---- rule validation ------------------------------------------------------------------------

    @Test
    void refusesARuleWithOnlyAnAudience() {
        assertThrows(IllegalArgumentException.class,
                () -> anthropic.addRule(rule().audience(OidcIssuer.DEFAULT_AUDIENCE)));
    }

    @Test
    void refusesARuleWithABareWildcardSubject() {
        assertThrows(IllegalArgumentException.class, () -> anthropic.addRule(rule().subjectPrefix("*")));
        assertThrows(IllegalArgumentException.class,
                () -> anthropic.addRule(rule().subjectPrefix("*").audience(OidcIssuer.DEFAULT_AUDIENCE)));
    }

    @Test
    void refusesARuleForAnUnknownIssuer() {
        assertThrows(IllegalArgumentException.class,
                () -> anthropic.addRule(FederationRule.forIssuer("fdis_unknown").subjectPrefix(SUBJECT)));
    }

    @Test
    void idsCarryTheirTags() {
        assertTrue(issuerId.startsWith("fdis_"), issuerId);
        assertTrue(ruleId.matches("fdrl_[A-Za-z0-9]+"), ruleId);
        assertTrue(anthropic.trust(idp, PREFIX).startsWith("fdrl_"));
    }

    @Test
    void tokenFileEnvironmentIsAWorkloadTheRuleAccepts(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("var/run/token");
        Map<String, String> env = anthropic.tokenFileEnvironment(idp, SUBJECT, file);

        assertEquals(List.of("ANTHROPIC_BASE_URL", "ANTHROPIC_ORGANIZATION_ID", "ANTHROPIC_FEDERATION_RULE_ID",
                "ANTHROPIC_IDENTITY_TOKEN_FILE"), List.copyOf(env.keySet()));
        assertEquals(anthropic.baseUrl(), env.get("ANTHROPIC_BASE_URL"));
        assertEquals(file.toString(), env.get("ANTHROPIC_IDENTITY_TOKEN_FILE"));
        Reply reply = exchange(request(env.get("ANTHROPIC_FEDERATION_RULE_ID"), Files.readString(file)));
        assertAccepted(reply);
        assertEquals(SUBJECT, anthropic.lastDecision().subject());
    }

    // ---- faults and counters --------------------------------------------------------------------

    @Test
    void cannedFaultIsServedOnceThenNormalAnswers() throws Exception {
        String overloaded = "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}";
        anthropic.enqueue(Fault.status(503, overloaded).withHeader("Retry-After", "2"));

        Reply faulted = exchange(token().sign());
        assertError(faulted, 503, "overloaded_error", "Overloaded");
        assertEquals("2", faulted.headers().firstValue("Retry-After").orElseThrow());
        assertNotNull(faulted.requestId());
        assertTrue(anthropic.history().isEmpty());

        assertAccepted(exchange(token().sign()));
        assertEquals(2, anthropic.exchangeRequests());
        assertEquals(1, anthropic.tokensIssued());
        assertEquals(2, anthropic.tokenRequests().size());
    }

    @Test
    void disconnectFaultFailsTheClient() throws Exception {
        anthropic.enqueue(Fault.disconnect());
        String body = request(token().sign()).toString();

        assertThrows(IOException.class, () -> client().send(postRequest(anthropic, "/v1/oauth/token", body),
                HttpResponse.BodyHandlers.ofString()));
        assertEquals(1, anthropic.exchangeRequests());
        assertEquals(0, anthropic.tokensIssued());

        assertAccepted(exchange(token().sign()));
        assertEquals(2, anthropic.exchangeRequests());
    }

    @Test
    void faultsAreUsedInOrder() throws Exception {
        anthropic.enqueue(Fault.status(500, "{}"));
        anthropic.enqueue(Fault.response(502, "text/html", "<html>bad gateway</html>"));

        assertEquals(500, exchange(token().sign()).status());
        Reply html = post("/v1/oauth/token", request(token().sign()).toString());
        assertEquals(502, html.status());
        assertEquals("<html>bad gateway</html>", html.body());
        assertEquals("text/html", html.headers().firstValue("Content-Type").orElseThrow());
        assertAccepted(exchange(token().sign()));
    }

    @Test
    void delayFaultAnswersNormallyAfterThePause() throws Exception {
        anthropic.enqueue(Fault.delay(Duration.ofMillis(150)));

        long start = System.nanoTime();
        Reply reply = exchange(token().sign());
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(150).toNanos());
        assertAccepted(reply);
    }

    @Test
    void trickleFaultSendsTheWholeBody() throws Exception {
        String body = "{\"access_token\":\"sk-ant-oat01-x\"}";
        anthropic.enqueue(Fault.trickle(body, Duration.ofMillis(1)));

        Reply reply = exchange(token().sign());
        assertEquals(200, reply.status());
        assertEquals(body, reply.body());
        assertEquals(0, anthropic.tokensIssued());
    }

    @Test
    void countersCountEveryRequest() throws Exception {
        exchange(token().sign());
        exchange(token().subject("someone:else").sign());
        post("/v1/oauth/token", "not json at all");
        messages(liveToken(), true, HELLO);

        assertEquals(4, anthropic.exchangeRequests());
        assertEquals(2, anthropic.tokensIssued());
        assertEquals(1, anthropic.messagesRequests());
        assertEquals(3, anthropic.history().size());
    }

    @Test
    void tokenEndpointWantsPost() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(anthropic.baseUrl()
                + "/v1/oauth/token")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, response.statusCode());
    }

    // ---- /v1/messages ---------------------------------------------------------------------------

    @Test
    void messagesAnswersALiveToken() throws Exception {
        Reply reply = messages(liveToken(), true, HELLO);

        assertEquals(200, reply.status());
        assertEquals("message", reply.text("type"));
        assertEquals("assistant", reply.text("role"));
        assertEquals("claude-test", reply.text("model"));
        JsonNode block = reply.json().path("content").get(0);
        assertEquals("text", block.path("type").asText());
        assertFalse(block.path("text").asText().isEmpty());
        assertNotNull(reply.requestId());
    }

    @Test
    void messagesAcceptsTheBetaAmongOthers() throws Exception {
        Reply reply = post("/v1/messages", HELLO, "Authorization", "Bearer " + liveToken(),
                "anthropic-beta", "files-api-2025-04-14, " + AnthropicEmulator.OAUTH_BETA);
        assertEquals(200, reply.status());
    }

    @Test
    void messagesNeedTheOauthBeta() throws Exception {
        assertError(messages(liveToken(), false, HELLO), 401, "authentication_error",
                "OAuth authentication is currently not supported.");
    }

    @Test
    void messagesNeedAnAuthorizationHeader() throws Exception {
        Reply reply = post("/v1/messages", HELLO, "anthropic-beta", AnthropicEmulator.OAUTH_BETA);
        assertEquals(401, reply.status());
        assertEquals("authentication_error", reply.json().path("error").path("type").asText());
    }

    @Test
    void messagesRefuseAnUnknownToken() throws Exception {
        assertError(messages("sk-ant-oat01-unknown", true, HELLO), 401, "authentication_error", "Invalid bearer token");
    }

    @Test
    void messagesRefuseAnExpiredToken() throws Exception {
        Reply exchanged = exchange(token().sign());
        String token = exchanged.text("access_token");
        long expiresIn = exchanged.json().get("expires_in").asLong();

        clock.advance(Duration.ofSeconds(expiresIn - 1));
        assertEquals(200, messages(token, true, HELLO).status());
        clock.advance(Duration.ofSeconds(1));
        assertError(messages(token, true, HELLO), 401, "authentication_error", "Invalid bearer token");
    }

    @Test
    void messagesRefuseARevokedToken() throws Exception {
        String token = liveToken();
        assertEquals(200, messages(token, true, HELLO).status());

        assertTrue(anthropic.revoke(token));
        assertFalse(anthropic.revoke(token));
        assertError(messages(token, true, HELLO), 401, "authentication_error", "Invalid bearer token");
    }

    @Test
    void messagesRefuseEveryTokenAfterRevokeAll() throws Exception {
        String token = liveToken();
        anthropic.revokeAll();
        assertEquals(401, messages(token, true, HELLO).status());
    }

    @Test
    void messagesForbidAnAdminScope() throws Exception {
        String admin = anthropic.addRule(rule().subjectPrefix(PREFIX).scope("org:admin"));
        Reply exchanged = exchange(request(admin, token().sign()));
        assertAccepted(exchanged);
        assertEquals("org:admin", exchanged.text("scope"));

        Reply reply = messages(exchanged.text("access_token"), true, HELLO);
        assertEquals(403, reply.status());
        assertEquals("permission_error", reply.json().path("error").path("type").asText());
    }

    @Test
    void messagesAllowTheInferenceScope() throws Exception {
        String inference = anthropic.addRule(rule().subjectPrefix(PREFIX).scope("workspace:inference"));
        Reply exchanged = exchange(request(inference, token().sign()));
        assertEquals(200, messages(exchanged.text("access_token"), true, HELLO).status());
    }

    @Test
    void messagesNeedAModel() throws Exception {
        Reply reply = messages(liveToken(), true, "{\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertError(reply, 400, "invalid_request_error", "model and messages: Field required");
    }

    @Test
    void messagesNeedJson() throws Exception {
        assertError(messages(liveToken(), true, "{"), 400, "invalid_request_error", "The request body is not valid JSON.");
    }

    @Test
    void messagesStreamServerSentEvents() throws Exception {
        String streaming = HELLO.replace("{\"model\"", "{\"stream\":true,\"model\"");
        HttpResponse<String> response = http.send(messagesRequest(liveToken(), true, streaming),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElseThrow());
        List<String> events = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (String line : response.body().split("\n")) {
            if (line.startsWith("event: ")) {
                events.add(line.substring("event: ".length()));
            } else if (line.startsWith("data: ")) {
                JsonNode data = JSON.readTree(line.substring("data: ".length()));
                assertEquals(events.get(events.size() - 1), data.path("type").asText());
                text.append(data.path("delta").path("text").asText(""));
            }
        }
        assertEquals("message_start", events.get(0));
        assertEquals("content_block_start", events.get(1));
        assertTrue(events.contains("content_block_delta"));
        assertEquals("content_block_stop", events.get(events.size() - 3));
        assertEquals("message_delta", events.get(events.size() - 2));
        assertEquals("message_stop", events.get(events.size() - 1));
        assertFalse(text.toString().isEmpty());
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static HttpClient client() {
        return HttpClient.newBuilder()
                .proxy(HttpClient.Builder.NO_PROXY)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** A token the default rule accepts: subject {@value #SUBJECT}, default audience, one hour. */
    private static OidcIssuer.TokenBuilder token() {
        return idp.mint().subject(SUBJECT);
    }

    private FederationRule rule() {
        return FederationRule.forIssuer(issuerId);
    }

    /** Registers an issuer by discovery and a rule on its default subject, {@code workload}. */
    private static String trustExactly(AnthropicEmulator emulator, OidcIssuer issuer) {
        String id = emulator.addIssuer(FederationIssuer.of(issuer));
        return emulator.addRule(FederationRule.forIssuer(id).subjectPrefix("workload"));
    }

    private ObjectNode request(String assertion) {
        return request(ruleId, assertion);
    }

    private ObjectNode request(String rule, String assertion) {
        return request(anthropic, rule, assertion);
    }

    private static ObjectNode request(AnthropicEmulator emulator, String rule, String assertion) {
        return JSON.createObjectNode()
                .put("grant_type", AnthropicEmulator.JWT_BEARER)
                .put("assertion", assertion)
                .put("federation_rule_id", rule)
                .put("organization_id", emulator.organizationId());
    }

    private Reply exchange(String assertion) throws Exception {
        return exchange(request(assertion));
    }

    private Reply exchange(ObjectNode body) throws Exception {
        return exchange(anthropic, body);
    }

    private static Reply exchange(AnthropicEmulator emulator, ObjectNode body) throws Exception {
        return send(postRequest(emulator, "/v1/oauth/token", body.toString()));
    }

    private String liveToken() throws Exception {
        Reply reply = exchange(token().sign());
        assertEquals(200, reply.status(), reply.body());
        return reply.text("access_token");
    }

    private Reply messages(String accessToken, boolean beta, String body) throws Exception {
        return send(messagesRequest(accessToken, beta, body));
    }

    private HttpRequest messagesRequest(String accessToken, boolean beta, String body) {
        return beta
                ? postRequest(anthropic, "/v1/messages", body, "Authorization", "Bearer " + accessToken,
                        "anthropic-beta", AnthropicEmulator.OAUTH_BETA, "anthropic-version", "2023-06-01")
                : postRequest(anthropic, "/v1/messages", body, "Authorization", "Bearer " + accessToken,
                        "anthropic-version", "2023-06-01");
    }

    private Reply post(String path, String body, String... headers) throws Exception {
        return send(postRequest(anthropic, path, body, headers));
    }

    private static HttpRequest postRequest(AnthropicEmulator emulator, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request.build();
    }

    private static Reply send(HttpRequest request) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (IOException e) {
            json = JSON.missingNode();
        }
        return new Reply(response.statusCode(), response.headers(), response.body(),
                json == null ? JSON.missingNode() : json);
    }

    private void assertAccepted(Reply reply) {
        assertEquals(200, reply.status(), reply.body());
        assertTrue(reply.text("access_token").startsWith("sk-ant-oat01-"), reply.body());
        assertEquals("Bearer", reply.text("token_type"));
        assertTrue(reply.json().get("expires_in").isIntegralNumber());
        assertTrue(reply.json().get("expires_in").asLong() >= 60);
        assertFalse(reply.text("scope").isEmpty());
        assertNotNull(reply.requestId());
        Decision decision = anthropic.lastDecision();
        assertTrue(decision.accepted(), decision::toString);
        assertEquals("ok", decision.reason());
        assertEquals(reply.requestId(), decision.requestId());
    }

    private void assertDenied(Reply reply, String reason) {
        assertError(reply, 401, "authentication_error", "Authentication failed");
        Decision decision = anthropic.lastDecision();
        assertFalse(decision.accepted());
        assertEquals(reason, decision.reason());
        assertEquals(reply.requestId(), decision.requestId());
    }

    private void assertBadRequest(Reply reply, String messagePart) {
        assertEquals(400, reply.status(), reply.body());
        assertEquals("error", reply.text("type"));
        assertEquals("invalid_request_error", reply.json().path("error").path("type").asText());
        String message = reply.json().path("error").path("message").asText();
        assertTrue(message.contains(messagePart), message);
        assertTrue(anthropic.history().isEmpty(), "a 400 leaves no history entry");
        assertEquals(0, anthropic.tokensIssued());
    }

    private static void assertError(Reply reply, int status, String type, String message) {
        assertEquals(status, reply.status(), reply.body());
        assertEquals("error", reply.text("type"), reply.body());
        assertEquals(type, reply.json().path("error").path("type").asText(), reply.body());
        assertEquals(message, reply.json().path("error").path("message").asText(), reply.body());
        assertNotNull(reply.requestId());
    }
}
