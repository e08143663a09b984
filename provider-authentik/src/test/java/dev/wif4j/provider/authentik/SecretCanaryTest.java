package dev.wif4j.provider.authentik;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.AccessToken;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.AuthentikEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.Fault;
import dev.wif4j.testkit.FederationIssuer;
import dev.wif4j.testkit.FederationRule;
import dev.wif4j.testkit.SecretCanaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Canary secrets through every path: authentik's client secret, the identity token authentik mints and
 * the Anthropic access token, on success and on each failure, with all logging at ALL. Everything a user
 * or an operator could see is captured (log records with their throwables, every exception in the cause
 * chain, the toString() of every public object) and no canary may appear whole in it.
 */
class SecretCanaryTest {
    /** Canaries are put together at run time: no key-shaped literal sits in the source. */
    private static final String API_KEY_PREFIX = "sk-ant-api03-";
    /** With characters that form- and percent-encoding change: a server echoing the form body shows those forms. */
    static final String CLIENT_SECRET = "CANARY-client secret/7f3a+9c2e=&";
    static final String FORM_ENCODED_SECRET = URLEncoder.encode(CLIENT_SECRET, StandardCharsets.UTF_8);
    static final String ACCESS_CANARY = "sk-ant-oat01-CANARYaccess0123456789";

    private SecretCanaries canaries;
    private AuthentikEmulator authentik;
    private AnthropicEmulator anthropic;
    private String ruleId;
    private int paths;

    @BeforeEach
    void start() {
        canaries = SecretCanaries.start();
        authentik = AuthentikEmulator.start().client("claude-client", CLIENT_SECRET);
        anthropic = AnthropicEmulator.start();
        String issuerId = anthropic.addIssuer(FederationIssuer.discovery(authentik.issuerUrl(),
                authentik.issuerUrl().substring(0, authentik.issuerUrl().length() - 1)));
        ruleId = anthropic.addRule(FederationRule.forIssuer(issuerId).subjectPrefix(authentik.subject())
                .audience("claude-client"));
        canaries.canary(CLIENT_SECRET);
        canaries.canary(FORM_ENCODED_SECRET);
        canaries.canary(FORM_ENCODED_SECRET.replace("+", "%20"));
        canaries.canary(FORM_ENCODED_SECRET.replace("+", "%20").toLowerCase(Locale.ROOT));
        canaries.canary(ACCESS_CANARY);
    }

    @AfterEach
    void stop() {
        canaries.close();
        anthropic.close();
        authentik.close();
    }

    /** A world in which authentik is configured with the canary client secret, read from a file. */
    private FakeDetectionContext.Builder authentikWorld() {
        return FakeDetectionContext.builder()
                .file("/run/secrets/ak", CLIENT_SECRET + "\n")
                .env("WIF4J_AUTHENTIK_CLIENT_SECRET_FILE", "/run/secrets/ak")
                .env("WIF4J_AUTHENTIK_HOST", authentik.hostUrl())
                .env("WIF4J_AUTHENTIK_CLIENT_ID", "claude-client")
                .env("WIF4J_AUTHENTIK_SLUG", authentik.slug());
    }

    private void run(Consumer<WorkloadIdentity> path) {
        paths++;
        try (FakeDetectionContext world = authentikWorld()
                .env("ANTHROPIC_FEDERATION_RULE_ID", ruleId)
                .env("ANTHROPIC_ORGANIZATION_ID", anthropic.organizationId())
                .env("ANTHROPIC_BASE_URL", anthropic.baseUrl())
                .build()) {
            try (WorkloadIdentity identity = WorkloadIdentity.builder().context(world)
                    .retries(2, Duration.ofMillis(5), Duration.ofMillis(10)).build()) {
                assertEquals("authentik", identity.providerId());
                canaries.object(identity, identity.detection(), identity.settings(), identity.credentials(),
                        new AuthentikIdentityProvider());
                try {
                    path.accept(identity);
                } catch (RuntimeException e) {
                    canaries.thrown(e);
                }
            } catch (RuntimeException e) {
                canaries.thrown(e);
            }
            canaries.context(world);
        }
    }

