package dev.wif4j.provider.authentik;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.AccessToken;
import dev.wif4j.DetectionReport;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.WorkloadIdentityBuilder;
import dev.wif4j.WorkloadIdentityException;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.AuthentikEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.Fault;
import dev.wif4j.testkit.FederationIssuer;
import dev.wif4j.testkit.FederationRule;
import dev.wif4j.testkit.OidcIssuer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** authentik → wif4j → Anthropic's token endpoint (discovery issuer served by authentik) → /v1/messages. */
class AuthentikEndToEndTest {
    static final String SECRET = "CANARY-e2e-secret-51d0";
    static final String SECRET_FILE = "/run/secrets/ak";

    /** A workload configured for {@code authentik}'s client {@code clientId}, whose tokens {@code anthropic} trusts. */
    private static FakeDetectionContext.Builder workload(AuthentikEmulator authentik, AnthropicEmulator anthropic,
            String clientId, FakeDetectionContext.Builder credential) {
        String issuerId = anthropic.addIssuer(FederationIssuer.discovery(authentik.issuerUrl(),
                authentik.issuerUrl().substring(0, authentik.issuerUrl().length() - 1)));
        String ruleId = anthropic.addRule(FederationRule.forIssuer(issuerId).subjectPrefix(authentik.subject())
                .audience(clientId));
        return credential
                .env("WIF4J_AUTHENTIK_HOST", authentik.hostUrl())
                .env("WIF4J_AUTHENTIK_CLIENT_ID", clientId)
                .env("WIF4J_AUTHENTIK_SLUG", authentik.slug())
                .env("ANTHROPIC_FEDERATION_RULE_ID", ruleId)
                .env("ANTHROPIC_ORGANIZATION_ID", anthropic.organizationId())
                .env("ANTHROPIC_BASE_URL", anthropic.baseUrl());
    }

    private static FakeDetectionContext.Builder secretFile() {
        return FakeDetectionContext.builder().env("WIF4J_AUTHENTIK_CLIENT_SECRET_FILE", SECRET_FILE)
                .file(SECRET_FILE, SECRET);
    }

    private static void callClaude(AuthentikEmulator authentik, String clientId, FakeDetectionContext.Builder credential) {
        try (AnthropicEmulator anthropic = AnthropicEmulator.start();
                FakeDetectionContext world = workload(authentik, anthropic, clientId, credential).build();
                WorkloadIdentity identity = WorkloadIdentity.builder().context(world).build()) {
            assertEquals("authentik", identity.providerId());
            AccessToken token = identity.credentials().token();
            assertEquals(200, anthropic.callMessages(token));
            assertEquals("ok", anthropic.lastDecision().reason());
            String everything = identity + "\n" + identity.detection() + "\n" + String.join("\n", world.logLines());
            assertFalse(everything.contains("CANARY"), everything);
        }
    }

    @Test
    @DisplayName("with a client secret from a file")
    void clientSecret() {
        try (AuthentikEmulator authentik = AuthentikEmulator.start().client("claude-client", SECRET)) {
            callClaude(authentik, "claude-client", secretFile());
        }
    }

    @Test
    @DisplayName("with a projected Kubernetes token as the client assertion")
    void clientAssertion() {
        try (OidcIssuer cluster = OidcIssuer.start();
                AuthentikEmulator authentik = AuthentikEmulator.start().clientWithAssertions("m2m", cluster)) {
            callClaude(authentik, "m2m", FakeDetectionContext.builder()
                    .env("WIF4J_AUTHENTIK_CLIENT_ASSERTION_FILE", "/var/run/secrets/tokens/ak")
                    .file("/var/run/secrets/tokens/ak",
                            cluster.mint().subject("system:serviceaccount:prod:claude").audience("m2m").sign()));
        }
    }

    @Test
    @DisplayName("a token endpoint failing with 503 for good: one token() fails after 3 token requests, within 30 s")
    void persistentServiceUnavailable() {
        try (AuthentikEmulator authentik = AuthentikEmulator.start().client("claude-client", SECRET);
                AnthropicEmulator anthropic = AnthropicEmulator.start();
                FakeDetectionContext world = workload(authentik, anthropic, "claude-client", secretFile()).build();
                WorkloadIdentity identity = WorkloadIdentity.builder().context(world).build()) {
            for (int i = 0; i < 10; i++) {
                authentik.enqueue(Fault.status(503, "{\"error\":\"unavailable\"}"));
            }
            long start = System.nanoTime();
            WorkloadIdentityException e = assertThrows(WorkloadIdentityException.class,
                    () -> identity.credentials().token());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(3, authentik.requests().size(), "core's 3 attempts, one token request each, no discovery");
            assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "took " + took);
            assertTrue(e.getMessage().contains("answered HTTP 503"), e.getMessage());
            assertEquals(0, anthropic.tokenRequests().size());
        }
    }

    private static DetectionReport.Entry pinnedEntry(Map<String, String> env, boolean byVariable) {
        FakeDetectionContext.Builder world = FakeDetectionContext.builder().env(env).file(SECRET_FILE, SECRET);
        if (byVariable) {
            world.env("WIF4J_PROVIDER", "authentik");
        }
        try (FakeDetectionContext context = world.build()) {
            WorkloadIdentityBuilder builder = WorkloadIdentity.builder().context(context);
            DetectionReport report = (byVariable ? builder : builder.provider("authentik")).detect();
            return report.entries().stream().filter(e -> e.id().equals("authentik")).findFirst().orElseThrow();
        }
    }

    @Test
    @DisplayName("WIF4J_PROVIDER=authentik and builder().provider(\"authentik\") give the same detection, available "
            + "or not")
    void pinnedByVariableOrInCodeAlike() {
        Map<String, String> configured = Map.of("WIF4J_AUTHENTIK_HOST", "authentik.company",
                "WIF4J_AUTHENTIK_CLIENT_ID", "claude-client", "WIF4J_AUTHENTIK_CLIENT_SECRET_FILE", SECRET_FILE);
        Map<String, String> halfConfigured = Map.of("WIF4J_AUTHENTIK_HOST", "authentik.company");
        for (Map<String, String> env : List.of(configured, halfConfigured, Map.<String, String>of())) {
            DetectionReport.Entry byVariable = pinnedEntry(env, true);
            DetectionReport.Entry inCode = pinnedEntry(env, false);
            assertEquals(byVariable.status(), inCode.status(), env.toString());
            assertEquals(byVariable.message(), inCode.message(), env.toString());
        }
        assertEquals(DetectionReport.Status.CHOSEN, pinnedEntry(configured, false).status());
        DetectionReport.Entry half = pinnedEntry(halfConfigured, true);
        assertEquals(DetectionReport.Status.UNAVAILABLE, half.status());
        assertTrue(half.message().startsWith("configured, but WIF4J_AUTHENTIK_CLIENT_ID"), half.message());
    }
}
