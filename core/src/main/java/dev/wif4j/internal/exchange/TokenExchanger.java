package dev.wif4j.internal.exchange;

import dev.wif4j.AccessToken;
import dev.wif4j.FederationSettings;
import dev.wif4j.HttpTransport;
import dev.wif4j.IdentityProviderException;
import dev.wif4j.TokenExchangeException;
import dev.wif4j.WorkloadIdentityListener;
import dev.wif4j.internal.events.Listeners;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Trades an identity token for an Anthropic access token at {@code POST <base>/v1/oauth/token}
 * (PROTOCOL.md §1–3). Every attempt asks the identity source for a new token, because Anthropic
 * accepts each {@code jti} once. Network failures, 408, 429 and 5xx are retried a bounded number
 * of times with exponential backoff, jitter and {@code Retry-After}; anything else fails at once.
 *
 * <p>This class runs one attempt; its parts each do one job: {@link RetryLoop} (attempts, pauses, deadline),
 * {@link GuardedFetch} (the bounded identity-token fetch), {@link ExchangeRequests} (the request),
 * {@link ExchangeFailures} (errors and hints) and {@link TokenResponseParser} (the 2xx answer).
 */
public final class TokenExchanger implements Supplier<AccessToken>, RetryLoop.Attempt<AccessToken> {
    /** Anthropic refuses larger assertions; checking first saves a round trip and a jti. */
    public static final int MAX_ASSERTION_BYTES = 16 * 1024;
    /** A token response is a few hundred bytes; anything past this is refused unread. */
    public static final int MAX_RESPONSE_BYTES = 1024 * 1024;

