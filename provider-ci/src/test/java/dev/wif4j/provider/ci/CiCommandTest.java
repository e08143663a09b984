package dev.wif4j.provider.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.testkit.CiEnvironments;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.OidcIssuer;
import dev.wif4j.buildsupport.StandInCommand;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A tool run per fetch ({@code buildkite-agent}, here a stand-in) is one bounded attempt: killed at the fetch
 * timeout, its output capped, its failures said without echoing a token, and each failure marked retryable or not
 * for wif4j's exchange.
 */
class CiCommandTest {
    /** Canaries are put together at run time: no key-shaped literal sits in the source. */
    private static final String API_KEY_PREFIX = "sk-ant-api03-";
    private OidcIssuer issuer;
    private FakeDetectionContext context;
    private StandInCommand agent;

    @BeforeEach
    void start() {
        issuer = OidcIssuer.start();
        context = buildkite(Map.of());
        agent = StandInCommand.install(context.path("/usr/local/bin/buildkite-agent"));
    }

    @AfterEach
    void stop() {
        context.close();
        issuer.close();
    }

    /** A Buildkite job whose PATH has the agent (in the fake root) and, for its helpers, the real /usr/bin and /bin. */
    private static FakeDetectionContext buildkite(Map<String, String> more) {
        return FakeDetectionContext.builder().env(CiEnvironments.buildkite("/usr/local/bin:/usr/bin:/bin")).env(more)
                .fetchTimeout(Duration.ofSeconds(1)).networkForbidden().build();
    }

    private IdentityTokenException failure() {
        return failure(context);
    }

    private static IdentityTokenException failure(FakeDetectionContext context) {
        try (IdentityTokenSource source = new CiIdentityProvider().open(context)) {
            return assertThrows(IdentityTokenException.class, source::fetch);
        }
    }

    @Test
    @DisplayName("each fetch runs the agent once, without a shell, with --audience=<aud> as one argument, for a new token")
    void onePerFetch() {
        agent.printing(CiEnvironments.buildkiteToken(issuer, OidcIssuer.DEFAULT_AUDIENCE).sign())
                .printing(CiEnvironments.buildkiteToken(issuer, OidcIssuer.DEFAULT_AUDIENCE).sign());
        try (IdentityTokenSource source = new CiIdentityProvider().open(context)) {
            String first = source.fetch().serialized();
            String second = source.fetch().serialized();
            assertFalse(first.equals(second));
        }
        List<String> args = List.of("oidc", "request-token", "--audience=https://api.anthropic.com");
        assertEquals(List.of(args, args), agent.calls());
    }

    @Test
    @DisplayName("an agent that hangs is killed at the fetch timeout, and the failure is retryable")
    void timeout() {
        agent.sleeping(Duration.ofSeconds(30));
        long start = System.nanoTime();
        IdentityTokenException e = failure();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals("buildkite-agent oidc request-token --audience=https://api.anthropic.com did not finish within "
                + "1000 ms and was stopped.", e.getMessage());
        assertTrue(e.isRetryable());
        assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "took " + took);
    }

    @Test
    @DisplayName("an agent that floods stdout is cut off at 32 KiB and refused, not retried")
    void oversizedOutput() {
        agent.flooding(10_000_000);
        IdentityTokenException e = failure();
        assertEquals("buildkite-agent oidc request-token --audience=https://api.anthropic.com printed more than 32768 "
                + "bytes: that is not one identity token.", e.getMessage());
        assertFalse(e.isRetryable());
    }

    @Test
    @DisplayName("a failing agent: its status is said, its stderr only when asked for, and the failure is retryable")
    void failing() {
        agent.failing(1, "Error: failed to request OIDC token: 503 Service Unavailable");
        IdentityTokenException e = failure();
        assertEquals("buildkite-agent oidc request-token --audience=https://api.anthropic.com exited with status 1 (its "
                + "error output is not shown; WIF4J_CI_TOOL_STDERR=show shows it, with anything shaped like a token "
                + "redacted).", e.getMessage());
        assertTrue(e.isRetryable());
        try (FakeDetectionContext shown = buildkite(Map.of("WIF4J_CI_TOOL_STDERR", "show"))) {
            StandInCommand.install(shown.path("/usr/local/bin/buildkite-agent"))
                    .failing(1, "Error: failed to request OIDC token: 503 Service Unavailable\n\u001b[31mFORGED");
            IdentityTokenException said = failure(shown);
            assertEquals("buildkite-agent oidc request-token --audience=https://api.anthropic.com exited with status 1: "
                    + "Error: failed to request OIDC token: 503 Service Unavailable\\n\\u001b[31mFORGED.",
                    said.getMessage());
        }
    }

    @Test
    @DisplayName("stderr that holds a token: withheld by default; asked for, the token is redacted to its last four")
    void stderrWithToken() {
        String jwt = CiEnvironments.buildkiteToken(issuer, OidcIssuer.DEFAULT_AUDIENCE).sign();
        String key = API_KEY_PREFIX + "CANARYkey0123456789abcdef";
        agent.failing(2, "debug: got " + jwt + " but could not write it");
        IdentityTokenException e = failure();
        assertEquals("buildkite-agent oidc request-token --audience=https://api.anthropic.com exited with status 2 (its "
                + "error output is not shown; WIF4J_CI_TOOL_STDERR=show shows it, with anything shaped like a token "
                + "redacted).", e.getMessage());
        try (FakeDetectionContext shown = buildkite(Map.of("WIF4J_CI_TOOL_STDERR", "show"))) {
            StandInCommand.install(shown.path("/usr/local/bin/buildkite-agent"))
                    .failing(2, "debug: got " + jwt + " and " + key + " but could not write it");
            IdentityTokenException said = failure(shown);
            assertEquals("buildkite-agent oidc request-token --audience=https://api.anthropic.com exited with status 2: "
                    + "debug: got [redacted ..." + jwt.substring(jwt.length() - 4) + "] and [redacted ...cdef] but "
                    + "could not write it.", said.getMessage());
        }
    }

    @Test
    @DisplayName("status 127 (not found) is not retried; output that is not a JWT, or has another audience, is refused")
    void notRetriedAndRefused() {
        agent.failing(127, "exec: oidc: not found");
        assertFalse(failure().isRetryable());
        agent.failing(0, "");
        IdentityTokenException empty = failure();
        assertTrue(empty.getMessage().endsWith("exited with status 0 but printed nothing."), empty.getMessage());
        agent.printing(CiEnvironments.buildkiteToken(issuer, "sts.amazonaws.com").sign());
        IdentityTokenException wrongAudience = failure();
        assertTrue(wrongAudience.getMessage().startsWith("buildkite-agent oidc request-token --audience="
                + "https://api.anthropic.com printed a token for the audience [sts.amazonaws.com], not the "
                + "https://api.anthropic.com it was asked for"), wrongAudience.getMessage());
        assertFalse(wrongAudience.isRetryable());
    }

    @Test
    @DisplayName("the agent removed after detection: the fetch names the command it could not run")
    void cannotStart() throws Exception {
        try (IdentityTokenSource source = new CiIdentityProvider().open(context)) {
            java.nio.file.Files.delete(agent.path());
            IdentityTokenException e = assertThrows(IdentityTokenException.class, source::fetch);
            assertTrue(e.getMessage().startsWith("Cannot run buildkite-agent oidc request-token --audience="
                    + "https://api.anthropic.com (" + agent.path() + ")"), e.getMessage());
            assertFalse(e.isRetryable());
        }
    }
}
