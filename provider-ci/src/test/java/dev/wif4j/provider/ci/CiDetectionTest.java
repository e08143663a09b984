package dev.wif4j.provider.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.DetectionReport;
import dev.wif4j.IdentityProviderNotFoundException;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.spi.Detection;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.SettingException;
import dev.wif4j.testkit.CiEnvironments;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.OidcIssuer;
import dev.wif4j.buildsupport.StandInCommand;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The sentence {@code wif4j detect} shows for each CI system, available or not, and what a fetch says when it fails. */
class CiDetectionTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static OidcIssuer issuer;

    @BeforeAll
    static void start() {
        issuer = OidcIssuer.builder().clock(CLOCK).start();
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    private static Detection detect(Map<String, String> env) {
        try (FakeDetectionContext context = FakeDetectionContext.builder().env(env).clock(CLOCK).networkForbidden()
                .build()) {
            return new CiIdentityProvider().detect(context);
        }
    }

    @Test
    @DisplayName("off every CI system: unavailable, naming the variables looked for")
    void noCi() {
        Detection d = detect(Map.of());
        assertFalse(d.isAvailable());
        assertEquals("not a GitLab CI/CD, CircleCI, Bitbucket Pipelines, Buildkite or HCP Terraform job: none of "
                + "GITLAB_CI, CIRCLECI, BITBUCKET_STEP_UUID, BUILDKITE, TFC_WORKLOAD_IDENTITY_AUDIENCE or "
                + "TFC_WORKLOAD_IDENTITY_TOKEN is set (GitHub Actions has a provider of its own, github)", d.message());
    }

    @Test
    @DisplayName("GitLab: available with the token's claims and expiry, and that it cannot be renewed")
    void gitLabAvailable() {
        Detection d = detect(CiEnvironments.gitLab("ANTHROPIC_ID_TOKEN",
                CiEnvironments.gitLabToken(issuer, OidcIssuer.DEFAULT_AUDIENCE).lifetime(Duration.ofMinutes(5)).sign()));
        assertTrue(d.isAvailable(), d.message());
        assertEquals("GitLab CI/CD job (GITLAB_CI is true): ANTHROPIC_ID_TOKEN holds a token (iss "
                + issuer.issuerUrl() + ", sub " + CiEnvironments.GITLAB_SUBJECT + ", aud [https://api.anthropic.com]) "
                + "that expires at 2026-11-22T10:05:00Z (in 5 min 0 s); read from a variable, it cannot be renewed, "
                + "and Anthropic accepts it for one exchange", d.message());
    }

    @Test
    @DisplayName("GitLab without id_tokens: unavailable, with the YAML to add")
    void gitLabWithoutIdToken() {
        Detection d = detect(CiEnvironments.gitLabWithoutIdToken());
        assertFalse(d.isAvailable());
        assertEquals("GitLab CI/CD job (GITLAB_CI is true) but ANTHROPIC_ID_TOKEN is not set: ask for an ID token in "
                + "the job in .gitlab-ci.yml with id_tokens: {ANTHROPIC_ID_TOKEN: {aud: https://api.anthropic.com}}, "
                + "or name the variable you use with WIF4J_CI_GITLAB_VARIABLE", d.message());
    }

    @Test
    @DisplayName("GitLab with ci.gitlab.variable: that variable is read, and named in the YAML hint with the audience")
    void gitLabOwnVariable() {
        Detection missing = detect(Map.of("GITLAB_CI", "true", "WIF4J_CI_GITLAB_VARIABLE", "CLAUDE_TOKEN",
                "WIF4J_CI_AUDIENCE", "https://claude.acme.example"));
        assertTrue(missing.message().endsWith("id_tokens: {CLAUDE_TOKEN: {aud: https://claude.acme.example}}"),
                missing.message());
        Map<String, String> env = CiEnvironments.gitLab("CLAUDE_TOKEN",
                CiEnvironments.gitLabToken(issuer, OidcIssuer.DEFAULT_AUDIENCE).sign());
        env.put("WIF4J_CI_GITLAB_VARIABLE", "CLAUDE_TOKEN");
        assertTrue(detect(env).message().contains(": CLAUDE_TOKEN holds a token"), detect(env).message());
        assertEquals(BAD_VARIABLE, settingError(Map.of("GITLAB_CI", "true", "WIF4J_CI_GITLAB_VARIABLE", "not a name")));
    }

    private static final String BAD_VARIABLE = "WIF4J_CI_GITLAB_VARIABLE is 'not a name', but it must name an "
            + "environment variable: letters, digits and '_', not starting with a digit.";

    /** A malformed setting: detect lets the SettingException go (the SPI's rule), for wif4j to report. */
    private static String settingError(Map<String, String> env) {
        try (FakeDetectionContext context = FakeDetectionContext.builder().env(env).clock(CLOCK).networkForbidden()
                .build()) {
            return assertThrows(SettingException.class, () -> new CiIdentityProvider().detect(context)).getMessage();
        }
    }

    @Test
    @DisplayName("a malformed setting: wif4j's detection reports ci unavailable with the message naming the setting")
    void malformedSettingIsReportedUnavailable() {
        try (FakeDetectionContext context = FakeDetectionContext.builder().env(Map.of("GITLAB_CI", "true",
                "WIF4J_CI_GITLAB_VARIABLE", "not a name")).clock(CLOCK).networkForbidden().probesAllowed(false)
                .build()) {
            IdentityProviderNotFoundException e = assertThrows(IdentityProviderNotFoundException.class,
                    () -> WorkloadIdentity.builder().context(context).federationRuleId("fdrl_ci")
                            .organizationId("123e4567-e89b-12d3-a456-426614174000").build().close());
            DetectionReport.Entry ci = e.report().entries().stream().filter(entry -> entry.id().equals("ci"))
                    .findFirst().orElseThrow();
            assertEquals(DetectionReport.Status.UNAVAILABLE, ci.status());
            assertEquals(BAD_VARIABLE, ci.message());
        }
    }

    @Test
    @DisplayName("an expired token: unavailable, saying when it expired and what sets its lifetime; a fetch says the same")
    void expiredToken() {
        String jwt = CiEnvironments.gitLabToken(issuer, OidcIssuer.DEFAULT_AUDIENCE)
                .issuedAt(NOW.minus(Duration.ofMinutes(10))).lifetime(Duration.ofMinutes(5)).sign();
        String expected = "The GitLab CI/CD token in ANTHROPIC_ID_TOKEN expired at 2026-11-22T09:55:00Z (5 min 0 s ago), "
                + "and a token read from a variable cannot be renewed: GitLab sets an ID token's expiry to the job's "
                + "timeout (the job's timeout: keyword, or the project's or runner's timeout), so raise it for a job "
                + "that runs longer.";
        Detection d = detect(CiEnvironments.gitLab("ANTHROPIC_ID_TOKEN", jwt));
        assertFalse(d.isAvailable());
        assertEquals(expected, d.message());
        try (FakeDetectionContext context = FakeDetectionContext.builder()
                .env(CiEnvironments.gitLab("ANTHROPIC_ID_TOKEN", jwt)).clock(CLOCK).build();
                IdentityTokenSource source = new CiIdentityProvider().open(context)) {
            IdentityTokenException e = assertThrows(IdentityTokenException.class, source::fetch);
            assertEquals(expected, e.getMessage());
            assertFalse(e.isRetryable(), "the same variable expires the same way again");
        }
    }

    @Test
    @DisplayName("each variable system names its own token-lifetime setting when its token has expired")
    void expiredPerSystem() {
        Instant issued = NOW.minus(Duration.ofHours(2));
        Map<String, String> circle = CiEnvironments.circleCiWithoutToken();
        circle.put("CIRCLE_OIDC_TOKEN_V2", CiEnvironments.circleCiToken(issuer, CiEnvironments.CIRCLECI_ORGANIZATION_ID)
                .issuedAt(issued).sign());
        assertTrue(detect(circle).message().endsWith("CircleCI's job tokens expire one hour after they are issued; for "
                + "a longer job set WIF4J_CI_AUDIENCE to the audience your federation rule names and put the circleci "
                + "CLI on PATH, so that every fetch runs circleci run oidc get for a new token."), detect(circle).message());
        Map<String, String> bitbucket = CiEnvironments.bitbucketWithoutOidc();
        bitbucket.put("BITBUCKET_STEP_OIDC_TOKEN", CiEnvironments.bitbucketToken(issuer).issuedAt(issued).sign());
        assertTrue(detect(bitbucket).message().startsWith("The Bitbucket Pipelines token in BITBUCKET_STEP_OIDC_TOKEN "
                + "expired at 2026-11-22T09:00:00Z (1 h 0 min ago)"), detect(bitbucket).message());
        Map<String, String> terraform = Map.of("TFC_WORKLOAD_IDENTITY_TOKEN",
                CiEnvironments.terraformToken(issuer, OidcIssuer.DEFAULT_AUDIENCE).issuedAt(issued).sign());
        assertTrue(detect(terraform).message().endsWith("HCP Terraform's workload identity tokens expire at the end of "
                + "the plan or apply timeout, and each phase gets its own, so exchange early in the phase or raise the "
                + "run's plan/apply timeout."), detect(terraform).message());
    }

    @Test
    @DisplayName("CircleCI: CIRCLE_OIDC_TOKEN_V2 (aud = the organization id), or why it is missing")
    void circleCi() {
        Detection d = detect(CiEnvironments.circleCi(issuer));
        assertTrue(d.isAvailable(), d.message());
        assertTrue(d.message().startsWith("CircleCI job (CIRCLECI is true): CIRCLE_OIDC_TOKEN_V2 holds a token (iss "
                + issuer.issuerUrl() + ", sub " + CiEnvironments.CIRCLECI_SUBJECT + ", aud ["
                + CiEnvironments.CIRCLECI_ORGANIZATION_ID + "])"), d.message());
        Detection missing = detect(CiEnvironments.circleCiWithoutToken());
        assertFalse(missing.isAvailable());
        assertTrue(missing.message().startsWith("CircleCI job (CIRCLECI is true) but CIRCLE_OIDC_TOKEN_V2 is not set"),
                missing.message());
    }

    @Test
    @DisplayName("CircleCI with an audience configured: circleci run oidc get when the CLI is on PATH, else why not")
    void circleCiCustomAudience() {
        Map<String, String> env = CiEnvironments.circleCi(issuer);
        env.put("WIF4J_CI_AUDIENCE", "https://claude.acme.example");
        env.put("PATH", "/opt/circleci/bin:/usr/bin:/bin");
        Detection without = detect(env);
        assertFalse(without.isAvailable());
        assertEquals("CIRCLECI is true and WIF4J_CI_AUDIENCE sets an audience, but the circleci CLI is not on PATH: "
                + "install it in the job's image to get a token for that audience on every fetch, or unset "
                + "WIF4J_CI_AUDIENCE to use CIRCLE_OIDC_TOKEN_V2, whose aud is the organization id", without.message());
        try (FakeDetectionContext context = FakeDetectionContext.builder().env(env).networkForbidden().build()) {
            StandInCommand cli = StandInCommand.install(context.path("/opt/circleci/bin/circleci"))
                    .printing(CiEnvironments.circleCiToken(issuer, "https://claude.acme.example").sign());
            Detection d = new CiIdentityProvider().detect(context);
            assertTrue(d.isAvailable(), d.message());
            assertEquals("CircleCI job (CIRCLECI is true): every fetch runs circleci run oidc get --claims "
                    + "{\"aud\":\"https://claude.acme.example\"} (" + cli.path() + ") for a new token", d.message());
            assertEquals(List.of(), cli.calls(), "detection runs nothing");
            try (IdentityTokenSource source = new CiIdentityProvider().open(context)) {
                IdentityToken token = source.fetch();
                assertEquals(List.of("https://claude.acme.example"), token.audience());
            }
            assertEquals(List.of(List.of("run", "oidc", "get", "--claims", "{\"aud\":\"https://claude.acme.example\"}")),
                    cli.calls());
        }
    }

    @Test
    @DisplayName("Bitbucket: BITBUCKET_STEP_OIDC_TOKEN, or 'add oidc: true to the step'")
    void bitbucket() {
        Detection d = detect(CiEnvironments.bitbucket(issuer));
        assertTrue(d.isAvailable(), d.message());
        assertTrue(d.message().startsWith("Bitbucket Pipelines job (BITBUCKET_STEP_UUID is set): "
                + "BITBUCKET_STEP_OIDC_TOKEN holds a token"), d.message());
        Detection missing = detect(CiEnvironments.bitbucketWithoutOidc());
        assertEquals("Bitbucket Pipelines job (BITBUCKET_STEP_UUID is set) but BITBUCKET_STEP_OIDC_TOKEN is not set: "
                + "add oidc: true to the step in bitbucket-pipelines.yml", missing.message());
    }

    @Test
    @DisplayName("Buildkite: the agent on the context's PATH, run per fetch; not on PATH says so; detection runs nothing")
    void buildkite() {
        Detection missing = detect(CiEnvironments.buildkite("/usr/local/bin:relative/bin"));
        assertEquals("BUILDKITE is true but buildkite-agent is not on PATH: run the job on a Buildkite agent, with the "
                + "buildkite-agent binary on the job's PATH", missing.message());
        try (FakeDetectionContext context = FakeDetectionContext.builder()
                .env(CiEnvironments.buildkite("/usr/bin:/usr/local/bin")).networkForbidden().build()) {
            StandInCommand agent = StandInCommand.install(context.path("/usr/local/bin/buildkite-agent"));
            Detection d = new CiIdentityProvider().detect(context);
            assertEquals("Buildkite job (BUILDKITE is true): every fetch runs buildkite-agent oidc request-token "
                    + "--audience=https://api.anthropic.com (" + agent.path() + ") for a new token", d.message());
            assertEquals(List.of(), agent.calls());
        }
    }

    @Test
    @DisplayName("HCP Terraform: the token, a tagged one with ci.terraform.tag, and what to set when it is missing")
    void terraform() {
        Detection d = detect(CiEnvironments.terraform(issuer, null));
        assertTrue(d.isAvailable(), d.message());
        assertTrue(d.message().startsWith("HCP Terraform job (TFC_WORKLOAD_IDENTITY_AUDIENCE or "
                + "TFC_WORKLOAD_IDENTITY_TOKEN is set): TFC_WORKLOAD_IDENTITY_TOKEN holds a token (iss "
                + issuer.issuerUrl() + ", sub " + CiEnvironments.TERRAFORM_SUBJECT), d.message());
        Map<String, String> tagged = CiEnvironments.terraform(issuer, "CLAUDE");
        tagged.put("WIF4J_CI_TERRAFORM_TAG", "CLAUDE");
        assertTrue(detect(tagged).message().contains(": TFC_WORKLOAD_IDENTITY_TOKEN_CLAUDE holds a token"),
                detect(tagged).message());
        Detection missing = detect(Map.of("TFC_WORKLOAD_IDENTITY_AUDIENCE", "https://api.anthropic.com",
                "WIF4J_CI_TERRAFORM_TAG", "CLAUDE"));
        assertEquals("HCP Terraform job (TFC_WORKLOAD_IDENTITY_AUDIENCE or TFC_WORKLOAD_IDENTITY_TOKEN is set) but "
                + "TFC_WORKLOAD_IDENTITY_TOKEN_CLAUDE is not set: set TFC_WORKLOAD_IDENTITY_AUDIENCE_CLAUDE to "
                + "https://api.anthropic.com in the workspace's environment variables, and HCP Terraform puts a token "
                + "into TFC_WORKLOAD_IDENTITY_TOKEN_CLAUDE in every plan and apply (self-hosted agents need v1.7.0, "
                + "or v1.12.0 for tagged tokens)", missing.message());
        assertEquals("WIF4J_CI_TERRAFORM_TAG is 'TYPE', but it must be the tag of a TFC_WORKLOAD_IDENTITY_AUDIENCE_<TAG> "
                + "variable: letters, digits and '_', and not the reserved TYPE.",
                settingError(Map.of("WIF4J_CI_TERRAFORM_TAG", "TYPE")));
    }

    @Test
    @DisplayName("ci.system picks a system over the signals, and names itself as the evidence")
    void chosenSystem() {
        Map<String, String> env = CiEnvironments.bitbucket(issuer);
        env.put("GITLAB_CI", "true");
        assertTrue(detect(env).message().startsWith("GitLab CI/CD job (GITLAB_CI is true) but ANTHROPIC_ID_TOKEN"),
                "GitLab is asked first: " + detect(env).message());
        env.put("WIF4J_CI_SYSTEM", "Bitbucket");
        assertTrue(detect(env).message().startsWith("Bitbucket Pipelines job (WIF4J_CI_SYSTEM is bitbucket): "
                + "BITBUCKET_STEP_OIDC_TOKEN holds a token"), detect(env).message());
        assertEquals("WIF4J_CI_SYSTEM is 'jenkins', but it must be gitlab, circleci, bitbucket, buildkite or terraform.",
                settingError(Map.of("WIF4J_CI_SYSTEM", "jenkins")));
    }

    @Test
    @DisplayName("a variable that holds no JWT: unavailable, naming the variable, never quoting it")
    void notAJwt() {
        Detection d = detect(CiEnvironments.gitLab("ANTHROPIC_ID_TOKEN", "hunter2-not-a-token"));
        assertFalse(d.isAvailable());
        assertTrue(d.message().startsWith("GitLab CI/CD job (GITLAB_CI is true), but ANTHROPIC_ID_TOKEN does not hold "
                + "a JWT"), d.message());
        assertFalse(d.message().contains("hunter2"), d.message());
    }

    @Test
    @DisplayName("a variable token is the same on every fetch: reading the variable twice gives one token")
    void sameTokenTwice() {
        try (FakeDetectionContext context = FakeDetectionContext.builder().env(CiEnvironments.gitLab(issuer)).clock(CLOCK)
                        .build();
                IdentityTokenSource source = new CiIdentityProvider().open(context)) {
            assertEquals(source.fetch().serialized(), source.fetch().serialized());
        }
    }
}
