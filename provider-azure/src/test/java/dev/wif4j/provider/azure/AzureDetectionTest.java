package dev.wif4j.provider.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.DetectionReport;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.spi.Detection;
import dev.wif4j.spi.support.SettingException;
import dev.wif4j.testkit.FakeDetectionContext;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Detection reads local signals only: no network call on any path, and a reason a user can act on. */
class AzureDetectionTest {

    private static final String RESOURCE = AzureEndToEndTest.RESOURCE;

    private static Detection detect(FakeDetectionContext context) {
        try (context) {
            Detection detection;
            try {
                detection = new AzureIdentityProvider().detect(context);
            } catch (SettingException e) {
                // The SPI's rule for a bad setting: detect lets it propagate, detection reports it unavailable.
                DetectionReport.Entry entry = WorkloadIdentity.builder().context(context).provider("azure").detect()
                        .entries().get(0);
                assertEquals(DetectionReport.Status.UNAVAILABLE, entry.status());
                assertEquals(e.getMessage(), entry.message());
                detection = Detection.unavailable(entry.message());
            }
            assertEquals(List.of(), context.httpRequests(), "detection made a network call");
            return detection;
        }
    }

    private static FakeDetectionContext.Builder world() {
        return FakeDetectionContext.builder().networkForbidden().env("WIF4J_AZURE_RESOURCE", RESOURCE);
    }

    @Test
    @DisplayName("AKS: federated token file + client id + tenant id")
    void aks() {
        Detection d = detect(world()
                .env("AZURE_FEDERATED_TOKEN_FILE", "/var/run/secrets/azure/tokens/azure-identity-token")
                .env("AZURE_CLIENT_ID", "6b1f0a4c-2d3e-4a5b-8c7d-000000000a15")
                .env("AZURE_TENANT_ID", "72f988bf-86f1-41af-91ab-2d7cd011db47")
                .file("/var/run/secrets/azure/tokens/azure-identity-token", "x.y.z").build());
        assertTrue(d.isAvailable(), d.message());
        assertTrue(d.message().contains("Workload ID"), d.message());
    }

    @Test
    @DisplayName("AKS: a token file without AZURE_TENANT_ID says what the webhook should have set")
    void aksIncomplete() {
        Detection d = detect(world()
                .env("AZURE_FEDERATED_TOKEN_FILE", "/var/run/secrets/azure/tokens/azure-identity-token")
                .env("AZURE_CLIENT_ID", "6b1f0a4c-2d3e-4a5b-8c7d-000000000a15")
                .file("/var/run/secrets/azure/tokens/azure-identity-token", "x.y.z").build());
        assertFalse(d.isAvailable());
        assertTrue(d.message().contains("AZURE_TENANT_ID"), d.message());
    }

    @Test
    @DisplayName("App Service: IDENTITY_ENDPOINT + IDENTITY_HEADER")
    void appService() {
        Detection d = detect(world().env("IDENTITY_ENDPOINT", "http://127.0.0.1:41999/msi/token")
                .env("IDENTITY_HEADER", "secret-header").build());
        assertTrue(d.isAvailable(), d.message());
        assertTrue(d.message().contains("App Service"), d.message());
        assertFalse(d.message().contains("secret-header"), "the identity header is a secret");
    }

    @Test
    @DisplayName("the 2017 App Service API alone (MSI_ENDPOINT + MSI_SECRET) is explained")
    void oldAppService() {
        Detection d = detect(world().env("MSI_ENDPOINT", "http://127.0.0.1:41999/msi/token")
                .env("MSI_SECRET", "s").build());
        assertFalse(d.isAvailable());
        assertTrue(d.message().contains("IDENTITY_ENDPOINT"), d.message());
    }

    @Test
    @DisplayName("an Azure VM: DMI sys_vendor and the Azure chassis asset tag")
    void vm() {
        Detection d = detect(world().file("/sys/class/dmi/id/sys_vendor", "Microsoft Corporation\n")
                .file("/sys/class/dmi/id/chassis_asset_tag", AzureIdentityProvider.AZURE_CHASSIS_TAG + "\n").build());
        assertTrue(d.isAvailable(), d.message());
        assertTrue(d.message().contains("IMDS"), d.message());
    }

