package dev.wif4j.provider.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.provider.azure.ChildJvm.Result;
import dev.wif4j.provider.azure.ChildJvm.Where;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.AzureManagedIdentityEmulator;
import dev.wif4j.testkit.Decision;
import dev.wif4j.testkit.Fault;
import dev.wif4j.testkit.RecordedRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The managed-identity paths (IMDS, App Service), each in a child JVM whose real environment points Azure Identity
 * and MSAL at the emulators on 127.0.0.1, as the platform's variables do in production: the real libraries ask
 * the emulated endpoint, wif4j exchanges the Entra token at the emulated Anthropic, and the child prints what
 * happened.
 */
class AzureManagedIdentityTest {

    private static final String RESOURCE = AzureEndToEndTest.RESOURCE;
    /** Nothing listens here: a fetch-only child never exchanges, and must not reach a real host if it did. */
    private static final String NO_ANTHROPIC = "http://127.0.0.1:9";

    /** A user-assigned identity: its client id, object id and ARM resource id. */
    private static final String USER_CLIENT_ID = "11111111-2222-4333-8444-555555555555";
    private static final String USER_OBJECT_ID = "66666666-7777-4888-9999-000000000000";
    private static final String USER_ARM_ID =
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/w";

    @TempDir
    Path home;

    /** A VM's or App Service's managed identity, system-assigned; tests of other identities start their own. */
    @AutoClose
    private final AzureManagedIdentityEmulator azure = AzureManagedIdentityEmulator.start();
    /** The Anthropic the exchanging children call. */
    @AutoClose
    private final AnthropicEmulator anthropic = AnthropicEmulator.start();

    private ChildJvm child(Map<String, String> platform) {
        return new ChildJvm(home).env(platform).env("WIF4J_AZURE_RESOURCE", RESOURCE)
                .env("ANTHROPIC_BASE_URL", NO_ANTHROPIC)
                .env("ANTHROPIC_FEDERATION_RULE_ID", "fdrl_unused")
                .env("ANTHROPIC_ORGANIZATION_ID", "123e4567-e89b-12d3-a456-426614174000");
    }

    /** A child that exchanges at {@link #anthropic}, under a rule on {@link #azure}'s system-assigned identity. */
    private ChildJvm exchanging(Map<String, String> platform) {
        String ruleId = AzureEndToEndTest.rule(anthropic, azure.issuerUrl(), azure.issuer(), azure.systemAssignedObjectId(),
                azure.tenantId());
        return child(platform).env(AzureEndToEndTest.anthropicEnv(anthropic, ruleId));
    }

    private static String module(Where where) {
        return where == Where.MODULE_PATH ? "dev.wif4j.provider.azure" : "null";
    }

    @ParameterizedTest(name = "on the {0}")
    @EnumSource(Where.class)
    @DisplayName("a VM's system-assigned identity: MSAL asks IMDS, two exchanges accepted on oid + tid + audience")
    void vmThroughImds(Where where) throws Exception {
        Result result = exchanging(azure.imdsEnvironment()).on(where).run("tokens=2");
        assertEquals("ok", result.value("token.2").orElse(""), result.toString());
        assertEquals("azure", result.value("chosen").orElse(""), result.toString());
        assertEquals(module(where), result.value("provider-module").orElse(""), result.toString());
        assertTrue(result.value("detection").orElse("").contains("IMDS"), result.toString());
        assertExchangesAccepted(anthropic, 2, azure.systemAssignedObjectId());
        List<RecordedRequest> imds = azure.requests();
        // MSAL keeps managed-identity tokens in a process-wide cache that Azure Identity's public API cannot
        // bypass: the second fetch gets the same token (no jti, so Anthropic takes it again; see the README).
        assertEquals(1, imds.size(), "MSAL's cache answers the second fetch: " + imds);
        RecordedRequest request = imds.get(0);
        assertTrue(request.path().startsWith(AzureManagedIdentityEmulator.IMDS_PATH + "?"), request.path());
        assertTrue(request.path().contains("resource=" + URLEncoder.encode(RESOURCE, StandardCharsets.UTF_8))
                || request.path().contains("resource=" + RESOURCE), request.path());
        assertEquals("true", request.header("Metadata").orElse(""));
        assertTrue(request.header("x-client-SKU").orElse("").contains("MSAL"),
                "asked by MSAL under Azure Identity: " + request.headers());
    }

