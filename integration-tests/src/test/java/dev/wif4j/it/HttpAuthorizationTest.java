package dev.wif4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.AccessToken;
import dev.wif4j.HttpAuthorization;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.WorkloadIdentityException;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.Fault;
import dev.wif4j.testkit.FaultyProxy;
import dev.wif4j.testkit.ManualClock;
import dev.wif4j.testkit.OidcIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Plain java.net.http against the emulator's /v1/messages, through {@link HttpAuthorization}. */
class HttpAuthorizationTest {

    @Test
    @DisplayName("bearer and beta are set, a 401 is replayed once with a fresh token, a second 401 is returned")
    void authorizeAndReplay() throws Exception {
        ManualClock clock = ManualClock.startingNow();
        try (OidcIssuer idp = OidcIssuer.start();
                AnthropicEmulator anthropic = AnthropicEmulator.start();
                FakeDetectionContext world = FakeDetectionContext.builder().clock(clock).build();
                WorkloadIdentity identity = WorkloadIdentity.builder().context(world)
                        .federationRuleId(anthropic.trust(idp, "workload"))
                        .organizationId(anthropic.organizationId())
                        .baseUrl(anthropic.baseUrl())
                        .identityTokenSupplier(() -> idp.mint().sign())
                        .build()) {
            HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(anthropic.baseUrl() + "/v1/messages"))
                    .header("anthropic-version", "2023-06-01")
                    .header("anthropic-beta", "oauth-2025-04-20, files-api-2025-04-14")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
            HttpResponse.BodyHandler<String> text = HttpResponse.BodyHandlers.ofString();

            assertEquals(200, HttpAuthorization.send(client, request, text, identity.credentials()).statusCode());
            assertEquals("oauth-2025-04-20,files-api-2025-04-14",
                    anthropic.messageRequests().get(0).header("anthropic-beta").orElseThrow());
            assertTrue(anthropic.messageRequests().get(0).header("Authorization").orElseThrow()
                    .startsWith("Bearer sk-ant-oat01-"));

            anthropic.revokeAll();
            assertEquals(200, HttpAuthorization.send(client, request, text, identity.credentials()).statusCode());
            assertEquals(2, anthropic.tokensIssued());
            assertEquals(3, anthropic.messagesRequests());

            clock.advance(Duration.ofSeconds(61)); // a 401 drops a token at most once a minute
            anthropic.enqueueMessages(Fault.status(401, "{\"type\":\"error\"}"));
            anthropic.enqueueMessages(Fault.status(401, "{\"type\":\"error\"}"));
            assertEquals(401, HttpAuthorization.send(client, request, text, identity.credentials()).statusCode());
            assertEquals(5, anthropic.messagesRequests(), "one try and one replay");
            assertEquals(3, anthropic.tokensIssued());

            anthropic.enqueueMessages(Fault.status(401, "{\"type\":\"error\"}"));
            assertEquals(401, HttpAuthorization.send(client, request, text, identity.credentials()).statusCode());
            assertEquals(6, anthropic.messagesRequests(), "within the minute the token is kept: no replay");
            assertEquals(3, anthropic.tokensIssued(), "and no exchange");
        }
    }

    @Test
    @DisplayName("a request for another origin is refused naming it, nothing reaches it; an allowed origin gets the token")
    void tokenScope() throws Exception {
        try (OidcIssuer idp = OidcIssuer.start();
                AnthropicEmulator anthropic = AnthropicEmulator.start();
                FaultyProxy gateway = FaultyProxy.to(anthropic.baseUrl());
                FakeDetectionContext world = FakeDetectionContext.empty();
                WorkloadIdentity identity = WorkloadIdentity.builder().context(world)
                        .federationRuleId(anthropic.trust(idp, "workload")).organizationId(anthropic.organizationId())
                        .baseUrl(anthropic.baseUrl()).identityTokenSupplier(() -> idp.mint().sign()).build();
                WorkloadIdentity gated = WorkloadIdentity.builder().context(world)
                        .federationRuleId(anthropic.trust(idp, "workload")).organizationId(anthropic.organizationId())
                        .baseUrl(anthropic.baseUrl()).allowedOrigin(gateway.baseUrl())
                        .identityTokenSupplier(() -> idp.mint().sign()).build()) {
            HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/messages?q=1"))
                    .header("anthropic-version", "2023-06-01")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
            HttpResponse.BodyHandler<String> text = HttpResponse.BodyHandlers.ofString();

            WorkloadIdentityException e = assertThrows(WorkloadIdentityException.class,
                    () -> HttpAuthorization.send(client, request, text, identity.credentials()));
            assertTrue(e.getMessage().startsWith("wif4j did not send a request to " + gateway.baseUrl() + ": "),
                    e.getMessage());
            assertTrue(e.getMessage().contains("WIF4J_ALLOWED_ORIGINS"), e.getMessage());
            assertFalse(e.getMessage().contains("/v1/messages") || e.getMessage().contains("q=1"), e.getMessage());
            AccessToken token = identity.credentials().token();
            assertThrows(WorkloadIdentityException.class,
                    () -> HttpAuthorization.authorize(request.copy(), token, identity.tokenScope()));
            assertEquals(0, gateway.connections(), "nothing reached the other origin");

            assertEquals(200, HttpAuthorization.send(client, request, text, gated.credentials()).statusCode());
            assertTrue(gateway.connections() > 0);
            assertTrue(anthropic.messageRequests().get(0).header("Authorization").orElseThrow()
                    .startsWith("Bearer sk-ant-oat01-"));
        }
    }
}
