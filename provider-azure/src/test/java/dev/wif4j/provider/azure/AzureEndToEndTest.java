package dev.wif4j.provider.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.AccessToken;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.EntraEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.FederationIssuer;
import dev.wif4j.testkit.FederationRule;
import dev.wif4j.testkit.OidcIssuer;
import dev.wif4j.testkit.RecordedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * An AKS workload calls Claude: the real Azure Identity library (and MSAL under it) asks the emulated Entra on
 * https://localhost for an Entra access token, wif4j exchanges it at Anthropic's token
 * endpoint under a rule on {@code oid} + {@code tid} + audience, and the access token calls {@code /v1/messages}.
 * This path reads nothing from the process environment, so it runs in the test JVM; the managed-identity paths
 * run in child JVMs ({@link AzureManagedIdentityTest}).
 */
class AzureEndToEndTest {

    static final String APP_ID = "0f3c1a2b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
    static final String RESOURCE = "api://" + APP_ID;

    @Test
    @DisplayName("an AKS pod: its service-account token for Entra (https://localhost:443), exchange, /v1/messages 200")
    void aksWorkloadIdentity() throws Exception {
        String clientId = "6b1f0a4c-2d3e-4a5b-8c7d-000000000a15";
        String objectId = "3c2b1a09-8f7e-4d6c-9b5a-000000000a15";
        String subject = "system:serviceaccount:prod:billing";
        SSLContext original = SSLContext.getDefault();
        try (OidcIssuer cluster = OidcIssuer.start();
                EntraEmulator entra = EntraEmulator.builder()
                        .federatedCredential(clientId, objectId, cluster.issuerUrl(), subject)
                        .applications(RESOURCE)
                        .start();
                AnthropicEmulator anthropic = AnthropicEmulator.start()) {
            entra.trust(cluster);
            // The JDK HTTP client Azure Identity runs on trusts the emulator's self-signed localhost certificate.
            SSLContext.setDefault(entra.clientSslContext());
            String ruleId = rule(anthropic, entra.issuerUrl(), entra.issuer(), objectId, entra.tenantId());
            try (FakeDetectionContext pod = FakeDetectionContext.builder()
                            .env("AZURE_FEDERATED_TOKEN_FILE", "/var/run/secrets/azure/tokens/azure-identity-token")
                            .env("AZURE_CLIENT_ID", clientId)
                            .env("AZURE_TENANT_ID", entra.tenantId())
                            .env("AZURE_AUTHORITY_HOST", entra.authorityHost())
                            .env("KUBERNETES_SERVICE_HOST", "10.0.0.1")
                            .env("WIF4J_PROVIDER", "azure")
                            .env("WIF4J_AZURE_RESOURCE", RESOURCE)
                            .env(anthropicEnv(anthropic, ruleId))
                            .file("/var/run/secrets/azure/tokens/azure-identity-token", projected(cluster, subject))
                            .build();
                    WorkloadIdentity identity = WorkloadIdentity.builder().context(pod).build()) {
                assertEquals("azure", identity.providerId());
                AccessToken token = identity.credentials().token();
                assertEquals(200, messages(anthropic, token));
                assertTrue(anthropic.lastDecision().accepted(), anthropic.lastDecision().toString());
                assertEquals(objectId, anthropic.lastDecision().subject());

                // The kubelet rotates the projected token; the next fetch presents the new one.
                pod.writeFile("/var/run/secrets/azure/tokens/azure-identity-token", projected(cluster, subject));
                identity.credentials().invalidate(token);
                AccessToken next = identity.credentials().token();
                assertNotEquals(token.value(), next.value());
                assertEquals(200, messages(anthropic, next));
            }
            List<RecordedRequest> tokenRequests = entra.requests().stream()
                    .filter(r -> r.path().endsWith("/oauth2/v2.0/token")).toList();
            assertEquals(2, tokenRequests.size(), "one Entra request per fetch: " + entra.requests());
            assertNotEquals(assertion(tokenRequests.get(0)), assertion(tokenRequests.get(1)),
                    "the federated token file is re-read on every fetch");
            for (RecordedRequest request : tokenRequests) {
                assertTrue(request.path().equals("/" + entra.tenantId() + "/oauth2/v2.0/token"), request.path());
                assertTrue(request.body().contains(java.net.URLEncoder.encode(RESOURCE + "/.default",
                        java.nio.charset.StandardCharsets.UTF_8)), request.body());
            }
        } finally {
            SSLContext.setDefault(original);
        }
    }

    static String projected(OidcIssuer cluster, String subject) {
        return cluster.mint().subject(subject).audience(EntraEmulator.TOKEN_EXCHANGE_AUDIENCE)
                .lifetime(Duration.ofHours(1)).sign();
    }

    private static String assertion(RecordedRequest request) {
        for (String pair : request.body().split("&")) {
            if (pair.startsWith("client_assertion=")) {
                return pair.substring("client_assertion=".length());
            }
        }
        return "";
    }

    static String rule(AnthropicEmulator anthropic, String issuerUrl, OidcIssuer keys, String oid, String tid) {
        // Registered as in the Console: the tenant's v2.0 issuer, managed-identity tokens living up to 24 h.
        String issuerId = anthropic.addIssuer(FederationIssuer.explicitUrl(issuerUrl, keys.jwksUri())
                .maxJwtLifetime(Duration.ofSeconds(86400)));
        return anthropic.addRule(FederationRule.forIssuer(issuerId)
                .audience(APP_ID)
                .claim("oid", oid)
                .claim("tid", tid));
    }

    static java.util.Map<String, String> anthropicEnv(AnthropicEmulator anthropic, String ruleId) {
        return java.util.Map.of("ANTHROPIC_FEDERATION_RULE_ID", ruleId,
                "ANTHROPIC_ORGANIZATION_ID", anthropic.organizationId(),
                "ANTHROPIC_BASE_URL", anthropic.baseUrl());
    }

    static int messages(AnthropicEmulator anthropic, AccessToken token) throws Exception {
        HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
        return client.send(HttpRequest.newBuilder(URI.create(anthropic.baseUrl() + "/v1/messages"))
                .header("Authorization", token.authorizationHeaderValue())
                .header("anthropic-beta", AnthropicEmulator.OAUTH_BETA)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
