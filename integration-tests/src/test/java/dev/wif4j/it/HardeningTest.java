package dev.wif4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.ConfigurationException;
import dev.wif4j.TokenExchangeException;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.WorkloadIdentityException;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.Fault;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What an attacker or a careless operator found (issue "Hardening"): values that become headers are
 * validated, nothing quoted from a server or a token can forge a line, a redirecting client is refused, a
 * FIFO cannot hang a read, and the base URL's password is never repeated.
 */
class HardeningTest extends ExchangeScenario {
    private static final Duration HANG_GUARD = Duration.ofSeconds(20);
    private static final String TOKEN_FILE = "/var/run/secrets/anthropic.com/token";

    private static String response(String accessToken) {
        return "{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}";
    }

    @ParameterizedTest
    @ValueSource(strings = {"sk-ant-oat01-abc\\r\\nX-Injected: yes", "sk-ant-oat01-a\\u0000b", "sk-ant-oat01-a b",
        "sk-ant-oat01-\\u00e9t\\u00e9", "LONG"})
    @DisplayName("an access token that is not visible ASCII of a sane length is refused, unquoted, and not cached")
    void accessTokensAreValidated(String accessToken) {
        String value = accessToken.equals("LONG") ? "sk-ant-oat01-" + "x".repeat(900 * 1024) : accessToken;
        anthropic.enqueue(Fault.status(200, response(value)));
        try (WorkloadIdentity identity = builder().build()) {
            TokenExchangeException e = assertTimeoutPreemptively(HANG_GUARD,
                    () -> assertThrows(TokenExchangeException.class, () -> identity.credentials().token()));
            assertTrue(e.getMessage().contains("its access_token "), e.getMessage());
            assertFalse(e.getMessage().contains("sk-ant-oat01-a"), "the refused value is quoted: " + e.getMessage());
            assertFalse(e.getMessage().contains("X-Injected"), e.getMessage());
            // Not cached: the next call exchanges again and gets the emulator's real token.
            assertTrue(identity.credentials().token().value().startsWith("sk-ant-oat01-"));
            assertEquals(2, anthropic.exchangeRequests());
        }
    }

    @Test
    @DisplayName("a token response that repeats a key is refused")
    void duplicateKeysAreRefused() {
        anthropic.enqueue(Fault.status(200, "{\"access_token\":\"sk-ant-oat01-aaaa\",\"access_token\":\"sk-ant-oat01-bbbb\","
                + "\"token_type\":\"Bearer\",\"expires_in\":3600}"));
        try (WorkloadIdentity identity = builder().build()) {
            TokenExchangeException e = assertThrows(TokenExchangeException.class, () -> identity.credentials().token());
            assertTrue(e.getMessage().contains("repeats a key"), e.getMessage());
        }
    }

    @Test
    @DisplayName("a profile that repeats a key is refused, naming the file")
    void profileWithDuplicateKeysIsRefused() throws Exception {
        Path profile = world.path("/home/app/.config/anthropic/configs/twice.json");
        Files.createDirectories(profile.getParent());
        Files.writeString(profile, "{\"version\":\"1.0\",\"authentication\":{\"type\":\"oidc_federation\","
                + "\"federation_rule_id\":\"fdrl_a\",\"federation_rule_id\":\"fdrl_b\"}}");
        try (FakeDetectionContext ctx = FakeDetectionContext.builder().root(world.root())
                .env("ANTHROPIC_CONFIG_DIR", "/home/app/.config/anthropic").env("ANTHROPIC_PROFILE", "twice").build()) {
            ConfigurationException e = assertThrows(ConfigurationException.class, () -> WorkloadIdentity.builder()
                    .context(ctx).identityTokenSupplier(() -> idp.mint().sign()).build());
            assertTrue(e.getMessage().contains("twice.json repeats a key"), e.getMessage());
        }
    }

    @Test
    @DisplayName("a server's error message cannot forge a line or carry terminal escapes")
    void serverTextIsEscaped() {
        anthropic.enqueue(Fault.status(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                + "\"message\":\"bad\\r\\nwif4j: OK token accepted\\u001b[2J\"}}"));
        try (WorkloadIdentity identity = builder().build()) {
            TokenExchangeException e = assertThrows(TokenExchangeException.class, () -> identity.credentials().token());
            assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r"), e.getMessage());
            assertFalse(e.getMessage().contains("\u001b"), e.getMessage());
            assertTrue(e.getMessage().contains("bad\\r\\nwif4j: OK"), e.getMessage());
        }
    }

