package dev.wif4j.spi;

/**
 * Produces identity tokens (OIDC JWTs) from one upstream source, opened by
 * {@link IdentityProvider#open(DetectionContext)}.
 *
 * <p>{@link #fetch()} must return a <em>new</em> token on every call, read or minted afresh:
 * Anthropic accepts each {@code jti} once, so a cached upstream token would be refused as a
 * replay. Implementations must be safe to call from several threads.
 *
 * <h2>One attempt per fetch; wif4j owns retries</h2>
 * A fetch is <em>one bounded attempt</em>: one call to the upstream (two where the protocol has
 * two legs, such as a discovery document or a federated hop), finished, body included, within
 * {@link DetectionContext#fetchTimeout()}. A source never retries by itself, and switches off or
 * counts inside that bound the retries of any cloud library it uses
 * ({@link dev.wif4j.spi.support.BoundedHttp} is the shape of such a call). Retrying is the
 * exchange's job: it asks for a new token for each attempt (at most 3 by default, with backoff,
 * jitter and {@code Retry-After}), stops waiting for a fetch shortly after its timeout, and gives
 * up on one exchange after 30 s. So one failed exchange costs at most a handful of upstream calls
 * and a bounded time, whatever the source, and a source tells the exchange what is worth another
 * attempt through {@link IdentityTokenException#isRetryable()}: network failures, timeouts, 408,
 * 429 and 5xx are; a refused credential or a missing setting is not.
 */
public interface IdentityTokenSource extends AutoCloseable {

    /**
     * Obtains a fresh identity token.
     *
     * @return the token; never {@code null}
     * @throws IdentityTokenException if no token could be obtained; the message says why and
     *     how to fix it, and never contains a token
     */
    IdentityToken fetch();

    /** Releases what the source holds (HTTP clients, threads). The default does nothing. */
    @Override
    default void close() {}
}