    /** Every identity token sent to Anthropic is a canary too: authentik minted it from the secret. */
    private void collectIdentityTokens() throws Exception {
        anthropic.assertions().forEach(canaries::canary);
    }

    private static void token(WorkloadIdentity identity) {
        AccessToken token = identity.credentials().token();
        assertTrue(token.value().startsWith("sk-ant-oat01-"));
        System.getLogger("canary").log(System.Logger.Level.DEBUG, "got {0}", token);
    }

    @Test
    void noCanaryLeaksOnAnyPath() throws Exception {
        // Success: the real access token is a canary as well.
        run(identity -> {
            AccessToken t = identity.credentials().token();
            canaries.canary(t.value());
            canaries.object(t, identity.fetchIdentityToken(), identity.exchange());
        });
        // authentik refuses the secret, and echoes it in its error body.
        authentik.enqueue(Fault.status(401, "{\"error\":\"invalid_client\",\"error_description\":\"bad secret "
                + CLIENT_SECRET + "\",\"client_secret\":\"" + CLIENT_SECRET + "\"}"));
        run(SecretCanaryTest::token);
        // authentik refuses the request and echoes the form body, the secret form-encoded (+ for a space) and
        // percent-encoded (%20, lower-case hex digits).
        String form = "grant_type=client_credentials&client_id=claude-client&client_secret=" + FORM_ENCODED_SECRET
                + "&scope=openid";
        authentik.enqueue(Fault.status(400, "{\"error\":\"invalid_request\",\"error_description\":\"cannot parse "
                + form + "\"}"));
        run(SecretCanaryTest::token);
        authentik.enqueue(Fault.status(400, "{\"error\":\"invalid_request\",\"error_description\":\"cannot parse "
                + form.replace("+", "%20").toLowerCase(Locale.ROOT) + "\"}"));
        run(SecretCanaryTest::token);
        // authentik is down.
        authentik.enqueue(Fault.status(503, "{\"error\":\"unavailable\"}"));
        authentik.enqueue(Fault.status(503, "{\"error\":\"unavailable\"}"));
        run(SecretCanaryTest::token);
        // Anthropic denies the assertion and echoes it, with an access token, in the body.
        anthropic.enqueue(Fault.status(401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
                + "\"message\":\"Authentication failed for " + ACCESS_CANARY + "\"},\"access_token\":\"" + ACCESS_CANARY
                + "\"}"));
        run(SecretCanaryTest::token);
        // Invalid 200 answers that carry the access token where the parser complains.
        for (String body : List.of(
                "{\"access_token\":\"" + ACCESS_CANARY + "\",\"token_type\":\"" + ACCESS_CANARY + "\",\"expires_in\":60}",
                "{\"access_token\":\"" + ACCESS_CANARY + "\",\"token_type\":\"mac\",\"expires_in\":60}",
                "{\"access_token\":\"" + ACCESS_CANARY + "\",\"expires_in\":\"" + ACCESS_CANARY + "\"}",
                "{\"access_token\":\"" + ACCESS_CANARY + "\",\"expires_in\":-1}",
                "<html>" + ACCESS_CANARY + "</html>",
                "{\"access_token\":\"" + ACCESS_CANARY)) {
            anthropic.enqueue(Fault.status(200, body));
            run(SecretCanaryTest::token);
        }
        // 5xx until the retries run out, then a dropped connection.
        anthropic.enqueue(Fault.status(500, "{\"error\":\"" + ACCESS_CANARY + "\"}"));
        anthropic.enqueue(Fault.status(500, "{\"error\":\"" + ACCESS_CANARY + "\"}"));
        run(SecretCanaryTest::token);
        anthropic.enqueue(Fault.disconnect());
        anthropic.enqueue(Fault.disconnect());
        run(SecretCanaryTest::token);
        // Anthropic unreachable altogether.
        anthropic.close();
        run(SecretCanaryTest::token);

        collectIdentityTokens();
        canaries.close();
        assertTrue(canaries.canaryCount() >= 4, "canaries: " + canaries.canaryCount());
        assertTrue(canaries.anyContains("DEBUG") || canaries.anyContains("FINE"), "debug logging was on and captured");
        int leaks = canaries.leakCount();
        System.out.printf("canaries: %d secrets, %d paths, %d captured texts, %d leaked%n", canaries.canaryCount(),
                paths, canaries.textCount(), leaks);
        canaries.assertNoLeak();
    }