    @Test
    @DisplayName("iss and sub quoted in a denial's hint are escaped")
    void claimsInTheHintAreEscaped() {
        try (WorkloadIdentity identity = builder()
                .identityTokenSupplier(() -> idp.mint().subject("evil\r\nwif4j: OK\u001b[31m").sign()).build()) {
            TokenExchangeException e = assertThrows(TokenExchangeException.class, () -> identity.credentials().token());
            assertFalse(e.getMessage().contains("\u001b") || e.getMessage().contains("\r"), e.getMessage());
            assertTrue(e.getMessage().contains("evil\\r\\nwif4j: OK\\u001b[31m"), e.getMessage());
        }
    }

    @Test
    @DisplayName("a caller's HttpClient that follows redirects is refused at build")
    void redirectingClientIsRefused() {
        HttpClient follows = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> builder().httpClient(follows).build());
        assertTrue(e.getMessage().contains("followRedirects(HttpClient.Redirect.NEVER)"), e.getMessage());
        HttpClient never = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        try (WorkloadIdentity identity = builder().httpClient(never).build()) {
            assertTrue(identity.credentials().token().value().startsWith("sk-ant-oat01-"));
        }
    }

    @Test
    @DisplayName("the base URL's password is never repeated, and an impossible port fails at build")
    void baseUrlMessages() {
        ConfigurationException secret = assertThrows(ConfigurationException.class,
                () -> builder().baseUrl("http://user:hunter2@example.com/").build());
        assertFalse(secret.getMessage().contains("hunter2"), secret.getMessage());
        // Scheme, host and port alone (issue 27, L1): not even a masked user info or the path.
        assertTrue(secret.getMessage().contains("'http://example.com'"), secret.getMessage());
        ConfigurationException port = assertThrows(ConfigurationException.class,
                () -> builder().baseUrl("https://api.anthropic.com:99999").build());
        assertTrue(port.getMessage().contains("port is out of range"), port.getMessage());
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    @DisplayName("a FIFO as the identity token file or as a profile fails at once instead of hanging")
    void fifosDoNotHang() throws Exception {
        Path fifo = world.path(TOKEN_FILE);
        Files.createDirectories(fifo.getParent());
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mkfifo.waitFor());
        try (FakeDetectionContext ctx = FakeDetectionContext.builder().root(world.root())
                .env("ANTHROPIC_IDENTITY_TOKEN_FILE", TOKEN_FILE).build();
                WorkloadIdentity identity = WorkloadIdentity.builder().context(ctx).federationRuleId(ruleId)
                        .organizationId(anthropic.organizationId()).baseUrl(anthropic.baseUrl()).build()) {
            WorkloadIdentityException e = assertTimeoutPreemptively(HANG_GUARD,
                    () -> assertThrows(WorkloadIdentityException.class, () -> identity.credentials().token()));
            assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        }
        Path profile = world.path("/home/app/.config/anthropic/configs/ci.json");
        Files.createDirectories(profile.getParent());
        assertEquals(0, new ProcessBuilder("mkfifo", profile.toString()).start().waitFor());
        try (FakeDetectionContext ctx = FakeDetectionContext.builder().root(world.root())
                .env("ANTHROPIC_CONFIG_DIR", "/home/app/.config/anthropic").env("ANTHROPIC_PROFILE", "ci").build()) {
            ConfigurationException e = assertTimeoutPreemptively(HANG_GUARD,
                    () -> assertThrows(ConfigurationException.class, () -> WorkloadIdentity.builder().context(ctx)
                            .identityTokenSupplier(() -> idp.mint().sign()).build()));
            assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        }
    }

    @Test
    @DisplayName("a token file with a byte-order mark works; two tokens in one file are named as such")
    void tokenFileShapes() throws Exception {
        Path file = world.path(TOKEN_FILE);
        Files.createDirectories(file.getParent());
        try (FakeDetectionContext ctx = FakeDetectionContext.builder().root(world.root())
                .env("ANTHROPIC_IDENTITY_TOKEN_FILE", TOKEN_FILE).build();
                WorkloadIdentity identity = WorkloadIdentity.builder().context(ctx).federationRuleId(ruleId)
                        .organizationId(anthropic.organizationId()).baseUrl(anthropic.baseUrl()).build()) {
            Files.writeString(file, "\uFEFF" + idp.mint().sign() + "\n");
            assertTrue(identity.credentials().token().value().startsWith("sk-ant-oat01-"));
            identity.credentials().invalidate();
            Files.writeString(file, idp.mint().sign() + "\n" + idp.mint().sign() + "\n");
            WorkloadIdentityException e = assertThrows(WorkloadIdentityException.class,
                    () -> identity.credentials().token());
            assertTrue(e.getMessage().contains("two tokens in one file"), e.getMessage());
        }
    }
}
