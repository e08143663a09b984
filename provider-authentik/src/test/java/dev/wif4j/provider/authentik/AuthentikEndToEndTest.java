package dev.wif4j.provider.authentik;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.wif4j.AccessToken;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.AuthentikEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.FederationIssuer;
import dev.wif4j.testkit.FederationRule;
import dev.wif4j.testkit.OidcIssuer;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** authentik → wif4j → Anthropic's token endpoint (discovery issuer served by authentik) → /v1/messages. */
class AuthentikEndToEndTest {
    static final String SECRET = "CANARY-e2e-secret-51d0";

    private static void callClaude(AuthentikEmulator authentik, String clientId, Map<String, String> credential,
            FakeDetectionContext.Builder extra) throws Exception {
        try (AnthropicEmulator anthropic = AnthropicEmulator.start()) {
            String issuerId = anthropic.addIssuer(FederationIssuer.discovery(authentik.issuerUrl(),
                    authentik.issuerUrl().substring(0, authentik.issuerUrl().length() - 1)));
            String ruleId = anthropic.addRule(FederationRule.forIssuer(issuerId).subjectPrefix(authentik.subject())
                    .audience(clientId));
            try (FakeDetectionContext world = extra
                            .env(credential)
                            .env("WIF4J_AUTHENTIK_HOST", authentik.hostUrl())
                            .env("WIF4J_AUTHENTIK_CLIENT_ID", clientId)
                            .env("WIF4J_AUTHENTIK_SLUG", authentik.slug())
                            .env("ANTHROPIC_FEDERATION_RULE_ID", ruleId)
                            .env("ANTHROPIC_ORGANIZATION_ID", anthropic.organizationId())
                            .env("ANTHROPIC_BASE_URL", anthropic.baseUrl())
                            .build();
                    WorkloadIdentity identity = WorkloadIdentity.builder().context(world).build()) {
                assertEquals("authentik", identity.providerId());
                AccessToken token = identity.credentials().token();
                assertEquals(200, anthropic.callMessages(token));
                assertEquals("ok", anthropic.lastDecision().reason());
                String everything = identity + "\n" + identity.detection() + "\n" + String.join("\n", world.logLines());
                assertFalse(everything.contains("CANARY"), everything);
            }
        }
    }

    @Test
    @DisplayName("with a client secret from a file")
    void clientSecret() throws Exception {
        try (AuthentikEmulator authentik = AuthentikEmulator.start().client("claude-client", SECRET)) {
            callClaude(authentik, "claude-client", Map.of("WIF4J_AUTHENTIK_CLIENT_SECRET_FILE", "/run/secrets/ak"),
                    FakeDetectionContext.builder().file("/run/secrets/ak", SECRET));
        }
    }

    @Test
    @DisplayName("with a projected Kubernetes token as the client assertion")
    void clientAssertion() throws Exception {
        try (OidcIssuer cluster = OidcIssuer.start();
                AuthentikEmulator authentik = AuthentikEmulator.start().clientWithAssertions("m2m", cluster)) {
            callClaude(authentik, "m2m", Map.of("WIF4J_AUTHENTIK_CLIENT_ASSERTION_FILE", "/var/run/secrets/tokens/ak"),
                    FakeDetectionContext.builder().file("/var/run/secrets/tokens/ak",
                            cluster.mint().subject("system:serviceaccount:prod:claude").audience("m2m").sign()));
        }
    }
}
