package com.acme.wif4j.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.DetectionReport;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.spi.Detection;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.SettingException;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.Fault;
import dev.wif4j.testkit.OidcIssuer;
import dev.wif4j.testkit.RecordedRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a user of {@code acme-vault} sees: detection's sentences, and each way a fetch succeeds or fails. */
class VaultIdentityProviderTest {
    private static final String TOKEN = "hvs.CAESIJ3xQ0ltAkl6v1vPc8pWnWf9";
    private static final String SINK = "/home/vault/.vault-token";

    private static OidcIssuer issuer;
    private static VaultEmulator vault;
    private final VaultIdentityProvider provider = new VaultIdentityProvider();

    @BeforeAll
    static void start() {
        issuer = OidcIssuer.start();
        vault = VaultEmulator.start(issuer).acceptToken(TOKEN).role("wif4j", OidcIssuer.DEFAULT_AUDIENCE);
    }

    @AfterAll
    static void stop() {
        vault.close();
        issuer.close();
    }

    @BeforeEach
    void reset() {
        vault.failEveryRequest(0);
        vault.answerWith(null);
        vault.stall(Duration.ZERO);
    }

    /** VAULT_ADDR, VAULT_TOKEN and the role, pointing at the emulator, changed by {@code change}. */
    private static FakeDetectionContext world(UnaryOperator<FakeDetectionContext.Builder> change) {
        return change.apply(FakeDetectionContext.builder().networkForbidden()
                .env("VAULT_ADDR", vault.address())
                .env("VAULT_TOKEN", TOKEN)
                .env("WIF4J_ACME_VAULT_ROLE", "wif4j")).build();
    }

    private static FakeDetectionContext online(UnaryOperator<FakeDetectionContext.Builder> change) {
        return change.apply(FakeDetectionContext.builder()
                .env("VAULT_ADDR", vault.address())
                .env("VAULT_TOKEN", TOKEN)
                .env("WIF4J_ACME_VAULT_ROLE", "wif4j")).build();
    }

    /**
     * acme-vault's entry in wif4j's detection report, where a user reads why it was not chosen: a bad setting is a
     * {@link SettingException} out of detect(), which wif4j reports as the reason.
     */
    private static DetectionReport.Entry reported(FakeDetectionContext context) {
        return WorkloadIdentity.builder().context(context).detect().entries().stream()
                .filter(e -> e.id().equals("acme-vault")).findFirst().orElseThrow();
    }

    private IdentityTokenException fetchFails(FakeDetectionContext context) {
        try (context; IdentityTokenSource source = provider.open(context)) {
            IdentityTokenException e = assertThrows(IdentityTokenException.class, source::fetch);
            assertFalse(e.getMessage().contains(TOKEN), "the Vault token is in the message: " + e.getMessage());
            return e;
        }
    }

    @Nested
    @DisplayName("detect()")
    class Detect {
        @Test
        @DisplayName("with everything set, names where each piece came from and calls no one")
        void availableNamesItsEvidence() {
            try (FakeDetectionContext context = world(b -> b.env("VAULT_NAMESPACE", "admin/team-a"))) {
                Detection d = provider.detect(context);
                assertTrue(d.isAvailable(), d.message());
                assertEquals("VAULT_ADDR is " + vault.address() + ", role 'wif4j' (WIF4J_ACME_VAULT_ROLE), "
                        + "namespace admin/team-a, Vault token from VAULT_TOKEN", d.message());
                assertEquals(List.of(), context.httpRequests());
            }
        }

        @Test
        @DisplayName("without VAULT_ADDR, says to set it")
        void noAddress() {
            try (FakeDetectionContext context = FakeDetectionContext.builder().env("VAULT_TOKEN", TOKEN)
                    .env("WIF4J_ACME_VAULT_ROLE", "wif4j").networkForbidden().build()) {
                DetectionReport.Entry d = reported(context);
                assertEquals(DetectionReport.Status.UNAVAILABLE, d.status());
                assertEquals("WIF4J_ACME_VAULT_ADDRESS (or VAULT_ADDR) is not set: set it to Vault's address, such as "
                        + "https://vault.acme.internal:8200.", d.message());
                SettingException e = assertThrows(SettingException.class, () -> provider.detect(context));
                assertEquals(d.message(), e.getMessage());
            }
        }

