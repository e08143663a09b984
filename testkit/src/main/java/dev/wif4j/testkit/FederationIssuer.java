package dev.wif4j.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * A federation issuer as registered in Anthropic's Console ({@code fdis_...}): the {@code issuer_url}
 * a token's {@code iss} must equal byte for byte, where its keys come from, the longest JWT lifetime
 * it accepts, and whether a {@code jti} may be used once only. For {@link AnthropicEmulator#addIssuer}.
 */
public final class FederationIssuer {

    /** How the emulator finds an issuer's keys. */
    public enum JwksMode {
        /** {@code <issuer_url or discovery_base>/.well-known/openid-configuration}, then its {@code jwks_uri}. */
        DISCOVERY,
        /** A JWKS at a given URL. */
        EXPLICIT_URL,
        /** Keys pasted into the issuer; never refreshed. */
        INLINE
    }

    private final String issuerUrl;
    private final JwksMode mode;
    private final String location;
    private Duration maxJwtLifetime = Duration.ofHours(1);
    private boolean checkJti = true;

    private FederationIssuer(String issuerUrl, JwksMode mode, String location) {
        this.issuerUrl = Objects.requireNonNull(issuerUrl, "issuerUrl");
        this.mode = mode;
        this.location = location;
    }

    /**
     * An issuer whose keys are found through OIDC discovery at its own URL.
     *
     * @param issuerUrl the {@code issuer_url}
     * @return the issuer
     */
    public static FederationIssuer discovery(String issuerUrl) {
        return new FederationIssuer(issuerUrl, JwksMode.DISCOVERY, issuerUrl);
    }

    /**
     * The issuer for an {@link OidcIssuer}, by discovery.
     *
     * @param issuer the running issuer
     * @return the issuer
     */
    public static FederationIssuer of(OidcIssuer issuer) {
        return discovery(issuer.issuerUrl());
    }

    /**
     * An issuer whose discovery document lives elsewhere than its {@code issuer_url} ({@code discovery_base}).
     *
     * @param issuerUrl the {@code issuer_url}
     * @param discoveryBase the base URL below which {@code .well-known/openid-configuration} lives
     * @return the issuer
     */
    public static FederationIssuer discovery(String issuerUrl, String discoveryBase) {
        return new FederationIssuer(issuerUrl, JwksMode.DISCOVERY, Objects.requireNonNull(discoveryBase));
    }

    /**
     * An issuer whose JWKS is at a given URL.
     *
     * @param issuerUrl the {@code issuer_url}
     * @param jwksUrl the JWKS URL
     * @return the issuer
     */
    public static FederationIssuer explicitUrl(String issuerUrl, String jwksUrl) {
        return new FederationIssuer(issuerUrl, JwksMode.EXPLICIT_URL, Objects.requireNonNull(jwksUrl));
    }

    /**
     * An issuer with pasted keys, as for a private Kubernetes cluster.
     *
     * @param issuerUrl the {@code issuer_url}
     * @param keysJson the JSON array of public JWKs (or a whole {@code {"keys":[...]}} document)
     * @return the issuer
     */
    public static FederationIssuer inline(String issuerUrl, String keysJson) {
        return new FederationIssuer(issuerUrl, JwksMode.INLINE, Objects.requireNonNull(keysJson));
    }

    /**
     * Sets {@code max_jwt_lifetime_seconds}, the largest {@code exp - iat} accepted (default one hour).
     *
     * @param lifetime the maximum, 1 s to 49 h
     * @return this issuer
     */
    public FederationIssuer maxJwtLifetime(Duration lifetime) {
        long seconds = lifetime.toSeconds();
        if (seconds < 1 || seconds > 176_400) {
            throw new IllegalArgumentException("max_jwt_lifetime_seconds must be 1 to 176400, not " + seconds);
        }
        this.maxJwtLifetime = lifetime;
        return this;
    }

    /**
     * Sets {@code check_jti} (default on): a token with a {@code jti} is accepted once.
     *
     * @param check whether replays are refused
     * @return this issuer
     */
    public FederationIssuer checkJti(boolean check) {
        this.checkJti = check;
        return this;
    }

    /** @return the {@code issuer_url} */
    public String issuerUrl() {
        return issuerUrl;
    }

    /** @return where the keys come from */
    public JwksMode jwksMode() {
        return mode;
    }

    /** @return the discovery base, the JWKS URL or the inline keys, by {@link #jwksMode()} */
    public String jwksLocation() {
        return location;
    }

    /** @return the largest {@code exp - iat} accepted */
    public Duration maxJwtLifetime() {
        return maxJwtLifetime;
    }

    /** @return whether a {@code jti} may be used once only */
    public boolean checkJti() {
        return checkJti;
    }

    @Override
    public String toString() {
        return "FederationIssuer[" + issuerUrl + ", " + mode + "]";
    }
}
