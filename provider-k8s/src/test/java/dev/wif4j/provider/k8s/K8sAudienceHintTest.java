package dev.wif4j.provider.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.TokenExchangeException;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.FederationIssuer;
import dev.wif4j.testkit.FederationRule;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Anthropic's 401 hint with {@code WIF4J_K8S_AUDIENCE} set: the token's {@code aud} is compared with the audience
 * the k8s provider was configured with, not with wif4j's global default.
 */
class K8sAudienceHintTest {
    @RegisterExtension
    static final Started<K8sCluster> CLUSTER = new Started<>(K8sCluster::new);

    private static final String AUDIENCE = "api://claude";

    /** A pod with {@code WIF4J_K8S_AUDIENCE=api://claude}, and a rule of Anthropic's on that audience. */
    private static FakeDetectionContext.Builder pod(AnthropicEmulator anthropic, String ruleSubject) {
        K8sCluster cluster = CLUSTER.get();
        String issuerId = anthropic.addIssuer(FederationIssuer.inline(cluster.issuer.issuerUrl(),
                cluster.issuer.publicKeysJson()));
        String ruleId = anthropic.addRule(FederationRule.forIssuer(issuerId).subjectPrefix(ruleSubject)
                .audience(AUDIENCE));
        return cluster.pod()
                .env("WIF4J_K8S_AUDIENCE", AUDIENCE)
                .env("ANTHROPIC_FEDERATION_RULE_ID", ruleId)
                .env("ANTHROPIC_ORGANIZATION_ID", anthropic.organizationId())
                .env("ANTHROPIC_BASE_URL", anthropic.baseUrl());
    }

    private static TokenExchangeException refused(FakeDetectionContext pod) {
        try (WorkloadIdentity identity = WorkloadIdentity.builder().context(pod).build()) {
            assertEquals("k8s", identity.providerId());
            TokenExchangeException e = assertThrows(TokenExchangeException.class, () -> identity.credentials().token());
            assertEquals(401, e.statusCode(), e.getMessage());
            return e;
        }
    }

    @Test
    @DisplayName("a projected token for api://claude refused on its subject: the hint does not blame aud")
    void rightAudienceIsNotBlamed() {
        String jwt = CLUSTER.get().serviceAccountToken(AUDIENCE, Duration.ofHours(1));
        try (AnthropicEmulator anthropic = AnthropicEmulator.start();
                FakeDetectionContext pod = pod(anthropic, "system:serviceaccount:inference:another-worker")
                        .file(K8sCluster.PROJECTED, jwt).build()) {
            String message = refused(pod).getMessage();
            assertEquals("match_subject_prefix", anthropic.lastDecision().reason(), message);
            assertTrue(message.contains("aud=[api://claude]"), message);
            assertFalse(message.contains("does not contain"), message);
            assertFalse(message.contains("the audience configured here"), message);
        }
    }

    @Test
    @DisplayName("a TokenRequest token without api://claude (the API server ignored the audience): the hint names "
            + "api://claude")
    void wrongAudienceNamesTheConfiguredOne() {
        try (AnthropicEmulator anthropic = AnthropicEmulator.start();
                FakeDetectionContext pod = pod(anthropic, K8sCluster.SUBJECT)
                        .setting("k8s.service.account", K8sCluster.AUDIENCE_IGNORED_SERVICE_ACCOUNT).build()) {
            String message = refused(pod).getMessage();
            assertEquals("match_audience", anthropic.lastDecision().reason(), message);
            assertTrue(message.contains("the token's aud [" + K8sCluster.DEFAULT_AUDIENCE + "] does not contain "
                    + AUDIENCE + ", the audience configured here"), message);
            assertFalse(message.contains("does not contain https://api.anthropic.com"), message);
        }
    }
}