        @Test
        @DisplayName("without a role, says which variable names it and how the role is made")
        void noRole() {
            try (FakeDetectionContext context = FakeDetectionContext.builder().env("VAULT_ADDR", vault.address())
                    .env("VAULT_TOKEN", TOKEN).networkForbidden().build()) {
                Detection d = provider.detect(context);
                assertFalse(d.isAvailable());
                assertTrue(d.message().startsWith("WIF4J_ACME_VAULT_ROLE is not set: set it to the name of the Vault "
                        + "identity token role"), d.message());
                assertTrue(d.message().contains("client_id=https://api.anthropic.com"), d.message());
            }
        }

        @Test
        @DisplayName("without a Vault token, offers the token and the token file")
        void noToken() {
            try (FakeDetectionContext context = FakeDetectionContext.builder().env("VAULT_ADDR", vault.address())
                    .env("WIF4J_ACME_VAULT_ROLE", "wif4j").networkForbidden().build()) {
                DetectionReport.Entry d = reported(context);
                assertEquals(DetectionReport.Status.UNAVAILABLE, d.status());
                assertEquals("No Vault token: set WIF4J_ACME_VAULT_TOKEN (or VAULT_TOKEN) to a Vault token, or "
                        + "WIF4J_ACME_VAULT_TOKEN_FILE to a file holding one (such as Vault agent's token sink).",
                        d.message());
            }
        }

        @Test
        @DisplayName("refuses a plain-http address off loopback, naming the variable, since the Vault token would travel in clear")
        void clearTextAddressRefused() {
            try (FakeDetectionContext context = world(b -> b.env("VAULT_ADDR", "http://vault.acme.internal:8200"))) {
                DetectionReport.Entry d = reported(context);
                assertEquals(DetectionReport.Status.UNAVAILABLE, d.status());
                assertTrue(d.message().startsWith("VAULT_ADDR is 'http://vault.acme.internal:8200', but it is http:// to "
                        + "vault.acme.internal"), d.message());
            }
        }

        @Test
        @DisplayName("a setting given in code wins over the variables, and the evidence says so")
        void codeSettingWins() {
            try (FakeDetectionContext context = world(b -> b.setting("acme-vault.role", "billing")
                    .systemProperty("wif4j.acme-vault.address", "https://vault.acme.internal:8200"))) {
                Detection d = provider.detect(context);
                assertTrue(d.isAvailable(), d.message());
                assertTrue(d.message().startsWith("the system property wif4j.acme-vault.address is "
                        + "https://vault.acme.internal:8200, role 'billing' (the setting acme-vault.role given in code)"),
                        d.message());
            }
        }

        @Test
        @DisplayName("a Vault token that cannot be one is refused without being shown")
        void junkTokenIsNotShown() {
            try (FakeDetectionContext context = world(b -> b.env("VAULT_TOKEN", "hvs.secret value\n"))) {
                DetectionReport.Entry d = reported(context);
                assertEquals(DetectionReport.Status.UNAVAILABLE, d.status());
                assertEquals("VAULT_TOKEN is set, but it holds no Vault token: a Vault token is one word of visible "
                        + "ASCII, such as the hvs.* value vault login prints.", d.message());
            }
        }

        @Test
        @DisplayName("a role name with a path in it is refused")
        void roleWithPathRefused() {
            try (FakeDetectionContext context = world(b -> b.env("WIF4J_ACME_VAULT_ROLE", "../sys/seal"))) {
                DetectionReport.Entry d = reported(context);
                assertEquals(DetectionReport.Status.UNAVAILABLE, d.status());
                assertEquals("WIF4J_ACME_VAULT_ROLE is '../sys/seal', but it must be a Vault role name: letters, digits, "
                        + "'_', '.' and '-'.", d.message());
            }
        }

        @Test
        @DisplayName("a timeout longer than the fetch budget is refused, naming the setting")
        void timeoutPastBudgetRefused() {
            try (FakeDetectionContext context = world(b -> b.env("WIF4J_ACME_VAULT_TIMEOUT", "30s")
                    .fetchTimeout(Duration.ofSeconds(10)))) {
                SettingException e = assertThrows(SettingException.class, () -> provider.open(context));
                assertEquals("WIF4J_ACME_VAULT_TIMEOUT is '30s', but it must be a duration from 100 ms to 10 s, as "
                        + "seconds (300) or with a unit (500ms, 30s, 5m, 1h).", e.getMessage());
                assertFalse(e.isRetryable());
            }
        }

