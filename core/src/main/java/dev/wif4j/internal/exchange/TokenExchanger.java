package dev.wif4j.internal.exchange;

import dev.wif4j.AccessToken;
import dev.wif4j.FederationSettings;
import dev.wif4j.HttpTransport;
import dev.wif4j.TokenExchangeException;
import dev.wif4j.WorkloadIdentityListener;
import dev.wif4j.internal.BoundedWait;
import dev.wif4j.internal.Listeners;
import dev.wif4j.internal.http.Durations;
import dev.wif4j.internal.json.Json;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.Text;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/**
 * Trades an identity token for an Anthropic access token at {@code POST <base>/v1/oauth/token}
 * (PROTOCOL.md §1–3). Every attempt asks the identity source for a new token, because Anthropic
 * accepts each {@code jti} once. Network failures, 408, 429 and 5xx are retried a bounded number
 * of times with exponential backoff, jitter and {@code Retry-After}; anything else fails at once.
 */
public final class TokenExchanger {
    /** Anthropic refuses larger assertions; checking first saves a round trip and a jti. */
    public static final int MAX_ASSERTION_BYTES = 16 * 1024;
    /** A token response is a few hundred bytes; anything past this is refused unread. */
    public static final int MAX_RESPONSE_BYTES = 1024 * 1024;
    /** Rules allow at most a day; ten is room for change, more is a broken server. */
    static final long MAX_EXPIRES_IN_SECONDS = 10L * 24 * 3600;

    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    static final String BETA = "oauth-2025-04-20,oidc-federation-2026-04-01";
    static final String HISTORY_URL = "https://platform.claude.com/settings/workload-identity-federation?tab=history";

    /** Looked up when something is logged: the logging back end costs a cold JVM tens of milliseconds. */
    private static System.Logger log() {
        return System.getLogger(TokenExchanger.class.getName());
    }
    /** Anthropic's access tokens are about 100 characters; a header value past this is not one. */
    static final int MAX_ACCESS_TOKEN_CHARS = 4096;

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
            this(attemptTimeout, maxAttempts, initialBackoff, maxBackoff, maxRetryAfter, DEFAULT_DEADLINE,
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
    }

