package dev.wif4j.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import dev.wif4j.testkit.internal.LoopbackServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenID Connect issuer on 127.0.0.1: it publishes a discovery document and a JWKS over HTTP and
 * mints signed JWTs with any claims, as a cloud's or a cluster's identity provider would.
 *
 * <pre>{@code
 * try (OidcIssuer issuer = OidcIssuer.start()) {
 *     String jwt = issuer.mint().subject("system:serviceaccount:prod:billing").sign();
 * }
 * }</pre>
 *
 * <p>The issuer URL is {@code http://127.0.0.1:<port>} plus an optional path; the discovery document
 * is at {@code <issuer>/.well-known/openid-configuration} and the keys at {@code <issuer>/jwks}.
 * Thread-safe.
 */
public final class OidcIssuer extends LoopbackEmulator {

    /** The audience minted tokens carry unless told otherwise: Anthropic's API. */
    public static final String DEFAULT_AUDIENCE = "https://api.anthropic.com";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String issuerUrl;
    private final JWSAlgorithm algorithm;
    private final Clock clock;
    private final List<JWK> published = new CopyOnWriteArrayList<>();
    private final AtomicInteger keyCounter = new AtomicInteger();
    private final AtomicInteger discoveryRequests = new AtomicInteger();
    private final AtomicInteger jwksRequests = new AtomicInteger();
    private volatile JWK current;

    private OidcIssuer(Builder b) {
        super("oidc-issuer");
        this.algorithm = b.algorithm;
        this.clock = b.clock;
        this.current = generate();
        published.add(current);
        this.issuerUrl = baseUrl() + b.path;
        String prefix = b.path.endsWith("/") ? b.path.substring(0, b.path.length() - 1) : b.path;
        route(prefix + "/.well-known/openid-configuration", exchange -> {
            discoveryRequests.incrementAndGet();
            answer(exchange, discoveryDocument());
        });
        route(prefix + "/jwks", exchange -> {
            jwksRequests.incrementAndGet();
            answer(exchange, jwksJson());
        });
        serve();
    }

    /** Records the request, plays a queued fault (an unreachable JWKS, a slow discovery), else answers. */
    private void answer(HttpExchange exchange, String json) throws IOException {
        log().receive(exchange);
        if (!log().playFault(exchange, null)) {
            LoopbackServer.send(exchange, 200, "application/json", json, Map.of());
        }
    }

    /**
     * Starts an issuer signing with RS256, on the system clock, at the root path.
     *
     * @return the running issuer; close it when done
     */
    public static OidcIssuer start() {
        return builder().start();
    }

    /** @return a builder for an issuer with another algorithm, clock or path */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Nothing points a workload at an issuer by a variable: it is registered at Anthropic (or trusted by another
     * emulator) instead.
     *
     * @return an empty map
     */
    @Override
    public Map<String, String> environment() {
        return Map.of();
    }

    /** @return the issuer URL, the {@code iss} of every minted token, e.g. {@code http://127.0.0.1:41234} */
    public String issuerUrl() {
        return issuerUrl;
    }

    /** @return the URL of the published JWKS */
    public String jwksUri() {
        return trimSlash(issuerUrl) + "/jwks";
    }

    /** @return the {@code kid} of the key that signs new tokens */
    public String keyId() {
        return current.getKeyID();
    }

    /** @return the signing algorithm */
    public String algorithm() {
        return algorithm.getName();
    }

    /** @return the public JWKS document, {@code {"keys":[...]}}, as served */
    public String jwksJson() {
        return new JWKSet(List.copyOf(published)).toPublicJWKSet().toString();
    }

    /** @return just the public keys array, as Anthropic's inline issuers take it */
    public String publicKeysJson() {
        try {
            return JSON.writeValueAsString(JSON.readTree(jwksJson()).get("keys"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts signing with a new key and publishes it beside the old ones, as an issuer does when it
     * rotates keys.
     *
     * @return the new key's {@code kid}
     */
    public String rotateKey() {
        JWK next = generate();
        published.add(next);
        current = next;
        return next.getKeyID();
    }

    /**
     * Stops publishing a key, so tokens it signed no longer verify against a fresh JWKS.
     *
     * @param keyId the key's {@code kid}
     */
    public void unpublish(String keyId) {
        published.removeIf(k -> k.getKeyID().equals(keyId));
    }

    /** @return {@code http://127.0.0.1:<port>}, the issuer's host without its path */
    String hostUrl() {
        return baseUrl();
    }

    /** @return how many times the discovery document was fetched */
    public int discoveryRequests() {
        return discoveryRequests.get();
    }

    /** @return how many times the JWKS was fetched */
    public int jwksRequests() {
        return jwksRequests.get();
    }

    /** @return a builder for one token, with the defaults described on {@link TokenBuilder} */
    public TokenBuilder mint() {
        return new TokenBuilder();
    }

    @Override
    public String toString() {
        return "OidcIssuer[" + issuerUrl + ", " + algorithm + "]";
    }

    private String discoveryDocument() {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("issuer", issuerUrl);
        doc.put("jwks_uri", jwksUri());
        doc.putArray("id_token_signing_alg_values_supported").add(algorithm.getName());
        doc.putArray("response_types_supported").add("id_token");
        doc.putArray("subject_types_supported").add("public");
        return doc.toString();
    }

    private JWK generate() {
        String kid = "key-" + keyCounter.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            if (JWSAlgorithm.Family.EC.contains(algorithm)) {
                return new ECKeyGenerator(Curve.forJWSAlgorithm(algorithm).iterator().next())
                        .keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(algorithm).generate();
            }
            return new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(algorithm).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a " + algorithm + " key", e);
        }
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Configures an {@link OidcIssuer} before it starts. */
    public static final class Builder extends LoopbackEmulator.Builder<Builder, OidcIssuer> {
        private JWSAlgorithm algorithm = JWSAlgorithm.RS256;
        private String path = "";

        private Builder() {
        }

        /**
         * Sets the signing algorithm: RS256/384/512, PS256/384/512 or ES256/384/512.
         *
         * @param name the JOSE algorithm name
         * @return this builder
         */
        public Builder algorithm(String name) {
            JWSAlgorithm alg = JWSAlgorithm.parse(name);
            if (!JWSAlgorithm.Family.RSA.contains(alg) && !JWSAlgorithm.Family.EC.contains(alg)
                    || alg.equals(JWSAlgorithm.ES256K)) {
                throw new IllegalArgumentException("an issuer signs with RS*, PS* or ES256/384/512, not " + name);
            }
            this.algorithm = alg;
            return this;
        }

        /**
         * Puts the issuer below a path, e.g. {@code /id/ABC} or {@code /application/o/claude/} (a trailing
         * slash becomes part of the issuer URL, as with authentik).
         *
         * @param path the path, starting with {@code /}
         * @return this builder
         */
        public Builder path(String path) {
            if (!path.isEmpty() && !path.startsWith("/")) {
                throw new IllegalArgumentException("an issuer path starts with '/': " + path);
            }
            this.path = path;
            return this;
        }

        @Override
        public OidcIssuer start() {
            return new OidcIssuer(this);
        }
    }

    /**
     * One token to mint. Defaults: {@code iss} the issuer URL, {@code sub} {@code workload}, {@code aud}
     * {@value OidcIssuer#DEFAULT_AUDIENCE}, {@code iat} and {@code nbf} now, {@code exp} one hour later,
     * a random {@code jti}, the current key's {@code kid}, and {@code typ: JWT}.
     */
    public final class TokenBuilder {
        private final Map<String, Object> claims = new LinkedHashMap<>();
        private final Set<String> removed = new HashSet<>();
        private Instant issuedAt = clock.instant();
        private Duration lifetime = Duration.ofHours(1);
        private Instant expiresAt;
        private Instant notBefore;
        private String keyId;
        private boolean withoutKeyId;
        private byte[] hmacSecret;
        private boolean unsigned;
        private boolean foreignKey;

        private TokenBuilder() {
            claims.put("iss", issuerUrl);
            claims.put("sub", "workload");
            claims.put("aud", DEFAULT_AUDIENCE);
            claims.put("jti", UUID.randomUUID().toString());
        }

        /**
         * @param subject the {@code sub}
         * @return this builder
         */
        public TokenBuilder subject(String subject) {
            return claim("sub", subject);
        }

        /**
         * @param issuer an {@code iss} other than this issuer's URL
         * @return this builder
         */
        public TokenBuilder issuer(String issuer) {
            return claim("iss", issuer);
        }

        /**
         * Sets {@code aud}: a string for one value, an array for several.
         *
         * @param audiences the audiences
         * @return this builder
         */
        public TokenBuilder audience(String... audiences) {
            return claim("aud", audiences.length == 1 ? audiences[0] : List.of(audiences));
        }

        /**
         * @param jwtId the {@code jti}
         * @return this builder
         */
        public TokenBuilder jwtId(String jwtId) {
            return claim("jti", jwtId);
        }

        /**
         * Sets any claim: strings, numbers, booleans, lists and maps (nested claims such as
         * {@code google.compute_engine}).
         *
         * @param name the claim name
         * @param value the value
         * @return this builder
         */
        public TokenBuilder claim(String name, Object value) {
            claims.put(name, Objects.requireNonNull(value, "value"));
            removed.remove(name);
            return this;
        }

        /**
         * Leaves a claim out, default ones included ({@code sub}, {@code iat}, {@code exp}, {@code jti}...).
         *
         * @param name the claim name
         * @return this builder
         */
        public TokenBuilder without(String name) {
            claims.remove(name);
            removed.add(name);
            return this;
        }

        /**
         * @param instant the {@code iat} (also the default {@code nbf})
         * @return this builder
         */
        public TokenBuilder issuedAt(Instant instant) {
            this.issuedAt = Objects.requireNonNull(instant);
            return this;
        }

        /**
         * @param lifetime {@code exp - iat}
         * @return this builder
         */
        public TokenBuilder lifetime(Duration lifetime) {
            this.lifetime = Objects.requireNonNull(lifetime);
            this.expiresAt = null;
            return this;
        }

        /**
         * @param instant the {@code exp}
         * @return this builder
         */
        public TokenBuilder expiresAt(Instant instant) {
            this.expiresAt = Objects.requireNonNull(instant);
            return this;
        }

        /**
         * @param instant the {@code nbf}
         * @return this builder
         */
        public TokenBuilder notBefore(Instant instant) {
            this.notBefore = Objects.requireNonNull(instant);
            return this;
        }

        /**
         * @param keyId a {@code kid} header other than the signing key's
         * @return this builder
         */
        public TokenBuilder keyId(String keyId) {
            this.keyId = keyId;
            return this;
        }

        /** @return this builder, with no {@code kid} header */
        public TokenBuilder withoutKeyId() {
            this.withoutKeyId = true;
            return this;
        }

        /**
         * Signs with HS256 and a shared secret instead of the issuer's key; Anthropic refuses it.
         *
         * @param secret the secret, at least 32 bytes
         * @return this builder
         */
        public TokenBuilder signedWithHmac(String secret) {
            this.hmacSecret = secret.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /** @return this builder, minting an unsecured JWT ({@code alg: none}) */
        public TokenBuilder unsigned() {
            this.unsigned = true;
            return this;
        }

        /** @return this builder, signing with a key the issuer never published, under the current {@code kid} */
        public TokenBuilder signedWithUnpublishedKey() {
            this.foreignKey = true;
            return this;
        }

        /** @return the compact serialization of the token */
        public String sign() {
            JWTClaimsSet.Builder set = new JWTClaimsSet.Builder();
            claims.forEach(set::claim);
            if (!removed.contains("iat")) {
                set.issueTime(Date.from(issuedAt));
            }
            if (!removed.contains("nbf")) {
                set.notBeforeTime(Date.from(notBefore != null ? notBefore : issuedAt));
            }
            if (!removed.contains("exp")) {
                set.expirationTime(Date.from(expiresAt != null ? expiresAt : issuedAt.plus(lifetime)));
            }
            if (claims.get("aud") instanceof List<?> list) {
                List<String> values = new ArrayList<>();
                list.forEach(v -> values.add(String.valueOf(v)));
                set.audience(values);
            }
            JWTClaimsSet claimSet = set.build();
            if (unsigned) {
                return new PlainJWT(claimSet).serialize();
            }
            try {
                JWK key = current;
                JWSAlgorithm alg = algorithm;
                JWSSigner signer;
                if (hmacSecret != null) {
                    alg = JWSAlgorithm.HS256;
                    signer = new MACSigner(hmacSecret);
                } else {
                    JWK signing = foreignKey ? unpublishedKey() : key;
                    signer = signing instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) signing);
                }
                JWSHeader.Builder header = new JWSHeader.Builder(alg).type(JOSEObjectType.JWT);
                if (!withoutKeyId) {
                    header.keyID(keyId != null ? keyId : key.getKeyID());
                }
                SignedJWT jwt = new SignedJWT(header.build(), claimSet);
                jwt.sign(signer);
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException("cannot sign: " + e.getMessage(), e);
            }
        }

        private JWK unpublishedKey() {
            return generate();
        }
    }
}
