package dev.wif4j.provider.azure;


import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.testkit.EntraEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.IdentityProviderContract;
import dev.wif4j.testkit.OidcIssuer;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The {@code azure} provider in an AKS pod (Entra Workload ID, Entra emulator on https://localhost) keeps the
 * provider contract. This path takes every value from its context; the managed-identity paths read the process
 * environment and are tested in child JVMs ({@link AzureManagedIdentityTest}).
 */
class AzureWorkloadIdentityContractTest extends IdentityProviderContract {

    private static final String CLIENT_ID = "6b1f0a4c-2d3e-4a5b-8c7d-000000000a15";
    private static final String SUBJECT = "system:serviceaccount:prod:billing";
    private static OidcIssuer cluster;
    private static EntraEmulator entra;
    private static SSLContext original;

    @BeforeAll
    static void start() throws Exception {
        original = SSLContext.getDefault();
        cluster = OidcIssuer.start();
        entra = EntraEmulator.builder()
                .federatedCredential(CLIENT_ID, "3c2b1a09-8f7e-4d6c-9b5a-000000000a15", cluster.issuerUrl(), SUBJECT)
                .start();
        entra.trust(cluster);
        SSLContext.setDefault(entra.clientSslContext());
    }

    @AfterAll
    static void stop() {
        SSLContext.setDefault(original);
        entra.close();
        cluster.close();
    }

    @Override
    protected IdentityProvider provider() {
        return new AzureIdentityProvider();
    }

    @Override
    protected FakeDetectionContext availableContext() {
        return FakeDetectionContext.builder()
                .env("AZURE_FEDERATED_TOKEN_FILE", "/var/run/secrets/azure/tokens/azure-identity-token")
                .env("AZURE_CLIENT_ID", CLIENT_ID)
                .env("AZURE_TENANT_ID", entra.tenantId())
                .env("AZURE_AUTHORITY_HOST", entra.authorityHost())
                .env("WIF4J_AZURE_RESOURCE", AzureEndToEndTest.RESOURCE)
                .file("/var/run/secrets/azure/tokens/azure-identity-token", AzureEndToEndTest.projected(cluster, SUBJECT))
                .build();
    }
}
