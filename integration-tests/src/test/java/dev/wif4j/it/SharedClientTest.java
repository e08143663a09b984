package dev.wif4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wif4j.HttpAuthorization;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.WorkloadIdentityBuilder;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.OidcIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The first token's cost on the wire (issue 32): handed the application's own client
 * ({@code builder().httpClient(...)}), the exchange travels on the connection the first API call then reuses, so
 * over https the process makes one TLS handshake to the API host; on a client of its own it opens a second one.
 */
class SharedClientTest {
    private static final String HELLO = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";

    @Test
    @DisplayName("with the application's client, the exchange and the first API call share one https connection")
    void sharedClientOpensOneConnection() throws Exception {
        try (OidcIssuer idp = OidcIssuer.start();
                AnthropicEmulator anthropic = AnthropicEmulator.builder().https().start()) {
            HttpClient app = HttpClient.newBuilder().sslContext(trusting(anthropic)).build();
            try (WorkloadIdentity identity = identity(anthropic, idp).httpClient(app).build()) {
                assertEquals(200, call(app, anthropic, identity));
                assertEquals(200, call(app, anthropic, identity));
            }
            assertEquals(1, anthropic.exchangeRequests());
            assertEquals(2, anthropic.messagesRequests());
            assertEquals(1, anthropic.connections(), "the exchange and both calls on one connection, one handshake");
        }
    }

    @Test
    @DisplayName("on a client of its own, the exchange opens a connection of its own")
    void ownClientOpensASecondConnection() throws Exception {
        try (OidcIssuer idp = OidcIssuer.start();
                AnthropicEmulator anthropic = AnthropicEmulator.start()) {
            HttpClient app = HttpClient.newHttpClient();
            try (WorkloadIdentity identity = identity(anthropic, idp).build()) {
                assertEquals(200, call(app, anthropic, identity));
            }
            assertEquals(1, anthropic.exchangeRequests());
            assertEquals(2, anthropic.connections(), "one for the exchange, one for the application's call");
        }
    }

    private static WorkloadIdentityBuilder identity(AnthropicEmulator anthropic, OidcIssuer idp) {
        return WorkloadIdentity.builder().context(FakeDetectionContext.empty())
                .federationRuleId(anthropic.trust(idp, "workload")).organizationId(anthropic.organizationId())
                .baseUrl(anthropic.baseUrl()).identityTokenSupplier(() -> idp.mint().sign());
    }

    private static int call(HttpClient app, AnthropicEmulator anthropic, WorkloadIdentity identity) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(anthropic.baseUrl() + "/v1/messages"))
                .header("anthropic-version", "2023-06-01").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(HELLO));
        return HttpAuthorization.send(app, request, HttpResponse.BodyHandlers.ofString(), identity.credentials())
                .statusCode();
    }

    private static SSLContext trusting(AnthropicEmulator anthropic) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("emulator", anthropic.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return tls;
    }
}
