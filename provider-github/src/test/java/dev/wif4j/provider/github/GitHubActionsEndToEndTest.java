package dev.wif4j.provider.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import dev.wif4j.testkit.Fault;
import dev.wif4j.testkit.FederationIssuer;
import dev.wif4j.testkit.FederationRule;
import dev.wif4j.testkit.GitHubActionsEmulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A GitHub Actions job calls Claude: Actions token service → wif4j → Anthropic's token endpoint → /v1/messages. */
class GitHubActionsEndToEndTest {

    /** A job of {@code actions} whose tokens {@code anthropic} trusts for the job's environment {@code prod}. */
    private static FakeDetectionContext.Builder job(GitHubActionsEmulator actions, AnthropicEmulator anthropic) {
        String issuerId = anthropic.addIssuer(FederationIssuer.of(actions.issuer()));
        String ruleId = anthropic.addRule(FederationRule.forIssuer(issuerId)
                .subjectPrefix("repo:acme/app:environment:prod")
                .audience("https://api.anthropic.com")
                .claim("repository_owner", "acme"));
        return FakeDetectionContext.builder()
                .env(actions.jobEnvironment())
                .env("ANTHROPIC_FEDERATION_RULE_ID", ruleId)
                .env("ANTHROPIC_ORGANIZATION_ID", anthropic.organizationId())
                .env("ANTHROPIC_BASE_URL", anthropic.baseUrl());
    }

    private static GitHubActionsEmulator startActions() {
        return GitHubActionsEmulator.builder().repository("acme/app").environment("prod").start();
    }

    @Test
    @DisplayName("a job with id-token: write exchanges its OIDC token and calls /v1/messages, refreshing with a new token")
    void jobCallsClaude() throws Exception {
        try (GitHubActionsEmulator actions = startActions();
                AnthropicEmulator anthropic = AnthropicEmulator.start();
                FakeDetectionContext job = job(actions, anthropic).build();
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

    @Test
    @DisplayName("a 503 from the token service is retried by the exchange with a new fetch, and the token obtained")
    void serviceUnavailableThenOk() {
        try (GitHubActionsEmulator actions = startActions();
                AnthropicEmulator anthropic = AnthropicEmulator.start();
                FakeDetectionContext job = job(actions, anthropic).build();
                WorkloadIdentity identity = WorkloadIdentity.builder().context(job).build()) {
            actions.enqueue(Fault.status(503, ""));
            assertEquals(200, anthropic.callMessages(identity.credentials().token()));
            assertEquals(2, actions.requests().size(), "one failed fetch, one good one");
            assertEquals(1, anthropic.tokensIssued());
        }
    }

    @Test
    @DisplayName("a token service failing with 503 for good: one token() fails after 3 fetches of one request each, "
            + "within 30 s")
    void persistentServiceUnavailable() {
        try (GitHubActionsEmulator actions = startActions();
                AnthropicEmulator anthropic = AnthropicEmulator.start();
                FakeDetectionContext job = job(actions, anthropic).build();
                WorkloadIdentity identity = WorkloadIdentity.builder().context(job).build()) {
            for (int i = 0; i < 10; i++) {
                actions.enqueue(Fault.status(503, ""));
            }
            long start = System.nanoTime();
            WorkloadIdentityException e = assertThrows(WorkloadIdentityException.class,
                    () -> identity.credentials().token());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(3, actions.requests().size(), "core's 3 attempts, one request each");
            assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "took " + took);
            assertTrue(e.getMessage().contains("answered HTTP 503"), e.getMessage());
            assertEquals(0, anthropic.tokenRequests().size(), "no exchange without an identity token");
        }
    }

    private static DetectionReport.Entry pinnedEntry(Map<String, String> env, boolean byVariable) {
        FakeDetectionContext.Builder world = FakeDetectionContext.builder().env(env);
        if (byVariable) {
            world.env("WIF4J_PROVIDER", "github");
        }
        try (FakeDetectionContext context = world.build()) {
            WorkloadIdentityBuilder builder = WorkloadIdentity.builder().context(context);
            DetectionReport report = (byVariable ? builder : builder.provider("github")).detect();
            return report.entries().stream().filter(e -> e.id().equals("github")).findFirst().orElseThrow();
        }
    }

    @Test
    @DisplayName("WIF4J_PROVIDER=github and builder().provider(\"github\") give the same detection, available or not")
    void pinnedByVariableOrInCodeAlike() {
        try (GitHubActionsEmulator actions = startActions()) {
            for (Map<String, String> env : List.of(actions.jobEnvironment(),
                    actions.jobEnvironmentWithoutIdToken())) {
                DetectionReport.Entry byVariable = pinnedEntry(env, true);
                DetectionReport.Entry inCode = pinnedEntry(env, false);
                assertEquals(byVariable.status(), inCode.status());
                assertEquals(byVariable.message(), inCode.message());
                assertFalse(byVariable.message().isBlank());
            }
            assertEquals(DetectionReport.Status.CHOSEN, pinnedEntry(actions.jobEnvironment(), false).status());
            assertEquals(DetectionReport.Status.UNAVAILABLE,
                    pinnedEntry(actions.jobEnvironmentWithoutIdToken(), true).status());
        }
    }
}
