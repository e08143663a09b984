package dev.wif4j.provider.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.AccessToken;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.WorkloadIdentityException;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.CiEnvironments;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.FederationIssuer;
import dev.wif4j.testkit.FederationRule;
import dev.wif4j.testkit.OidcIssuer;
import dev.wif4j.buildsupport.StandInCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A CI job calls Claude, per system: its token, found by detection among the installed providers, is exchanged at
 * the Anthropic emulator under a rule written as the README says, and the access token works on {@code /v1/messages}.
 */
class CiEndToEndTest {
    private OidcIssuer issuer;
    private AnthropicEmulator anthropic;
    private String issuerId;

    @BeforeEach
    void start() {
        issuer = OidcIssuer.start();
        anthropic = AnthropicEmulator.start();
        issuerId = anthropic.addIssuer(FederationIssuer.of(issuer));
    }

    @AfterEach
    void stop() {
        anthropic.close();
        issuer.close();
    }

    private FakeDetectionContext.Builder job(Map<String, String> env, UnaryOperator<FederationRule> rule) {
        String ruleId = anthropic.addRule(rule.apply(FederationRule.forIssuer(issuerId)));
        return FakeDetectionContext.builder().env(env)
                .env("ANTHROPIC_FEDERATION_RULE_ID", ruleId)
                .env("ANTHROPIC_ORGANIZATION_ID", anthropic.organizationId())
                .env("ANTHROPIC_BASE_URL", anthropic.baseUrl());
    }

    /** Exchanges and calls /v1/messages; returns the subject Anthropic saw. */
    private String callClaude(FakeDetectionContext world) {
        try (WorkloadIdentity identity = WorkloadIdentity.builder().context(world).build()) {
            assertEquals("ci", identity.providerId());
            AccessToken token = identity.credentials().token();
            assertEquals(200, anthropic.callMessages(token));
            assertEquals("ok", anthropic.lastDecision().reason());
            return anthropic.lastDecision().subject();
        }
    }

    @Test
    @DisplayName("GitLab CI/CD: the id_tokens variable, under a rule on project_path and the branch")
    void gitLab() {
        try (FakeDetectionContext world = job(CiEnvironments.gitLab(issuer), r -> r
                .subjectPrefix("project_path:acme/app:ref_type:branch:ref:main").audience(OidcIssuer.DEFAULT_AUDIENCE))
                .build()) {
            assertEquals(CiEnvironments.GITLAB_SUBJECT, callClaude(world));
        }
    }

    @Test
    @DisplayName("GitLab: the variable's token serves one exchange; a second one is refused as a replay of its jti")
    void variableTokenServesOneExchange() {
        try (FakeDetectionContext world = job(CiEnvironments.gitLab(issuer), r -> r
                .subjectPrefix(CiEnvironments.GITLAB_SUBJECT).audience(OidcIssuer.DEFAULT_AUDIENCE)).build();
                WorkloadIdentity identity = WorkloadIdentity.builder().context(world).build()) {
            AccessToken token = identity.credentials().token();
            assertEquals(200, anthropic.callMessages(token));
            identity.credentials().invalidate(token);
            WorkloadIdentityException e = assertThrows(WorkloadIdentityException.class,
                    () -> identity.credentials().token());
            assertTrue(e.getMessage().contains("jti"), e.getMessage());
            assertEquals(1, anthropic.tokensIssued());
        }
    }

    @Test
    @DisplayName("CircleCI: CIRCLE_OIDC_TOKEN_V2, whose aud is the organization id, under a rule on org and project")
    void circleCi() {
        try (FakeDetectionContext world = job(CiEnvironments.circleCi(issuer), r -> r
                .subjectPrefix("org/" + CiEnvironments.CIRCLECI_ORGANIZATION_ID + "/project/"
                        + CiEnvironments.CIRCLECI_PROJECT_ID + "/*")
                .audience(CiEnvironments.CIRCLECI_ORGANIZATION_ID)).build()) {
            assertEquals(CiEnvironments.CIRCLECI_SUBJECT, callClaude(world));
        }
    }

    @Test
    @DisplayName("Bitbucket Pipelines: BITBUCKET_STEP_OIDC_TOKEN, under a rule on the workspace audience and repositoryUuid")
    void bitbucket() {
        try (FakeDetectionContext world = job(CiEnvironments.bitbucket(issuer), r -> r
                .audience(CiEnvironments.BITBUCKET_AUDIENCE)
                .claim("repositoryUuid", CiEnvironments.BITBUCKET_REPOSITORY_UUID)).build()) {
            assertEquals(CiEnvironments.BITBUCKET_SUBJECT, callClaude(world));
        }
    }

