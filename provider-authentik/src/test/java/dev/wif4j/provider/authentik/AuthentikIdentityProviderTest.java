package dev.wif4j.provider.authentik;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wif4j.spi.Detection;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.SettingException;
import dev.wif4j.testkit.AuthentikEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.Fault;
import dev.wif4j.testkit.IdentityProviderContract;
import dev.wif4j.testkit.OidcIssuer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The {@code authentik} provider against the authentik emulator. */
class AuthentikIdentityProviderTest extends IdentityProviderContract {
    static final String CLIENT = "wif-client-7f3a";
    static final String SECRET = "CANARY-client-secret-9c1e4b7d2a";
    static final String SECRET_FILE = "/run/secrets/authentik/client-secret";
    static AuthentikEmulator authentik;

    @BeforeAll
    static void start() {
        authentik = AuthentikEmulator.start().client(CLIENT, SECRET);
    }

    @AfterAll
    static void stop() {
        authentik.close();
    }

    @Override
    protected IdentityProvider provider() {
        return new AuthentikIdentityProvider();
    }

    @Override
    protected FakeDetectionContext availableContext() {
        return configured().build();
    }

    static FakeDetectionContext.Builder configured() {
        return FakeDetectionContext.builder()
                .env("WIF4J_AUTHENTIK_TOKEN_URL", authentik.tokenUrl())
                .env("WIF4J_AUTHENTIK_CLIENT_ID", CLIENT)
                .env("WIF4J_AUTHENTIK_CLIENT_SECRET_FILE", SECRET_FILE)
                .file(SECRET_FILE, SECRET + "\n");
    }

    private static String fetchError(FakeDetectionContext context, List<String> seen) {
        try (context; IdentityTokenSource source = new AuthentikIdentityProvider().open(context)) {
            IdentityTokenException e = assertThrows(IdentityTokenException.class, source::fetch);
            seen.add(e.getMessage());
            seen.add(e.toString());
            seen.add(source.toString());
            seen.addAll(context.logLines());
            return e.getMessage();
        }
    }

    private static String fetchError(FakeDetectionContext context) {
        return fetchError(context, new ArrayList<>());
    }

    /** What detection says: a SettingException from detect is reported unavailable with its message. */
    private static String detect(FakeDetectionContext context) {
        try (context) {
            Detection d = new AuthentikIdentityProvider().detect(context);
            return (d.isAvailable() ? "available: " : "unavailable: ") + d.message();
        } catch (SettingException e) {
            return "unavailable: " + e.getMessage();
        }
    }

    @Test
    @DisplayName("a token URL from a host, or set with a key in its query, never shows user info or the query")
    void tokenUrlSecretsStayOutOfMessages() {
        assertEquals("unavailable: WIF4J_AUTHENTIK_HOST gives the token URL 'http://authentik.company', which is "
                + "refused: it is http:// to authentik.company, which would send tokens in clear text: use https://, "
                + "or http:// only to localhost, 127.0.0.1 or [::1].", detect(FakeDetectionContext.builder()
                        .env("WIF4J_AUTHENTIK_HOST", "http://authentik.company/?key=CANARY_Q_4d2e")
                        .env("WIF4J_AUTHENTIK_CLIENT_ID", CLIENT)
                        .env("WIF4J_AUTHENTIK_CLIENT_SECRET", SECRET).build()));
        assertEquals("unavailable: WIF4J_AUTHENTIK_HOST gives the token URL 'https://authentik.company', which is "
                + "refused: it carries user info before the host; credentials do not belong in a URL.",
                detect(FakeDetectionContext.builder()
                        .env("WIF4J_AUTHENTIK_HOST", "admin:CANARY_PW_4d2e@authentik.company")
                        .env("WIF4J_AUTHENTIK_CLIENT_ID", CLIENT)
                        .env("WIF4J_AUTHENTIK_CLIENT_SECRET", SECRET).build()));

        String withKey = authentik.tokenUrl() + "?key=CANARY_Q_4d2e";
        String available = detect(configured().env("WIF4J_AUTHENTIK_TOKEN_URL", withKey).build());
        assertTrue(available.startsWith("available: client_credentials for client " + CLIENT + " at "
                + authentik.tokenUrl() + "?... with "), available);
        authentik.enqueue(Fault.status(503, "{\"error\":\"unavailable\"}"));
        List<String> seen = new ArrayList<>();
        assertEquals("The token endpoint " + authentik.tokenUrl() + "?... answered HTTP 503 unavailable.",
                fetchError(configured().env("WIF4J_AUTHENTIK_TOKEN_URL", withKey).build(), seen));
        seen.add(available);
        assertTrue(seen.stream().noneMatch(m -> m.contains("CANARY_Q")), seen.toString());
    }

