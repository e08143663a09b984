package dev.wif4j.provider.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.AccessToken;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.buildsupport.ChildProgram;
import dev.wif4j.testkit.CiEnvironments;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.FederationIssuer;
import dev.wif4j.testkit.FederationRule;
import dev.wif4j.testkit.OidcIssuer;
import dev.wif4j.testkit.SecretCanaries;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Canary secrets through the CI tool's paths (Buildkite's agent, a script here): what the tool writes to stderr when
 * it fails, by default and with {@code WIF4J_CI_TOOL_STDERR=show}; what it prints that is not a token; tokens whose
 * claims carry CR/LF; and the application's secrets in the environment the tool is started with. Everything a user
 * or an operator could see is captured (log records at ALL with their throwables, the context's log lines, every
 * exception in the cause chain, the toString() of every public object) and no canary may appear whole in it, nor a
 * line that a claim forged.
 */
class SecretCanaryTest {
    /** Canaries are put together at run time: no key-shaped literal sits in the source. */
    private static final String API_KEY_PREFIX = "sk-ant-api03-";
    /** Shapes wif4j recognises as secrets: shown only redacted even when the tool's stderr is asked for. */
    static final String JWT_CANARY = "eyJhbGciOiJSUzI1NiJ9.eyJjYW5hcnkiOiJzdGRlcnIifQ.Q0FOQVJZc2lnbmF0dXJlMDEyMzQ1Njc4OQ";
    static final String KEY_CANARY = API_KEY_PREFIX + "CANARYstderr0123456789abcdef";
    /** A secret of no recognisable shape: never shown unless the stderr is asked for, so used only where it is not. */
    static final String PLAIN_CANARY = "CANARY-plain-password-7f3a9c2e";
    static final String STDOUT_CANARY = "CANARY-stdout-not-a-token-0123456789";
    static final String FORGED = "FORGED-LINE";

    private SecretCanaries canaries;
    private OidcIssuer issuer;
    private AnthropicEmulator anthropic;
    private String ruleId;
    private int paths;

    @BeforeEach
    void start() {
        canaries = SecretCanaries.start().forgedLine(FORGED);
        issuer = OidcIssuer.start();
        anthropic = AnthropicEmulator.start();
        String issuerId = anthropic.addIssuer(FederationIssuer.of(issuer));
        ruleId = anthropic.addRule(FederationRule.forIssuer(issuerId)
                .subjectPrefix("organization:acme:pipeline:deploy:ref:refs/heads/main:*")
                .audience(OidcIssuer.DEFAULT_AUDIENCE));
        canaries.canaries(List.of(JWT_CANARY, KEY_CANARY, PLAIN_CANARY, STDOUT_CANARY));
    }

    @AfterEach
    void stop() {
        canaries.close();
        anthropic.close();
        issuer.close();
    }

    /** A Buildkite job whose agent runs {@code script}, through detection, the fetch and the exchange. */
    private void run(String script, Map<String, String> more) throws Exception {
        paths++;
        try (FakeDetectionContext world = FakeDetectionContext.builder()
                .env(CiEnvironments.buildkite("/usr/local/bin:/usr/bin:/bin"))
                .env("ANTHROPIC_FEDERATION_RULE_ID", ruleId)
                .env("ANTHROPIC_ORGANIZATION_ID", anthropic.organizationId())
                .env("ANTHROPIC_BASE_URL", anthropic.baseUrl())
                .env(more).fetchTimeout(Duration.ofSeconds(5)).build()) {
            CiToolHardeningTest.tool(world.path("/usr/local/bin/buildkite-agent"), script);
            try (WorkloadIdentity identity = WorkloadIdentity.builder().context(world)
                    .retries(2, Duration.ofMillis(5), Duration.ofMillis(10)).build()) {
                canaries.object(identity, identity.detection(), identity.settings(), identity.credentials(),
                        new CiIdentityProvider());
                try {
                    AccessToken token = identity.credentials().token();
                    canaries.canary(token.value());
                    canaries.object(token);
                    System.getLogger("canary").log(System.Logger.Level.DEBUG, "got {0}", token);
                } catch (RuntimeException e) {
                    canaries.thrown(e);
                }
                canaries.object(identity);
            } catch (RuntimeException e) {
                canaries.thrown(e);
            }
            canaries.context(world);
        }
    }

    private static String printing(String jwt) {
        return "printf '%s\\n' '" + jwt + "'\n";
    }

