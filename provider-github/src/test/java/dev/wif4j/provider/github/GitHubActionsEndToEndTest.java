package dev.wif4j.provider.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.wif4j.AccessToken;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.FederationIssuer;
import dev.wif4j.testkit.FederationRule;
import dev.wif4j.testkit.GitHubActionsEmulator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A GitHub Actions job calls Claude: Actions token service → wif4j → Anthropic's token endpoint → /v1/messages. */
class GitHubActionsEndToEndTest {

    @Test
    @DisplayName("a job with id-token: write exchanges its OIDC token and calls /v1/messages, refreshing with a new token")
    void jobCallsClaude() throws Exception {
        try (GitHubActionsEmulator actions = GitHubActionsEmulator.builder().repository("acme/app")
                        .environment("prod").start();
                AnthropicEmulator anthropic = AnthropicEmulator.start()) {
            String issuerId = anthropic.addIssuer(FederationIssuer.of(actions.issuer()));
            String ruleId = anthropic.addRule(FederationRule.forIssuer(issuerId)
                    .subjectPrefix("repo:acme/app:environment:prod")
                    .audience("https://api.anthropic.com")
                    .claim("repository_owner", "acme"));
            try (FakeDetectionContext job = FakeDetectionContext.builder()
                            .env(actions.jobEnvironment())
                            .env("ANTHROPIC_FEDERATION_RULE_ID", ruleId)
                            .env("ANTHROPIC_ORGANIZATION_ID", anthropic.organizationId())
                            .env("ANTHROPIC_BASE_URL", anthropic.baseUrl())
                            .build();
                    WorkloadIdentity identity = WorkloadIdentity.builder().context(job).build()) {
                assertEquals("github", identity.providerId());
                AccessToken token = identity.credentials().token();
                assertEquals(200, anthropic.callMessages(token));
                assertEquals("repo:acme/app:environment:prod", anthropic.lastDecision().subject());

                identity.credentials().invalidate(token);
                AccessToken next = identity.credentials().token();
                assertNotEquals(token.value(), next.value());
                assertEquals(200, anthropic.callMessages(next));
                assertEquals(2, anthropic.tokensIssued(), "each exchange presented a new Actions token");
            }
        }
    }
}
