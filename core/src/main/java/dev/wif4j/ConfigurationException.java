package dev.wif4j;

import java.io.Serial;

/**
 * A setting is missing or invalid: a profile name with a path separator, a base URL that is
 * neither https nor loopback, an unknown provider id, a missing federation rule id. Thrown when
 * {@link WorkloadIdentity} is built, never later (or when {@link TokenScope#fromEnvironment()}, the
 * default scope of credentials that have none, is first read), and the message names the value and
 * what is allowed.
 */
public class ConfigurationException extends WorkloadIdentityException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the setting, its value (never a secret) and what is allowed
     */
    public ConfigurationException(String message) {
        this(message, null);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message the setting, its value (never a secret) and what is allowed
     * @param cause the underlying failure, such as an unreadable profile file
     */
    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