    @Test
    void noCanaryLeaksOnAnyPath() throws Exception {
        // Success; the tool also writes a secret to stderr, which a successful run never shows.
        run(printing(CiEnvironments.buildkiteToken(issuer, OidcIssuer.DEFAULT_AUDIENCE).sign())
                + "echo 'debug: " + PLAIN_CANARY + " " + KEY_CANARY + "' >&2\n", Map.of());
        // The tool fails, its stderr full of secrets: withheld by default.
        String leaky = "echo 'Error: 401 for " + JWT_CANARY + " with " + KEY_CANARY + " password=" + PLAIN_CANARY
                + "' >&2\nexit 1\n";
        run(leaky, Map.of());
        run("echo 'Error: cannot log in with password=" + PLAIN_CANARY + "' >&2\nexit 1\n", Map.of());
        // Asked for, the stderr is shown, the token shapes redacted (a plain password has no shape: not printed here).
        run("echo 'Error: 401 for " + JWT_CANARY + " with " + KEY_CANARY + "' >&2\nexit 1\n",
                Map.of("WIF4J_CI_TOOL_STDERR", "show"));
        // The same with a child left holding stderr open, and with CR/LF and ESC forging lines.
        run("printf 'Error: %s\\r\\n%s\\n\\033[2K%s\\n' '" + JWT_CANARY + "' '" + FORGED + "' '" + KEY_CANARY
                + "' >&2\nsleep 30 &\nexit 1\n", Map.of("WIF4J_CI_TOOL_STDERR", "show"));
        // Stdout that is not a token, holding a secret.
        run("echo '" + STDOUT_CANARY + "'\n", Map.of());
        // A token whose claims forge lines, for another audience, then one for this audience.
        String forging = "\r\n" + FORGED + " \n" + FORGED;
        String wrongAudience = CiEnvironments.buildkiteToken(issuer, "other" + forging).subject("sub" + forging).sign();
        canaries.canary(wrongAudience);
        run(printing(wrongAudience), Map.of());
        // A token printed and the tool's child left holding stdout.
        run(printing(CiEnvironments.buildkiteToken(issuer, OidcIssuer.DEFAULT_AUDIENCE).sign()) + "sleep 30 &\n",
                Map.of());

        anthropic.assertions().forEach(canaries::canary);
        canaries.close();
        int leaks = canaries.leakCount();
        System.out.printf("canaries: %d secrets, %d paths, %d captured texts, %d leaked%n", canaries.canaryCount(),
                paths, canaries.textCount(), leaks);
        canaries.assertNoLeak();
        // And the paths were exercised: not a pass by silence.
        assertTrue(anthropic.tokensIssued() >= 2, "the success paths exchanged");
        assertTrue(canaries.anyContains("DEBUG") || canaries.anyContains("FINE"), "debug logging was on and captured");
        assertTrue(canaries.anyContains("[redacted ..."), "the stderr asked for was shown, redacted");
    }

    @Test
    void applicationSecretsNeverReachTheTool(@TempDir Path home) throws Exception {
        // A JVM of its own, whose real environment holds the secrets, as an application's would.
        Path seen = home.resolve("seen-environment");
        CiToolHardeningTest.tool(home.resolve("bin/buildkite-agent"), "env > '" + seen + "'\n"
                + printing(CiEnvironments.buildkiteToken(issuer, OidcIssuer.DEFAULT_AUDIENCE).sign()));
        Map<String, String> secrets = Map.of(
                "ANTHROPIC_API_KEY", API_KEY_PREFIX + "CANARYapikey0123456789",
                "ANTHROPIC_IDENTITY_TOKEN", JWT_CANARY,
                "WIF4J_AUTHENTIK_CLIENT_SECRET", "CANARY-client-secret",
                "AWS_SECRET_ACCESS_KEY", "CANARY-aws-secret-access-key");
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = entry.replace('\\', '/');
            if (name.endsWith("/test-classes") || name.endsWith("/classes")
                    || name.matches(".*/(wif4j-core|jackson-[a-z]+)-[^/]*\\.jar")) {
                classPath.add(entry);
            }
        }
        ChildProgram.Run run = ChildProgram.of("modulepath.Main", classPath).in(home)
                .env(CiEnvironments.buildkite("/usr/bin:/bin:" + home.resolve("bin")))
                .env("BUILDKITE_AGENT_ACCESS_TOKEN", "bkaj_agent-session-token")
                .env(secrets)
                .env("WIF4J_PROVIDER", "ci") // the identity token canary would otherwise be taken as the token
                .env("AWS_EC2_METADATA_DISABLED", "true")
                .env("ANTHROPIC_FEDERATION_RULE_ID", "fdrl_canary")
                .env("ANTHROPIC_ORGANIZATION_ID", "123e4567-e89b-12d3-a456-426614174000").run();
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.stdout().contains("subject=" + CiEnvironments.BUILDKITE_SUBJECT), run.output());
        String environment = Files.readString(seen);
        assertTrue(environment.contains("BUILDKITE_AGENT_ACCESS_TOKEN=bkaj_agent-session-token"), environment);
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
            assertFalse(environment.contains(secret.getValue()), secret.getKey() + " reached the tool");
            assertFalse(environment.contains(secret.getKey() + "="), secret.getKey() + " reached the tool");
        }
    }
}