    /** The bound of one exchange, every attempt and pause included: a failed token() costs at most this. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);
    /** How long past its timeout a fetch is waited for, so a source that honours it reports its own error. */
    private static final Duration FETCH_GRACE = Duration.ofSeconds(1);
    /**
     * Fetches run here so that one that ignores its timeout cannot hold the caller past it. In a holder, made
     * at the first fetch: the builder touches this class's constants, and detection needs no thread pool.
     */
    private static final class Fetchers {
        static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "wif4j-fetch");
            t.setDaemon(true);
            return t;
        });
    }

    private final FederationSettings settings;
    private final IdentityTokenSource source;
    private final HttpTransport transport;
    private final Clock clock;
    private final Options options;
    private final String userAgent;
    private final URI endpoint;
    private final String audience;
    private final RejectionDiagnosis diagnosis = new RejectionDiagnosis();
    private final String providerId;
    private final Listeners listeners;

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
        this.settings = settings;
        this.source = source;
        this.transport = Objects.requireNonNull(transport, "transport");
        this.providerId = Objects.requireNonNull(providerId, "providerId");
        this.listeners = Objects.requireNonNull(listeners, "listeners");
        this.clock = clock;
        this.options = options;
        this.userAgent = userAgent;
        this.endpoint = settings.tokenEndpoint();
        this.audience = Objects.requireNonNull(audience, "audience");
    }

    /** A failed attempt that may be tried again. */
    private static final class Retryable extends Exception {
        private static final long serialVersionUID = 1L;
        final transient RuntimeException failure;
        final transient Duration retryAfter;

        Retryable(RuntimeException failure, Duration retryAfter) {
            super(null, null, false, false);
            this.failure = failure;
            this.retryAfter = retryAfter;
        }
    }

    /**
     * Performs the exchange, retrying transient failures.
     *
     * @return the access token
     * @throws TokenExchangeException if the endpoint refused or could not be reached
     * @throws IdentityTokenException if no identity token could be obtained
     */
    public AccessToken exchange() {
        long start = System.nanoTime();
        int[] attempts = {0};
        try {
            AccessToken token = retrying(start + options.deadline().toNanos(), attempts);
            if (!listeners.isEmpty()) {
                listeners.exchanged(new WorkloadIdentityListener.TokenExchange(providerId,
                        Duration.ofNanos(System.nanoTime() - start), attempts[0], Optional.of(token.expiresAt()),
                        Optional.empty()));
            }
            return token;
        } catch (RuntimeException e) {
            if (!listeners.isEmpty()) {
                listeners.exchanged(new WorkloadIdentityListener.TokenExchange(providerId,
                        Duration.ofNanos(System.nanoTime() - start), Math.max(1, attempts[0]), Optional.empty(),
                        Optional.of(e)));
            }
            throw e;
        }
    }

    private AccessToken retrying(long end, int[] attempts) {
        for (int attempt = 1; ; attempt++) {
            attempts[0] = attempt;
            try {
                return attempt(end);
            } catch (Retryable r) {
                if (attempt >= options.maxAttempts()) {
                    throw r.failure;
                }
                Duration pause = r.retryAfter != null ? r.retryAfter : backoff(attempt);
                if (System.nanoTime() + pause.toNanos() >= end) {
                    throw r.failure; // no time left for another attempt
                }
                log().log(Level.DEBUG, () -> "Token exchange attempt failed (" + r.failure.getMessage()
                        + "); retrying in " + pause.toMillis() + " ms");
                sleep(pause);
            }
        }
    }

    private AccessToken attempt(long end) throws Retryable {
        IdentityToken token;
        try {
            token = fetch(end);
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
        Duration timeout = remaining(end, options.attemptTimeout());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Accept", "application/json");
        headers.put("anthropic-beta", BETA);
        headers.put("anthropic-version", "2023-06-01");
        headers.put("User-Agent", userAgent);
        HttpTransport.Request request = new HttpTransport.Request(endpoint, headers, body(token), timeout,
                MAX_RESPONSE_BYTES);
        Instant sentAt = clock.instant();
        Instant sentBefore = diagnosis.recordSent(token, sentAt);
        HttpTransport.Response response = send(request, timeout);
        int status = response.statusCode();
        String requestId = response.header("request-id").orElse(null);
        if (status >= 200 && status < 300) {
            return parse(response.body(), status, requestId, sentAt, endpoint);
        }
        TokenExchangeException failure = failure(response, token, sentBefore);
        if (status == 408 || status == 429 || status >= 500) {
            Duration retryAfter = retryAfter(response);
            if (retryAfter != null && retryAfter.compareTo(options.maxRetryAfter()) > 0) {
                throw failure; // the server wants a longer pause than a caller should block for
            }
            throw new Retryable(failure, retryAfter);
        }
        throw failure;
    }

    private byte[] body(IdentityToken token) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("grant_type", GRANT_TYPE);
        body.put("assertion", token.serialized());
        body.put("federation_rule_id", settings.federationRuleId());
        body.put("organization_id", settings.organizationId());
        settings.serviceAccountId().ifPresent(id -> body.put("service_account_id", id));
        settings.workspaceId().ifPresent(id -> body.put("workspace_id", id));
        return Json.bytes(body);
    }

    /**
     * One fetch, on a worker thread: the caller waits at most the fetch timeout (and the grace), and a
     * source that hangs past it is interrupted and reported, retryable.
     */
    private IdentityToken fetch(long end) {
        if (listeners.isEmpty()) {
            return fetchOnce(end);
        }
        long start = System.nanoTime();
        try {
            IdentityToken token = fetchOnce(end);
            listeners.fetched(new WorkloadIdentityListener.IdentityTokenFetch(providerId,
                    Duration.ofNanos(System.nanoTime() - start), Optional.empty()));
            return token;
        } catch (RuntimeException e) {
            listeners.fetched(new WorkloadIdentityListener.IdentityTokenFetch(providerId,
                    Duration.ofNanos(System.nanoTime() - start), Optional.of(e)));
            throw e;
        }
    }

    private IdentityToken fetchOnce(long end) {
        Duration limit = remaining(end, options.fetchTimeout().plus(FETCH_GRACE));
        Future<IdentityToken> future = Fetchers.POOL.submit(source::fetch);
        try {
            return BoundedWait.await(future, limit.toNanos());
        } catch (TimeoutException e) {
            throw new IdentityTokenException("The identity token source (" + source.getClass().getName()
                    + ") did not return a token within " + limit.toMillis() + " ms.", null, true);
        } catch (BoundedWait.InterruptedWait e) {
            throw new IdentityTokenException("Interrupted while fetching an identity token.", e.getCause());
        } catch (ExecutionException e) {
            throw new IdentityTokenException("The identity token source failed: " + e.getCause(), e.getCause());
        }
    }

    /** The lesser of a timeout and what is left before {@code end}, but at least 1 ms. */
    private static Duration remaining(long end, Duration timeout) {
        long left = Math.max(1_000_000L, end - System.nanoTime());
        return left < timeout.toNanos() ? Duration.ofNanos(left) : timeout;
    }

    private HttpTransport.Response send(HttpTransport.Request request, Duration timeout) throws Retryable {
        try {
            return transport.send(request);
        } catch (HttpTransport.ResponseTooLargeException e) {
            throw new TokenExchangeException("The token endpoint " + endpoint + " answered with more than "
                    + MAX_RESPONSE_BYTES + " bytes; the response was refused unread.", 0, null, null, null,
                    "Check that ANTHROPIC_BASE_URL points at the Claude API.", e);
        } catch (HttpTimeoutException e) {
            throw new Retryable(network(e.getMessage() != null && e.getMessage().startsWith("no ")
                    ? e.getMessage() : "no answer within " + Durations.text(timeout), e), null);
        } catch (InterruptedIOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new TokenExchangeException("Interrupted while exchanging the identity token at " + endpoint
                        + ".", 0, null, null, null, null, e);
            }
            throw new Retryable(network("no answer within " + Durations.text(timeout), e), null);
        } catch (IOException e) {
            throw new Retryable(network(e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), e), null);
        } catch (RuntimeException e) {
            throw new TokenExchangeException("The token exchange at " + endpoint + " failed: " + e, 0, null,
                    null, null, null, e);
        }
    }

    private TokenExchangeException network(String what, Throwable cause) {
        return new TokenExchangeException("Could not reach the token endpoint " + endpoint + ": " + what + ".",
                0, null, null, null, "Check the network path to " + endpoint.getHost()
                + " and ANTHROPIC_BASE_URL.", cause);
    }

    /**
     * Why a value cannot be an access token: it becomes {@code Authorization: Bearer <value>} in this
     * process and in every shell that prints it, so it is visible ASCII of a sane length or nothing.
     *
     * @param value the access_token field
     * @return the problem as a sentence fragment, or {@code null} when the value is acceptable
     */
    static String accessTokenProblem(String value) {
        if (value.length() > MAX_ACCESS_TOKEN_CHARS) {
            return "is " + value.length() + " characters long; an access token has at most "
                    + MAX_ACCESS_TOKEN_CHARS;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return "holds " + (c == '\r' || c == '\n' ? "a line break" : c == ' ' ? "a space"
                        : c < 0x20 || c == 0x7f ? "a control character" : "a non-ASCII character")
                        + ", which no access token does (it would corrupt the Authorization header)";
            }
        }
        return null;
    }

    /**
     * Reads a 2xx token response. Package-private and static so that the fuzz test can reach it.
     *
     * @throws TokenExchangeException naming what is wrong with the body, never quoting it
     */
    static AccessToken parse(byte[] body, int status, String requestId, Instant sentAt, URI endpoint) {
        Object parsed;
        try {
            parsed = Json.parse(body, true);
        } catch (Json.DuplicateKeyException e) {
            throw invalid(endpoint, status, requestId, "it repeats a key, so which value counts is unclear");
        } catch (IOException e) {
            parsed = null;
        }
        if (!(parsed instanceof Map<?, ?> root)) {
            throw invalid(endpoint, status, requestId, "it is not a JSON object (" + body.length + " bytes)");
        }
        if (!(root.get("access_token") instanceof String access) || access.isBlank()) {
            throw invalid(endpoint, status, requestId, "it has no access_token");
        }
        String accessProblem = accessTokenProblem(access);
        if (accessProblem != null) {
            // Never quoted: it becomes an Authorization header, and it is a secret either way.
            throw invalid(endpoint, status, requestId, "its access_token " + accessProblem);
        }
        Object type = root.get("token_type");
        if (type != null && !(type instanceof String t && t.equalsIgnoreCase("bearer"))) {
            throw invalid(endpoint, status, requestId, "its token_type is " + shown(type, access) + ", not Bearer");
        }
        Object expiresIn = root.get("expires_in");
        if (expiresIn == null) {
            throw invalid(endpoint, status, requestId, "it has no expires_in");
        }
        if (!isWholeNumber(expiresIn)) {
            throw invalid(endpoint, status, requestId, "its expires_in is " + (expiresIn instanceof String
                    ? "a string" : shown(expiresIn, access)) + ", not a whole number of seconds");
        }
        long seconds = expiresIn instanceof Long l ? l : expiresIn instanceof Double d ? d.longValue() : -1;
        if (seconds <= 0 || seconds > MAX_EXPIRES_IN_SECONDS) { // a huge double saturates, and is refused
            throw invalid(endpoint, status, requestId, "its expires_in, " + shown(expiresIn, access)
                    + ", is not between 1 and "
                    + MAX_EXPIRES_IN_SECONDS + " seconds");
        }
        // Expiry counted from when the request left: never later than the server's own clock says.
        return new AccessToken(access, sentAt.plusSeconds(seconds),
                root.get("scope") instanceof String scope ? scope : null);
    }

    /** 3600 and 3600.0 alike; a whole number too large for a long is still one (and then out of range). */
    private static boolean isWholeNumber(Object value) {
        return value instanceof Long || value instanceof java.math.BigInteger
                || (value instanceof Double d && !d.isNaN() && !d.isInfinite() && d == Math.rint(d));
    }

    /**
     * A response value for an error message: short values only, and never one that is the access token
     * (a broken server may put it anywhere). Found by TokenResponseFuzzTest.
     */
    private static String shown(Object value, String accessToken) {
        String text = Json.text(value);
        String raw = value instanceof String s ? s : value instanceof Number || value instanceof Boolean ? text : "";
        // Long values are described, not quoted; so is any value that holds the access token.
        boolean holdsToken = accessToken != null && !accessToken.isEmpty()
                && (text.contains(accessToken) || raw.contains(accessToken));
        if (text.length() > 24 || holdsToken) {
            return "an unexpected " + Json.kind(value) + " of " + text.length() + " characters";
        }
        return text;
    }

    private static TokenExchangeException invalid(URI endpoint, int status, String requestId, String what) {
        return new TokenExchangeException("The token endpoint " + endpoint + " answered HTTP " + status
                + requestIdPart(requestId) + " with an invalid token response: " + what + ".", status, requestId,
                null, null, "Check that ANTHROPIC_BASE_URL points at the Claude API.", null);
    }

    private TokenExchangeException failure(HttpTransport.Response response, IdentityToken token,
            Instant sentBefore) {
        int status = response.statusCode();
        String requestId = response.header("request-id").orElse(null);
        ErrorBodies.Parsed parsed = ErrorBodies.parse(response.body(), response.header("content-type").orElse(null));
        String hint = hint(status, parsed.errorType(), token, sentBefore);
        StringBuilder message = new StringBuilder("Token exchange at ").append(endpoint).append(" failed with HTTP ")
                .append(status).append(requestIdPart(requestId));
        if (parsed.errorType() != null || parsed.errorMessage() != null) {
            message.append(": ").append(parsed.errorType() == null ? "error" : parsed.errorType());
            if (parsed.errorMessage() != null) {
                message.append(": ").append(parsed.errorMessage());
            }
        } else if (parsed.redacted() != null) {
            message.append(": ").append(parsed.redacted());
        }
        message.append('.');
        if (hint != null) {
            message.append(' ').append(hint);
        }
        return new TokenExchangeException(message.toString(), status, requestId, parsed.errorType(),
                parsed.redacted(), hint, null);
    }

    private String hint(int status, String errorType, IdentityToken token, Instant sentBefore) {
        if (status == 401 || (status == 400 && "invalid_grant".equals(errorType))) {
            List<String> causes = RejectionDiagnosis.causes(token, clock.instant(), sentBefore, audience);
            String seen = causes.isEmpty() ? "" : " Seen in the token: " + String.join("; ", causes) + ".";
            return "Anthropic did not accept the identity token (iss=" + Text.escape(token.issuer().orElse("?"), 200)
                    + ", sub=" + Text.escape(token.subject().orElse("?"), 200) + ", aud="
                    + Text.escape(String.valueOf(token.audience()), 300) + ") under rule "
                    + settings.federationRuleId() + "." + seen + " Check that the issuer's URL equals iss byte for "
                    + "byte, that the rule's subject_prefix, audience and claims match, and that the token is not "
                    + "expired or reused" + (settings.workspaceId().isPresent() ? ""
                    : "; if the rule covers several workspaces, set ANTHROPIC_WORKSPACE_ID")
                    + ". The reason is on the Console's authentication history: " + HISTORY_URL;
        }
        if (status == 400) {
            return "The request was malformed: check ANTHROPIC_FEDERATION_RULE_ID, ANTHROPIC_ORGANIZATION_ID, "
                    + "ANTHROPIC_SERVICE_ACCOUNT_ID and ANTHROPIC_WORKSPACE_ID.";
        }
        if (status == 429 || status >= 500) {
            return "The token endpoint is overloaded or failing; wif4j retried " + options.maxAttempts()
                    + " times in all.";
        }
        if (status >= 300 && status < 400) {
            return "The token endpoint redirected; wif4j never follows a redirect with a credential. "
                    + "Check ANTHROPIC_BASE_URL.";
        }
        return null;
    }

    private static String requestIdPart(String requestId) {
        return requestId == null ? "" : " (request-id " + requestId + ")";
    }

    private Duration retryAfter(HttpTransport.Response response) {
        Optional<String> header = response.header("retry-after");
        if (header.isEmpty()) {
            return null;
        }
        String value = header.get().strip();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(clock.instant(),
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private Duration backoff(int attempt) {
        long base = options.initialBackoff().toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(base, options.maxBackoff().toMillis());
        // Equal jitter: at least half the backoff, so a fleet spreads out but never hammers.
        long half = capped / 2;
        return Duration.ofMillis(half + (half > 0 ? ThreadLocalRandom.current().nextLong(half + 1) : 0));
    }

    private void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenExchangeException("Interrupted while waiting to retry the token exchange at " + endpoint
                    + ".", 0, null, null, null, null, e);
        }
    }

    @Override
    public String toString() {
        return "TokenExchanger[" + endpoint + ", rule=" + settings.federationRuleId() + "]";
    }
}
