package dev.wif4j.spi;

import dev.wif4j.spi.internal.Escaping;
import dev.wif4j.spi.internal.JwtDecoder;
import dev.wif4j.spi.internal.Redaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An identity token: the raw JWT an upstream issuer minted, with its header and claims decoded
 * but <em>not verified</em> (Anthropic verifies the signature; wif4j reads the claims to explain
 * what it holds and why a rule might refuse it).
 *
 * <p>{@link #toString()} shows the claims a federation rule matches on ({@code iss}, {@code sub},
 * {@code aud}, {@code exp}) and only the last four characters of the JWT.
 */
public final class IdentityToken {
    private final String serialized;
    private final Map<String, Object> header;
    private final Map<String, Object> claims;

    private IdentityToken(String serialized, Map<String, Object> header, Map<String, Object> claims) {
        this.serialized = serialized;
        this.header = header;
        this.claims = claims;
    }

    /**
     * Decodes a compact JWS ({@code header.payload.signature}) without verifying it.
     *
     * @param jwt the token; surrounding whitespace is not removed, so trim it first
     * @return the decoded token
     * @throws IdentityTokenException if the text is not a JWT; the message says what is wrong
     *     with it and never repeats it
     */
    public static IdentityToken parse(String jwt) {
        Objects.requireNonNull(jwt, "jwt");
        JwtDecoder.Decoded decoded;
        try {
            decoded = JwtDecoder.decode(jwt);
        } catch (IllegalArgumentException e) {
            // Told apart here, not by a catch clause of its own: the JVM would load its class to verify this one.
            if (!(e instanceof JwtDecoder.MalformedException)) {
                throw e;
            }
            throw new IdentityTokenException(e.getMessage());
        }
        return new IdentityToken(jwt, decoded.header(), decoded.claims());
    }

    /**
     * The raw JWT, as sent to Anthropic. Treat it as a secret.
     *
     * @return the compact serialization
     */
    public String serialized() {
        return serialized;
    }

    /**
     * The decoded JOSE header ({@code alg}, {@code kid}, {@code typ}, …).
     *
     * @return an unmodifiable map
     */
    public Map<String, Object> header() {
        return header;
    }

    /**
     * Every claim of the payload, as JSON types map to Java: strings, {@code Long}/{@code Double}
     * numbers, booleans, lists and maps.
     *
     * @return an unmodifiable map
     */
    public Map<String, Object> claims() {
        return claims;
    }

    /**
     * The {@code alg} header.
     *
     * @return the algorithm, if present
     */
    public Optional<String> algorithm() {
        return stringOf(header.get("alg"));
    }

    /**
     * The {@code kid} header.
     *
     * @return the key id, if present
     */
    public Optional<String> keyId() {
        return stringOf(header.get("kid"));
    }

    /**
     * The {@code iss} claim.
     *
     * @return the issuer, if present
     */
    public Optional<String> issuer() {
        return stringOf(claims.get("iss"));
    }

    /**
     * The {@code sub} claim.
     *
     * @return the subject, if present
     */
    public Optional<String> subject() {
        return stringOf(claims.get("sub"));
    }

    /**
     * The {@code aud} claim, whether the token carries one string or an array.
     *
     * @return the audiences; empty if absent
     */
    public List<String> audience() {
        Object aud = claims.get("aud");
        if (aud instanceof String s) {
            return List.of(s);
        }
        if (aud instanceof List<?> list) {
            return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return List.of();
    }

    /**
     * The {@code exp} claim.
     *
     * @return the expiry, if present and numeric
     */
    public Optional<Instant> expiresAt() {
        return instantOf(claims.get("exp"));
    }

    /**
     * The {@code iat} claim.
     *
     * @return the issue time, if present and numeric
     */
    public Optional<Instant> issuedAt() {
        return instantOf(claims.get("iat"));
    }

    /**
     * The {@code nbf} claim.
     *
     * @return the not-before time, if present and numeric
     */
    public Optional<Instant> notBefore() {
        return instantOf(claims.get("nbf"));
    }

    /**
     * The {@code jti} claim, which Anthropic accepts only once per issuer.
     *
     * @return the token id, if present
     */
    public Optional<String> jwtId() {
        return stringOf(claims.get("jti"));
    }

    /**
     * A string claim.
     *
     * @param name the claim name
     * @return its value, if present and a string
     */
    public Optional<String> stringClaim(String name) {
        return stringOf(claims.get(name));
    }

    private static Optional<String> stringOf(Object value) {
        return value instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /** 9999-12-31T23:59:59Z: past it a claim is not a time, and adding a skew to it must not overflow. */
    private static final long MAX_TIME_SECONDS = 253_402_300_799L;

    private static Optional<Instant> instantOf(Object value) {
        if (!(value instanceof Number n)) {
            return Optional.empty();
        }
        // Doubles such as 1e300 made Instant throw, and BigIntegers wrap in longValue(): found by fuzzing.
        double d = n.doubleValue();
        if (!(Math.abs(d) <= MAX_TIME_SECONDS)) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochSecond(n.longValue()));
    }

    /** Equal when the serialized JWTs are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof IdentityToken t && t.serialized.equals(serialized);
    }

    @Override
    public int hashCode() {
        return serialized.hashCode();
    }

    /**
     * The rule-relevant claims, escaped (the issuer wrote them: a line break must not forge a log line) and cut at
     * 200 characters, and the JWT's last four characters; never the JWT itself.
     */
    @Override
    public String toString() {
        List<String> audiences = new ArrayList<>();
        for (String aud : audience()) {
            audiences.add(Escaping.escape(aud, CLAIM_LIMIT));
        }
        return "IdentityToken[iss=" + issuer().map(IdentityToken::shown).orElse("?")
                + ", sub=" + subject().map(IdentityToken::shown).orElse("?")
                + ", aud=" + audiences
                + ", exp=" + expiresAt().map(Instant::toString).orElse("?")
                + ", jwt=" + Redaction.lastFour(serialized) + "]";
    }

    /** As {@code Text.escape(String)} in the support kit, which the SPI's own types do not depend on. */
    private static final int CLAIM_LIMIT = 200;

    private static String shown(String claim) {
        return Escaping.escape(claim, CLAIM_LIMIT);
    }
}
