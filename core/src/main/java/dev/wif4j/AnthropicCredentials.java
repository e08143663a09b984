package dev.wif4j;

import java.util.Optional;

/**
 * A fresh Anthropic access token whenever one is asked for: the cache in front of the token
 * exchange. Thread-safe.
 *
 * <p>Refresh follows Anthropic's documented semantics: with more than 120 s left the cached
 * token is returned; between 120 s and 30 s it is returned and one background refresh starts
 * (on failure the still-valid token keeps being served and the next try waits 5 s). The
 * background refresh starts at a point drawn at random for each token between 120 s and 60 s
 * before expiry, so that workloads started together do not refresh together. With 30 s
 * or less, or no token, callers block on one shared refresh and a failure is thrown to every
 * one of them. A token past its expiry is never returned.
 */
public interface AnthropicCredentials {

    /**
     * A valid access token. Reading a fresh cached token takes no lock and allocates nothing. When a
     * new token is needed, one exchange runs for all callers; it ends within 30 s (at most three
     * attempts, each with a new identity token), and a caller waits for it at most 60 s in any case.
     *
     * @return the token; never {@code null}
     * @throws TokenExchangeException if an exchange was needed and failed
     * @throws WorkloadIdentityException if no identity token could be obtained
     */
    AccessToken token();

    /**
     * Drops the cached token because the API refused it (HTTP 401), so the next
     * {@link #token()} exchanges a new one. Only the given token is dropped: when many requests
     * fail with the same token at once, the first call invalidates it and the later ones do not
     * throw away the replacement.
     *
     * <p>A 401 drops a {@link WorkloadIdentity}'s token at most once per 60 s: within 60 s of the last
     * such drop the token stays cached and {@link #token()} keeps returning it, so the callers that
     * replay only with a different token (the interceptors, {@link HttpAuthorization}) return the 401
     * instead. An API or a gateway that refuses every token therefore costs at most one exchange a
     * minute, not one per call: each exchange spends an identity token, and some (CI job tokens) are
     * accepted once. A replacement revoked within that minute is dropped at its first 401 after it.
     *
     * @param rejected the token the API refused; never {@code null}
     */
    void invalidate(AccessToken rejected);

    /** Drops whatever token is cached. */
    void invalidate();

    /**
     * After the API refused a token (HTTP 401): drops it ({@link #invalidate(AccessToken)}) and says which token to
     * replay the request with. Empty when the credentials kept the refused token (within 60 s of the last drop), so
     * that a replay would only be refused again: the caller returns the 401 instead. The one replay decision of
     * {@link HttpAuthorization} and the interceptors.
     *
     * @param rejected the token the API refused; never {@code null}
     * @return a different token to replay with, or empty to keep the 401
     * @throws TokenExchangeException if the exchange for a new token failed
     * @throws WorkloadIdentityException if no identity token could be obtained
     */
    default Optional<AccessToken> replacementFor(AccessToken rejected) {
        invalidate(rejected);
        AccessToken fresh = token();
        return fresh.equals(rejected) ? Optional.empty() : Optional.of(fresh);
    }

    /**
     * Where these tokens may be sent: {@link HttpAuthorization} and the interceptors check every request
     * against it before they fetch or attach a token. A {@link WorkloadIdentity}'s credentials return its
     * {@link WorkloadIdentity#tokenScope()}; the default, for credentials that know no configuration, is
     * {@link TokenScope#fromEnvironment()}: {@code https://api.anthropic.com}, {@code ANTHROPIC_BASE_URL}'s
     * origin and {@code WIF4J_ALLOWED_ORIGINS}.
     *
     * @return the scope
     * @throws ConfigurationException if the default's variables hold a URL that is not allowed
     */
    default TokenScope tokenScope() {
        return TokenScope.fromEnvironment();
    }
}
