package dev.wif4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.AccessToken;
import dev.wif4j.IdentityProviderException;
import dev.wif4j.TokenExchangeException;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.WorkloadIdentityListener;
import dev.wif4j.WorkloadIdentityListener.IdentityTokenFetch;
import dev.wif4j.WorkloadIdentityListener.RefreshReason;
import dev.wif4j.WorkloadIdentityListener.TokenExchange;
import dev.wif4j.WorkloadIdentityListener.TokenRefresh;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.testkit.Fault;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The public listener API, against the Anthropic emulator: what a metrics or logging integration sees for
 * each fetch, exchange and refresh, and that a listener can never break a token request.
 */
class ListenerTest extends ExchangeScenario {

    /** Records every event, in order. */
    static final class Recorder implements WorkloadIdentityListener {
        final List<IdentityTokenFetch> fetches = new CopyOnWriteArrayList<>();
        final List<TokenExchange> exchanges = new CopyOnWriteArrayList<>();
        final List<TokenRefresh> refreshes = new CopyOnWriteArrayList<>();

        @Override
        public void identityTokenFetched(IdentityTokenFetch fetch) {
            fetches.add(fetch);
        }

        @Override
        public void tokenExchanged(TokenExchange exchange) {
            exchanges.add(exchange);
        }

        @Override
        public void tokenRefreshed(TokenRefresh refresh) {
            refreshes.add(refresh);
        }
    }

    @Test
    @DisplayName("one token(): one fetch, one exchange with the token's expiry, one mandatory refresh")
    void success() {
        Recorder events = new Recorder();
        try (WorkloadIdentity identity = builder().listener(events).build()) {
            AccessToken token = identity.credentials().token();
            identity.credentials().token();
            assertEquals(1, events.fetches.size());
            assertEquals("code", events.fetches.get(0).providerId());
            assertEquals("success", events.fetches.get(0).outcome());
            TokenExchange exchange = events.exchanges.get(0);
            assertEquals(1, events.exchanges.size(), "the second token() was served from the cache");
            assertEquals(1, exchange.attempts());
            assertEquals(token.expiresAt(), exchange.expiresAt().orElseThrow());
            assertEquals("success", exchange.outcome());
            assertEquals("none", exchange.errorType());
            assertFalse(exchange.duration().isNegative());
            assertEquals(List.of(RefreshReason.MANDATORY), events.refreshes.stream().map(TokenRefresh::reason).toList());
        }
    }

    @Test
    @DisplayName("a retried exchange reports its attempts; a failed one its error type, once per token()")
    void retriesAndFailures() {
        Recorder events = new Recorder();
        try (WorkloadIdentity identity = builder().listener(events).build()) {
            anthropic.enqueue(Fault.status(503, ""));
            identity.credentials().token();
            assertEquals(2, events.exchanges.get(0).attempts());
            assertEquals(2, events.fetches.size(), "a new identity token per attempt");

            for (int i = 0; i < 3; i++) {
                anthropic.enqueue(Fault.status(503, ""));
            }
            assertThrows(TokenExchangeException.class, identity::exchange);
            TokenExchange failed = events.exchanges.get(1);
            assertEquals("failure", failed.outcome());
            assertEquals("http_503", failed.errorType());
            assertEquals(3, failed.attempts());
            assertTrue(failed.expiresAt().isEmpty());
            assertTrue(failed.failure().orElseThrow() instanceof TokenExchangeException);

            anthropic.enqueue(Fault.status(400,
                    "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"no\"}}"));
            assertThrows(TokenExchangeException.class, identity::exchange);
            assertEquals("invalid_request_error", events.exchanges.get(2).errorType(),
                    "the API's own error type, when it names one");
            assertEquals(1, events.exchanges.get(2).attempts(), "a 400 is not retried");
        }
    }

    @Test
    @DisplayName("a failed fetch is reported, and the exchange's error type says no identity token came")
    void fetchFailure() {
        Recorder events = new Recorder();
        try (WorkloadIdentity identity = builder().identityTokenSource(() -> {
            throw new IdentityTokenException("the issuer is down");
        }).listener(events).build()) {
            assertThrows(IdentityProviderException.class, () -> identity.credentials().token());
            assertEquals("failure", events.fetches.get(0).outcome());
            assertEquals("the issuer is down", events.fetches.get(0).failure().orElseThrow().getMessage());
            assertEquals("identity_token", events.exchanges.get(0).errorType());
            assertEquals("failure", events.refreshes.get(0).outcome());
            assertEquals(0, anthropic.exchangeRequests());
        }
    }

    @Test
    @DisplayName("a 401 from the API (invalidate) and a forced drop are told apart")
    void unauthorizedAndForced() {
        Recorder events = new Recorder();
        try (WorkloadIdentity identity = builder().listener(events).build()) {
            AccessToken first = identity.credentials().token();
            identity.credentials().invalidate(first);
            identity.credentials().token();
            identity.credentials().invalidate();
            identity.credentials().token();
            assertEquals(List.of("mandatory", "unauthorized", "forced"),
                    events.refreshes.stream().map(r -> r.reason().tag()).toList());
            assertEquals(3, anthropic.tokensIssued());
        }
    }

    @Test
    @DisplayName("a listener that throws breaks nothing, and the listeners after it are still called")
    void throwingListener() {
        Recorder events = new Recorder();
        // Thrown inside the exchange attempt, the most fragile place: it must not turn into a failed fetch.
        WorkloadIdentityListener broken = new WorkloadIdentityListener() {
            @Override
            public void identityTokenFetched(IdentityTokenFetch fetch) {
                throw new IllegalStateException("metrics backend down");
            }
        };
        try (WorkloadIdentity identity = builder().listener(broken).listener(events).build()) {
            assertTrue(identity.credentials().token().value().startsWith("sk-ant-oat01-"));
            assertEquals(1, events.exchanges.size());
            assertEquals(1, events.fetches.size());
        }
    }

    @Test
    @DisplayName("no event holds a token: their toString() shows neither the access token nor the assertion")
    void eventsHoldNoSecret() {
        Recorder events = new Recorder();
        try (WorkloadIdentity identity = builder().listener(events).build()) {
            AccessToken token = identity.credentials().token();
            String shown = events.fetches + " " + events.exchanges + " " + events.refreshes;
            assertFalse(shown.contains(token.value()), shown);
            assertFalse(shown.contains("eyJ"), "no JWT: " + shown);
        }
    }
}
