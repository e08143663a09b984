package dev.wif4j.provider.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.AccessToken;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.FederationIssuer;
import dev.wif4j.testkit.FederationRule;
import dev.wif4j.testkit.GcpMetadataEmulator;
import dev.wif4j.testkit.RecordedRequest;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A Cloud Run service calls Claude: the real Google Auth Library asks the metadata server (the emulator on
 * 127.0.0.1) for an identity token, wif4j exchanges it at Anthropic's token endpoint, and the access token calls
 * {@code /v1/messages}.
 */
class GcpEndToEndTest {

    @Test
    @DisplayName("a Cloud Run service exchanges a format=full Google token under a rule on sub + email + audience")
    void cloudRunCallsClaude() throws Exception {
        try (GcpMetadataEmulator gcp = GcpMetadataEmulator.builder().projectId("acme-prod")
                        .serviceAccount("billing@acme-prod.iam.gserviceaccount.com", "112233445566778899001").start();
                AnthropicEmulator anthropic = AnthropicEmulator.start()) {
            // Registered as in the Console: issuer https://accounts.google.com, keys from Google's JWKS.
            String issuerId = anthropic.addIssuer(FederationIssuer.explicitUrl(GcpMetadataEmulator.GOOGLE_ISSUER,
                    gcp.issuer().jwksUri()));
            String ruleId = anthropic.addRule(FederationRule.forIssuer(issuerId)
                    .subjectPrefix("112233445566778899001")
                    .audience("https://api.anthropic.com")
                    .claim("email", "billing@acme-prod.iam.gserviceaccount.com"));
            try (FakeDetectionContext service = FakeDetectionContext.builder()
                            .env("K_SERVICE", "billing")
                            .env("K_REVISION", "billing-00042-xiz")
                            .env(gcp.environment())
                            .env("ANTHROPIC_FEDERATION_RULE_ID", ruleId)
                            .env("ANTHROPIC_ORGANIZATION_ID", anthropic.organizationId())
                            .env("ANTHROPIC_BASE_URL", anthropic.baseUrl())
                            .build();
                    WorkloadIdentity identity = WorkloadIdentity.builder().context(service).build()) {
                assertEquals("gcp", identity.providerId());
                AccessToken token = identity.credentials().token();
                assertEquals(200, anthropic.callMessages(token));
                assertTrue(anthropic.lastDecision().accepted(), anthropic.lastDecision().toString());
                assertEquals("112233445566778899001", anthropic.lastDecision().subject());

                identity.credentials().invalidate(token);
                AccessToken next = identity.credentials().token();
                assertNotEquals(token.value(), next.value());
                assertEquals(200, anthropic.callMessages(next));
                assertEquals(2, anthropic.tokensIssued(), "each exchange presented a new Google token");
            }
            List<RecordedRequest> identityRequests = gcp.requests().stream()
                    .filter(r -> r.path().contains("/identity?")).toList();
            assertEquals(2, identityRequests.size());
            for (RecordedRequest request : identityRequests) {
                assertTrue(request.path().contains("format=full"), request.path());
                assertTrue(request.header("User-Agent").orElse("").contains("Google-HTTP-Java-Client"),
                        "asked by the Google library: " + request.headers());
            }
        }
    }
}
