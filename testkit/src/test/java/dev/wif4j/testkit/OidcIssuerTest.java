package dev.wif4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Checks {@link OidcIssuer}'s discovery document, JWKS and minted tokens, verifying signatures with nimbus. */
class OidcIssuerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    private static ManualClock clock;
    private static OidcIssuer issuer;
    private static HttpClient http;

    @BeforeAll
    static void startIssuer() {
        clock = new ManualClock(Instant.parse("2026-01-02T03:04:05Z"));
        issuer = OidcIssuer.builder().clock(clock).start();
        http = HttpClient.newBuilder()
                .proxy(HttpClient.Builder.NO_PROXY)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    // ---- discovery and JWKS ---------------------------------------------------------------------

    @Test
    void issuerUrlIsOnLoopback() {
        assertTrue(issuer.issuerUrl().matches("http://127\\.0\\.0\\.1:\\d+"), issuer.issuerUrl());
        assertEquals(issuer.issuerUrl() + "/jwks", issuer.jwksUri());
        assertEquals("RS256", issuer.algorithm());
    }

    @Test
    void servesTheDiscoveryDocument() throws Exception {
        int before = issuer.discoveryRequests();
        HttpResponse<String> response = get(issuer.issuerUrl() + "/.well-known/openid-configuration");

        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
        JsonNode doc = JSON.readTree(response.body());
        assertEquals(issuer.issuerUrl(), doc.path("issuer").asText());
        assertEquals(issuer.jwksUri(), doc.path("jwks_uri").asText());
        assertEquals("RS256", doc.path("id_token_signing_alg_values_supported").get(0).asText());
        assertEquals(before + 1, issuer.discoveryRequests());
    }

    @Test
    void servesPublicKeysOnly() throws Exception {
        int before = issuer.jwksRequests();
        HttpResponse<String> response = get(issuer.jwksUri());

        assertEquals(200, response.statusCode());
        assertEquals(before + 1, issuer.jwksRequests());
        JsonNode keys = JSON.readTree(response.body()).path("keys");
        assertTrue(keys.isArray() && keys.size() >= 1, response.body());
        for (JsonNode key : keys) {
            assertNoPrivateMembers(key);
        }
        JWKSet set = JWKSet.parse(response.body());
        JWK key = set.getKeyByKeyId(issuer.keyId());
        assertInstanceOf(RSAKey.class, key);
        assertFalse(key.isPrivate());
        assertEquals(KeyUse.SIGNATURE, key.getKeyUse());
        assertEquals(JWSAlgorithm.RS256, key.getAlgorithm());
        assertEquals(2048, key.size());
        assertEquals(response.body(), issuer.jwksJson());
    }

    @Test
    void publicKeysJsonIsTheBareArray() throws Exception {
        JsonNode keys = JSON.readTree(issuer.publicKeysJson());
        assertTrue(keys.isArray());
        assertEquals(JSON.readTree(issuer.jwksJson()).path("keys"), keys);
    }

    @Test
    void servesBelowAPath() throws Exception {
        try (OidcIssuer nested = OidcIssuer.builder().algorithm("ES256").path("/application/o/claude/").start()) {
            assertTrue(nested.issuerUrl().endsWith("/application/o/claude/"), nested.issuerUrl());
            JsonNode doc = JSON.readTree(get(nested.issuerUrl() + ".well-known/openid-configuration").body());
            assertEquals(nested.issuerUrl(), doc.path("issuer").asText());
            assertTrue(doc.path("jwks_uri").asText().endsWith("/application/o/claude/jwks"));
            HttpResponse<String> jwks = get(doc.path("jwks_uri").asText());
            assertEquals(200, jwks.statusCode());
            assertNotNull(JWKSet.parse(jwks.body()).getKeyByKeyId(nested.keyId()));
            assertEquals(nested.issuerUrl(), SignedJWT.parse(nested.mint().sign()).getJWTClaimsSet().getIssuer());
        }
    }

    @Test
    void refusesAPathWithoutLeadingSlash() {
        assertThrows(IllegalArgumentException.class, () -> OidcIssuer.builder().path("id/ABC"));
    }

    // ---- minted tokens --------------------------------------------------------------------------

    @Test
    void mintsDefaultClaims() throws Exception {
        SignedJWT jwt = verified(issuer.mint().sign());
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        Instant now = clock.instant();

        assertEquals(issuer.issuerUrl(), claims.getIssuer());
        assertEquals("workload", claims.getSubject());
        assertEquals(List.of(OidcIssuer.DEFAULT_AUDIENCE), claims.getAudience());
        assertEquals(Date.from(now), claims.getIssueTime());
        assertEquals(Date.from(now), claims.getNotBeforeTime());
        assertEquals(Date.from(now.plus(Duration.ofHours(1))), claims.getExpirationTime());
        assertTrue(claims.getJWTID().matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
                claims.getJWTID());
        assertEquals(new TreeSet<>(Set.of("iss", "sub", "aud", "iat", "nbf", "exp", "jti")),
                new TreeSet<>(claims.getClaims().keySet()));
        assertTrue(payload(jwt.serialize()).path("aud").isTextual(), "a single audience is a string");
    }

    @Test
    void everyTokenHasItsOwnJti() throws Exception {
        assertNotEquals(SignedJWT.parse(issuer.mint().sign()).getJWTClaimsSet().getJWTID(),
                SignedJWT.parse(issuer.mint().sign()).getJWTClaimsSet().getJWTID());
    }

    @Test
    void headerCarriesKidTypAndAlg() throws Exception {
        SignedJWT jwt = SignedJWT.parse(issuer.mint().sign());

        assertEquals(issuer.keyId(), jwt.getHeader().getKeyID());
        assertEquals(JOSEObjectType.JWT, jwt.getHeader().getType());
        assertEquals(JWSAlgorithm.RS256, jwt.getHeader().getAlgorithm());
    }

    @Test
    void mintsCustomClaims() throws Exception {
        Map<String, Object> google = Map.of("compute_engine", Map.of("project_id", "my-project", "zone", "eu"));
        String token = issuer.mint()
                .subject("repo:acme/app:ref:refs/heads/main")
                .issuer("https://token.actions.githubusercontent.com")
                .jwtId("jti-1")
                .claim("repository", "acme/app")
                .claim("run_attempt", 2)
                .claim("ref_protected", true)
                .claim("groups", List.of("a", "b"))
                .claim("google", google)
                .sign();
        JWTClaimsSet claims = verified(token).getJWTClaimsSet();

        assertEquals("repo:acme/app:ref:refs/heads/main", claims.getSubject());
        assertEquals("https://token.actions.githubusercontent.com", claims.getIssuer());
        assertEquals("jti-1", claims.getJWTID());
        assertEquals("acme/app", claims.getStringClaim("repository"));
        assertEquals(2L, claims.getLongClaim("run_attempt"));
        assertEquals(Boolean.TRUE, claims.getBooleanClaim("ref_protected"));
        assertEquals(List.of("a", "b"), claims.getStringListClaim("groups"));
        JsonNode payload = payload(token);
        assertEquals("my-project", payload.path("google").path("compute_engine").path("project_id").asText());
        assertEquals("eu", payload.path("google").path("compute_engine").path("zone").asText());
    }

    @Test
    void mintsAnAudienceArray() throws Exception {
        String token = issuer.mint().audience("https://a.example", "https://b.example").sign();

        assertEquals(List.of("https://a.example", "https://b.example"), verified(token).getJWTClaimsSet().getAudience());
        JsonNode aud = payload(token).path("aud");
        assertTrue(aud.isArray());
        assertEquals(2, aud.size());
    }

    @Test
    void mintsChosenTimes() throws Exception {
        Instant iat = Instant.parse("2026-01-01T00:00:00Z");
        JWTClaimsSet lifetime = verified(issuer.mint().issuedAt(iat).lifetime(Duration.ofMinutes(5)).sign())
                .getJWTClaimsSet();
        assertEquals(Date.from(iat), lifetime.getIssueTime());
        assertEquals(Date.from(iat), lifetime.getNotBeforeTime());
        assertEquals(Date.from(iat.plusSeconds(300)), lifetime.getExpirationTime());

        Instant exp = iat.plusSeconds(42);
        Instant nbf = iat.plusSeconds(7);
        JWTClaimsSet explicit = verified(issuer.mint().issuedAt(iat).expiresAt(exp).notBefore(nbf).sign())
                .getJWTClaimsSet();
        assertEquals(Date.from(exp), explicit.getExpirationTime());
        assertEquals(Date.from(nbf), explicit.getNotBeforeTime());
    }

    @Test
    void followsTheClock() throws Exception {
        Instant before = clock.instant();
        clock.advance(Duration.ofMinutes(3));
        JWTClaimsSet claims = verified(issuer.mint().sign()).getJWTClaimsSet();
        assertEquals(Date.from(before.plus(Duration.ofMinutes(3))), claims.getIssueTime());
    }

    @Test
    void leavesOutRemovedClaims() throws Exception {
        JWTClaimsSet claims = verified(issuer.mint().without("sub").without("iat").without("nbf").without("exp")
                .without("jti").sign()).getJWTClaimsSet();

        assertNull(claims.getSubject());
        assertNull(claims.getIssueTime());
        assertNull(claims.getNotBeforeTime());
        assertNull(claims.getExpirationTime());
        assertNull(claims.getJWTID());
        assertEquals(issuer.issuerUrl(), claims.getIssuer());
    }

    @Test
    void claimAfterWithoutPutsItBack() throws Exception {
        JWTClaimsSet claims = verified(issuer.mint().without("sub").subject("again").sign()).getJWTClaimsSet();
        assertEquals("again", claims.getSubject());
    }

    @Test
    void headerVariants() throws Exception {
        assertEquals("other", SignedJWT.parse(issuer.mint().keyId("other").sign()).getHeader().getKeyID());
        assertNull(SignedJWT.parse(issuer.mint().withoutKeyId().sign()).getHeader().getKeyID());
    }

    @Test
    void signsWithHmacWhenAsked() throws Exception {
        String secret = "a-shared-secret-of-at-least-32-bytes!";
        SignedJWT jwt = SignedJWT.parse(issuer.mint().signedWithHmac(secret).sign());

        assertEquals(JWSAlgorithm.HS256, jwt.getHeader().getAlgorithm());
        assertTrue(jwt.verify(new MACVerifier(secret.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void mintsUnsecuredTokensWhenAsked() throws Exception {
        String token = issuer.mint().unsigned().sign();
        JWT jwt = JWTParser.parse(token);

        assertInstanceOf(PlainJWT.class, jwt);
        assertEquals("none", jwt.getHeader().getAlgorithm().getName());
        assertEquals(issuer.issuerUrl(), jwt.getJWTClaimsSet().getIssuer());
        assertTrue(token.endsWith("."), "an unsecured JWT has an empty signature");
    }

    @Test
    void signsWithAnUnpublishedKeyWhenAsked() throws Exception {
        SignedJWT jwt = SignedJWT.parse(issuer.mint().signedWithUnpublishedKey().sign());

        assertEquals(issuer.keyId(), jwt.getHeader().getKeyID());
        assertFalse(jwt.verify(verifier(publishedKeys().getKeyByKeyId(issuer.keyId()))));
    }

    // ---- algorithms -----------------------------------------------------------------------------

    @Test
    void ecIssuerSignsWithEs256() throws Exception {
        try (OidcIssuer ec = OidcIssuer.builder().algorithm("ES256").clock(clock).start()) {
            assertEquals("ES256", ec.algorithm());
            JsonNode doc = JSON.readTree(get(ec.issuerUrl() + "/.well-known/openid-configuration").body());
            assertEquals("ES256", doc.path("id_token_signing_alg_values_supported").get(0).asText());

            String jwksBody = get(ec.jwksUri()).body();
            for (JsonNode key : JSON.readTree(jwksBody).path("keys")) {
                assertNoPrivateMembers(key);
                assertEquals("EC", key.path("kty").asText());
                assertEquals("P-256", key.path("crv").asText());
            }
            SignedJWT jwt = SignedJWT.parse(ec.mint().sign());
            assertEquals(JWSAlgorithm.ES256, jwt.getHeader().getAlgorithm());
            assertEquals(ec.keyId(), jwt.getHeader().getKeyID());
            JWK key = JWKSet.parse(jwksBody).getKeyByKeyId(ec.keyId());
            assertInstanceOf(ECKey.class, key);
            assertTrue(jwt.verify(verifier(key)));
        }
    }

    @Test
    void otherRsaAndEcAlgorithmsAreAccepted() {
        for (String alg : List.of("RS384", "RS512", "PS256", "PS384", "PS512", "ES384", "ES512")) {
            assertNotNull(OidcIssuer.builder().algorithm(alg));
        }
    }

    @Test
    void refusesSymmetricAndUnsupportedAlgorithms() {
        for (String alg : List.of("HS256", "HS512", "none", "ES256K", "EdDSA")) {
            assertThrows(IllegalArgumentException.class, () -> OidcIssuer.builder().algorithm(alg), alg);
        }
    }

    // ---- key rotation ---------------------------------------------------------------------------

    @Test
    void rotationKeepsTheOldKeyPublishedAndUnpublishRemovesIt() throws Exception {
        try (OidcIssuer rotating = OidcIssuer.builder().algorithm("ES256").clock(clock).start()) {
            String oldKid = rotating.keyId();
            String oldToken = rotating.mint().sign();

            String newKid = rotating.rotateKey();
            assertNotEquals(oldKid, newKid);
            assertEquals(newKid, rotating.keyId());
            String newToken = rotating.mint().sign();
            assertEquals(newKid, SignedJWT.parse(newToken).getHeader().getKeyID());

            JWKSet both = JWKSet.parse(get(rotating.jwksUri()).body());
            assertEquals(2, both.getKeys().size());
            assertTrue(SignedJWT.parse(oldToken).verify(verifier(both.getKeyByKeyId(oldKid))));
            assertTrue(SignedJWT.parse(newToken).verify(verifier(both.getKeyByKeyId(newKid))));
            assertFalse(SignedJWT.parse(newToken).verify(verifier(both.getKeyByKeyId(oldKid))));

            rotating.unpublish(oldKid);
            JWKSet after = JWKSet.parse(get(rotating.jwksUri()).body());
            assertEquals(1, after.getKeys().size());
            assertNull(after.getKeyByKeyId(oldKid));
            assertNotNull(after.getKeyByKeyId(newKid));
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JWKSet publishedKeys() throws Exception {
        HttpResponse<String> response = get(issuer.jwksUri());
        assertEquals(200, response.statusCode());
        return JWKSet.parse(response.body());
    }

    /** Parses a token and checks its signature against the key its {@code kid} names in the served JWKS. */
    private static SignedJWT verified(String token) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        JWK key = publishedKeys().getKeyByKeyId(jwt.getHeader().getKeyID());
        assertNotNull(key, "the kid is published");
        assertTrue(jwt.verify(verifier(key)), "the signature verifies");
        return jwt;
    }

    private static JWSVerifier verifier(JWK key) throws Exception {
        return key instanceof ECKey ec ? new ECDSAVerifier(ec.toECPublicKey())
                : new RSASSAVerifier(key.toRSAKey().toRSAPublicKey());
    }

    /** The payload as JSON, to see how a claim is serialized (string or array, nested object). */
    private static JsonNode payload(String token) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    }

    private static void assertNoPrivateMembers(JsonNode key) {
        key.fieldNames().forEachRemaining(name ->
                assertFalse(PRIVATE_MEMBERS.contains(name), "private member '" + name + "' in " + key));
    }
}
