package dev.wif4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.ConfigurationException;
import dev.wif4j.HttpTransport;
import dev.wif4j.TokenExchangeException;
import dev.wif4j.WorkloadIdentity;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The HTTP transport seam: an application's own stack can carry the exchange, under the same retry
 * budget and with the same messages as wif4j's JDK client.
 */
class TransportTest extends ExchangeScenario {

    @Test
    @DisplayName("a transport given in code carries the exchange: one request, headers and JSON body as documented")
    void customTransportCarriesTheExchange() {
        List<HttpTransport.Request> seen = new CopyOnWriteArrayList<>();
        HttpTransport jdk = HttpTransport.of(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build());
        try (WorkloadIdentity identity = builder().transport(request -> {
            seen.add(request);
            return jdk.send(request);
        }).build()) {
            assertTrue(identity.credentials().token().value().startsWith("sk-ant-oat01-"));
        }
        assertEquals(1, seen.size());
        HttpTransport.Request request = seen.get(0);
        assertEquals(URI.create(anthropic.baseUrl() + "/v1/oauth/token"), request.uri());
        assertEquals("application/json", request.headers().get("Content-Type"));
        assertEquals("oauth-2025-04-20,oidc-federation-2026-04-01", request.headers().get("anthropic-beta"));
        String body = new String(request.body(), StandardCharsets.UTF_8);
        assertTrue(body.startsWith("{\"grant_type\":\"urn:ietf:params:oauth:grant-type:jwt-bearer\",\"assertion\":\"eyJ"),
                body.substring(0, 60));
        assertFalse(request.toString().contains("eyJ"), "a request's toString() never shows the identity token");
        assertEquals(1, anthropic.tokensIssued());
    }

    @Test
    @DisplayName("a transport that fails with IOException is retried three times, with the usual message")
    void transportFailuresAreRetriedByCore() {
        AtomicInteger calls = new AtomicInteger();
        try (WorkloadIdentity identity = builder().transport(request -> {
            calls.incrementAndGet();
            throw new IOException("connection reset by a proxy");
        }).build()) {
            TokenExchangeException e = assertThrows(TokenExchangeException.class, () -> identity.credentials().token());
            assertEquals(3, calls.get());
            assertTrue(e.getMessage().startsWith("Could not reach the token endpoint " + anthropic.baseUrl()
                    + "/v1/oauth/token: IOException: connection reset by a proxy."), e.getMessage());
        }
    }

    @Test
    @DisplayName("a timeout and an oversized body keep their messages; the oversized one is not retried")
    void timeoutsAndOversizedBodies() {
        AtomicInteger calls = new AtomicInteger();
        try (WorkloadIdentity identity = builder().transport(request -> {
            calls.incrementAndGet();
            throw new HttpTimeoutException("no answer within 30 s");
        }).build()) {
            TokenExchangeException e = assertThrows(TokenExchangeException.class, identity::exchange);
            assertTrue(e.getMessage().contains(": no answer within 30 s."), e.getMessage());
            assertEquals(3, calls.get());
        }
        calls.set(0);
        try (WorkloadIdentity identity = builder().transport(request -> {
            calls.incrementAndGet();
            throw new HttpTransport.ResponseTooLargeException(request.maxResponseBytes());
        }).build()) {
            TokenExchangeException e = assertThrows(TokenExchangeException.class, identity::exchange);
            assertTrue(e.getMessage().contains("answered with more than 1048576 bytes"), e.getMessage());
            assertEquals(1, calls.get());
        }
    }

    @Test
    @DisplayName("the transport's response is read as the JDK client's: status, request-id, Retry-After")
    void responsesFromATransport() {
        AtomicInteger calls = new AtomicInteger();
        try (WorkloadIdentity identity = builder().retries(2, Duration.ofMillis(10), Duration.ofMillis(10))
                .transport(request -> {
                    calls.incrementAndGet();
                    return new HttpTransport.Response(429, Map.of("Request-Id", List.of("req_42"),
                            "Retry-After", List.of("3600")), "{}".getBytes(StandardCharsets.UTF_8));
                }).build()) {
            TokenExchangeException e = assertThrows(TokenExchangeException.class, identity::exchange);
            assertEquals(429, e.statusCode());
            assertEquals("req_42", e.requestId().orElseThrow(), "header names are matched without case");
            assertEquals(1, calls.get(), "a Retry-After longer than wif4j waits fails at once");
        }
    }

    @Test
    @DisplayName("an HttpClient that follows redirects is still refused, and transport() replaces httpClient()")
    void redirectingClientsAreRefused() {
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        assertThrows(ConfigurationException.class, () -> builder().httpClient(following).build());
        AtomicInteger calls = new AtomicInteger();
        HttpTransport jdk = HttpTransport.jdk();
        try (WorkloadIdentity identity = builder().httpClient(following).transport(request -> {
            calls.incrementAndGet();
            return jdk.send(request);
        }).build()) {
            identity.exchange();
            assertEquals(1, calls.get());
        }
    }
}
