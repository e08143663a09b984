package com.acme.wif4j.vault;

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
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The provider in wif4j as an application meets it, over real HTTP on 127.0.0.1: found by ServiceLoader,
 * chosen by detection, its Vault token exchanged at the Anthropic emulator, the access token used on
 * {@code /v1/messages}; and the bound on one failed {@code token()} against a Vault that keeps failing.
 */
class VaultEndToEndTest {
    private static final String VAULT_TOKEN = "hvs.CAESIE2eEndToEnd";

    private OidcIssuer issuer;
    private VaultEmulator vault;
    private AnthropicEmulator anthropic;
    private String ruleId;
    private FakeDetectionContext world;

    @BeforeEach
    void start() {
        issuer = OidcIssuer.start();
        vault = VaultEmulator.start(issuer).acceptToken(VAULT_TOKEN).role("wif4j", OidcIssuer.DEFAULT_AUDIENCE);
        anthropic = AnthropicEmulator.start();
        String issuerId = anthropic.addIssuer(FederationIssuer.of(issuer));
        // Vault's sub is the entity's id; the rule pins it (a real rule may match Vault's claims instead).
        ruleId = anthropic.addRule(FederationRule.forIssuer(issuerId).subjectPrefix(VaultEmulator.ENTITY_ID)
                .audience(OidcIssuer.DEFAULT_AUDIENCE));
        world = FakeDetectionContext.builder()
                .env("ANTHROPIC_FEDERATION_RULE_ID", ruleId)
                .env("ANTHROPIC_ORGANIZATION_ID", anthropic.organizationId())
                .env("ANTHROPIC_BASE_URL", anthropic.baseUrl())
                .env("VAULT_ADDR", vault.address())
                .env("VAULT_TOKEN", VAULT_TOKEN)
                .env("WIF4J_ACME_VAULT_ROLE", "wif4j")
                .build();
    }

    @AfterEach
    void stop() {
        world.close();
        anthropic.close();
        vault.close();
        issuer.close();
    }

    @Test
    @DisplayName("detected among the installed providers, exchanged at Anthropic, and the access token works on /v1/messages")
    void detectedExchangedAndUsed() {
        try (WorkloadIdentity identity = WorkloadIdentity.builder().context(world).build()) {
            assertEquals("acme-vault", identity.providerId());
            AccessToken token = identity.credentials().token();
            assertTrue(token.value().startsWith("sk-ant-oat01-"), "not an Anthropic access token");
            assertEquals(200, anthropic.callMessages(token));
            assertEquals(1, vault.requests().size(), "one Vault call per exchange");
            assertEquals("ok", anthropic.lastDecision().reason());
            assertEquals(VaultEmulator.ENTITY_ID, anthropic.lastDecision().subject());
        }
    }

    @Test
    @DisplayName("a Vault that answers 503 to everything: one token() makes 3 Vault calls (core's retries, none of "
            + "its own) and fails within 30 s")
    void persistentlyFailingVaultIsBounded() {
        vault.failEveryRequest(503);
        long start = System.nanoTime();
        try (WorkloadIdentity identity = WorkloadIdentity.builder().context(world).build()) {
            WorkloadIdentityException e = assertThrows(WorkloadIdentityException.class,
                    () -> identity.credentials().token());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(e.getMessage().contains("answered 503 (Vault is sealed)"), e.getMessage());
            assertTrue(vault.requests().size() <= 4, "at most 4 upstream calls, saw " + vault.requests().size());
            assertEquals(3, vault.requests().size(), "the failure is retryable, so core's exchange tries 3 times");
            assertEquals(0, anthropic.exchangeRequests(), "no identity token, nothing to exchange");
            assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "took " + took);
        }
    }

    @Test
    @DisplayName("a refused Vault token fails token() at once: one Vault call, no retry")
    void refusedTokenIsNotRetried() {
        try (FakeDetectionContext revoked = FakeDetectionContext.builder()
                .env(world.environment()).env("VAULT_TOKEN", "hvs.revoked").build();
                WorkloadIdentity identity = WorkloadIdentity.builder().context(revoked).build()) {
            WorkloadIdentityException e = assertThrows(WorkloadIdentityException.class,
                    () -> identity.credentials().token());
            assertTrue(e.getMessage().contains("answered 403 (permission denied)"), e.getMessage());
            assertEquals(1, vault.requests().size());
        }
    }
}