        @Test
        @DisplayName("a token file that is not there yet: unavailable when detecting, available when pinned")
        void missingTokenFile() {
            UnaryOperator<FakeDetectionContext.Builder> sink = b -> b.env("VAULT_TOKEN", "")
                    .env("WIF4J_ACME_VAULT_TOKEN_FILE", SINK);
            try (FakeDetectionContext context = world(sink)) {
                Detection d = provider.detect(context);
                assertFalse(d.isAvailable());
                assertTrue(d.message().endsWith("Vault token from the file " + SINK + " (WIF4J_ACME_VAULT_TOKEN_FILE), "
                        + "but that file does not exist: start Vault agent with a file sink there, or choose this "
                        + "provider with WIF4J_PROVIDER=acme-vault to wait for it"), d.message());
            }
            try (FakeDetectionContext context = online(b -> sink.apply(b).pinned(true))) {
                Detection d = provider.detect(context);
                assertTrue(d.isAvailable(), d.message());
                assertTrue(d.message().endsWith("; the file does not exist yet, and is read on every fetch"), d.message());
                try (IdentityTokenSource source = provider.open(context)) {
                    IdentityTokenException e = assertThrows(IdentityTokenException.class, source::fetch);
                    assertTrue(e.isRetryable(), "Vault agent may write it any moment: " + e.getMessage());
                    context.writeFile(SINK, TOKEN + "\n"); // the agent authenticated
                    assertEquals(VaultEmulator.ENTITY_ID, source.fetch().subject().orElseThrow());
                }
            }
        }
    }

    @Nested
    @DisplayName("fetch()")
    class Fetch {
        @Test
        @DisplayName("reads the token file afresh on every fetch, as Vault agent rewrites it on renewal")
        void tokenFileIsReadEveryTime() {
            String renewed = "hvs.renewed-after-the-agent-reauthenticated";
            vault.acceptToken(renewed);
            try (FakeDetectionContext context = online(b -> b.env("VAULT_TOKEN", "")
                    .env("WIF4J_ACME_VAULT_TOKEN_FILE", SINK).file(SINK, TOKEN + "\n"));
                    IdentityTokenSource source = provider.open(context)) {
                int before = vault.requests().size();
                source.fetch();
                context.writeFile(SINK, renewed);
                source.fetch();
                List<RecordedRequest> seen = vault.requests().subList(before, before + 2);
                assertEquals(TOKEN, seen.get(0).header("X-Vault-Token").orElseThrow());
                assertEquals(renewed, seen.get(1).header("X-Vault-Token").orElseThrow());
            }
        }

        @Test
        @DisplayName("a token file that is a directory (or a FIFO, a device) is refused unread, not retried")
        void tokenFileThatIsNoFile() throws IOException {
            try (FakeDetectionContext context = online(b -> b.env("WIF4J_ACME_VAULT_TOKEN_FILE", SINK))) {
                Files.createDirectories(context.path(SINK));
                IdentityTokenException e = fetchFails(context);
                assertFalse(e.isRetryable());
                assertEquals("The Vault token file " + SINK + " (WIF4J_ACME_VAULT_TOKEN_FILE): it is a directory, not "
                        + "a file.", e.getMessage());
            }
        }

        @Test
        @DisplayName("asks for the role in the namespace with X-Vault-Namespace, and gets that role's token")
        void namespaceHeader() {
            vault.role("admin/team-a", "billing", OidcIssuer.DEFAULT_AUDIENCE);
            try (FakeDetectionContext context = online(b -> b.env("VAULT_NAMESPACE", "admin/team-a")
                    .env("WIF4J_ACME_VAULT_ROLE", "billing"));
                    IdentityTokenSource source = provider.open(context)) {
                IdentityToken token = source.fetch();
                assertEquals("admin/team-a", token.stringClaim("namespace").orElseThrow());
                RecordedRequest last = vault.requests().get(vault.requests().size() - 1);
                assertEquals("/v1/identity/oidc/token/billing", last.path());
                assertEquals("admin/team-a", last.header("X-Vault-Namespace").orElseThrow());
            }
        }

        @Test
        @DisplayName("describes the first token once at INFO, with the claims a federation rule matches on")
        void firstTokenDescribedOnce() {
            try (FakeDetectionContext context = online(b -> b); IdentityTokenSource source = provider.open(context)) {
                source.fetch();
                source.fetch();
                List<String> lines = context.logLines().stream().filter(l -> l.contains("Vault identity token")).toList();
                assertEquals(1, lines.size(), String.join("\n", context.logLines()));
                assertTrue(lines.get(0).startsWith("INFO "), lines.get(0));
                assertTrue(lines.get(0).contains("sub=" + VaultEmulator.ENTITY_ID + ", aud=[https://api.anthropic.com]"),
                        lines.get(0));
            }
        }

