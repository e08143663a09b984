package dev.wif4j;

import dev.wif4j.spi.internal.Redaction;
import dev.wif4j.spi.support.Text;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A short-lived Anthropic access token ({@code sk-ant-oat01-…}) minted by the token exchange,
 * with its expiry. Immutable; {@link #toString()} shows only the last four characters.
 *
 * <p>{@link #authorizationHeaderValue()} is computed once, so attaching the token to a request
 * allocates nothing.
 */
public final class AccessToken {
    private final String value;
    private final long expiresAtMillis;
    private final String scope;
    private final String authorization;

    /**
     * Creates a token.
     *
     * @param value the access token; never {@code null} or blank
     * @param expiresAt when it expires; never {@code null}
     * @param scope the OAuth scope the rule granted; may be {@code null}
     */
    public AccessToken(String value, Instant expiresAt, String scope) {
        this.value = Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("an access token cannot be blank");
        }
        this.expiresAtMillis = Objects.requireNonNull(expiresAt, "expiresAt").toEpochMilli();
        this.scope = scope;
        this.authorization = "Bearer " + value;
    }

    /**
     * The secret token, for an {@code Authorization: Bearer} header.
     *
     * @return the token
     */
    public String value() {
        return value;
    }

    /**
     * {@code "Bearer " + value()}, precomputed.
     *
     * @return the {@code Authorization} header value
     */
    public String authorizationHeaderValue() {
        return authorization;
    }

    /**
     * When the token expires, by the local clock at the time of the exchange.
     *
     * @return the expiry
     */
    public Instant expiresAt() {
        return Instant.ofEpochMilli(expiresAtMillis);
    }

    /**
     * The expiry in epoch milliseconds, for allocation-free comparisons.
     *
     * @return the expiry
     */
    public long expiresAtMillis() {
        return expiresAtMillis;
    }

    /**
     * The OAuth scope the federation rule granted, if the server said.
     *
     * @return e.g. {@code "workspace:developer"}
     */
    public Optional<String> scope() {
        return Optional.ofNullable(scope);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccessToken t && t.value.equals(value) && t.expiresAtMillis == expiresAtMillis;
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** The last four characters, the expiry and the scope; never the token. */
    @Override
    public String toString() {
        // The scope is the server's text: it may echo the token itself, or hold control characters.
        String shownScope = scope == null ? null : scope.contains(value) ? "[holds the token]"
                : Text.escape(Redaction.scrub(scope), 200);
        return "AccessToken[" + Redaction.lastFour(value) + ", expiresAt=" + expiresAt()
                + (shownScope == null ? "" : ", scope=" + shownScope) + "]";
    }
}
