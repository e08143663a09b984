package dev.wif4j.spi.support;

import dev.wif4j.spi.IdentityTokenException;
import java.io.Serial;

/**
 * A provider setting is missing or malformed. The message names where the value came from (the
 * variable, system property or code setting the user must fix), says what is allowed, and never
 * quotes a secret.
 *
 * <p>{@link dev.wif4j.spi.IdentityProvider#detect detect} never throws, so it catches this and
 * returns {@code Detection.unavailable(e.getMessage())}: the message already says what to fix (wif4j
 * reports one that escapes the same way, as a safety net). Thrown from
 * {@link dev.wif4j.spi.IdentityProvider#open open} or a fetch, it is the
 * {@link IdentityTokenException} the user sees. It is never retryable: the same setting fails the
 * same way again.
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
