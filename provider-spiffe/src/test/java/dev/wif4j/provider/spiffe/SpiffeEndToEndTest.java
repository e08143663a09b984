package dev.wif4j.provider.spiffe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.AccessToken;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.WorkloadIdentityException;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.FederationIssuer;
import dev.wif4j.testkit.FederationRule;
import dev.wif4j.testkit.OidcIssuer;
import dev.wif4j.testkit.WorkloadApiEmulator;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider in wif4j as an application meets it, on loopback: found by ServiceLoader, chosen by detection, its
 * JWT-SVID exchanged at the Anthropic emulator under a rule on the SPIFFE ID (a path prefix, {@code spiffe://example.org/ns/prod/*}), the access token used on
 * {@code /v1/messages}; and the bound on one failed {@code token()} against a Workload API that keeps failing.
 */
class SpiffeEndToEndTest {
    private static final String TRUST_DOMAIN = "spiffe://example.org/";
    private static final String WORKLOAD = "spiffe://example.org/ns/prod/sa/billing";

    @TempDir
    Path directory;

    private OidcIssuer issuer;
    private WorkloadApiEmulator agent;
    private AnthropicEmulator anthropic;
    private FakeDetectionContext world;

    @BeforeEach
    void start() {
        // SPIRE's OIDC discovery provider is the issuer Anthropic is told about; the emulator signs with its keys.
        issuer = OidcIssuer.start();
        agent = WorkloadApiEmulator.builder(issuer).unixSocket(directory.resolve("agent.sock")).identity(WORKLOAD).start();
        anthropic = AnthropicEmulator.start();
        String issuerId = anthropic.addIssuer(FederationIssuer.of(issuer));
        String ruleId = anthropic.addRule(FederationRule.forIssuer(issuerId).subjectPrefix(TRUST_DOMAIN + "ns/prod/*")
                .audience(OidcIssuer.DEFAULT_AUDIENCE));
        world = FakeDetectionContext.builder()
                .env("ANTHROPIC_FEDERATION_RULE_ID", ruleId)
                .env("ANTHROPIC_ORGANIZATION_ID", anthropic.organizationId())
                .env("ANTHROPIC_BASE_URL", anthropic.baseUrl())
                .env("SPIFFE_ENDPOINT_SOCKET", "unix://" + SpiffeIdentityProviderContractTest.SOCKET)
                .build();
        SpiffeIdentityProviderContractTest.link(world, agent);
    }

    @AfterEach
    void stop() {
        world.close();
        anthropic.close();
        agent.close();
        issuer.close();
    }

    @Test
    @DisplayName("detected among the installed providers, exchanged at Anthropic, and the access token works on /v1/messages")
    void detectedExchangedAndUsed() {
        try (WorkloadIdentity identity = WorkloadIdentity.builder().context(world).build()) {
            assertEquals("spiffe", identity.providerId());
            AccessToken token = identity.credentials().token();
            assertTrue(token.value().startsWith("sk-ant-oat01-"), "not an Anthropic access token");
            assertEquals(200, anthropic.callMessages(token));
            assertEquals(1, agent.requests().size(), "one Workload API call per exchange");
            assertEquals("ok", anthropic.lastDecision().reason());
            assertEquals(WORKLOAD, anthropic.lastDecision().subject());
        }
    }

    @Test
    @DisplayName("a Workload API that answers UNAVAILABLE to everything: one token() makes 3 calls (core's retries, "
            + "none of java-spiffe's) and fails within 30 s")
    void persistentlyFailingWorkloadApiIsBounded() {
        agent.failEveryRequest("UNAVAILABLE");
        long start = System.nanoTime();
        try (WorkloadIdentity identity = WorkloadIdentity.builder().context(world).build()) {
            WorkloadIdentityException e = assertThrows(WorkloadIdentityException.class,
                    () -> identity.credentials().token());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(e.getMessage().contains("answered UNAVAILABLE"), e.getMessage());
            assertTrue(agent.requests().size() <= 4, "at most 4 upstream calls, saw " + agent.requests().size());
            assertEquals(3, agent.requests().size(), "the failure is retryable, so core's exchange tries 3 times");
            assertEquals(0, anthropic.exchangeRequests(), "no identity token, nothing to exchange");
            assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "took " + took);
        }
    }

    @Test
    @DisplayName("a Workload API that never answers: one token() fails within 30 s, each attempt ended by the timeout")
    void silentWorkloadApiIsBounded() {
        agent.neverAnswer();
        long start = System.nanoTime();
        try (FakeDetectionContext quick = FakeDetectionContext.builder().env(world.environment())
                .root(world.root()).fetchTimeout(Duration.ofSeconds(2)).build();
                WorkloadIdentity identity = WorkloadIdentity.builder().context(quick).build()) {
            WorkloadIdentityException e = assertThrows(WorkloadIdentityException.class,
                    () -> identity.credentials().token());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(e.getMessage().contains("did not answer within 2000 ms"), e.getMessage());
            assertTrue(agent.requests().size() <= 4, "at most 4 upstream calls, saw " + agent.requests().size());
            assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "took " + took);
        }
    }
}
