package dev.wif4j.provider.authentik;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.WorkloadIdentityException;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.FederationIssuer;
import dev.wif4j.testkit.FederationRule;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real Keycloak (26.7, started once for the class by {@link KeycloakServer}) → the client_credentials provider →
 * Anthropic's token endpoint (the emulator, trusting the realm's issuer by discovery over loopback http) →
 * {@code /v1/messages}. The realm ({@code keycloak/wif4j-realm.json}) has one confidential client with service
 * accounts on and an Audience mapper putting {@code https://api.anthropic.com} into {@code aud} of both tokens;
 * its service-account user has a fixed id, the tokens' {@code sub}.
 */
class KeycloakEndToEndTest {
    static final String REALM = "wif4j";
    static final String CLIENT = "claude-workload";
    static final String SECRET = "CANARY-keycloak-secret-93c1e0";
    static final String SERVICE_ACCOUNT = "5f0c2b0e-7d1a-4c3e-9b8a-2a6f1d4e8c01";
    static final String AUDIENCE = "https://api.anthropic.com";
    static final String SECRET_FILE = "/run/secrets/keycloak";
    private static final ObjectMapper JSON = new ObjectMapper();
    static KeycloakServer keycloak;

    @BeforeAll
    static void startKeycloak() throws Exception {
        Path java = KeycloakServer.findJava(System.getProperty("keycloak.java.home"),
                Path.of(System.getProperty("java.home")), KeycloakServer.JDK_ROOTS);
        Path home = Path.of(System.getProperty("keycloak.home", "target/keycloak-26.7.3"));
        keycloak = KeycloakServer.start(home, java, REALM, "/keycloak/wif4j-realm.json");
        System.out.printf("Keycloak (%s) on %s started in %.1f s%n", home.getFileName(), java,
                keycloak.startedIn().toMillis() / 1000.0);
    }

    @AfterAll
    static void stopKeycloak() {
        if (keycloak != null) {
            keycloak.close();
        }
    }

    /** A workload configured for the realm's client, whose Anthropic trusts the realm for a rule on {@code audience}. */
    private static FakeDetectionContext.Builder workload(AnthropicEmulator anthropic, String audience, String secret) {
        String issuerId = anthropic.addIssuer(FederationIssuer.discovery(keycloak.issuerUrl()));
        String ruleId = anthropic.addRule(FederationRule.forIssuer(issuerId).subjectPrefix(SERVICE_ACCOUNT)
                .audience(audience));
        return FakeDetectionContext.builder()
                .env("WIF4J_AUTHENTIK_TOKEN_URL", keycloak.tokenUrl())
                .env("WIF4J_AUTHENTIK_CLIENT_ID", CLIENT)
                .env("WIF4J_AUTHENTIK_CLIENT_SECRET_FILE", SECRET_FILE)
                .file(SECRET_FILE, secret + "\n")
                .env("ANTHROPIC_FEDERATION_RULE_ID", ruleId)
                .env("ANTHROPIC_ORGANIZATION_ID", anthropic.organizationId())
                .env("ANTHROPIC_BASE_URL", anthropic.baseUrl());
    }

    /** The identity token wif4j presented to Anthropic. */
    private static IdentityToken presented(AnthropicEmulator anthropic) throws Exception {
        String body = anthropic.tokenRequests().get(anthropic.tokenRequests().size() - 1).body();
        return IdentityToken.parse(JSON.readTree(body).get("assertion").asText());
    }

    @ParameterizedTest(name = "{0}, the {1} as the identity token")
    @CsvSource({"client_secret_post, id_token", "client_secret_basic, id_token", "client_secret_post, access_token",
            "client_secret_basic, access_token"})
    @DisplayName("Keycloak's token calls Claude: secret in the form or in Basic, id_token or access_token")
    void callsClaude(String clientAuth, String field) throws Exception {
        try (AnthropicEmulator anthropic = AnthropicEmulator.start();
                FakeDetectionContext world = workload(anthropic, AUDIENCE, SECRET)
                        .env("WIF4J_AUTHENTIK_CLIENT_AUTH", clientAuth)
                        .env("WIF4J_AUTHENTIK_TOKEN_FIELD", field).build();
                WorkloadIdentity identity = WorkloadIdentity.builder().context(world).build()) {
            assertEquals("authentik", identity.providerId());
            assertEquals(200, anthropic.callMessages(identity.credentials().token()));
            assertEquals("ok", anthropic.lastDecision().reason());
            IdentityToken token = presented(anthropic);
            assertEquals(keycloak.issuerUrl(), token.issuer().orElseThrow(), "no trailing slash: Keycloak's issuer");
            assertEquals(SERVICE_ACCOUNT, token.subject().orElseThrow());
            assertEquals(CLIENT, token.stringClaim("azp").orElseThrow());
            // The Audience mapper puts Anthropic's audience into aud; the id_token keeps the client id beside it.
            assertEquals(field.equals("id_token") ? List.of(CLIENT, AUDIENCE) : List.of(AUDIENCE), token.audience());
            assertEquals(field.equals("id_token") ? "ID" : "Bearer", token.stringClaim("typ").orElseThrow());
            String everything = identity + "\n" + identity.detection() + "\n" + String.join("\n", world.logLines());
            assertFalse(everything.contains("CANARY"), everything);
            assertFalse(world.logLines().stream().anyMatch(l -> l.startsWith("WARNING")),
                    "a good Keycloak token draws no warning (no authentik trailing-slash advice): " + world.logLines());
        }
    }

    @Test
    @DisplayName("the access_token's aud is the mapper's alone: a rule on the client id is denied by Anthropic")
    void accessTokenAudienceIsTheMappers() {
        try (AnthropicEmulator anthropic = AnthropicEmulator.start();
                FakeDetectionContext world = workload(anthropic, CLIENT, SECRET)
                        .env("WIF4J_AUTHENTIK_TOKEN_FIELD", "access_token").build();
                WorkloadIdentity identity = WorkloadIdentity.builder().context(world).build()) {
            assertThrows(WorkloadIdentityException.class, () -> identity.credentials().token());
            assertEquals("match_audience", anthropic.lastDecision().reason());
        }
    }

    @Test
    @DisplayName("Keycloak listens on loopback only, its HTTP port among its sockets")
    void listensOnLoopbackOnly() throws Exception {
        List<String> sockets = keycloak.listeningSockets();
        assertTrue(sockets.stream().anyMatch(s -> s.endsWith(String.format(":%04X", keycloak.port()))),
                "the HTTP port " + keycloak.port() + " is among " + sockets + " (Linux /proc)");
        assertEquals(List.of(), sockets.stream().filter(s -> !KeycloakServer.isLoopback(s)).toList(),
                "every listening socket is on loopback");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"client_secret_post", "client_secret_basic"})
    @DisplayName("a wrong secret: Keycloak's 401 named with the OIDC server's advice, not retried, the secret unseen")
    void wrongSecret(String clientAuth) {
        try (AnthropicEmulator anthropic = AnthropicEmulator.start();
                FakeDetectionContext world = workload(anthropic, AUDIENCE, "CANARY-wrong-secret")
                        .env("WIF4J_AUTHENTIK_CLIENT_AUTH", clientAuth).build();
                WorkloadIdentity identity = WorkloadIdentity.builder().context(world).build()) {
            WorkloadIdentityException e = assertThrows(WorkloadIdentityException.class,
                    () -> identity.credentials().token());
            String message = e.getMessage();
            assertTrue(message.contains("The token endpoint " + keycloak.tokenUrl() + " answered HTTP 401 "
                    + "unauthorized_client: Invalid client or Invalid client credentials. It did not accept client "
                    + CLIENT + " with a client secret from the file " + SECRET_FILE), message);
            assertTrue(message.contains("that the OIDC server lets this client use the client credentials grant"),
                    message);
            assertFalse(message.contains("authentik") || message.contains("CANARY"), message);
            assertEquals(0, anthropic.tokenRequests().size());
        }
    }
}
