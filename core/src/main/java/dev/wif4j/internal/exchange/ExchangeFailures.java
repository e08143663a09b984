package dev.wif4j.internal.exchange;

import dev.wif4j.FederationSettings;
import dev.wif4j.HttpTransport;
import dev.wif4j.TokenExchangeException;
import dev.wif4j.spi.internal.Durations;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.support.Text;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns what went wrong in one exchange request into a {@link TokenExchangeException} with a hint: a transport
 * error (retryable when the network may recover), an HTTP error status (with {@code Retry-After}), an interrupt.
 *
 * @param settings the rule and ids the hints name
 * @param audience the audience identity tokens are expected to carry, for the hint after a denial
 * @param clock the clock a denial's diagnosis and an HTTP-date {@code Retry-After} are read with
 * @param maxAttempts attempts in all, for the hint after a persistent 5xx
 */
record ExchangeFailures(FederationSettings settings, String audience, Clock clock, int maxAttempts)
        implements Function<InterruptedException, RuntimeException> {
    static final String HISTORY_URL = "https://platform.claude.com/settings/workload-identity-federation?tab=history";
    static final String CHECK_BASE_URL = "Check that ANTHROPIC_BASE_URL points at the Claude API.";

    /** The token endpoint, as messages name it. */
    private URI endpoint() {
        return settings.tokenEndpoint();
    }

    /**
     * Sends the request, mapping each transport failure: no answer and I/O errors may be tried again, an
     * oversized answer, an interrupt and anything unexpected may not.
     */
    HttpTransport.Response send(HttpTransport transport, HttpTransport.Request request, Duration timeout)
            throws Retryable {
        try {
            return transport.send(request);
        } catch (HttpTimeoutException e) {
            throw new Retryable(network(e.getMessage() != null && e.getMessage().startsWith("no ")
                    ? e.getMessage() : "no answer within " + Durations.text(timeout), e), null);
        } catch (InterruptedIOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw TokenExchangeException.builder("Interrupted while exchanging the identity token at "
                        + endpoint() + ".").cause(e).build();
            }
            throw new Retryable(network("no answer within " + Durations.text(timeout), e), null);
        } catch (IOException e) {
            // Told apart here, not by a catch clause of its own: the JVM would load its class to verify this one.
            if (e instanceof HttpTransport.ResponseTooLargeException) {
                throw TokenExchangeException.builder("The token endpoint " + endpoint() + " answered with more than "
                        + request.maxResponseBytes() + " bytes; the response was refused unread.")
                        .hint(CHECK_BASE_URL).cause(e).build();
            }
            throw new Retryable(network(e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), e), null);
        } catch (RuntimeException e) {
            throw TokenExchangeException.builder("The token exchange at " + endpoint() + " failed: " + e)
                    .cause(e).build();
        }
    }

    private TokenExchangeException network(String what, Throwable cause) {
        return TokenExchangeException.builder("Could not reach the token endpoint " + endpoint() + ": " + what + ".")
                .hint("Check the network path to " + endpoint().getHost() + " and ANTHROPIC_BASE_URL.")
                .cause(cause).build();
    }

    /**
     * The failure a non-2xx answer means: thrown at once, or (408, 429, 5xx) wrapped to be tried again after
     * the server's {@code Retry-After}, unless that asks for more than {@code maxRetryAfter}.
     */
    Retryable status(HttpTransport.Response response, IdentityToken token, Instant sentBefore,
            Duration maxRetryAfter) {
        TokenExchangeException failure = failure(response, token, sentBefore);
        int status = response.statusCode();
        if (status == 408 || status == 429 || status >= 500) {
            Duration retryAfter = retryAfter(response);
            if (retryAfter != null && retryAfter.compareTo(maxRetryAfter) > 0) {
                throw failure; // the server wants a longer pause than a caller should block for
            }
            return new Retryable(failure, retryAfter);
        }
        throw failure;
    }

    /**
     * The exception a retry's pause ends with when the waiting thread is interrupted: the retry loop's function for
     * it. This record is that function itself, not a lambda: on the first exchange's path each class costs a cold
     * JVM time, and a lambda's generated class twice a plain one.
     *
     * @param e the interrupt
     * @return the exception
     */
    @Override
    public TokenExchangeException apply(InterruptedException e) {
        return TokenExchangeException.builder("Interrupted while waiting to retry the token exchange at " + endpoint()
                + ".").cause(e).build();
    }

    private TokenExchangeException failure(HttpTransport.Response response, IdentityToken token,
            Instant sentBefore) {
        int status = response.statusCode();
        String requestId = response.header("request-id").orElse(null);
        ErrorBodies.Parsed parsed = ErrorBodies.parse(response.body(), response.header("content-type").orElse(null));
        String hint = hint(status, parsed.errorType(), token, sentBefore);
        StringBuilder message = new StringBuilder("Token exchange at ").append(endpoint()).append(" failed with HTTP ")
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
        return TokenExchangeException.builder(message.toString()).statusCode(status).requestId(requestId)
                .errorType(parsed.errorType()).redactedBody(parsed.redacted()).hint(hint).build();
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
            return "The token endpoint is overloaded or failing; wif4j retried " + maxAttempts + " times in all.";
        }
        if (status >= 300 && status < 400) {
            return "The token endpoint redirected; wif4j never follows a redirect with a credential. "
                    + "Check ANTHROPIC_BASE_URL.";
        }
        return null;
    }

    static String requestIdPart(String requestId) {
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
}