    /**
     * How patient the exchange is. One {@link #exchange()} ends within {@code deadline} (plus the
     * fetch grace), however many attempts it makes: no attempt starts and no pause runs past it.
     *
     * @param attemptTimeout the longest one exchange request may take, body included
     * @param maxAttempts attempts in all, at least 1
     * @param initialBackoff the pause before the second attempt (before jitter)
     * @param maxBackoff the longest pause between attempts
     * @param maxRetryAfter the longest {@code Retry-After} honoured; a longer one fails at once
     * @param deadline the longest one exchange may take, every attempt and pause included
     * @param fetchTimeout the longest one identity-token fetch may take before the exchange stops waiting
     */
    public record Options(Duration attemptTimeout, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
            Duration maxRetryAfter, Duration deadline, Duration fetchTimeout) {
        /**
         * Validates the options.
         *
         * @param attemptTimeout the longest one attempt may take
         * @param maxAttempts attempts in all
         * @param initialBackoff the first pause
         * @param maxBackoff the longest pause
         * @param maxRetryAfter the longest Retry-After honoured
         * @param deadline the longest one exchange may take
         * @param fetchTimeout the longest one fetch may take
         */
        public Options {
            if (maxAttempts < 1 || maxAttempts > 10) {
                throw new IllegalArgumentException("maxAttempts must be between 1 and 10, not " + maxAttempts);
            }
            check(attemptTimeout, "attemptTimeout", false);
            check(deadline, "deadline", false);
            check(fetchTimeout, "fetchTimeout", false);
            check(initialBackoff, "initialBackoff", true);
            check(maxBackoff, "maxBackoff", true);
            check(maxRetryAfter, "maxRetryAfter", true);
        }

        private static void check(Duration value, String name, boolean zeroAllowed) {
            if (Objects.requireNonNull(value, name).isNegative() || (!zeroAllowed && value.isZero())) {
                throw new IllegalArgumentException(name + " must be " + (zeroAllowed ? "zero or more" : "positive")
                        + ", not " + value);
            }
        }

        /**
         * The options with the default deadline (30 s) and fetch timeout (10 s).
         *
         * @param attemptTimeout the longest one attempt may take
         * @param maxAttempts attempts in all
         * @param initialBackoff the first pause
         * @param maxBackoff the longest pause
         * @param maxRetryAfter the longest Retry-After honoured
         */
        public Options(Duration attemptTimeout, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
                Duration maxRetryAfter) {
            // Not DEFAULT_DEADLINE: the builder makes Options for detect() too, which needs no exchanger loaded.
            this(attemptTimeout, maxAttempts, initialBackoff, maxBackoff, maxRetryAfter, Duration.ofSeconds(30),
                    Duration.ofSeconds(10));
        }

        /**
         * 30 s per attempt, 3 attempts, backoff from 0.5 s to 5 s, {@code Retry-After} up to 30 s, 30 s in
         * all, 10 s per fetch.
         *
         * @return the defaults
         */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(30), 3, Duration.ofMillis(500), Duration.ofSeconds(5),
                    Duration.ofSeconds(30));
        }

        /**
         * These options with another fetch timeout.
         *
         * @param timeout the longest one fetch may take
         * @return the new options
         */
        public Options withFetchTimeout(Duration timeout) {
            return new Options(attemptTimeout, maxAttempts, initialBackoff, maxBackoff, maxRetryAfter, deadline,
                    timeout);
        }

        /**
         * These options with another attempt timeout.
         *
         * @param timeout the longest one attempt may take
         * @return the new options
         */
        public Options withAttemptTimeout(Duration timeout) {
            return new Options(timeout, maxAttempts, initialBackoff, maxBackoff, maxRetryAfter, deadline, fetchTimeout);
        }

        /**
         * These options with other retries.
         *
         * @param attempts attempts in all
         * @param first the first pause
         * @param longest the longest pause
         * @return the new options
         */
        public Options withRetries(int attempts, Duration first, Duration longest) {
            return new Options(attemptTimeout, attempts, first, longest, maxRetryAfter, deadline, fetchTimeout);
        }
    }

    /** The bound of one exchange, every attempt and pause included: a failed token() costs at most this. */
    public static final Duration DEFAULT_DEADLINE = Options.defaults().deadline();

    private final FederationSettings settings;
    private final IdentityTokenSource source;
    private final HttpTransport transport;
    private final Clock clock;
    private final Options options;
    private final URI endpoint;
    private final RejectionDiagnosis diagnosis = new RejectionDiagnosis();
    private final String providerId;
    private final Listeners listeners;
    private final RetryLoop loop;
    private final GuardedFetch fetcher;
    private final ExchangeRequests requests;
    private final ExchangeFailures failures;
    /**
     * Creates the exchanger.
     *
     * @param settings rule, organization, base URL
     * @param source where identity tokens come from
     * @param transport sends the request
     * @param clock the clock expiries are computed with
     * @param options retries and timeouts
     * @param userAgent the {@code User-Agent} header
     * @param audience the audience identity tokens are expected to carry, for the hint after a denial
     * @param providerId the provider's id, for listeners
     * @param listeners told of each fetch and exchange
     */
    public TokenExchanger(FederationSettings settings, IdentityTokenSource source, HttpTransport transport,
            Clock clock, Options options, String userAgent, String audience, String providerId, Listeners listeners) {
        this(settings, source, transport, clock, options, userAgent, audience, providerId, listeners,
                null, null);
    }

    /**
     * As the public constructor, with the time the retry loop pauses and keeps its deadline with (for tests;
     * {@code null} for the system's).
     */
    TokenExchanger(FederationSettings settings, IdentityTokenSource source, HttpTransport transport, Clock clock,
            Options options, String userAgent, String audience, String providerId, Listeners listeners,
            RetryLoop.Sleeper sleeper, LongSupplier nanoTime) {
        this.settings = settings;
        this.source = source;
        this.transport = Objects.requireNonNull(transport, "transport");
        this.providerId = Objects.requireNonNull(providerId, "providerId");
        this.listeners = Objects.requireNonNull(listeners, "listeners");
        this.clock = clock;
        this.options = options;
        this.endpoint = settings.tokenEndpoint();
        this.failures = new ExchangeFailures(settings, Objects.requireNonNull(audience, "audience"), clock,
                options.maxAttempts());
        this.requests = new ExchangeRequests(settings, userAgent);
        this.loop = new RetryLoop(options, sleeper, nanoTime, failures);
        this.fetcher = new GuardedFetch(source, options.fetchTimeout(), loop, providerId, listeners);
    }

    /**
     * Performs the exchange, retrying transient failures.
     *
     * @return the access token
     * @throws TokenExchangeException if the endpoint refused or could not be reached
     * @throws IdentityProviderException if no identity token could be obtained
     */
    public AccessToken exchange() {
        RetryLoop.Outcome<AccessToken> outcome = loop.run(this);
        RuntimeException failure = outcome.failure();
        // Inside the loop a provider's failure stays the SPI's, whose isRetryable() the attempts go by; what the
        // application (and a listener's exchange event) sees is a WorkloadIdentityException with the same message.
        if (failure instanceof IdentityTokenException e) {
            failure = new IdentityProviderException(e);
        }
        if (!listeners.isEmpty()) {
            listeners.exchanged(new WorkloadIdentityListener.TokenExchange(providerId, outcome.elapsed(),
                    outcome.attempts(), Optional.ofNullable(outcome.value()).map(AccessToken::expiresAt),
                    Optional.ofNullable(failure)));
        }
        if (failure != null) {
            throw failure;
        }
        return outcome.value();
    }

    /**
     * The exchange, as the token cache calls it: {@link #exchange()}.
     *
     * @return the access token
     */
    @Override
    public AccessToken get() {
        return exchange();
    }

    /**
     * One attempt, as the retry loop runs it: the exchanger is the loop's attempt itself rather than a lambda or
     * another class, as every function object on the first exchange's path is (each class costs a cold JVM time).
     *
     * @param end the {@code nanoTime} past which no work may run
     * @return the access token
     * @throws Retryable if another attempt may succeed
     */
    @Override
    public AccessToken run(long end) throws Retryable {
        IdentityToken token;
        try {
            token = fetcher.fetch(end);
        } catch (IdentityTokenException e) {
            if (e.isRetryable()) {
                throw new Retryable(e, null);
            }
            throw e;
        }
        if (token == null) {
            throw new IdentityTokenException("The identity token source " + source + " returned no token.");
        }
        byte[] assertion = token.serialized().getBytes(StandardCharsets.UTF_8);
        if (assertion.length > MAX_ASSERTION_BYTES) {
            throw new IdentityTokenException("The identity token is " + assertion.length + " bytes; Anthropic "
                    + "refuses assertions over " + MAX_ASSERTION_BYTES + " bytes, so it was not sent.");
        }
        Duration timeout = loop.remaining(end, options.attemptTimeout());
        HttpTransport.Request request = requests.build(token, timeout);
        Instant sentAt = clock.instant();
        Instant sentBefore = diagnosis.recordSent(token, sentAt);
        HttpTransport.Response response = failures.send(transport, request, timeout);
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return TokenResponseParser.parse(response.body(), status, response.header("request-id").orElse(null),
                    sentAt, endpoint);
        }
        throw failures.status(response, token, sentBefore, options.maxRetryAfter());
    }

    @Override
    public String toString() {
        return "TokenExchanger[" + endpoint + ", rule=" + settings.federationRuleId() + "]";
    }
}