    /** In a base URL's query, its fragment, and a password holding '/', which hides the host from a URL parser. */
    static final String QUERY_CANARY = API_KEY_PREFIX + "CANARYquery0123456789";
    static final String FRAGMENT_CANARY = "CANARYfragment0123456789";
    static final String PASSWORD_CANARY = "CANARY-pass/word0123456789";
    /** What a planted active_config might name: the process environment, a credentials file. */
    static final String ACTIVE_CONFIG_CANARY = "ANTHROPIC_API_KEY=" + API_KEY_PREFIX + "CANARYactive0123456789";

    /**
     * A world for configuration errors: authentik configured as in {@link #run}, the federation settings from
     * {@code variables}, and {@code files} prepared once the world exists (links among them).
     */
    private void runConfigured(Map<String, String> variables, Consumer<FakeDetectionContext> files) {
        paths++;
        try (FakeDetectionContext world = authentikWorld()
                .env(variables)
                .build()) {
            files.accept(world);
            try (WorkloadIdentity identity = WorkloadIdentity.builder().context(world).build()) {
                canaries.object(identity, identity.detection(), identity.settings());
                token(identity);
            } catch (RuntimeException e) {
                canaries.thrown(e);
            }
            canaries.context(world);
        }
    }

    @Test
    void noCanaryLeaksFromTheConfiguration() throws Exception {
        canaries.canary(QUERY_CANARY);
        canaries.canary(FRAGMENT_CANARY);
        canaries.canary(PASSWORD_CANARY);
        canaries.canary(ACTIVE_CONFIG_CANARY);
        canaries.canary(ACTIVE_CONFIG_CANARY.substring(ACTIVE_CONFIG_CANARY.indexOf("sk-ant")));
        String base = anthropic.baseUrl();
        String hostAndPort = base.substring(base.indexOf("://") + 3);
        // ANTHROPIC_BASE_URL with a key in its query, in its fragment, and a password holding '/'.
        for (String url : List.of(base + "/?key=" + QUERY_CANARY, base + "/#" + FRAGMENT_CANARY,
                "http://user:" + PASSWORD_CANARY + "@" + hostAndPort, "https://user:" + PASSWORD_CANARY + "@" + hostAndPort
                        + "/v1?key=" + QUERY_CANARY)) {
            runConfigured(Map.of("ANTHROPIC_FEDERATION_RULE_ID", ruleId,
                    "ANTHROPIC_ORGANIZATION_ID", anthropic.organizationId(), "ANTHROPIC_BASE_URL", url), world -> { });
        }
        // <config dir>/active_config holding secrets; then a link to a file that holds them (/proc/self/environ).
        Map<String, String> profileMode = Map.of("ANTHROPIC_CONFIG_DIR", "/cfg",
                "ANTHROPIC_BASE_URL", base);
        runConfigured(profileMode, world -> world.writeFile("/cfg/active_config", ACTIVE_CONFIG_CANARY + "\n"));
        runConfigured(profileMode, world -> {
            try {
                Files.createDirectories(world.path("/cfg"));
                Files.createSymbolicLink(world.path("/cfg/active_config"),
                        world.writeFile("/proc/self/environ", "HOME=/root\u0000" + ACTIVE_CONFIG_CANARY + "\u0000"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });

        canaries.close();
        assertTrue(canaries.anyContains("The base URL"), "the base URL was refused");
        assertTrue(canaries.anyContains("/cfg/active_config"), "active_config refused");
        int leaks = canaries.leakCount();
        System.out.printf("configuration canaries: %d secrets, %d paths, %d captured texts, %d leaked%n",
                canaries.canaryCount(), paths, canaries.textCount(), leaks);
        canaries.assertNoLeak();
    }
}
