package dev.wif4j.spi;

/**
 * Produces identity tokens (OIDC JWTs) from one upstream source, opened by
 * {@link IdentityProvider#open(DetectionContext)}.
 *
 * <p>{@link #fetch()} must return a <em>new</em> token on every call, read or minted afresh:
 * Anthropic accepts each {@code jti} once, so a cached upstream token would be refused as a
 * replay. Implementations must be safe to call from several threads.
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
