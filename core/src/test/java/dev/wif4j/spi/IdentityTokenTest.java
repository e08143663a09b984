package dev.wif4j.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class IdentityTokenTest {
    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** An unsigned-looking but well-formed JWS; the signature part is arbitrary base64url. */
    static String jwt(String header, String payload) {
        return b64(header) + "." + b64(payload) + ".c2lnbmF0dXJlLWJ5dGVz";
    }

    @Test
    void decodesClaimsWithoutVerifying() {
        String raw = jwt("{\"alg\":\"RS256\",\"kid\":\"k1\"}",
                "{\"iss\":\"https://issuer.example/\",\"sub\":\"system:serviceaccount:ns:sa\",\"aud\":[\"a\",\"b\"],"
                        + "\"exp\":1800000000,\"iat\":1799996400,\"jti\":\"j-1\",\"nested\":{\"x\":1}}");
        IdentityToken token = IdentityToken.parse(raw);
        assertEquals("https://issuer.example/", token.issuer().orElseThrow());
        assertEquals("system:serviceaccount:ns:sa", token.subject().orElseThrow());
        assertEquals(List.of("a", "b"), token.audience());
        assertEquals(Instant.ofEpochSecond(1800000000), token.expiresAt().orElseThrow());
        assertEquals("j-1", token.jwtId().orElseThrow());
        assertEquals("k1", token.keyId().orElseThrow());
        assertEquals("RS256", token.algorithm().orElseThrow());
        assertEquals(raw, token.serialized());
    }

    @Test
    void singleStringAudienceIsAListOfOne() {
        IdentityToken token = IdentityToken.parse(jwt("{\"alg\":\"ES256\"}", "{\"aud\":\"https://api.anthropic.com\"}"));
        assertEquals(List.of("https://api.anthropic.com"), token.audience());
    }

    @Test
    void toStringShowsClaimsButNeverTheJwt() {
        String raw = jwt("{\"alg\":\"RS256\"}", "{\"iss\":\"i\",\"sub\":\"s\",\"aud\":\"a\",\"exp\":1800000000}");
        String shown = IdentityToken.parse(raw).toString();
        assertFalse(shown.contains(raw));
        assertFalse(shown.contains(raw.substring(0, raw.indexOf('.'))), "not even the header part");
        assertTrue(shown.contains("sub=s") && shown.contains("iss=i") && shown.contains(raw.substring(raw.length() - 4)));
    }

    @Test
    void toStringEscapesClaimsSoALineBreakCannotForgeALogLine() {
        String raw = jwt("{\"alg\":\"RS256\"}", "{\"iss\":\"https://issuer.example/\\r\\n\","
                + "\"sub\":\"repo:acme/app\\nINFO forged line\",\"aud\":[\"a\\u0007\",\"b\"],\"exp\":1800000000}");
        String shown = IdentityToken.parse(raw).toString();
        assertFalse(shown.contains("\n") || shown.contains("\r") || shown.contains("\u0007"), shown);
        assertTrue(shown.contains("iss=https://issuer.example/\\r\\n, sub=repo:acme/app\\nINFO forged line, "
                + "aud=[a\\u0007, b]"), shown);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        empty|''|The identity token is empty.
        two parts|eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0|expected three parts separated by dots (header.payload.signature), found 2.
        five parts (JWE)|a.b.c.d.e|found 5 (an encrypted JWE, which Anthropic does not accept).
        not base64url|eyJhbGciOiJSUzI1NiJ9.***.c2ln|its payload part is not base64url text.
        header not JSON|bm90IGpzb24.eyJzdWIiOiJ4In0.c2ln|its header part is not JSON.
        payload an array|eyJhbGciOiJSUzI1NiJ9.WzEsMl0.c2ln|its payload is JSON but not an object.
        unsigned|eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.|its signature part is empty (an unsigned token, which Anthropic refuses).
        no alg|eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJ4In0.c2ln|The identity token's header has no 'alg'.
        """)
    void malformedTokensAreRefusedWithAMessageNamingTheProblem(String name, String raw, String expected) {
        IdentityTokenException e = assertThrows(IdentityTokenException.class, () -> IdentityToken.parse(raw));
        assertTrue(e.getMessage().endsWith(expected), e.getMessage());
        if (raw.length() > 8) {
            assertFalse(e.getMessage().contains(raw), "the message never repeats the input");
        }
    }

    /** Found by the fuzz corpus: 1e300 made expiresAt() and toString() throw DateTimeException. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"1e300", "-1e300",
            "9223372036854775807", "-9223372036854775808",
            "31556889864403199", "253402300800"})
    void timeClaimsOutsideTheInstantRangeAreNotTimes(String exp) {
        IdentityToken token = IdentityToken.parse(jwt("{\"alg\":\"RS256\"}",
                "{\"exp\":" + exp + ",\"iat\":" + exp + ",\"nbf\":" + exp + "}"));
        assertTrue(token.expiresAt().isEmpty());
        assertTrue(token.issuedAt().isEmpty());
        assertTrue(token.notBefore().isEmpty());
        assertTrue(token.toString().contains("exp=?"), token.toString());
    }
}
