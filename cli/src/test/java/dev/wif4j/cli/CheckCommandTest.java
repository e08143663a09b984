package dev.wif4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.OidcIssuer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wif4j check}: one passing case, both issuer shapes, and one failing case per denial reason. */
class CheckCommandTest {
    static OidcIssuer idp;
    static OidcIssuer other;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        idp = OidcIssuer.start();
        other = OidcIssuer.start();
    }

    @AfterAll
    static void stop() {
        idp.close();
        other.close();
    }

    private static final String RULE = "{\"id\":\"fdrl_x\",\"match\":{\"subject_prefix\":\"system:serviceaccount:prod:*\","
            + "\"audience\":\"https://api.anthropic.com\",\"claims\":{\"team\":\"billing\"}}}";

    private String issuerJson(String issuerUrl, String keys, long max) {
        return "{\"issuer_url\":\"" + issuerUrl + "\",\"jwks\":{\"type\":\"inline\",\"keys\":" + keys + "},"
                + "\"max_jwt_lifetime_seconds\":" + max + "}";
    }

    private CliTest.Run check(String token, String rule, String issuer) throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), token);
        Path ruleFile = Files.writeString(dir.resolve("rule.json"), rule);
        Path issuerFile = Files.writeString(dir.resolve("issuer.json"), issuer);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"check", "--rule", ruleFile.toString(), "--issuer", issuerFile.toString(),
            "--token-file", tokenFile.toString()}, new PrintWriter(out), new PrintWriter(err),
                FakeDetectionContext.empty());
        return new CliTest.Run(code, out.toString(), err.toString());
    }

    private String good(UnaryOperator<OidcIssuer.TokenBuilder> change) {
        return change.apply(idp.mint().subject("system:serviceaccount:prod:billing").claim("team", "billing")).sign();
    }

    private void fails(String reason, String token) throws Exception {
        fails(reason, token, issuerJson(idp.issuerUrl(), idp.publicKeysJson(), 3600));
    }

    private void fails(String reason, String token, String issuer) throws Exception {
        CliTest.Run r = check(token, RULE, issuer);
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("[" + reason + "]"), r.out());
        assertTrue(r.out().contains("Result: FAIL. Anthropic would refuse this token: " + reason), r.out());
    }

    @Test
    @DisplayName("a token the rule accepts passes every check, exit 0")
    void passes() throws Exception {
        CliTest.Run r = check(good(t -> t), RULE, issuerJson(idp.issuerUrl(), idp.publicKeysJson(), 3600));
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("PASS  signature        verified with " + idp.keyId()), r.out());
        assertTrue(r.out().contains("PASS  subject_prefix   system:serviceaccount:prod:billing matches "
                + "system:serviceaccount:prod:*"), r.out());
        assertTrue(r.out().contains("Result: PASS."), r.out());
    }

    @Test
    @DisplayName("the older jwks_source/jwks_keys issuer shape works too")
    void olderIssuerShape() throws Exception {
        String issuer = "{\"issuer_url\":\"" + idp.issuerUrl() + "\",\"jwks_source\":\"inline\",\"jwks_keys\":"
                + idp.publicKeysJson() + "}";
        assertEquals(0, check(good(t -> t), RULE, issuer).code());
    }

    @Test
    @DisplayName("issuer_mismatch, with the trailing slash explained")
    void issuerMismatch() throws Exception {
        fails("issuer_mismatch", good(t -> t), issuerJson(idp.issuerUrl() + "/", idp.publicKeysJson(), 3600));
        CliTest.Run r = check(good(t -> t), RULE, issuerJson(idp.issuerUrl() + "/", idp.publicKeysJson(), 3600));
        assertTrue(r.out().contains("(issuer_url has a trailing slash, iss has none)"), r.out());
    }

    @Test
    @DisplayName("unknown_kid, missing_kid and signature_invalid")
    void keys() throws Exception {
        fails("unknown_kid", good(t -> t.keyId("rotated-away")));
        fails("missing_kid", good(OidcIssuer.TokenBuilder::withoutKeyId));
        fails("signature_invalid", good(OidcIssuer.TokenBuilder::signedWithUnpublishedKey));
        fails("unknown_kid", good(t -> t), issuerJson(idp.issuerUrl(), other.publicKeysJson(), 3600));
    }

    @Test
    @DisplayName("unsupported_algorithm for HS256 and none")
    void algorithms() throws Exception {
        fails("unsupported_algorithm", good(t -> t.signedWithHmac("0123456789abcdef0123456789abcdef")));
        CliTest.Run unsigned = check(good(OidcIssuer.TokenBuilder::unsigned), RULE,
                issuerJson(idp.issuerUrl(), idp.publicKeysJson(), 3600));
        assertEquals(1, unsigned.code());
        assertTrue(unsigned.err().startsWith("wif4j: The identity token is not a JWT"), unsigned.err());
    }

    @Test
    @DisplayName("token_expired, token_not_yet_valid, iat_in_future, missing_sub and lifetime_exceeds_maximum")
    void times() throws Exception {
        Instant now = Instant.now();
        fails("token_expired", good(t -> t.issuedAt(now.minus(Duration.ofHours(2))).lifetime(Duration.ofHours(1))));
        fails("token_not_yet_valid", good(t -> t.notBefore(now.plus(Duration.ofMinutes(5)))));
        fails("iat_in_future", good(t -> t.issuedAt(now.plus(Duration.ofMinutes(5))).notBefore(now)));
        fails("missing_sub", good(t -> t.without("sub")));
        fails("lifetime_exceeds_maximum", good(t -> t.lifetime(Duration.ofHours(2))));
    }

    @Test
    @DisplayName("match_subject_prefix, match_audience and match_claims")
    void matchers() throws Exception {
        fails("match_subject_prefix", good(t -> t.subject("system:serviceaccount:dev:billing")));
        fails("match_audience", good(t -> t.audience("sts.amazonaws.com")));
        fails("match_claims", good(t -> t.claim("team", "payments")));
    }
}
