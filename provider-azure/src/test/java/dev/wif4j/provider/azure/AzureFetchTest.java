package dev.wif4j.provider.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.WorkloadIdentity;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.EntraEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.Fault;
import dev.wif4j.testkit.OidcIssuer;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What a user sees from an AKS workload-identity fetch: errors that say what to do, and one bounded attempt per
 * fetch. The managed-identity paths, whose library reads the process environment, are tested in child JVMs
 * ({@link AzureManagedIdentityTest}).
 */
class AzureFetchTest {

    private static final String RESOURCE = AzureEndToEndTest.RESOURCE;

    private static IdentityToken fetch(FakeDetectionContext context) {
        try (context; IdentityTokenSource source = new AzureIdentityProvider().open(context)) {
            return source.fetch();
        }
    }

    @Test
    @DisplayName("AKS: an expired federated token file is reported before Entra is asked")
    void expiredFederatedToken() {
        try (OidcIssuer cluster = OidcIssuer.start()) {
            String expired = cluster.mint().subject("system:serviceaccount:prod:billing")
                    .audience(EntraEmulator.TOKEN_EXCHANGE_AUDIENCE)
                    .issuedAt(Instant.now().minus(Duration.ofHours(2))).lifetime(Duration.ofHours(1)).sign();
            FakeDetectionContext pod = FakeDetectionContext.builder().networkForbidden()
                    .env("AZURE_FEDERATED_TOKEN_FILE", "/var/run/secrets/azure/tokens/azure-identity-token")
                    .env("AZURE_CLIENT_ID", "6b1f0a4c-2d3e-4a5b-8c7d-000000000a15")
                    .env("AZURE_TENANT_ID", "72f988bf-86f1-41af-91ab-2d7cd011db47")
                    .env("AZURE_AUTHORITY_HOST", "https://localhost")
                    .env("WIF4J_AZURE_RESOURCE", RESOURCE)
                    .file("/var/run/secrets/azure/tokens/azure-identity-token", expired).build();
            IdentityTokenException e = assertThrows(IdentityTokenException.class, () -> fetch(pod));
            assertTrue(e.getMessage().contains("expired"), e.getMessage());
        }
    }

    @Test
    @DisplayName("AKS: Entra refusing the assertion (no federated credential for the subject) says what to create")
    void noFederatedCredential() throws Exception {
        SSLContext original = SSLContext.getDefault();
        try (OidcIssuer cluster = OidcIssuer.start();
                EntraEmulator entra = EntraEmulator.builder().federatedCredential("6b1f0a4c-2d3e-4a5b-8c7d-000000000a15",
                        "3c2b1a09-8f7e-4d6c-9b5a-000000000a15", cluster.issuerUrl(), "system:serviceaccount:prod:other")
                        .start()) {
            entra.trust(cluster);
            SSLContext.setDefault(entra.clientSslContext());
            FakeDetectionContext pod = FakeDetectionContext.builder()
                    .env("AZURE_FEDERATED_TOKEN_FILE", "/var/run/secrets/azure/tokens/azure-identity-token")
                    .env("AZURE_CLIENT_ID", "6b1f0a4c-2d3e-4a5b-8c7d-000000000a15")
                    .env("AZURE_TENANT_ID", entra.tenantId())
                    .env("AZURE_AUTHORITY_HOST", entra.authorityHost())
                    .env("WIF4J_AZURE_RESOURCE", RESOURCE)
                    .file("/var/run/secrets/azure/tokens/azure-identity-token",
                            AzureEndToEndTest.projected(cluster, "system:serviceaccount:prod:billing")).build();
            IdentityTokenException e = assertThrows(IdentityTokenException.class, () -> fetch(pod));
            assertTrue(e.getMessage().contains("AADSTS700213") && e.getMessage().contains("federated-credential"),
                    e.getMessage());
        } finally {
            SSLContext.setDefault(original);
        }
    }

    @Test
    @DisplayName("AKS: Entra failing with 503 every time: one token() makes at most 4 upstream calls, within 30 s")
    void entraPersistentFailureIsBounded() throws Exception {
        String clientId = "6b1f0a4c-2d3e-4a5b-8c7d-000000000a15";
        String subject = "system:serviceaccount:prod:billing";
        SSLContext original = SSLContext.getDefault();
        try (OidcIssuer cluster = OidcIssuer.start();
                EntraEmulator entra = EntraEmulator.builder().federatedCredential(clientId,
                        "3c2b1a09-8f7e-4d6c-9b5a-000000000a15", cluster.issuerUrl(), subject).start();
                AnthropicEmulator anthropic = AnthropicEmulator.start()) {
            entra.trust(cluster);
            SSLContext.setDefault(entra.clientSslContext());
            for (int i = 0; i < 20; i++) {
                entra.enqueue(Fault.status(503, "{\"error\":\"temporarily_unavailable\"}"));
            }
            FakeDetectionContext pod = FakeDetectionContext.builder()
                    .env("AZURE_FEDERATED_TOKEN_FILE", "/var/run/secrets/azure/tokens/azure-identity-token")
                    .env("AZURE_CLIENT_ID", clientId)
                    .env("AZURE_TENANT_ID", entra.tenantId())
                    .env("AZURE_AUTHORITY_HOST", entra.authorityHost())
                    .env("WIF4J_AZURE_RESOURCE", RESOURCE)
                    .env(AzureEndToEndTest.anthropicEnv(anthropic, "fdrl_unused"))
                    .file("/var/run/secrets/azure/tokens/azure-identity-token",
                            AzureEndToEndTest.projected(cluster, subject)).build();
            Instant start = Instant.now();
            try (pod; WorkloadIdentity identity = WorkloadIdentity.builder().context(pod).build()) {
                RuntimeException e = assertThrows(RuntimeException.class, () -> identity.credentials().token());
                assertTrue(String.valueOf(e.getMessage()).contains("Entra"), String.valueOf(e.getMessage()));
            }
            Duration elapsed = Duration.between(start, Instant.now());
            int calls = entra.requests().size();
            assertTrue(calls <= 4, calls + " Entra requests for one token(): " + entra.requests());
            assertEquals(3, calls, "core retried: three attempts, one request each: " + entra.requests());
            assertTrue(elapsed.compareTo(Duration.ofSeconds(30)) < 0, elapsed.toString());
            assertEquals(0, anthropic.exchangeRequests());
        } finally {
            SSLContext.setDefault(original);
        }
    }
}