    @Test
    @DisplayName("detection says which settings are missing")
    void detectionNamesWhatIsMissing() {
        assertEquals("unavailable: not configured: set WIF4J_AUTHENTIK_TOKEN_URL (or WIF4J_AUTHENTIK_HOST), "
                + "WIF4J_AUTHENTIK_CLIENT_ID, and WIF4J_AUTHENTIK_CLIENT_SECRET_FILE, WIF4J_AUTHENTIK_CLIENT_SECRET or "
                + "WIF4J_AUTHENTIK_CLIENT_ASSERTION_FILE", detect(FakeDetectionContext.builder().build()));
        assertEquals("unavailable: configured, but WIF4J_AUTHENTIK_CLIENT_ID, a client secret "
                + "(WIF4J_AUTHENTIK_CLIENT_SECRET_FILE or WIF4J_AUTHENTIK_CLIENT_SECRET) or a client assertion "
                + "(WIF4J_AUTHENTIK_CLIENT_ASSERTION_FILE) are missing",
                detect(FakeDetectionContext.builder().env("WIF4J_AUTHENTIK_HOST", "authentik.company").build()));
        assertEquals("unavailable: configured, but WIF4J_AUTHENTIK_TOKEN_URL (or WIF4J_AUTHENTIK_HOST) is missing",
                detect(FakeDetectionContext.builder().env("WIF4J_AUTHENTIK_CLIENT_ID", CLIENT)
                        .env("WIF4J_AUTHENTIK_CLIENT_SECRET", SECRET).build()));
    }

    @Test
    @DisplayName("a host means authentik's token URL; the evidence names client, URL and credential, not the secret")
    void hostGivesTheTokenUrl() {
        String detected = detect(FakeDetectionContext.builder().env("WIF4J_AUTHENTIK_HOST", "authentik.company")
                .env("WIF4J_AUTHENTIK_CLIENT_ID", CLIENT).env("WIF4J_AUTHENTIK_CLIENT_SECRET", SECRET).build());
        assertEquals("available: client_credentials for client " + CLIENT + " at "
                + "https://authentik.company/application/o/token/ with a client secret from "
                + "WIF4J_AUTHENTIK_CLIENT_SECRET; the id_token is the identity token", detected);
    }

    @Test
    @DisplayName("a plain-http token URL off loopback, or an unknown token field, is refused at detection")
    void invalidSettings() {
        // An endpoint setting shows its scheme, host and port alone: a password or a key in it stays out (issue 27).
        assertEquals("unavailable: WIF4J_AUTHENTIK_TOKEN_URL is 'http://authentik.company', but "
                + "it is http:// to authentik.company, which would send tokens in clear text: use https://, or "
                + "http:// only to localhost, 127.0.0.1 or [::1].", detect(configured().env("WIF4J_AUTHENTIK_TOKEN_URL",
                        "http://authentik.company/application/o/token/").build()));
        assertEquals("unavailable: WIF4J_AUTHENTIK_TOKEN_FIELD is 'jwt', but it must be id_token or access_token.",
                detect(configured().env("WIF4J_AUTHENTIK_TOKEN_FIELD", "jwt").build()));
        assertEquals("unavailable: the system property wif4j.authentik.max.lifetime.seconds is '0', but it must be a "
                + "whole number from 1 to 176400.", detect(configured()
                        .systemProperty("wif4j.authentik.max.lifetime.seconds", "0").build()));
        String forged = detect(configured().env("WIF4J_AUTHENTIK_CLIENT_ID", "evil\nINFO forged line").build());
        assertTrue(forged.startsWith("available: client_credentials for client evil\\nINFO forged line at "), forged);
    }

