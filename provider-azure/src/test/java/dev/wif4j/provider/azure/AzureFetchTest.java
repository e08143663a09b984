package dev.wif4j.provider.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.testkit.AzureManagedIdentityEmulator;
import dev.wif4j.testkit.EntraEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.Fault;
import dev.wif4j.testkit.OidcIssuer;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What a user sees from a fetch: retries that end in a token, and errors that say what to do. */
class AzureFetchTest {

    private static final String RESOURCE = AzureEndToEndTest.RESOURCE;

    private static FakeDetectionContext.Builder vm(AzureManagedIdentityEmulator azure) {
        return FakeDetectionContext.builder()
                .file("/sys/class/dmi/id/sys_vendor", "Microsoft Corporation\n")
                .file("/sys/class/dmi/id/chassis_asset_tag", AzureIdentityProvider.AZURE_CHASSIS_TAG + "\n")
                .env(azure.imdsEnvironment())
                .env("WIF4J_AZURE_RESOURCE", RESOURCE);
    }

    private static IdentityToken fetch(FakeDetectionContext context) {
        try (context; IdentityTokenSource source = new AzureIdentityProvider().open(context)) {
            return source.fetch();
        }
    }

    @Test
    @DisplayName("IMDS answering 429 then 200 ends in a token")
    void throttledThenToken() {
        try (AzureManagedIdentityEmulator azure = AzureManagedIdentityEmulator.start()) {
            azure.enqueue(Fault.status(429, "{\"error\":\"too_many_requests\"}"));
            IdentityToken token = fetch(vm(azure).build());
            assertEquals(azure.systemAssignedObjectId(), token.stringClaim("oid").orElseThrow());
            assertEquals(2, azure.requests().size(), "retried once");
        }
    }

    @Test
    @DisplayName("IMDS answering 410 and 404 while it starts up ends in a token, in bounded time")
    void startingUpThenToken() {
        try (AzureManagedIdentityEmulator azure = AzureManagedIdentityEmulator.start()) {
            azure.enqueue(Fault.status(410, "{\"error\":\"gone\"}"));
            azure.enqueue(Fault.status(404, "{\"error\":\"not_found\"}"));
            Instant start = Instant.now();
            IdentityToken token = fetch(vm(azure).build());
            assertTrue(Duration.between(start, Instant.now()).compareTo(Duration.ofSeconds(10)) < 0);
            assertEquals(azure.tenantId(), token.stringClaim("tid").orElseThrow());
            assertEquals(3, azure.requests().size());
        }
    }

    @Test
    @DisplayName("IMDS failing every time gives up after a bounded number of retries, saying what failed")
    void persistentFailureIsBounded() {
        try (AzureManagedIdentityEmulator azure = AzureManagedIdentityEmulator.start()) {
            for (int i = 0; i < 10; i++) {
                azure.enqueue(Fault.status(500, "{\"error\":\"internal\"}"));
            }
            IdentityTokenException e = assertThrows(IdentityTokenException.class, () -> fetch(vm(azure).build()));
            assertTrue(e.getMessage().contains("IMDS"), e.getMessage());
            assertTrue(e.isRetryable());
            assertEquals(5, azure.requests().size(), "one try and four retries");
        }
    }

    @Test
    @DisplayName("a VM with no identity assigned: 'Identity not found' becomes advice to assign one")
    void noIdentity() {
        try (AzureManagedIdentityEmulator azure = AzureManagedIdentityEmulator.builder().noSystemAssigned().start()) {
            IdentityTokenException e = assertThrows(IdentityTokenException.class, () -> fetch(vm(azure).build()));
            assertTrue(e.getMessage().contains("no managed identity") && e.getMessage().contains("assign"),
                    e.getMessage());
            assertFalse(e.isRetryable());
        }
    }

    @Test
    @DisplayName("a user-assigned identity chosen by client id, object id or resource id")
    void userAssigned() {
        String clientId = "11111111-2222-4333-8444-555555555555";
        String objectId = "66666666-7777-4888-9999-000000000000";
        String armId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/w";
        try (AzureManagedIdentityEmulator azure = AzureManagedIdentityEmulator.builder().noSystemAssigned()
                .userAssigned(clientId, objectId, armId).start()) {
            assertEquals(objectId, fetch(vm(azure).env("AZURE_CLIENT_ID", clientId).build()).subject().orElseThrow());
            assertEquals(objectId, fetch(vm(azure).setting("azure.object.id", objectId).build()).subject()
                    .orElseThrow());
            assertEquals(objectId, fetch(vm(azure).setting("azure.identity.resource.id", armId).build()).subject()
                    .orElseThrow());
            assertTrue(azure.requests().get(0).path().contains("client_id=" + clientId), azure.requests().toString());
            assertTrue(azure.requests().get(1).path().contains("object_id=" + objectId), azure.requests().toString());
            assertTrue(azure.requests().get(2).path().contains("_res_id="), azure.requests().toString());
        }
    }

    @Test
    @DisplayName("no app registration for the resource (AADSTS500011): says so and how to create it")
    void appRegistrationMissing() {
        try (AzureManagedIdentityEmulator azure = AzureManagedIdentityEmulator.builder()
                .applications("api://some-other-app").start()) {
            IdentityTokenException e = assertThrows(IdentityTokenException.class, () -> fetch(vm(azure).build()));
            assertTrue(e.getMessage().contains("AADSTS500011") && e.getMessage().contains("az ad app create")
                    && e.getMessage().contains("az ad sp create"), e.getMessage());
        }
    }

    @Test
    @DisplayName("a v1.0 token (iss sts.windows.net) is used, with a warning about requestedAccessTokenVersion=2")
    void version1Token() {
        try (AzureManagedIdentityEmulator azure = AzureManagedIdentityEmulator.builder().tokenVersion(1).start();
                FakeDetectionContext context = vm(azure).build();
                IdentityTokenSource source = new AzureIdentityProvider().open(context)) {
            IdentityToken token = source.fetch();
            assertTrue(token.issuer().orElseThrow().startsWith("https://sts.windows.net/"));
            String logs = String.join("\n", context.logLines());
            assertTrue(logs.contains("requestedAccessTokenVersion") && logs.contains("v1.0"), logs);
        }
    }

    @Test
    @DisplayName("IMDS is asked without the JVM's HTTP proxy")
    void imdsBypassesProxy() {
        String host = System.getProperty("http.proxyHost");
        String port = System.getProperty("http.proxyPort");
        try (AzureManagedIdentityEmulator azure = AzureManagedIdentityEmulator.start()) {
            // A proxy that does not exist: a request through it would fail.
            System.setProperty("http.proxyHost", "127.0.0.1");
            System.setProperty("http.proxyPort", "9");
            assertEquals(azure.systemAssignedObjectId(), fetch(vm(azure).build()).subject().orElseThrow());
        } finally {
            restore("http.proxyHost", host);
            restore("http.proxyPort", port);
        }
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
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
}
