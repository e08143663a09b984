package dev.wif4j.testkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.wif4j.testkit.ManualClock;
import dev.wif4j.testkit.OidcIssuer;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The one RFC 7523 client-assertion check of the emulators: each rule, and what it refuses with. */
class ClientAssertionTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final String AUD = "api://AzureADTokenExchange";

    private static OidcIssuer cluster;
    private static OidcIssuer stranger;
    private static Function<String, OidcIssuer> trusted;

    @BeforeAll
    static void start() {
        ManualClock clock = new ManualClock(NOW);
        cluster = OidcIssuer.builder().clock(clock).start();
        stranger = OidcIssuer.builder().clock(clock).start();
        trusted = iss -> cluster.issuerUrl().equals(iss) ? cluster : null;
    }

    @AfterAll
    static void stop() {
        cluster.close();
        stranger.close();
    }

    private static OidcIssuer.TokenBuilder good() {
        return cluster.mint().subject("system:serviceaccount:prod:billing").audience(AUD);
    }

    private static ClientAssertion.Refused refused(String assertion, String audience) {
        return assertThrows(ClientAssertion.Refused.class,
                () -> ClientAssertion.check(assertion, trusted, audience, NOW));
    }

    @Test
    void acceptsASignedUnexpiredAssertionForTheAudienceAndGivesItsClaims() throws Exception {
        JWTClaimsSet claims = ClientAssertion.check(good().sign(), trusted, AUD, NOW);
        assertEquals("system:serviceaccount:prod:billing", claims.getSubject());
        assertEquals(cluster.issuerUrl(), claims.getIssuer());
    }

    @Test
    void refusesWhatIsNotASignedJwtAsMalformedWithoutClaims() {
        for (String assertion : new String[] {"not-a-jwt", "", good().unsigned().sign(), "a.b.c"}) {
            ClientAssertion.Refused refused = refused(assertion, AUD);
            assertEquals(ClientAssertion.Reason.MALFORMED, refused.reason(), assertion);
            assertNull(refused.claims());
        }
    }

    @Test
    void refusesAnIssuerThatIsNotTrustedOrMissing() {
        assertEquals(ClientAssertion.Reason.UNKNOWN_ISSUER,
                refused(stranger.mint().subject("s").audience(AUD).sign(), AUD).reason());
        assertEquals(ClientAssertion.Reason.UNKNOWN_ISSUER, refused(good().without("iss").sign(), AUD).reason());
        // Signed with the trusted key but naming another issuer: the iss picks the keys, so it is refused.
        ClientAssertion.Refused other = refused(good().issuer("https://elsewhere.example").sign(), AUD);
        assertEquals(ClientAssertion.Reason.UNKNOWN_ISSUER, other.reason());
        assertEquals("https://elsewhere.example", other.claims().getIssuer());
    }

    @Test
    void refusesASignatureNoPublishedKeyVerifies() {
        assertEquals(ClientAssertion.Reason.BAD_SIGNATURE, refused(good().signedWithUnpublishedKey().sign(), AUD)
                .reason());
        assertEquals(ClientAssertion.Reason.BAD_SIGNATURE, refused(good().withoutKeyId().sign(), AUD).reason());
        String token = good().sign();
        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        ClientAssertion.Refused refused = refused(tampered, AUD);
        assertTrue(refused.reason() == ClientAssertion.Reason.BAD_SIGNATURE
                || refused.reason() == ClientAssertion.Reason.MALFORMED, refused.reason().name());
    }

    @Test
    void refusesAnHmacSignatureWithTheIssuersKeyIdAsMalformed() {
        // An RSA key cannot check HS256: nimbus refuses the pairing, as Entra answers AADSTS50027.
        assertEquals(ClientAssertion.Reason.MALFORMED,
                refused(good().keyId(cluster.keyId()).signedWithHmac("0123456789abcdef0123456789abcdef").sign(), AUD)
                        .reason());
    }

    @Test
    void refusesAnExpiredAssertionOrOneWithoutExpiry() {
        assertEquals(ClientAssertion.Reason.EXPIRED, refused(good().issuedAt(NOW.minusSeconds(600))
                .expiresAt(NOW.minusSeconds(1)).sign(), AUD).reason());
        // exp must be after now, not at it.
        assertEquals(ClientAssertion.Reason.EXPIRED, refused(good().issuedAt(NOW.minusSeconds(600))
                .expiresAt(NOW).sign(), AUD).reason());
        assertEquals(ClientAssertion.Reason.EXPIRED, refused(good().without("exp").sign(), AUD).reason());
    }

    @Test
    void refusesAnotherAudienceOrNoneWhenOneIsRequired() throws Exception {
        ClientAssertion.Refused refused = refused(good().audience("https://api.anthropic.com").sign(), AUD);
        assertEquals(ClientAssertion.Reason.WRONG_AUDIENCE, refused.reason());
        assertEquals("https://api.anthropic.com", refused.claims().getAudience().get(0));
        assertEquals(ClientAssertion.Reason.WRONG_AUDIENCE, refused(good().without("aud").sign(), AUD).reason());
        // A server that checks no audience (authentik) takes any.
        ClientAssertion.check(good().audience("https://api.anthropic.com").sign(), trusted, null, NOW);
    }

    @Test
    void theRefusalCarriesNoAssertionText() {
        String assertion = good().signedWithUnpublishedKey().sign();
        ClientAssertion.Refused refused = refused(assertion, AUD);
        assertEquals("BAD_SIGNATURE", refused.getMessage());
        assertFalse(refused.toString().contains(assertion.substring(0, 20)));
    }

    @Test
    void anAssertionIsPresentOnlyWithItsType() {
        assertTrue(ClientAssertion.present(Map.of("client_assertion_type", ClientAssertion.JWT_BEARER,
                "client_assertion", "x")));
        assertFalse(ClientAssertion.present(Map.of("client_assertion", "x")));
        assertFalse(ClientAssertion.present(Map.of("client_assertion_type", "urn:other", "client_assertion", "x")));
        assertFalse(ClientAssertion.present(Map.of("client_assertion_type", ClientAssertion.JWT_BEARER)));
    }
}
