package dev.wif4j;

import dev.wif4j.internal.events.Listeners;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Observes the work a {@link WorkloadIdentity} does: each identity-token fetch, each token exchange and
 * each refresh of the cached token. For metrics, logs or traces, with no dependency on any of them; the
 * Spring Boot starter turns these events into Micrometer meters.
 *
 * <pre>{@code
 * WorkloadIdentity identity = WorkloadIdentity.builder()
 *         .listener(new WorkloadIdentityListener() {
 *             @Override
 *             public void tokenExchanged(TokenExchange exchange) {
 *                 log.info("exchange {} in {} ms", exchange.outcome(), exchange.duration().toMillis());
 *             }
 *         })
 *         .build();
 * }</pre>
 *
 * <p>Events are delivered on the thread that did the work, right after it, so a listener must be quick
 * and must not block; it must not call {@link AnthropicCredentials#token()} either. An exception a
 * listener throws is logged and otherwise ignored: it never fails a token request. No event carries a
 * token: failures are the exceptions callers see, whose messages hold no secret.
 */
public interface WorkloadIdentityListener {

    /**
     * One identity-token fetch from the provider, as part of an exchange attempt.
     *
     * @param fetch what happened
     */
    default void identityTokenFetched(IdentityTokenFetch fetch) {}

    /**
     * One token exchange, every attempt and pause included, whether it was started by a refresh or by
     * {@link WorkloadIdentity#exchange()}.
     *
     * @param exchange what happened
     */
    default void tokenExchanged(TokenExchange exchange) {}

    /**
     * One refresh of the cached token, which ran one exchange.
     *
     * @param refresh what happened
     */
    default void tokenRefreshed(TokenRefresh refresh) {}

    /** What every event has: how long the work took and whether it failed. */
    interface Event {
        /**
         * How long the work took.
         *
         * @return the duration
         */
        Duration duration();

        /**
         * Why the work failed.
         *
         * @return the failure; empty when it succeeded
         */
        Optional<RuntimeException> failure();

        /**
         * {@code "success"} or {@code "failure"}: a tag value.
         *
         * @return the outcome
         */
        default String outcome() {
            return failure().isEmpty() ? "success" : "failure";
        }
    }

    /**
     * An identity-token fetch.
     *
     * @param providerId the provider's id ({@code "code"} for a source given in code)
     * @param duration how long the fetch took, as far as the exchange waited for it
     * @param failure why it failed; empty when it returned a token
     */
    record IdentityTokenFetch(String providerId, Duration duration, Optional<RuntimeException> failure)
            implements Event {
        /**
         * Checks the components.
         *
         * @param providerId the provider's id
         * @param duration the time taken
         * @param failure the failure, if any
         */
        public IdentityTokenFetch {
            Objects.requireNonNull(providerId, "providerId");
            Listeners.checkTimed(duration, failure);
        }
    }

    /**
     * A token exchange.
     *
     * @param providerId the provider whose identity tokens were exchanged
     * @param duration how long the exchange took, every attempt and pause included
     * @param attempts how many requests (or fetches that failed before one) it made, at least 1
     * @param expiresAt the new access token's expiry; empty when the exchange failed
     * @param failure why it failed; empty when it succeeded
     */
    record TokenExchange(String providerId, Duration duration, int attempts, Optional<Instant> expiresAt,
            Optional<RuntimeException> failure) implements Event {
        /**
         * Checks the components.
         *
         * @param providerId the provider's id
         * @param duration the time taken
         * @param attempts the attempts made
         * @param expiresAt the new token's expiry, if any
         * @param failure the failure, if any
         */
        public TokenExchange {
            Objects.requireNonNull(providerId, "providerId");
            Objects.requireNonNull(expiresAt, "expiresAt");
            Listeners.checkTimed(duration, failure);
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1, not " + attempts);
            }
        }

        /**
         * What kind of failure, as a tag value from a fixed set, whatever the server says: {@code "none"} on
         * success; the error type the token endpoint named when it is one of the Claude API's
         * ({@code invalid_request_error}, {@code authentication_error}, {@code billing_error},
         * {@code permission_error}, {@code not_found_error}, {@code request_too_large}, {@code rate_limit_error},
         * {@code api_error}, {@code timeout_error}, {@code overloaded_error}) or OAuth's ({@code invalid_request},
         * {@code invalid_client}, {@code invalid_grant}, {@code unauthorized_client},
         * {@code unsupported_grant_type}, {@code invalid_scope}, {@code server_error},
         * {@code temporarily_unavailable}); otherwise {@code "http_<status>"} for the statuses a token endpoint
         * or a proxy commonly answers (400, 401, 403, 404, 405, 407, 408, 409, 413, 415, 422, 429, 500, 502, 503,
         * 504, 529) and {@code "http_2xx"} to {@code "http_5xx"} for the rest; {@code "network"} when it could not
         * be reached; {@code "identity_token"} when no identity token could be obtained; {@code "other"}
         * otherwise.
         *
         * @return the error type
         */
        public String errorType() {
            return failure.map(TokenExchange::typeOf).orElse("none");
        }

        /** The error types a tag may carry: a server's own word would give one meter per distinct answer. */
        private static final Set<String> KNOWN_TYPES = Set.of("invalid_request_error",
                "authentication_error", "billing_error", "permission_error", "not_found_error", "request_too_large",
                "rate_limit_error", "api_error", "timeout_error", "overloaded_error", "invalid_request",
                "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type", "invalid_scope",
                "server_error", "temporarily_unavailable");
        private static final Set<Integer> KNOWN_STATUSES = Set.of(400, 401, 403, 404, 405, 407,
                408, 409, 413, 415, 422, 429, 500, 502, 503, 504, 529);

        private static String typeOf(RuntimeException failure) {
            if (failure instanceof TokenExchangeException e) {
                String type = e.errorType().orElse(null);
                if (type != null && KNOWN_TYPES.contains(type)) {
                    return type;
                }
                int status = e.statusCode();
                if (status <= 0) {
                    return "network";
                }
                if (KNOWN_STATUSES.contains(status)) {
                    return "http_" + status;
                }
                return status >= 200 && status < 600 ? "http_" + status / 100 + "xx" : "other";
            }
            if (failure instanceof IdentityProviderException || failure instanceof dev.wif4j.spi.IdentityTokenException) {
                return "identity_token";
            }
            return "other";
        }
    }

    /**
     * Why the cached token was refreshed.
     */
    enum RefreshReason {
        /** In the advisory window: in the background, while the cached token is still served. */
        ADVISORY,
        /** No usable token (the first one, or 30 s or less left): callers waited for it. */
        MANDATORY,
        /** The application dropped the cached token ({@link AnthropicCredentials#invalidate()}). */
        FORCED,
        /** The API refused the cached token with 401 ({@link AnthropicCredentials#invalidate(AccessToken)}). */
        UNAUTHORIZED;

        /**
         * The reason in lower case, as a tag value: {@code "advisory"}, {@code "mandatory"}, {@code "forced"}
         * or {@code "unauthorized"}.
         *
         * @return the tag value
         */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A refresh of the cached token.
     *
     * @param reason why it ran
     * @param duration how long it took
     * @param failure why it failed; empty when a new token is cached
     */
    record TokenRefresh(RefreshReason reason, Duration duration, Optional<RuntimeException> failure)
            implements Event {
        /**
         * Checks the components.
         *
         * @param reason why it ran
         * @param duration the time taken
         * @param failure the failure, if any
         */
        public TokenRefresh {
            Objects.requireNonNull(reason, "reason");
            Listeners.checkTimed(duration, failure);
        }
    }
}
