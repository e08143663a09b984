package dev.wif4j;

import java.io.Serial;

/**
 * The base of every failure wif4j reports: configuration, detection, identity tokens and the
 * token exchange. Unchecked, so that a token lookup can sit in a lambda or an HTTP interceptor.
 *
 * <p>Messages never contain a secret: identity tokens and access tokens appear, if at all, as
 * their last four characters.
 */
public class WorkloadIdentityException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message a user can act on.
     *
     * @param message what went wrong and, where known, how to fix it; never {@code null}
     */
    public WorkloadIdentityException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and the failure that caused it.
     *
     * @param message what went wrong and, where known, how to fix it; never {@code null}
     * @param cause the underlying failure; may be {@code null}
     */
    public WorkloadIdentityException(String message, Throwable cause) {
        super(message, cause);
    }
}