    @Test
    @DisplayName("the dashed keys of earlier releases still work in code, and the open() error names the provider")
    void legacyKeysAndOpenError() {
        String detected = detect(FakeDetectionContext.builder().setting("authentik.token-url", authentik.tokenUrl())
                .setting("authentik.client-id", CLIENT).setting("authentik.client-secret-file", SECRET_FILE)
                .file(SECRET_FILE, SECRET).build());
        assertEquals("available: client_credentials for client " + CLIENT + " at " + authentik.tokenUrl() + " with a "
                + "client secret from the file " + SECRET_FILE + "; the id_token is the identity token", detected);
        try (FakeDetectionContext context = FakeDetectionContext.builder().env("WIF4J_AUTHENTIK_CLIENT_ID", CLIENT)
                .build()) {
            assertEquals("The authentik provider is configured, but WIF4J_AUTHENTIK_TOKEN_URL (or WIF4J_AUTHENTIK_HOST), "
                    + "a client secret (WIF4J_AUTHENTIK_CLIENT_SECRET_FILE or WIF4J_AUTHENTIK_CLIENT_SECRET) or a "
                    + "client assertion (WIF4J_AUTHENTIK_CLIENT_ASSERTION_FILE) are missing.", assertThrows(
                            IdentityTokenException.class, () -> provider().open(context)).getMessage());
        }
    }

