package dev.wif4j.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Fuzzes the rule evaluator of {@code wif4j check}. An input is four parts separated by NUL bytes: the
 * JWT header JSON, the payload JSON, the rule JSON and the issuer JSON (the committed seeds are readable
 * that way). Whatever a token, rule or issuer holds, {@link RuleCheck#evaluate} returns one complete
 * result per check and never throws.
 */
class RuleCheckFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    @FuzzTest(maxDuration = "10s")
    void evaluate(byte[] input) {
        String[] parts = new String(input, StandardCharsets.UTF_8).split("\0", 4);
        if (parts.length < 3) {
            return;
        }
        IdentityToken token;
        JsonNode rule;
        JsonNode issuer = null;
        JWKSet keys = null;
        try {
            token = IdentityToken.parse(b64(parts[0]) + "." + b64(parts[1]) + ".c2ln");
            rule = JSON.readTree(parts[2]);
            if (parts.length == 4) {
                issuer = JSON.readTree(parts[3]);
                keys = issuer == null ? null : RuleCheck.inlineKeys(issuer);
            }
        } catch (IdentityTokenException | IOException | ParseException e) {
            return; // not a token, rule or issuer: the command reports these before evaluating
        }
        if (rule == null) {
            return;
        }
        List<RuleCheck.Result> results = RuleCheck.evaluate(token, rule, issuer, keys, NOW);
        assertFalse(results.isEmpty());
        for (RuleCheck.Result r : results) {
            assertNotNull(r.status());
            assertNotNull(r.check());
            assertNotNull(r.detail());
            assertEquals(r.status() == RuleCheck.Status.FAIL, r.reason() != null, r.toString());
        }
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
