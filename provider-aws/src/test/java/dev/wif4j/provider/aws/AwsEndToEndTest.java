package dev.wif4j.provider.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.wif4j.AccessToken;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.AwsStsEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.FederationIssuer;
import dev.wif4j.testkit.FederationRule;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A Lambda function calls Claude: the real AWS SDK → STS emulator → wif4j → Anthropic's token endpoint → /v1/messages. */
class AwsEndToEndTest {

    @Test
    @DisplayName("a Lambda role's STS token is exchanged under a rule on the role ARN and audience, and /v1/messages answers 200")
    void lambdaCallsClaude() throws Exception {
        String role = "arn:aws:iam::210987654321:role/claude-workload";
        try (AwsStsEmulator sts = AwsStsEmulator.builder().roleArn(role).region("eu-central-1").start();
                AnthropicEmulator anthropic = AnthropicEmulator.start()) {
            String issuerId = anthropic.addIssuer(FederationIssuer.of(sts.issuer()));
            String ruleId = anthropic.addRule(FederationRule.forIssuer(issuerId)
                    .subjectPrefix(role)
                    .audience("https://api.anthropic.com"));
            try (FakeDetectionContext lambda = FakeDetectionContext.builder()
                            .env(sts.lambdaEnvironment())
                            .env("ANTHROPIC_FEDERATION_RULE_ID", ruleId)
                            .env("ANTHROPIC_ORGANIZATION_ID", anthropic.organizationId())
                            .env("ANTHROPIC_BASE_URL", anthropic.baseUrl())
                            .build();
                    WorkloadIdentity identity = WorkloadIdentity.builder().context(lambda).build()) {
                assertEquals("aws", identity.providerId());
                AccessToken token = identity.credentials().token();
                assertEquals(200, anthropic.callMessages(token));
                assertEquals(role, anthropic.lastDecision().subject());
                assertEquals(1, sts.tokenRequests().size());

                identity.credentials().invalidate(token);
                AccessToken next = identity.credentials().token();
                assertNotEquals(token.value(), next.value());
                assertEquals(200, anthropic.callMessages(next));
                assertEquals(2, sts.tokenRequests().size(), "the refresh called STS again");

                String shown = identity + "\n" + identity.detection() + "\n" + String.join("\n", lambda.logLines());
                assertFalse(shown.contains(sts.secretAccessKey()), shown);
            }
        }
    }
}
