package dev.wif4j.spi.support;

import dev.wif4j.spi.IdentityTokenException;
import java.io.Serial;

/**
 * A provider setting is missing or malformed. The message names where the value came from (the
 * variable, system property or code setting the user must fix), says what is allowed, and never
 * quotes a secret.
 *
 * <p>Let it propagate from {@link dev.wif4j.spi.IdentityProvider#detect detect}: detection reports the
 * provider unavailable with this message (scrubbed, as a safety net), so no provider catches it there.
 * Thrown from {@link dev.wif4j.spi.IdentityProvider#open open}, the application's {@code build()}
 * reports it as a {@code dev.wif4j.ConfigurationException} with the same message; thrown from a
 * fetch, as the {@code dev.wif4j.IdentityProviderException} any provider failure becomes. It is
 * never retryable: the same setting fails the same way again.
 */
public final class SettingException extends IdentityTokenException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong and how to fix it; never {@code null}
     */
    public SettingException(String message) {
        super(message);
    }
}
