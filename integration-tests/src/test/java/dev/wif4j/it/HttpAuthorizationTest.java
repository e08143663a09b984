package dev.wif4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.HttpAuthorization;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.Fault;
import dev.wif4j.testkit.OidcIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Plain java.net.http against the emulator's /v1/messages, through {@link HttpAuthorization}. */
class HttpAuthorizationTest {

    @Test
    @DisplayName("bearer and beta are set, a 401 is replayed once with a fresh token, a second 401 is returned")
    void authorizeAndReplay() throws Exception {
        try (OidcIssuer idp = OidcIssuer.start();
                AnthropicEmulator anthropic = AnthropicEmulator.start();
                FakeDetectionContext world = FakeDetectionContext.empty();
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

            anthropic.enqueueMessages(Fault.status(401, "{\"type\":\"error\"}"));
            anthropic.enqueueMessages(Fault.status(401, "{\"type\":\"error\"}"));
            assertEquals(401, HttpAuthorization.send(client, request, text, identity.credentials()).statusCode());
            assertEquals(5, anthropic.messagesRequests(), "one try and one replay");
        }
    }
}