    @Test
    @DisplayName("Hyper-V off Azure (same vendor, other asset tag) is not an Azure VM")
    void hyperV() {
        Detection d = detect(world().file("/sys/class/dmi/id/sys_vendor", "Microsoft Corporation\n")
                .file("/sys/class/dmi/id/chassis_asset_tag", "0000-0000-0000\n").build());
        assertFalse(d.isAvailable(), d.message());
    }

    @Test
    @DisplayName("no signal: unavailable, naming what was looked for")
    void none() {
        Detection d = detect(world().build());
        assertFalse(d.isAvailable());
        assertTrue(d.message().contains("AZURE_FEDERATED_TOKEN_FILE") && d.message().contains("IDENTITY_ENDPOINT"),
                d.message());
    }

    @Test
    @DisplayName("pinned and no signal (a container without DMI): available, IMDS asked at fetch time, nothing probed")
    void pinned() {
        Detection d = detect(world().pinned(true).build());
        assertTrue(d.isAvailable(), d.message());
        assertTrue(d.message().contains("pinned") && d.message().contains("IMDS"), d.message());
    }

    @Test
    @DisplayName("WIF4J_PROVIDER alone is not the provider's business: the context says whether it is pinned")
    void pinnedOnlyThroughTheContext() {
        Detection d = detect(world().env("WIF4J_PROVIDER", "azure").build());
        assertFalse(d.isAvailable(), d.message());
    }

    @Test
    @DisplayName("a resource that is not one: unavailable, naming the variable and its value")
    void badResource() {
        Detection d = detect(FakeDetectionContext.builder().networkForbidden().pinned(true)
                .env("WIF4J_AZURE_RESOURCE", "not a resource").build());
        assertFalse(d.isAvailable());
        assertTrue(d.message().contains("WIF4J_AZURE_RESOURCE is 'not a resource'"), d.message());
    }

    @Test
    @DisplayName("an identity endpoint that breaks the endpoint rule is shown by scheme, host and port: its query stays out")
    void identityEndpointQueryStaysOut() {
        Detection d = detect(world().env("IDENTITY_ENDPOINT", "ftp://10.0.0.5:8081/msi/token?sig=s3cr3tS1gnature")
                .env("IDENTITY_HEADER", "h").build());
        assertFalse(d.isAvailable());
        assertEquals("IDENTITY_ENDPOINT is 'ftp://10.0.0.5:8081', but it is not an absolute https:// URL with a host.",
                d.message());
    }

    @Test
    @DisplayName("an http authority host off loopback: unavailable, saying why")
    void httpAuthority() {
        Detection d = detect(world().pinned(true).env("AZURE_AUTHORITY_HOST", "http://login.example.com/").build());
        assertFalse(d.isAvailable());
        // Scheme, host and port alone: a password or a key in an endpoint setting stays out (issue 27).
        assertTrue(d.message().startsWith("AZURE_AUTHORITY_HOST is 'http://login.example.com', but"), d.message());
    }

    @Test
    @DisplayName("an IMDS address set only as a wif4j setting: unavailable, as MSAL reads it from the process environment")
    void imdsSettingMustBeTheVariable() {
        Detection d = detect(world().setting("azure.imds.endpoint", "http://127.0.0.1:41999").build());
        assertFalse(d.isAvailable());
        assertTrue(d.message().contains("AZURE_POD_IDENTITY_AUTHORITY_HOST"), d.message());
        Detection same = detect(world().setting("azure.imds.endpoint", "http://127.0.0.1:41999")
                .env("AZURE_POD_IDENTITY_AUTHORITY_HOST", "http://127.0.0.1:41999").build());
        assertTrue(same.isAvailable(), same.message());
    }

    @Test
    @DisplayName("on Azure without WIF4J_AZURE_RESOURCE: unavailable, saying what to set")
    void resourceMissing() {
        Detection d = detect(FakeDetectionContext.builder().networkForbidden()
                .env("IDENTITY_ENDPOINT", "http://127.0.0.1:41999/msi/token").env("IDENTITY_HEADER", "h").build());
        assertFalse(d.isAvailable());
        assertTrue(d.message().contains("WIF4J_AZURE_RESOURCE") && d.message().contains("api://"), d.message());
    }
}
