package dev.wif4j.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.wif4j.spi.IdentityToken;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates a token against a federation issuer and rule as Anthropic documents the checks (PROTOCOL.md
 * §6.4), offline, and explains each: what a user otherwise sees only on the Console's history page.
 * Failures carry the reason codes the Console shows, e.g. {@code match_subject_prefix}.
 */
public final class RuleCheck {

    /** The outcome of one check. */
    public enum Status {
        /** The token passes it. */
        PASS,
        /** Anthropic would refuse the token for it. */
        FAIL,
        /** It cannot be evaluated offline, or with what was given. */
        SKIP
    }

    /**
     * One line of the explanation.
     *
     * @param status the outcome
     * @param check what was checked, e.g. {@code iss}
     * @param reason the denial reason on failure, else {@code null}
     * @param detail the explanation
     */
    public record Result(Status status, String check, String reason, String detail) {
    }

    private static final Duration SKEW = Duration.ofSeconds(30);
    private static final Set<String> ASYMMETRIC = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512");

    private RuleCheck() {
    }

    /**
     * Runs every check.
     *
     * @param token the token
     * @param rule the rule JSON (with a {@code match} object, or its fields at the top)
     * @param issuer the issuer JSON, or {@code null}
     * @param keys the issuer's keys, or {@code null} when not known offline
     * @param now the time to check against
     * @return one result per check, in Anthropic's order
     */
    public static List<Result> evaluate(IdentityToken token, JsonNode rule, JsonNode issuer, JWKSet keys,
            Instant now) {
        List<Result> results = new ArrayList<>();
        int size = token.serialized().getBytes(StandardCharsets.UTF_8).length;
        results.add(size <= 16 * 1024 ? pass("size", size + " bytes, within 16 KiB")
                : fail("size", "assertion_too_large", size + " bytes; Anthropic refuses assertions over 16 KiB"));

        String alg = token.algorithm().orElse("none");
        results.add(ASYMMETRIC.contains(alg) ? pass("alg", alg + " is asymmetric")
                : fail("alg", "unsupported_algorithm", alg + ": Anthropic accepts only RS*, PS* and ES256/384/512"));

        String kid = token.keyId().orElse(null);
        JWK key = kid == null || keys == null ? null : keys.getKeyByKeyId(kid);
        if (kid == null) {
            results.add(fail("kid", "missing_kid", "the header has no kid; Anthropic needs one in the issuer's JWKS"));
        } else if (keys == null) {
            results.add(skip("kid", kid + " (the issuer's keys are not known offline; give --jwks or an inline issuer)"));
        } else {
            results.add(key != null ? pass("kid", kid + " is in the issuer's keys")
                    : fail("kid", "unknown_kid", kid + " is not among the issuer's keys " + keyIds(keys)));
        }
        results.add(signature(token, key, keys));

        if (issuer == null) {
            results.add(skip("iss", token.issuer().orElse("(none)") + " (no issuer given with --issuer)"));
        } else {
            String expected = issuer.path("issuer_url").asText(null);
            String iss = token.issuer().orElse(null);
            if (expected == null) {
                results.add(skip("iss", "the issuer JSON has no issuer_url"));
            } else if (expected.equals(iss)) {
                results.add(pass("iss", iss + " equals issuer_url byte for byte"));
            } else {
                String why = iss != null && (iss + "/").equals(expected) ? " (issuer_url has a trailing slash, iss has none)"
                        : iss != null && iss.equals(expected + "/") ? " (iss has a trailing slash, issuer_url has none)" : "";
                results.add(fail("iss", "issuer_mismatch", iss + " is not " + expected + why));
            }
        }

        String sub = token.subject().orElse(null);
        results.add(sub != null && !sub.isEmpty() ? pass("sub", sub) : fail("sub", "missing_sub", "the token has no sub"));
        Instant exp = token.expiresAt().orElse(null);
        Instant iat = token.issuedAt().orElse(null);
        results.add(exp == null ? fail("exp", "missing_exp", "the token has no exp")
                : exp.plus(SKEW).isAfter(now) ? pass("exp", exp + " (" + Duration.between(now, exp).toSeconds() + " s left)")
                : fail("exp", "token_expired", "expired at " + exp + ", " + Duration.between(exp, now).toSeconds()
                        + " s ago (30 s skew allowed)"));
        results.add(iat == null ? fail("iat", "missing_iat", "the token has no iat")
                : !iat.minus(SKEW).isAfter(now) ? pass("iat", iat.toString())
                : fail("iat", "iat_in_future", iat + " is in the future (30 s skew allowed): check the clocks"));
        results.add(token.notBefore().map(nbf -> !nbf.minus(SKEW).isAfter(now) ? pass("nbf", nbf.toString())
                : fail("nbf", "token_not_yet_valid", "not valid before " + nbf)).orElse(pass("nbf", "(none)")));
        long max = issuer == null ? 3600 : issuer.path("max_jwt_lifetime_seconds").asLong(3600);
        if (exp != null && iat != null) {
            long lifetime = Duration.between(iat, exp).toSeconds();
            results.add(lifetime <= max ? pass("lifetime", lifetime + " s, within the issuer's " + max + " s")
                    : fail("lifetime", "lifetime_exceeds_maximum", lifetime + " s (exp - iat) is more than the issuer's "
                            + "max_jwt_lifetime_seconds, " + max + (issuer == null ? " (the default)" : "")));
        }
        boolean checkJti = issuer == null || issuer.path("check_jti").asBoolean(true);
        results.add(pass("jti", token.jwtId().map(j -> j + (checkJti ? ": single use, a second exchange of this token "
                + "is refused (jti_reused)" : ": the issuer does not check replays"))
                .orElse("(none): Anthropic does not check replays of tokens without jti")));

        JsonNode match = rule.has("match") ? rule.get("match") : rule;
        String prefix = match.path("subject_prefix").asText(null);
        if (prefix != null) {
            boolean ok = sub != null && (prefix.endsWith("*") ? sub.startsWith(prefix.substring(0, prefix.length() - 1))
                    : prefix.equals(sub));
            results.add(ok ? pass("subject_prefix", sub + " matches " + prefix)
                    : fail("subject_prefix", "match_subject_prefix", sub + " does not match " + prefix
                            + (prefix.endsWith("*") ? " (a prefix)" : " (exact; end it with * for a prefix)")));
        }
        String audience = match.path("audience").asText(null);
        if (audience != null) {
            results.add(token.audience().contains(audience) ? pass("audience", token.audience() + " contains " + audience)
                    : fail("audience", "match_audience", "aud " + token.audience() + " does not contain " + audience));
        }
        for (Map.Entry<String, JsonNode> c : match.path("claims").properties()) {
            Object value = token.claims().get(c.getKey());
            String want = c.getValue().asText();
            results.add(value instanceof String s && s.equals(want) ? pass("claims." + c.getKey(), s)
                    : fail("claims." + c.getKey(), "match_claims", (value == null ? "absent" : "is " + value)
                            + ", the rule wants \"" + want + "\"" + (value != null && !(value instanceof String)
                                    ? " (only string claims match)" : "")));
        }
        if (match.hasNonNull("condition")) {
            results.add(skip("condition", "CEL is not evaluated offline: " + match.get("condition").asText()));
        }
        if (prefix == null && match.path("claims").isEmpty() && !match.hasNonNull("condition")) {
            results.add(fail("rule", "invalid_rule", "the rule has no subject_prefix, claims or condition; Anthropic "
                    + "requires at least one"));
        }
        return results;
    }