    @Test
    @DisplayName("a secret file that is a FIFO is refused without opening it, and a 503 is one retryable request")
    void fifoAndServiceUnavailable() throws Exception {
        FakeDetectionContext fifoContext = configured().env("WIF4J_AUTHENTIK_CLIENT_SECRET_FILE", "/run/secrets/fifo")
                .build();
        Path fifo = Files.createDirectories(fifoContext.path("/run/secrets")).resolve("fifo");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "no mkfifo here");
        // The shared token-file vocabulary (TokenFile), issue 28.
        assertEquals("The client secret file /run/secrets/fifo: it is not a regular file (a FIFO, a device or a "
                + "socket); it was not opened.",
                assertTimeoutPreemptively(Duration.ofSeconds(5), () -> fetchError(fifoContext)));
        int before = authentik.requests().size();
        authentik.enqueue(Fault.status(503, "{\"error\":\"unavailable\"}"));
        try (FakeDetectionContext context = availableContext(); IdentityTokenSource source = provider().open(context)) {
            IdentityTokenException e = assertThrows(IdentityTokenException.class, source::fetch);
            assertTrue(e.isRetryable(), e.getMessage());
            assertEquals("The token endpoint " + authentik.tokenUrl() + " answered HTTP 503 unavailable.", e.getMessage());
        }
        assertEquals(before + 1, authentik.requests().size());
    }

    @Test
    @DisplayName("the id_token has authentik's claims: iss with the slug and a trailing slash, aud the client id")
    void tokenClaims() {
        try (FakeDetectionContext context = availableContext();
                IdentityTokenSource source = provider().open(context)) {
            IdentityToken token = source.fetch();
            assertEquals(authentik.issuerUrl(), token.issuer().orElseThrow());
            assertTrue(token.issuer().orElseThrow().endsWith("/application/o/claude/"));
            assertEquals("ak-anthropic-wif-client_credentials", token.subject().orElseThrow());
            assertEquals(List.of(CLIENT), token.audience());
            assertTrue(context.logLines().isEmpty(), "a good token draws no warning: " + context.logLines());
            String form = authentik.requests().get(authentik.requests().size() - 1).body();
            assertTrue(form.contains("grant_type=client_credentials") && form.contains("scope=openid"), form);
        }
    }

    @Test
    @DisplayName("a bad secret is refused with invalid_client, named, and the secret is never shown")
    void badSecret() {
        List<String> seen = new ArrayList<>();
        String message = fetchError(configured().file(SECRET_FILE, "CANARY-wrong-secret").build(), seen);
        assertTrue(message.startsWith("The token endpoint " + authentik.tokenUrl() + " answered HTTP 400 invalid_client: "),
                message);
        assertTrue(message.endsWith("It did not accept client " + CLIENT + " with a client secret from the file "
                + SECRET_FILE + ": check the client id and its secret, and that the provider allows the client "
                + "credentials grant."), message);
        assertTrue(seen.stream().noneMatch(s -> s.contains("CANARY")), seen.toString());
    }

    @Test
    @DisplayName("a secret echoed back by the server is masked")
    void echoedSecretIsMasked() {
        authentik.enqueue(Fault.status(401, "{\"error\":\"invalid_client\",\"error_description\":\"bad secret "
                + SECRET + "\"}"));
        List<String> seen = new ArrayList<>();
        String message = fetchError(availableContext(), seen);
        assertTrue(message.contains("bad secret ****"), message);
        assertTrue(seen.stream().noneMatch(s -> s.contains(SECRET)), seen.toString());
    }

    @Test
    @DisplayName("a response without id_token says to ask for openid, or to use the access_token")
    void missingIdToken() {
        assertEquals("The token response from " + authentik.tokenUrl() + " has no id_token. An OIDC server returns one "
                + "only for the scope openid (the scope asked for was 'profile'; set WIF4J_AUTHENTIK_SCOPE); if its "
                + "access_token is the JWT (Okta custom authorization servers), set WIF4J_AUTHENTIK_TOKEN_FIELD="
                + "access_token.", fetchError(configured().env("WIF4J_AUTHENTIK_SCOPE", "profile").build()));
    }

    @Test
    @DisplayName("with token-field access_token, the access token is the identity token")
    void accessTokenField() {
        try (FakeDetectionContext context = configured().env("WIF4J_AUTHENTIK_SCOPE", "profile")
                .env("WIF4J_AUTHENTIK_TOKEN_FIELD", "access_token").build();
                IdentityTokenSource source = provider().open(context)) {
            assertEquals("profile", source.fetch().stringClaim("scope").orElseThrow());
        }
    }

    @Test
    @DisplayName("a token living longer than the issuer's maximum is refused before Anthropic refuses it")
    void lifetimeOverTheMaximum() {
        try (AuthentikEmulator longLived = AuthentikEmulator.builder().accessTokenValidity(Duration.ofHours(2)).start()
                .client(CLIENT, SECRET)) {
            String message = fetchError(configured().env("WIF4J_AUTHENTIK_TOKEN_URL", longLived.tokenUrl()).build());
            assertEquals("The id_token from " + longLived.tokenUrl() + " lives 7200 s (exp - iat), more than the 3600 s "
                    + "the issuer accepts (WIF4J_AUTHENTIK_MAX_LIFETIME_SECONDS, the issuer's maximum identity token "
                    + "lifetime in Anthropic): lower the provider's Access Token Validity, or raise the issuer's "
                    + "maximum.", message);
        }
    }

    @Test
    @DisplayName("an issuer of another application, or an aud without the client id, is warned about once")
    void issuerAndAudienceWarnings() {
        try (FakeDetectionContext context = configured().env("WIF4J_AUTHENTIK_SLUG", "other-app").build();
                IdentityTokenSource source = provider().open(context)) {
            source.fetch();
            source.fetch();
            List<String> warnings = context.logLines().stream().filter(l -> l.startsWith("WARNING"))
                    .collect(Collectors.toList());
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("is not the issuer of the application other-app "
                    + "(expected .../application/o/other-app/)"), warnings.get(0));
        }
    }

    @Test
    @DisplayName("a JWT client assertion, re-read from its file on every fetch, logs the client in")
    void clientAssertion() {
        try (OidcIssuer cluster = OidcIssuer.start();
                AuthentikEmulator federated = AuthentikEmulator.start().clientWithAssertions("m2m-client", cluster);
                FakeDetectionContext context = FakeDetectionContext.builder()
                        .env("WIF4J_AUTHENTIK_TOKEN_URL", federated.tokenUrl())
                        .env("WIF4J_AUTHENTIK_CLIENT_ID", "m2m-client")
                        .env("WIF4J_AUTHENTIK_CLIENT_ASSERTION_FILE", "/var/run/secrets/tokens/authentik")
                        .file("/var/run/secrets/tokens/authentik", cluster.mint().subject("system:serviceaccount:a:b").sign())
                        .build();
                IdentityTokenSource source = provider().open(context)) {
            assertEquals(federated.subject(), source.fetch().subject().orElseThrow());
            context.writeFile("/var/run/secrets/tokens/authentik", "not-a-jwt");
            assertTrue(assertThrows(IdentityTokenException.class, source::fetch).getMessage()
                    .contains("invalid_client"));
            assertEquals("urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                    federated.requests().get(0).body().replaceAll(".*client_assertion_type=([^&]*).*", "$1")
                            .replace("%3A", ":"));
        }
    }
}
