package dev.wif4j.spi;

import java.io.Serial;

/**
 * An identity token could not be obtained from the upstream source: a missing or empty token
 * file, a metadata server that answered 404, a refused client secret.
 *
 * <p>{@link #isRetryable()} tells the exchange whether another attempt may succeed (a network
 * failure or a 5xx from the issuer) or not (a configuration problem). Messages never contain
 * the token itself.
 *
 * <p>Which side throws which: providers and the support kit throw this, and so do the SPI-level
 * objects themselves ({@link IdentityProvider#open open}, {@link IdentityTokenSource#fetch fetch},
 * {@link IdentityToken#parse parse}). What an application calls on {@code dev.wif4j.WorkloadIdentity}
 * and its credentials reports a provider's failure as a {@code dev.wif4j.IdentityProviderException}
 * (a {@code WorkloadIdentityException}) with the same message and this exception as its cause, or
 * a {@code ConfigurationException} when {@code build()} met a bad provider setting. It extends
 * {@link RuntimeException}, not {@code WorkloadIdentityException}, so that the SPI depends on
 * nothing of core's public API or its implementation.
 */
public class IdentityTokenException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Whether another attempt may succeed. */
    private final boolean retryable;

    /**
     * Creates a non-retryable failure.
     *
     * @param message what failed and how to fix it; never {@code null}
     */
    public IdentityTokenException(String message) {
        this(message, null, false);
    }

    /**
     * Creates a non-retryable failure with a cause.
     *
     * @param message what failed and how to fix it; never {@code null}
     * @param cause the underlying failure; may be {@code null}
     */
    public IdentityTokenException(String message, Throwable cause) {
        this(message, cause, false);
    }

    /**
     * Creates a failure and says whether a later attempt may succeed.
     *
     * @param message what failed and how to fix it; never {@code null}
     * @param cause the underlying failure; may be {@code null}
     * @param retryable {@code true} for transient failures (network, 5xx, throttling)
     */
    public IdentityTokenException(String message, Throwable cause, boolean retryable) {
        super(message, cause);
        this.retryable = retryable;
    }

    /**
     * Whether a later attempt may succeed.
     *
     * @return {@code true} for transient failures
     */
    public boolean isRetryable() {
        return retryable;
    }
}
