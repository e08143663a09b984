package dev.wif4j.provider.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wif4j.spi.Detection;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.SettingException;
import dev.wif4j.testkit.CiEnvironments;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.OidcIssuer;
import dev.wif4j.buildsupport.StandInCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What a CI tool run per fetch can and cannot do to the application: it sees only the variables it needs, a tool
 * others could have changed is not run, a child it leaves holding its output neither delays the token nor survives
 * the run, and what the settings and the token's claims say reaches it and the messages intact but escaped. The
 * tools are shell scripts written into each test's fake file system.
 */
class CiToolHardeningTest {
    /** Canaries are put together at run time: no key-shaped literal sits in the source. */
    private static final String API_KEY_PREFIX = "sk-ant-api03-";
    private static final ObjectMapper JSON = new ObjectMapper();
    private OidcIssuer issuer;

    @BeforeEach
    void start() {
        issuer = OidcIssuer.start();
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    /** Writes an executable {@code /bin/sh} script. */
    static Path tool(Path file, String body) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n" + body, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /** A Buildkite job: the agent in the fake root's /usr/local/bin, the real /usr/bin and /bin for its helpers. */
    private static FakeDetectionContext.Builder buildkite() {
        return FakeDetectionContext.builder().env(CiEnvironments.buildkite("/usr/local/bin:/usr/bin:/bin"))
                .env("BUILDKITE_JOB_ID", "018485f6-1f53-4f18-9b53-72428db4d239")
                .env("BUILDKITE_AGENT_ACCESS_TOKEN", "bkaj_agent-session-token")
                .env("BUILDKITE_AGENT_JOB_API_SOCKET", "/tmp/job-api.sock")
                .env("BUILDKITE_AGENT_JOB_API_TOKEN", "job-api-token")
                .networkForbidden();
    }

    @Test
    @DisplayName("the agent sees PATH, HOME and its own variables from the job, and none of the application's secrets")
    void toolSeesOnlyItsVariables() throws Exception {
        try (FakeDetectionContext job = buildkite()
                .env("HOME", "/home/agent")
                .env("HTTPS_PROXY", "http://proxy.internal:3128")
                .env("ANTHROPIC_API_KEY", API_KEY_PREFIX + "CANARYapikey0123456789")
                .env("ANTHROPIC_IDENTITY_TOKEN", "eyJhbGciOiJub25lIn0.eyJjYW5hcnkiOnRydWV9.CANARY")
                .env("WIF4J_AUTHENTIK_CLIENT_SECRET", "CANARY-client-secret")
                .env("AWS_SECRET_ACCESS_KEY", "CANARY-aws-secret")
                .env("MY_CA_BUNDLE", "/etc/ssl/acme.pem")
                .env("WIF4J_CI_TOOL_ENV", "MY_CA_BUNDLE")
                .build()) {
            Path seen = job.root().resolve("seen-environment");
            tool(job.path("/usr/local/bin/buildkite-agent"), "env > '" + seen + "'\nprintf '%s\\n' '"
                    + CiEnvironments.buildkiteToken(issuer, OidcIssuer.DEFAULT_AUDIENCE).sign() + "'\n");
            try (IdentityTokenSource source = new CiIdentityProvider().open(job)) {
                source.fetch();
            }
            Map<String, String> env = Files.readAllLines(seen).stream().filter(l -> l.contains("="))
                    .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1),
                            (a, b) -> a));
            Set<String> names = new TreeSet<>(env.keySet());
            names.remove("PWD"); // set by the shell itself
            names.remove("SHLVL");
            names.remove("_");
            assertEquals(new TreeSet<>(Set.of("PATH", "HOME", "HTTPS_PROXY", "CI", "BUILDKITE", "BUILDKITE_JOB_ID",
                    "BUILDKITE_AGENT_ACCESS_TOKEN", "BUILDKITE_AGENT_JOB_API_SOCKET", "BUILDKITE_AGENT_JOB_API_TOKEN",
                    "MY_CA_BUNDLE", "WIF4J_CI_TOOL_RUN")), names);
            assertEquals("/usr/local/bin:/usr/bin:/bin", env.get("PATH"));
            assertEquals("bkaj_agent-session-token", env.get("BUILDKITE_AGENT_ACCESS_TOKEN"));
            String all = Files.readString(seen);
            for (String secret : new String[] {"CANARYapikey", "CANARY-client-secret", "CANARY-aws-secret", ".CANARY"}) {
                assertFalse(all.contains(secret), secret + " reached the tool");
            }
        }
    }

    @Test
    @DisplayName("ci.tool.env that names something other than variables is a configuration error")
    void toolEnvMustNameVariables() {
        try (FakeDetectionContext job = buildkite().env("WIF4J_CI_TOOL_ENV", "MY_CA, $(id)").build()) {
            StandInCommand.install(job.path("/usr/local/bin/buildkite-agent"));
            // A malformed setting: detect lets the SettingException go, and wif4j reports ci unavailable with it.
            SettingException e = assertThrows(SettingException.class, () -> new CiIdentityProvider().detect(job));
            assertEquals("WIF4J_CI_TOOL_ENV is 'MY_CA, $(id)', but it must list environment variables to pass to the CI "
                    + "tool, separated by commas: letters, digits and '_', not starting with a digit.", e.getMessage());
        }
    }

    @Test
    @DisplayName("a tool that prints the token and exits, leaving a child on its stdout: the token at once, the child killed")
    void childHoldingStdoutNeitherDelaysNorSurvives() throws Exception {
        String token = CiEnvironments.buildkiteToken(issuer, OidcIssuer.DEFAULT_AUDIENCE).sign();
        Object outcome = fetchWithChildLeftBehind("printf '%s\\n' '" + token + "'\nsleep 60 &\n", 0);
        assertEquals(CiEnvironments.BUILDKITE_SUBJECT, ((IdentityToken) outcome).subject().orElseThrow());
    }

    @Test
    @DisplayName("a tool that fails and leaves a child on its stderr: the failure at once, the child killed")
    void failingToolsChildIsKilledToo() throws Exception {
        Object outcome = fetchWithChildLeftBehind("echo 'Error: 503' >&2\nsleep 60 &\n", 1);
        String message = ((IdentityTokenException) outcome).getMessage();
        assertTrue(message.contains("exited with status 1"), message);
    }

    /**
     * Runs one fetch with a Buildkite tool whose script starts a child, writes its pid, and exits with the status
     * given; asserts the fetch ended within 2 s of the 8 s timeout and the child is gone.
     *
     * @return the token fetched, or the exception the fetch threw
     */
    private Object fetchWithChildLeftBehind(String script, int exit) throws Exception {
        try (FakeDetectionContext job = buildkite().fetchTimeout(Duration.ofSeconds(8)).build()) {
            Path pid = job.root().resolve("child.pid");
            tool(job.path("/usr/local/bin/buildkite-agent"), script + "echo $! > '" + pid + "'\nexit " + exit + "\n");
            long start = System.nanoTime();
            Object outcome;
            try (IdentityTokenSource source = new CiIdentityProvider().open(job)) {
                outcome = source.fetch();
            } catch (IdentityTokenException e) {
                outcome = e;
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            System.out.printf("a fetch whose tool left a child behind (exit %d): %d ms (timeout 8000 ms)%n", exit,
                    took.toMillis());
            assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "took " + took + " of the 8 s timeout");
            long child = Long.parseLong(Files.readString(pid).strip());
            assertTrue(gone(child, Duration.ofSeconds(2)), "the tool's child " + child + " is still running");
            return outcome;
        }
    }

    /** Whether the process ends (or is a zombie waiting for its new parent) within the time given. */
    private static boolean gone(long pid, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        do {
            Path stat = Path.of("/proc", Long.toString(pid), "stat");
            boolean running;
            if (Files.isDirectory(Path.of("/proc"))) {
                try {
                    String s = Files.readString(stat);
                    running = s.charAt(s.lastIndexOf(')') + 2) != 'Z';
                } catch (IOException e) {
                    running = false;
                }
            } else {
                running = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            }
            if (!running) {
                return true;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < end);
        return false;
    }

    @Test
    @DisplayName("a tool or its directory writable by group or others, or owned by another user, is not run")
    void toolOthersCouldChangeIsNotRun() throws Exception {
        try (FakeDetectionContext job = buildkite().build()) {
            StandInCommand agent = StandInCommand.install(job.path("/usr/local/bin/buildkite-agent"))
                    .printing(CiEnvironments.buildkiteToken(issuer, OidcIssuer.DEFAULT_AUDIENCE).sign());
            Path bin = agent.path().getParent();
            try (IdentityTokenSource source = new CiIdentityProvider().open(job)) {
                // Detection found it safe; then it became writable by everyone: the fetch refuses, for good.
                Files.setPosixFilePermissions(agent.path(), PosixFilePermissions.fromString("rwxrwxrwx"));
                IdentityTokenException e = assertThrows(IdentityTokenException.class, source::fetch);
                assertEquals("buildkite-agent oidc request-token --audience=https://api.anthropic.com is not run: "
                        + agent.path() + " can be changed by every user (mode 0777): make it writable by its owner "
                        + "alone (chmod go-w " + agent.path() + ").", e.getMessage());
                assertFalse(e.isRetryable());
            }
            assertEquals(0, agent.calls().size(), "never run");
            assertEquals("BUILDKITE is true but the buildkite-agent on PATH is not run: " + agent.path()
                    + " can be changed by every user (mode 0777): make it writable by its owner alone (chmod go-w "
                    + agent.path() + ")", new CiIdentityProvider().detect(job).message());

            Files.setPosixFilePermissions(agent.path(), PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxrwxr-x"));
            assertEquals("BUILDKITE is true but the buildkite-agent on PATH is not run: the directory " + bin
                    + " can be changed by its group (mode 0775): make it writable by its owner alone (chmod go-w "
                    + bin + ")", new CiIdentityProvider().detect(job).message());
            Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
            assertTrue(new CiIdentityProvider().detect(job).isAvailable());

            // A link on PATH to a tool in a directory everyone can write.
            Path shared = Files.createDirectories(job.path("/srv/shared"));
            Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
            Path real = tool(shared.resolve("buildkite-agent"), "exit 0\n");
            Files.delete(agent.path());
            Files.createSymbolicLink(agent.path(), real);
            assertEquals("BUILDKITE is true but the buildkite-agent on PATH is not run: the directory "
                    + shared.toRealPath() + " can be changed by every user (mode 0777): make it writable by its owner "
                    + "alone (chmod go-w " + shared.toRealPath() + ")", new CiIdentityProvider().detect(job).message());
        }
    }

    @Test
    @DisplayName("a tool owned by a user other than root and the one running wif4j is not run")
    void toolOfAnotherUserIsNotRun() throws Exception {
        int self = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        assumeTrue(self == 0, "only root can give a file to another user");
        try (FakeDetectionContext job = buildkite().build()) {
            StandInCommand agent = StandInCommand.install(job.path("/usr/local/bin/buildkite-agent"));
            Files.setAttribute(agent.path(), "unix:uid", 4242);
            assertEquals("BUILDKITE is true but the buildkite-agent on PATH is not run: " + agent.path()
                    + " belongs to uid 4242, neither root nor the user running this JVM (uid 0): install it as root or "
                    + "as that user", new CiIdentityProvider().detect(job).message());
        }
    }

    @Test
    @DisplayName("CircleCI's --claims is JSON whatever the audience holds (tab, newline, quote, backslash)")
    void circleCiClaimsAreJson() throws Exception {
        // The newline not last: settings are stripped, and it is the escaping inside a value that is tested.
        String audience = "https://claude.acme.example/\t\"x\"\\\nz";
        try (FakeDetectionContext job = FakeDetectionContext.builder().env(CiEnvironments.circleCi(issuer))
                .env("PATH", "/opt/circleci/bin:/usr/bin:/bin").env("WIF4J_CI_AUDIENCE", audience)
                .networkForbidden().build()) {
            StandInCommand cli = StandInCommand.install(job.path("/opt/circleci/bin/circleci"))
                    .printing(CiEnvironments.circleCiToken(issuer, audience).sign());
            Detection d = new CiIdentityProvider().detect(job);
            assertEquals("CircleCI job (CIRCLECI is true): every fetch runs circleci run oidc get --claims "
                    + "{\"aud\":\"https://claude.acme.example/\\\\t\\\\\"x\\\\\"\\\\\\\\\\\\nz\"} (" + cli.path()
                    + ") for a new token", d.message(), "the claims as sent, escaped for the message");
            try (IdentityTokenSource source = new CiIdentityProvider().open(job)) {
                assertEquals(java.util.List.of(audience), source.fetch().audience());
            }
            String claims = cli.calls().get(0).get(4);
            assertEquals(audience, JSON.readTree(claims).get("aud").asText());
            assertEquals(1, JSON.readTree(claims).size());
        }
    }

    @Test
    @DisplayName("claims and the audience setting with CR/LF reach messages and logs escaped, on one line")
    void crlfIsEscapedEverywhere() {
        String forged = "\r\nINFO dev.wif4j: FORGED";
        try (FakeDetectionContext gitLab = FakeDetectionContext.builder().env(CiEnvironments.gitLab("ANTHROPIC_ID_TOKEN",
                CiEnvironments.gitLabToken(issuer, OidcIssuer.DEFAULT_AUDIENCE).subject("project_path:acme/app" + forged)
                        .sign())).networkForbidden().build()) {
            String message = new CiIdentityProvider().detect(gitLab).message();
            assertTrue(message.contains("sub project_path:acme/app\\r\\nINFO dev.wif4j: FORGED,"), message);
        }
        try (FakeDetectionContext noToken = FakeDetectionContext.builder().env(CiEnvironments.gitLabWithoutIdToken())
                .env("WIF4J_CI_AUDIENCE", "https://api.anthropic.com" + forged).networkForbidden().build()) {
            String message = new CiIdentityProvider().detect(noToken).message();
            assertTrue(message.contains("{aud: https://api.anthropic.com\\r\\nINFO dev.wif4j: FORGED}"), message);
        }
        try (FakeDetectionContext job = buildkite().env("WIF4J_CI_AUDIENCE", "aud" + forged).build()) {
            StandInCommand.install(job.path("/usr/local/bin/buildkite-agent"))
                    .printing(CiEnvironments.buildkiteToken(issuer, "other" + forged).sign())
                    .printing(CiEnvironments.buildkiteToken(issuer, "aud" + forged).subject("sub" + forged).sign());
            assertTrue(new CiIdentityProvider().detect(job).message()
                    .contains("--audience=aud\\r\\nINFO dev.wif4j: FORGED ("));
            try (IdentityTokenSource source = new CiIdentityProvider().open(job)) {
                IdentityTokenException e = assertThrows(IdentityTokenException.class, source::fetch);
                assertTrue(e.getMessage().contains("printed a token for the audience [other\\r\\nINFO dev.wif4j: FORGED], "
                        + "not the aud\\r\\nINFO dev.wif4j: FORGED it was asked for"), e.getMessage());
                source.fetch();
            }
            for (String line : job.logLines()) {
                assertFalse(line.contains("\r") || line.contains("\n"), "a log line broken in two: " + line);
            }
            assertTrue(job.logLines().stream().anyMatch(l -> l.contains("sub=sub\\r\\nINFO dev.wif4j: FORGED")),
                    String.join("|", job.logLines()));
        }
    }
}