        @Test
        @DisplayName("a refused Vault token (403) is not retried and says what to check")
        void permissionDenied() {
            IdentityTokenException e = fetchFails(online(b -> b.env("VAULT_TOKEN", "hvs.revoked")));
            assertFalse(e.isRetryable());
            assertEquals("Vault at " + vault.address() + " answered 403 (permission denied) to GET "
                    + "/v1/identity/oidc/token/wif4j: the Vault token from VAULT_TOKEN has expired or been revoked, or "
                    + "its policy lacks read on identity/oidc/token/wif4j.", e.getMessage());
        }

        @Test
        @DisplayName("an unknown role (400) is not retried and says how to create it")
        void unknownRole() {
            IdentityTokenException e = fetchFails(online(b -> b.env("WIF4J_ACME_VAULT_ROLE", "nosuchrole")));
            assertFalse(e.isRetryable());
            assertTrue(e.getMessage().contains("answered 400 (role \"nosuchrole\" not found)"), e.getMessage());
            assertTrue(e.getMessage().endsWith("Create it with vault write identity/oidc/role/nosuchrole key=KEY "
                    + "client_id=https://api.anthropic.com."), e.getMessage());
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(ints = {412, 429, 500, 503})
        @DisplayName("a transient status is thrown retryable, for wif4j's exchange to try again")
        void transientStatusesAreRetryable(int status) {
            vault.enqueue(Fault.status(status, "{\"errors\":[\"error " + status + "\"]}"));
            IdentityTokenException e = fetchFails(online(b -> b));
            assertTrue(e.isRetryable(), e.getMessage());
            assertTrue(e.getMessage().startsWith("Vault at " + vault.address() + " answered " + status), e.getMessage());
        }

        @Test
        @DisplayName("a Vault that is not listening is a retryable failure")
        void notListening() throws IOException {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            IdentityTokenException e = fetchFails(online(b -> b.env("VAULT_ADDR", "http://127.0.0.1:" + port)));
            assertTrue(e.isRetryable(), e.getMessage());
            assertTrue(e.getMessage().startsWith("Could not reach Vault at http://127.0.0.1:" + port), e.getMessage());
        }

        @Test
        @DisplayName("a Vault that does not answer is given up on at the timeout, within the fetch budget")
        void stalledVaultIsBounded() {
            vault.stall(Duration.ofSeconds(5));
            long start = System.nanoTime();
            IdentityTokenException e = fetchFails(online(b -> b.env("WIF4J_ACME_VAULT_TIMEOUT", "500ms")));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(e.isRetryable(), e.getMessage());
            assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "took " + took);
        }

        @Test
        @DisplayName("a role whose client_id is not Anthropic's audience is refused before Anthropic sees it")
        void wrongAudience() {
            vault.role("legacy", "Rm9vQmFyQmF6UXV4");
            IdentityTokenException e = fetchFails(online(b -> b.env("WIF4J_ACME_VAULT_ROLE", "legacy")));
            assertFalse(e.isRetryable());
            assertEquals("Vault's role 'legacy' issues tokens for [Rm9vQmFyQmF6UXV4], but wif4j expects the audience "
                    + "'https://api.anthropic.com': a Vault role's aud is its client_id, so create the role with "
                    + "client_id=https://api.anthropic.com (and list that client_id in its key's allowed_client_ids), or "
                    + "set WIF4J_ACME_VAULT_AUDIENCE to the audience your federation rule names.", e.getMessage());
            try (FakeDetectionContext context = online(b -> b.env("WIF4J_ACME_VAULT_ROLE", "legacy")
                    .env("WIF4J_ACME_VAULT_AUDIENCE", "Rm9vQmFyQmF6UXV4"));
                    IdentityTokenSource source = provider.open(context)) {
                assertEquals(List.of("Rm9vQmFyQmF6UXV4"), source.fetch().audience());
            }
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"<html>502 Bad Gateway</html>", "{\"data\":{\"client_id\":\"x\"}}", "{\"data\":null}",
                "{\"data\":{\"token\":\"not-a-jwt\"}}", "{\"data\":{\"token\":\"a.b.c\"", "[1,2,"})
        @DisplayName("a 200 that holds no token is not retried")
        void bodyWithoutToken(String body) {
            vault.answerWith(body);
            IdentityTokenException e = fetchFails(online(b -> b));
            assertFalse(e.isRetryable(), e.getMessage());
            assertFalse(e.getMessage().isBlank());
        }

        @Test
        @DisplayName("toString() of the source names the endpoint and the token's origin, never the token")
        void sourceToString() {
            try (FakeDetectionContext context = online(b -> b); IdentityTokenSource source = provider.open(context)) {
                assertEquals("VaultTokenSource[" + vault.address() + "/v1/identity/oidc/token/wif4j, token from "
                        + "VAULT_TOKEN]", source.toString());
            }
        }
    }
}