    @ParameterizedTest(name = "on the {0}")
    @EnumSource(Where.class)
    @DisplayName("an App Service app: MSAL asks IDENTITY_ENDPOINT with X-IDENTITY-HEADER, exchange accepted")
    void appService(Where where) throws Exception {
        Result result = exchanging(azure.appServiceEnvironment()).env("WEBSITE_SITE_NAME", "billing")
                .on(where).run("tokens=1");
        assertEquals("ok", result.value("token.1").orElse(""), result.toString());
        assertEquals(module(where), result.value("provider-module").orElse(""), result.toString());
        assertTrue(result.value("detection").orElse("").contains("App Service"), result.toString());
        assertFalse(result.output().contains(azure.identityHeader()), "the identity header is a secret");
        assertExchangesAccepted(anthropic, 1, azure.systemAssignedObjectId());
        List<RecordedRequest> requests = azure.requests();
        assertEquals(1, requests.size(), requests.toString());
        RecordedRequest request = requests.get(0);
        assertTrue(request.path().startsWith(AzureManagedIdentityEmulator.APP_SERVICE_PATH + "?"));
        assertTrue(request.path().contains("api-version=2019-08-01"), request.path());
        assertEquals(azure.identityHeader(), request.header("X-IDENTITY-HEADER").orElse(""));
    }

    private static void assertExchangesAccepted(AnthropicEmulator anthropic, int count, String oid) {
        List<Decision> decisions = anthropic.history();
        assertEquals(count, decisions.size(), decisions.toString());
        for (Decision decision : decisions) {
            assertTrue(decision.accepted(), decision.toString());
            assertEquals(oid, decision.subject());
        }
    }

    @Test
    @DisplayName("IMDS answering 429 once: the fetch fails retryable, wif4j's exchange retries, token() succeeds")
    void throttledThenToken() throws Exception {
        azure.enqueue(Fault.status(429, "{\"error\":\"too_many_requests\"}"));
        Result result = exchanging(azure.imdsEnvironment()).run("tokens=1");
        assertEquals("ok", result.value("token.1").orElse(""), result.toString());
        assertEquals(2, azure.requests().size(), "one request per fetch, the second by core's retry");
    }

    @Test
    @DisplayName("IMDS answering 410 and 404 while it starts up: token() succeeds through core's retries, in bounded time")
    void startingUpThenToken() throws Exception {
        azure.enqueue(Fault.status(410, "{\"error\":\"gone\"}"));
        azure.enqueue(Fault.status(404, "{\"error\":\"not_found\"}"));
        Result result = exchanging(azure.imdsEnvironment()).run("tokens=1");
        assertEquals("ok", result.value("token.1").orElse(""), result.toString());
        assertEquals(3, azure.requests().size());
        assertTrue(Long.parseLong(result.value("elapsed.ms").orElseThrow()) < 30_000, result.toString());
    }

    @Test
    @DisplayName("IMDS failing with 503 every time: one token() makes at most 4 upstream calls, within 30 s")
    void persistentFailureIsBounded() throws Exception {
        for (int i = 0; i < 20; i++) {
            azure.enqueue(Fault.status(503, "{\"error\":\"service_unavailable\"}"));
        }
        Result result = exchanging(azure.imdsEnvironment()).run("tokens=1");
        String error = result.value("error").orElse("");
        assertTrue(error.contains("IMDS"), result.toString());
        assertEquals("true", result.value("retryable").orElse(""), result.toString());
        int calls = azure.requests().size();
        assertTrue(calls <= 4, calls + " IMDS requests for one token()");
        assertEquals(3, calls, "core retried: three attempts, one request each");
        assertTrue(Long.parseLong(result.value("elapsed.ms").orElseThrow()) < 30_000, result.toString());
        assertEquals(0, anthropic.exchangeRequests(), "nothing to exchange");
    }