    @Test
    @DisplayName("HCP Terraform: a tagged TFC_WORKLOAD_IDENTITY_TOKEN_<TAG>, under a rule on the workspace")
    void terraform() {
        try (FakeDetectionContext world = job(CiEnvironments.terraform(issuer, "CLAUDE"), r -> r
                .subjectPrefix("organization:acme:project:Default Project:workspace:prod:run_phase:*")
                .audience(OidcIssuer.DEFAULT_AUDIENCE)).env("WIF4J_CI_TERRAFORM_TAG", "CLAUDE").build()) {
            assertEquals(CiEnvironments.TERRAFORM_SUBJECT, callClaude(world));
        }
    }

    private FakeDetectionContext buildkite() {
        // The agent is run with the job's PATH: the stand-in's own helpers (mv) are in /usr/bin and /bin.
        return job(CiEnvironments.buildkite("/usr/local/bin:/usr/bin:/bin"), r -> r
                .subjectPrefix("organization:acme:pipeline:deploy:ref:refs/heads/main:*")
                .claim("organization_id", CiEnvironments.BUILDKITE_ORGANIZATION_ID)
                .audience(OidcIssuer.DEFAULT_AUDIENCE)).build();
    }

    @Test
    @DisplayName("Buildkite: buildkite-agent per exchange, so a refresh presents a new token and succeeds")
    void buildkiteRefreshes() {
        try (FakeDetectionContext world = buildkite()) {
            StandInCommand agent = StandInCommand.install(world.path("/usr/local/bin/buildkite-agent"));
            for (int i = 0; i < 2; i++) {
                agent.printing(CiEnvironments.buildkiteToken(issuer, OidcIssuer.DEFAULT_AUDIENCE).sign());
            }
            try (WorkloadIdentity identity = WorkloadIdentity.builder().context(world).build()) {
                AccessToken token = identity.credentials().token();
                assertEquals(200, anthropic.callMessages(token));
                assertEquals(CiEnvironments.BUILDKITE_SUBJECT, anthropic.lastDecision().subject());
                identity.credentials().invalidate(token);
                AccessToken next = identity.credentials().token();
                assertNotEquals(token.value(), next.value());
                assertEquals(200, anthropic.callMessages(next));
            }
            assertEquals(2, agent.calls().size(), "one agent run per exchange");
            assertEquals(2, anthropic.tokensIssued());
        }
    }

    @Test
    @DisplayName("Buildkite: an agent that fails for good costs 3 runs (core's retries, none of the provider's), within 30 s")
    void persistentlyFailingAgentIsBounded() {
        try (FakeDetectionContext world = buildkite()) {
            StandInCommand agent = StandInCommand.install(world.path("/usr/local/bin/buildkite-agent"));
            for (int i = 0; i < 10; i++) {
                agent.failing(1, "Error: failed to request OIDC token: 503 Service Unavailable");
            }
            long start = System.nanoTime();
            try (WorkloadIdentity identity = WorkloadIdentity.builder().context(world).build()) {
                WorkloadIdentityException e = assertThrows(WorkloadIdentityException.class,
                        () -> identity.credentials().token());
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertTrue(e.getMessage().contains("exited with status 1 (its error output is not shown; "
                        + "WIF4J_CI_TOOL_STDERR=show shows it"), e.getMessage());
                assertTrue(agent.calls().size() <= 4, "at most 4 runs, saw " + agent.calls().size());
                assertEquals(3, agent.calls().size(), "the failure is retryable, so core's exchange tries 3 times");
                assertEquals(0, anthropic.exchangeRequests());
                assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "took " + took);
            }
        }
    }

    @Test
    @DisplayName("an expired GitLab token: wif4j reports it expired and names the job's timeout, and exchanges nothing")
    void expiredToken() {
        String jwt = CiEnvironments.gitLabToken(issuer, OidcIssuer.DEFAULT_AUDIENCE)
                .issuedAt(Instant.now().minus(Duration.ofMinutes(30))).lifetime(Duration.ofMinutes(5)).sign();
        try (FakeDetectionContext world = job(CiEnvironments.gitLab("ANTHROPIC_ID_TOKEN", jwt), r -> r
                .subjectPrefix(CiEnvironments.GITLAB_SUBJECT).audience(OidcIssuer.DEFAULT_AUDIENCE))
                .env("WIF4J_PROVIDER", "ci").build()) {
            WorkloadIdentityException e = assertThrows(WorkloadIdentityException.class, () -> {
                try (WorkloadIdentity identity = WorkloadIdentity.builder().context(world).build()) {
                    identity.credentials().token();
                }
            });
            assertTrue(e.getMessage().contains("The GitLab CI/CD token in ANTHROPIC_ID_TOKEN expired at "), e.getMessage());
            assertTrue(e.getMessage().contains("the job's timeout: keyword"), e.getMessage());
            assertEquals(0, anthropic.exchangeRequests());
        }
    }
}
