package dev.wif4j.provider.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.AccessToken;
import dev.wif4j.DetectionReport;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.WorkloadIdentityBuilder;
import dev.wif4j.WorkloadIdentityException;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.FederationIssuer;
import dev.wif4j.testkit.FederationRule;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A pod calls Claude: TokenRequest at the API server → wif4j → Anthropic's token endpoint → /v1/messages. */
class K8sEndToEndTest {
    @RegisterExtension
    static final Started<K8sCluster> CLUSTER = new Started<>(K8sCluster::new);

    /** A pod of the cluster whose service account's tokens {@code anthropic} trusts. */
    private static FakeDetectionContext.Builder pod(AnthropicEmulator anthropic) {
        K8sCluster cluster = CLUSTER.get();
        // A private cluster issuer: Anthropic only compares iss, and checks signatures with the pasted keys.
        String issuerId = anthropic.addIssuer(FederationIssuer.inline(cluster.issuer.issuerUrl(),
                cluster.issuer.publicKeysJson()));
        String ruleId = anthropic.addRule(FederationRule.forIssuer(issuerId)
                .subjectPrefix(K8sCluster.SUBJECT)
                .audience("https://api.anthropic.com"));
        return cluster.pod()
                .env("ANTHROPIC_FEDERATION_RULE_ID", ruleId)
                .env("ANTHROPIC_ORGANIZATION_ID", anthropic.organizationId())
                .env("ANTHROPIC_BASE_URL", anthropic.baseUrl());
    }

    @Test
    @DisplayName("a pod with RBAC for TokenRequest exchanges a token of a private (inline-JWKS) issuer and calls "
            + "/v1/messages")
    void podCallsClaudeThroughTokenRequest() {
        int before = CLUSTER.get().tokenRequests.size();
        try (AnthropicEmulator anthropic = AnthropicEmulator.start();
                FakeDetectionContext pod = pod(anthropic).build();
                WorkloadIdentity identity = WorkloadIdentity.builder().context(pod).build()) {
            assertEquals("k8s", identity.providerId());
            AccessToken token = identity.credentials().token();
            assertEquals(200, anthropic.callMessages(token));
            assertEquals(K8sCluster.SUBJECT, anthropic.lastDecision().subject());
            assertEquals(before + 1, CLUSTER.get().tokenRequests.size());

            identity.credentials().invalidate(token);
            AccessToken next = identity.credentials().token();
            assertNotEquals(token.value(), next.value());
            assertEquals(200, anthropic.callMessages(next));
            assertEquals(before + 2, CLUSTER.get().tokenRequests.size(),
                    "each exchange presented a new TokenRequest token");
        }
    }

    @Test
    @DisplayName("an API server answering 503 for good: one token() fails after 3 TokenRequests, within 30 s")
    void persistentServiceUnavailable() {
        int before = CLUSTER.get().unavailableRequests.get();
        try (AnthropicEmulator anthropic = AnthropicEmulator.start();
                FakeDetectionContext pod = pod(anthropic)
                        .setting("k8s.service.account", K8sCluster.UNAVAILABLE_SERVICE_ACCOUNT).build();
                WorkloadIdentity identity = WorkloadIdentity.builder().context(pod).build()) {
            long start = System.nanoTime();
            WorkloadIdentityException e = assertThrows(WorkloadIdentityException.class,
                    () -> identity.credentials().token());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(3, CLUSTER.get().unavailableRequests.get() - before, "core's 3 attempts, one request each");
            assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "took " + took);
            assertTrue(e.getMessage().contains("failed (HTTP 503)"), e.getMessage());
            assertEquals(0, anthropic.tokenRequests().size());
        }
    }

    private static DetectionReport.Entry pinnedEntry(FakeDetectionContext.Builder world, boolean byVariable) {
        if (byVariable) {
            world.env("WIF4J_PROVIDER", "k8s");
        }
        try (FakeDetectionContext context = world.build()) {
            WorkloadIdentityBuilder builder = WorkloadIdentity.builder().context(context);
            DetectionReport report = (byVariable ? builder : builder.provider("k8s")).detect();
            return report.entries().stream().filter(e -> e.id().equals("k8s")).findFirst().orElseThrow();
        }
    }

    @Test
    @DisplayName("WIF4J_PROVIDER=k8s and builder().provider(\"k8s\") give the same detection, available or not")
    void pinnedByVariableOrInCodeAlike() {
        List<Supplier<FakeDetectionContext.Builder>> worlds = List.of(
                () -> CLUSTER.get().pod(),
                () -> FakeDetectionContext.builder().file(K8sCluster.PROJECTED,
                        CLUSTER.get().issuer.mint().subject(K8sCluster.SUBJECT).sign()),
                () -> FakeDetectionContext.builder().env("KUBERNETES_SERVICE_HOST", "10.96.0.1"),
                FakeDetectionContext::builder);
        for (Supplier<FakeDetectionContext.Builder> world : worlds) {
            DetectionReport.Entry byVariable = pinnedEntry(world.get(), true);
            DetectionReport.Entry inCode = pinnedEntry(world.get(), false);
            assertEquals(byVariable.status(), inCode.status(), byVariable.message());
            assertEquals(byVariable.message(), inCode.message());
        }
        assertEquals(DetectionReport.Status.CHOSEN, pinnedEntry(CLUSTER.get().pod(), true).status());
        assertEquals(DetectionReport.Status.UNAVAILABLE, pinnedEntry(FakeDetectionContext.builder(), false).status());
    }
}
