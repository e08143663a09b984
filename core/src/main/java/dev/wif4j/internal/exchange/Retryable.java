package dev.wif4j.internal.exchange;

import java.time.Duration;

/** A failed attempt that may be tried again, after the server's {@code Retry-After} if it gave one. */
final class Retryable extends Exception {
    private static final long serialVersionUID = 1L;
    final transient RuntimeException failure;
    final transient Duration retryAfter;

    /**
     * @param failure what the caller sees if no attempt is left
     * @param retryAfter the pause the server asked for, or {@code null} for the backoff
     */
    Retryable(RuntimeException failure, Duration retryAfter) {
        super(null, null, false, false);
        this.failure = failure;
        this.retryAfter = retryAfter;
    }
}
