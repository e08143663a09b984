package dev.wif4j.provider.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.wif4j.AccessToken;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.FederationIssuer;
import dev.wif4j.testkit.FederationRule;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A pod calls Claude: TokenRequest at the API server → wif4j → Anthropic's token endpoint → /v1/messages. */
class K8sEndToEndTest {

    @Test
    @DisplayName("a pod with RBAC for TokenRequest exchanges a token of a private (inline-JWKS) issuer and calls "
            + "/v1/messages")
    void podCallsClaudeThroughTokenRequest() throws Exception {
        try (K8sCluster cluster = new K8sCluster(); AnthropicEmulator anthropic = AnthropicEmulator.start()) {
            // A private cluster issuer: Anthropic only compares iss, and checks signatures with the pasted keys.
            String issuerId = anthropic.addIssuer(FederationIssuer.inline(cluster.issuer.issuerUrl(),
                    cluster.issuer.publicKeysJson()));
            String ruleId = anthropic.addRule(FederationRule.forIssuer(issuerId)
                    .subjectPrefix(K8sCluster.SUBJECT)
                    .audience("https://api.anthropic.com"));
            try (FakeDetectionContext pod = cluster.pod()
                            .env("ANTHROPIC_FEDERATION_RULE_ID", ruleId)
                            .env("ANTHROPIC_ORGANIZATION_ID", anthropic.organizationId())
                            .env("ANTHROPIC_BASE_URL", anthropic.baseUrl())
                            .build();
                    WorkloadIdentity identity = WorkloadIdentity.builder().context(pod).build()) {
                assertEquals("k8s", identity.providerId());
                AccessToken token = identity.credentials().token();
                assertEquals(200, anthropic.callMessages(token));
                assertEquals(K8sCluster.SUBJECT, anthropic.lastDecision().subject());
                assertEquals(1, cluster.tokenRequests.size());

                identity.credentials().invalidate(token);
                AccessToken next = identity.credentials().token();
                assertNotEquals(token.value(), next.value());
                assertEquals(200, anthropic.callMessages(next));
                assertEquals(2, cluster.tokenRequests.size(), "each exchange presented a new TokenRequest token");
            }
        }
    }
}
