package dev.wif4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.AuthentikEmulator;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.FederationIssuer;
import dev.wif4j.testkit.FederationRule;
import dev.wif4j.testkit.GitHubActionsEmulator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each command, run in-process against the emulators, asserting on its output and exit code. */
class CliTest {
    static GitHubActionsEmulator actions;
    static AnthropicEmulator anthropic;
    static String ruleId;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        actions = GitHubActionsEmulator.builder().repository("acme/app").start();
        anthropic = AnthropicEmulator.start();
        String issuerId = anthropic.addIssuer(FederationIssuer.of(actions.issuer()));
        ruleId = anthropic.addRule(FederationRule.forIssuer(issuerId).subjectPrefix("repo:acme/app:*")
                .audience("https://api.anthropic.com"));
    }

    @AfterAll
    static void stop() {
        anthropic.close();
        actions.close();
    }

    record Run(int code, String out, String err) {
    }

    static Run run(DetectionContext context, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err), context);
        return new Run(code, out.toString(), err.toString());
    }

    static FakeDetectionContext.Builder job() {
        return FakeDetectionContext.builder().env(actions.jobEnvironment())
                .env("ANTHROPIC_FEDERATION_RULE_ID", ruleId)
                .env("ANTHROPIC_ORGANIZATION_ID", anthropic.organizationId())
                .env("ANTHROPIC_BASE_URL", anthropic.baseUrl());
    }

    @Test
    @DisplayName("--help lists every command")
    void help() {
        Run r = run(FakeDetectionContext.empty(), "--help");
        assertEquals(0, r.code());
        for (String command : new String[] {"detect", "identity-token", "token", "check", "token-file", "demo"}) {
            assertTrue(r.out().contains("\n  " + command + " "), command + " missing from\n" + r.out());
        }
    }

    @Test
    @DisplayName("detect shows the table, the chosen provider and the settings, and exits 0")
    void detect() {
        try (FakeDetectionContext context = job().build()) {
            Run r = run(context, "detect");
            assertEquals(0, r.code(), r.out() + r.err());
            assertTrue(r.out().contains("Chosen: github"), r.out());
            assertTrue(r.out().contains("github           40  chosen "), r.out());
            assertTrue(r.out().contains("  federation rule  " + ruleId), r.out());
            assertTrue(r.out().contains("  service account  (not set)"), r.out());
            assertTrue(r.out().contains("  base URL         " + anthropic.baseUrl()), r.out());
        }
    }

    @Test
    @DisplayName("detect with nothing to go on gives every reason, and exits 1")
    void detectNothing() {
        try (FakeDetectionContext context = FakeDetectionContext.empty()) {
            Run r = run(context, "detect");
            assertEquals(1, r.code());
            assertTrue(r.out().contains("Chosen: none; see the reasons above."), r.out());
            assertTrue(r.out().contains("GITHUB_ACTIONS is not true: not a GitHub Actions job"), r.out());
            assertTrue(r.out().contains("  incomplete: Workload identity federation is not configured"), r.out());
        }
    }

    @Test
    @DisplayName("identity-token prints the JWT; --decode its header and claims without the signature")
    void identityToken() {
        try (FakeDetectionContext context = job().build()) {
            Run raw = run(context, "identity-token");
            assertEquals(0, raw.code(), raw.err());
            IdentityToken token = IdentityToken.parse(raw.out().strip());
            assertEquals("repo:acme/app:ref:refs/heads/main", token.subject().orElseThrow());

            Run decoded = run(context, "identity-token", "--decode");
            assertEquals(0, decoded.code(), decoded.err());
            assertTrue(decoded.out().contains("\"sub\" : \"repo:acme/app:ref:refs/heads/main\""), decoded.out());
            assertTrue(decoded.out().contains("\"job_workflow_ref\""), decoded.out());
            assertTrue(decoded.out().contains("\"exp\" : \""), decoded.out());
            assertFalse(decoded.out().matches("(?s).*[A-Za-z0-9_-]{20,}\\.[A-Za-z0-9_-]{20,}\\.[A-Za-z0-9_-]{20,}.*"),
                    "no raw token without --show-token");

            Run shown = run(context, "identity-token", "--decode", "--show-token");
            assertTrue(shown.out().contains("token:\n"), shown.out());
        }
    }

    @Test
    @DisplayName("token prints the access token; --json its expiry too")
    void token() throws Exception {
        try (FakeDetectionContext context = job().build()) {
            Run r = run(context, "token");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().strip().matches("sk-ant-oat01-[A-Za-z0-9]+"), r.out());

            Run json = run(context, "token", "--json");
            JsonNode node = new ObjectMapper().readTree(json.out());
            assertTrue(node.get("access_token").asText().startsWith("sk-ant-oat01-"));
            assertEquals("Bearer", node.get("token_type").asText());
            // min(rule 3600 s, 2 x the 5-minute Actions token's remaining life)
            assertTrue(node.get("expires_in").asLong() > 500 && node.get("expires_in").asLong() <= 600, json.out());
        }
    }

    @Test
    @DisplayName("a failure is one readable paragraph on stderr, exit 1; the stack trace only with --verbose")
    void failures() {
        try (FakeDetectionContext context = FakeDetectionContext.empty()) {
            Run r = run(context, "token");
            assertEquals(1, r.code());
            assertTrue(r.err().startsWith("wif4j: Workload identity federation is not configured"), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            Run verbose = run(context, "--verbose", "token");
            assertTrue(verbose.err().contains("\tat dev.wif4j."), verbose.err());
        }
        assertEquals(2, run(FakeDetectionContext.empty(), "check").code(), "a missing option is a usage error");
    }

    @Test
    @DisplayName("demo runs the whole flow on loopback")
    void demo() {
        Run r = run(null, "demo");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("5. POST /v1/messages with it answered: Hello from the Anthropic emulator."), r.out());
    }

    @Test
    @DisplayName("token-file --once writes the token with mode 0600")
    void tokenFileOnce() throws Exception {
        Path file = dir.resolve("identity-token");
        try (FakeDetectionContext context = job().build()) {
            Run r = run(context, "token-file", "--once", "--out", file.toString());
            assertEquals(0, r.code(), r.err());
            assertEquals("repo:acme/app:ref:refs/heads/main",
                    IdentityToken.parse(Files.readString(file)).subject().orElseThrow());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertTrue(r.err().contains("wrote a token for repo:acme/app:ref:refs/heads/main"), r.err());
        }
    }

    @Test
    @DisplayName("token-file outlives a provider's failure: it says so and tries again")
    void tokenFileOutlivesAProviderFailure() throws Exception {
        Path file = dir.resolve("token");
        // Nothing listens on port 9 of loopback: every fetch fails, retryable, with the provider's own exception.
        try (FakeDetectionContext context = FakeDetectionContext.builder()
                .env("WIF4J_AUTHENTIK_TOKEN_URL", "http://127.0.0.1:9/application/o/token/")
                .env("WIF4J_AUTHENTIK_CLIENT_ID", "c").env("WIF4J_AUTHENTIK_CLIENT_SECRET", "s").build()) {
            AtomicInteger code = new AtomicInteger(-1);
            StringWriter err = new StringWriter();
            Thread writer = new Thread(() -> code.set(Main.run(new String[] {"token-file", "--out", file.toString()},
                    new PrintWriter(new StringWriter()), new PrintWriter(err), context)));
            writer.start();
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!err.toString().contains("could not refresh the token") && writer.isAlive()
                    && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            writer.interrupt();
            writer.join(10_000);
            assertEquals(0, code.get(), err.toString());
            assertTrue(err.toString().contains("could not refresh the token: "), err.toString());
            assertTrue(err.toString().contains("stopped; " + file + " keeps the last token."), err.toString());
        }
    }

    @Test
    @DisplayName("token-file rotates at half-life; a reader never sees a half-written file; it stops when told")
    void tokenFileRotation() throws Exception {
        Path file = dir.resolve("token");
        try (AuthentikEmulator authentik = AuthentikEmulator.builder().accessTokenValidity(Duration.ofSeconds(2))
                        .start().client("c", "s");
                FakeDetectionContext context = FakeDetectionContext.builder()
                        .env("WIF4J_AUTHENTIK_TOKEN_URL", authentik.tokenUrl())
                        .env("WIF4J_AUTHENTIK_CLIENT_ID", "c").env("WIF4J_AUTHENTIK_CLIENT_SECRET", "s")
                        .env("ANTHROPIC_IDENTITY_TOKEN_FILE", file.toString()) // must not be read back
                        .build()) {
            AtomicInteger code = new AtomicInteger(-1);
            StringWriter err = new StringWriter();
            Thread writer = new Thread(() -> code.set(Main.run(new String[] {"token-file", "--out", file.toString()},
                    new PrintWriter(new StringWriter()), new PrintWriter(err), context)));
            writer.start();
            Set<String> seen = new HashSet<>();
            int reads = 0;
            long until = System.nanoTime() + Duration.ofMillis(3500).toNanos();
            while (System.nanoTime() < until) {
                if (Files.exists(file)) {
                    String content = Files.readString(file);
                    IdentityToken.parse(content); // throws on a partial token
                    seen.add(content);
                    reads++;
                }
            }
            writer.interrupt();
            writer.join(10_000);
            assertEquals(0, code.get(), err.toString());
            assertTrue(seen.size() >= 3, "rotated " + seen.size() + " times in 3.5 s with 2 s tokens; " + err);
            assertTrue(reads > 100, "the reader raced the writer " + reads + " times");
            assertTrue(err.toString().contains("stopped; " + file + " keeps the last token."), err.toString());
            try (var stray = Files.list(dir)) {
                assertEquals(1, stray.count(), "no temporary file left behind");
            }
        }
    }
}