    @Test
    @DisplayName("a VM with no identity assigned: 'Identity not found' becomes advice to assign one, not retried")
    void noIdentity() throws Exception {
        try (AzureManagedIdentityEmulator own = AzureManagedIdentityEmulator.builder().noSystemAssigned().start()) {
            Result result = child(own.imdsEnvironment()).run("fetch");
            String error = result.value("error").orElse("");
            assertTrue(error.contains("no managed identity") && error.contains("assign"), result.toString());
            assertEquals("false", result.value("retryable").orElse(""), result.toString());
            assertEquals(1, own.requests().size());
        }
    }

    @Test
    @DisplayName("a user-assigned identity chosen by client id, object id or resource id")
    void userAssigned() throws Exception {
        try (AzureManagedIdentityEmulator user = AzureManagedIdentityEmulator.builder().noSystemAssigned()
                .userAssigned(USER_CLIENT_ID, USER_OBJECT_ID, USER_ARM_ID).start()) {
            Result byClient = child(user.imdsEnvironment()).env("AZURE_CLIENT_ID", USER_CLIENT_ID).run("fetch");
            assertEquals(USER_OBJECT_ID, byClient.value("subject").orElse(""), byClient.toString());
            Result byObject = child(user.imdsEnvironment()).run("fetch", "setting=azure.object.id=" + USER_OBJECT_ID);
            assertEquals(USER_OBJECT_ID, byObject.value("subject").orElse(""), byObject.toString());
            Result byArmId = child(user.imdsEnvironment()).run("fetch", "setting=azure.identity.resource.id=" + USER_ARM_ID);
            assertEquals(USER_OBJECT_ID, byArmId.value("subject").orElse(""), byArmId.toString());
            List<RecordedRequest> requests = user.requests();
            assertTrue(requests.get(0).path().contains("client_id=" + USER_CLIENT_ID), requests.toString());
            assertTrue(requests.get(1).path().contains("object_id=" + USER_OBJECT_ID), requests.toString());
            assertTrue(requests.get(2).path().contains("_res_id="), requests.toString());
        }
    }

    @Test
    @DisplayName("no app registration for the resource (AADSTS500011): says so and how to create it")
    void appRegistrationMissing() throws Exception {
        try (AzureManagedIdentityEmulator own = AzureManagedIdentityEmulator.builder()
                .applications("api://some-other-app").start()) {
            Result result = child(own.imdsEnvironment()).run("fetch");
            String error = result.value("error").orElse("");
            assertTrue(error.contains("AADSTS500011") && error.contains("az ad app create")
                    && error.contains("az ad sp create"), result.toString());
            assertEquals("false", result.value("retryable").orElse(""), result.toString());
        }
    }

    @Test
    @DisplayName("a v1.0 token (iss sts.windows.net) is used, with a warning about requestedAccessTokenVersion=2")
    void version1Token() throws Exception {
        try (AzureManagedIdentityEmulator own = AzureManagedIdentityEmulator.builder().tokenVersion(1).start()) {
            Result result = child(own.imdsEnvironment()).run("fetch");
            assertTrue(result.value("issuer").orElse("").startsWith("https://sts.windows.net/"), result.toString());
            assertTrue(result.output().contains("requestedAccessTokenVersion") && result.output().contains("v1.0"),
                    result.toString());
        }
    }

    @Test
    @DisplayName("IMDS is asked without the JVM's HTTP proxy")
    void imdsBypassesProxy() throws Exception {
        // A proxy that does not exist, for every host: a request through it would fail.
        Result result = child(azure.imdsEnvironment()).jvmOption("-Dhttp.proxyHost=127.0.0.1")
                .jvmOption("-Dhttp.proxyPort=9").jvmOption("-Dhttp.nonProxyHosts=").run("fetch");
        assertEquals(azure.systemAssignedObjectId(), result.value("subject").orElse(""), result.toString());
    }
}