    private static Result signature(IdentityToken token, JWK key, JWKSet keys) {
        if (keys == null) {
            return skip("signature", "not verified: the issuer's keys are not known offline");
        }
        if (key == null) {
            return skip("signature", "not verified: no key with this kid");
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token.serialized());
            if (!(key instanceof AsymmetricJWK asymmetric)) {
                return fail("signature", "signature_invalid", "the key " + key.getKeyID() + " is not a public key");
            }
            boolean valid = jwt.verify(new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(),
                    asymmetric.toPublicKey()));
            return valid ? pass("signature", "verified with " + key.getKeyID())
                    : fail("signature", "signature_invalid", "does not verify with " + key.getKeyID());
        } catch (ParseException | JOSEException e) {
            return fail("signature", "signature_invalid", "cannot be verified: " + e.getMessage());
        }
    }

    private static List<String> keyIds(JWKSet keys) {
        return keys.getKeys().stream().map(JWK::getKeyID).toList();
    }

    private static Result pass(String check, String detail) {
        return new Result(Status.PASS, check, null, detail);
    }

    private static Result fail(String check, String reason, String detail) {
        return new Result(Status.FAIL, check, reason, detail);
    }

    private static Result skip(String check, String detail) {
        return new Result(Status.SKIP, check, null, detail);
    }

    /**
     * Reads the keys an issuer JSON carries: {@code jwks {type: inline, keys}} or the older
     * {@code jwks_source: inline, jwks_keys}.
     *
     * @param issuer the issuer JSON
     * @return the keys, or {@code null} when the issuer fetches them (discovery, explicit URL)
     * @throws ParseException when the keys are not JWKs
     */
    public static JWKSet inlineKeys(JsonNode issuer) throws ParseException {
        JsonNode jwks = issuer.path("jwks");
        JsonNode keys = null;
        if ("inline".equals(jwks.path("type").asText())) {
            keys = jwks.get("keys");
        } else if ("inline".equals(issuer.path("jwks_source").asText())) {
            keys = issuer.get("jwks_keys");
        }
        return keys == null ? null : parseKeys(keys.toString());
    }

    /**
     * @param json a JWKS document or a bare array of JWKs
     * @return the keys
     * @throws ParseException when they are not JWKs
     */
    public static JWKSet parseKeys(String json) throws ParseException {
        String trimmed = json.strip();
        return JWKSet.parse(trimmed.startsWith("[") ? "{\"keys\":" + trimmed + "}" : trimmed);
    }
}
