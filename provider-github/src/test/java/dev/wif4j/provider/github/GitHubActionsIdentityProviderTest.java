package dev.wif4j.provider.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.provider.github.internal.ActionsTokenClient;
import dev.wif4j.spi.Detection;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.SettingException;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.Fault;
import dev.wif4j.testkit.GitHubActionsEmulator;
import dev.wif4j.testkit.IdentityProviderContract;
import dev.wif4j.testkit.RecordedRequest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The {@code github} provider against the Actions token-service emulator. */
class GitHubActionsIdentityProviderTest extends IdentityProviderContract {
    static GitHubActionsEmulator actions;

    @BeforeAll
    static void start() {
        actions = GitHubActionsEmulator.builder().repository("acme/app").environment("prod").start();
    }

    @AfterAll
    static void stop() {
        actions.close();
    }

    @Override
    protected IdentityProvider provider() {
        return new GitHubActionsIdentityProvider();
    }

    @Override
    protected FakeDetectionContext availableContext() {
        return FakeDetectionContext.builder().env(actions.jobEnvironment()).build();
    }

    private static IdentityToken fetch(FakeDetectionContext context) {
        try (context; IdentityTokenSource source = new GitHubActionsIdentityProvider().open(context)) {
            return source.fetch();
        }
    }

    private static String fetchError(Map<String, String> env) {
        try (FakeDetectionContext context = FakeDetectionContext.builder().env(env).build();
                IdentityTokenSource source = new GitHubActionsIdentityProvider().open(context)) {
            return assertThrows(IdentityTokenException.class, source::fetch).getMessage();
        }
    }

    /** A bad runner variable: detect lets the SettingException through, and the detector reports its message. */
    private static String detectError(FakeDetectionContext context) {
        return assertThrows(SettingException.class, () -> new GitHubActionsIdentityProvider().detect(context))
                .getMessage();
    }

    private static RecordedRequest lastRequest() {
        List<RecordedRequest> requests = actions.requests();
        return requests.get(requests.size() - 1);
    }

    @Test
    @DisplayName("a job without id-token: write is unavailable, and the reason gives the fix")
    void jobWithoutIdTokenPermission() {
        try (FakeDetectionContext context = FakeDetectionContext.builder().env(actions.jobEnvironmentWithoutIdToken())
                .build()) {
            Detection detection = provider().detect(context);
            assertFalse(detection.isAvailable());
            assertEquals("GITHUB_ACTIONS is true but ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN "
                    + "are not set: add `permissions: id-token: write` to the workflow or the job (pull requests from "
                    + "forks never get an OIDC token)", detection.message());
        }
    }

    @Test
    @DisplayName("the evidence names the repository and the sub a rule must match")
    void evidenceNamesTheSubject() {
        try (FakeDetectionContext context = availableContext()) {
            assertEquals("GitHub Actions job of acme/app (push, refs/heads/main) with an OIDC token service; tokens "
                    + "will carry sub repo:acme/app:ref:refs/heads/main (or repo:acme/app:environment:<name> in a job "
                    + "with an environment)", provider().detect(context).message());
        }
    }

    @Test
    @DisplayName("a request URL that is plain http off loopback is refused: the bearer would travel in clear")
    void plainHttpUrlIsRefused() {
        try (FakeDetectionContext context = FakeDetectionContext.builder().env(actions.jobEnvironment())
                .env("ACTIONS_ID_TOKEN_REQUEST_URL", "http://tokens.example.com/idtoken?api-version=2.0").build()) {
            assertEquals("ACTIONS_ID_TOKEN_REQUEST_URL is 'http://tokens.example.com', but it is "
                    + "http:// to tokens.example.com, which would send tokens in clear text: use https://, or http:// "
                    + "only to localhost, 127.0.0.1 or [::1].", detectError(context));
        }
    }

    @Test
    @DisplayName("a refused request URL is shown by scheme, host and port: a secret in its query or user info is not")
    void refusedUrlNeverShowsItsQueryOrUserInfo() {
        Map<String, String> urls = Map.of(
                "http://tokens.example.com/idtoken?sig=CANARY_SIG_0123",
                "'http://tokens.example.com', but it is http://",
                "https://runner:CANARY_PW_0123@tokens.example.com/idtoken?api-version=2.0",
                "'https://tokens.example.com', but it carries user info");
        for (Map.Entry<String, String> url : urls.entrySet()) {
            try (FakeDetectionContext context = FakeDetectionContext.builder().env(actions.jobEnvironment())
                    .env("ACTIONS_ID_TOKEN_REQUEST_URL", url.getKey()).build()) {
                String opened = assertThrows(IdentityTokenException.class, () -> provider().open(context)).getMessage();
                assertTrue(opened.startsWith("ACTIONS_ID_TOKEN_REQUEST_URL is " + url.getValue()), opened);
                assertFalse(opened.contains("CANARY"), opened);
                String detected = detectError(context);
                for (String message : List.of(detected, opened)) {
                    assertTrue(message.startsWith("ACTIONS_ID_TOKEN_REQUEST_URL is " + url.getValue()), message);
                    assertFalse(message.contains("CANARY"), message);
                }
            }
        }
    }

    @Test
    @DisplayName("audience is added with & to a URL that has a query, with ? to one that has none")
    void audienceIsAddedToTheQuery() {
        assertEquals(URI.create("https://t.example/idtoken?api-version=2.0&audience=https%3A%2F%2Fapi.anthropic.com"),
                ActionsTokenClient.withAudience(URI.create("https://t.example/idtoken?api-version=2.0"),
                        "https://api.anthropic.com"));
        assertEquals(URI.create("https://t.example/idtoken?audience=api%3A%2F%2Fx"),
                ActionsTokenClient.withAudience(URI.create("https://t.example/idtoken"), "api://x"));
        assertEquals(URI.create("https://t.example/idtoken?audience=a"),
                ActionsTokenClient.withAudience(URI.create("https://t.example/idtoken?"), "a"));

        IdentityToken withQuery = fetch(availableContext());
        assertTrue(lastRequest().path().endsWith("/idtoken?api-version=2.0&audience=https%3A%2F%2Fapi.anthropic.com"),
                lastRequest().path());
        assertEquals(List.of("https://api.anthropic.com"), withQuery.audience());

        IdentityToken withoutQuery = fetch(FakeDetectionContext.builder().env(actions.jobEnvironment())
                .env("ACTIONS_ID_TOKEN_REQUEST_URL", actions.requestUrlWithoutQuery())
                .setting("github.audience", "api://claude").build());
        assertTrue(lastRequest().path().endsWith("/idtoken?audience=api%3A%2F%2Fclaude"), lastRequest().path());
        assertEquals(List.of("api://claude"), withoutQuery.audience());
        assertEquals("Bearer " + actions.requestToken(), lastRequest().header("Authorization").orElseThrow());
    }

    @Test
    @DisplayName("the token carries GitHub's claims, and the first fetch logs the ones a rule can pin")
    void claimsAreDescribed() {
        try (FakeDetectionContext context = availableContext();
                IdentityTokenSource source = provider().open(context)) {
            IdentityToken token = source.fetch();
            source.fetch();
            assertEquals("repo:acme/app:environment:prod", token.subject().orElseThrow());
            assertEquals("acme/app/.github/workflows/ci.yml@refs/heads/main",
                    token.stringClaim("job_workflow_ref").orElseThrow());
            List<String> described = context.logLines().stream().filter(l -> l.contains("narrow federation rule"))
                    .toList();
            assertEquals(1, described.size(), "described once: " + context.logLines());
            assertTrue(described.get(0).contains("sub=repo:acme/app:environment:prod"), described.get(0));
            assertTrue(described.get(0).contains(", repository=acme/app, repository_owner=acme, "
                    + "ref=refs/heads/main, job_workflow_ref=acme/app/.github/workflows/ci.yml@refs/heads/main, "
                    + "environment=prod. A narrow federation rule pins subject_prefix to that sub and audience to "
                    + "https://api.anthropic.com."), described.get(0));
        }
    }

    @Test
    @DisplayName("a 502 is one request and a retryable error: retries belong to the exchange")
    void badGatewayIsOneRetryableRequest() {
        int before = actions.requests().size();
        actions.enqueue(Fault.status(502, ""));
        try (FakeDetectionContext context = availableContext();
                IdentityTokenSource source = provider().open(context)) {
            IdentityTokenException e = assertThrows(IdentityTokenException.class, source::fetch);
            assertTrue(e.isRetryable());
            assertEquals("The GitHub Actions token service at 127.0.0.1 answered HTTP 502.", e.getMessage());
            assertEquals(before + 1, actions.requests().size());
        }
    }

    @Test
    @DisplayName("a service that sends its headers and then stalls is given up on at the fetch timeout, retryable")
    void stalledBodyEndsAtTheFetchTimeout() {
        actions.enqueue(Fault.trickle("{\"value\":\"" + "x".repeat(200) + "\"}", Duration.ofMillis(50)));
        try (FakeDetectionContext context = FakeDetectionContext.builder().env(actions.jobEnvironment())
                        .fetchTimeout(Duration.ofMillis(500)).build();
                IdentityTokenSource source = provider().open(context)) {
            long start = System.nanoTime();
            IdentityTokenException e = assertThrows(IdentityTokenException.class, source::fetch);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(e.isRetryable(), e.getMessage());
            assertEquals("the GitHub Actions token service did not answer completely within 500 ms.", e.getMessage());
            assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "took " + took);
        }
    }

    @Test
    @DisplayName("an answer without value, or with an empty body, is a clear error")
    void missingValue() {
        actions.enqueue(Fault.status(200, "{\"count\":0}"));
        assertEquals("The GitHub Actions token service answered without a token: the JSON has no \"value\" field.",
                fetchError(actions.jobEnvironment()));
        actions.enqueue(Fault.status(200, ""));
        assertEquals("The GitHub Actions token service answered HTTP 200 with an empty body.",
                fetchError(actions.jobEnvironment()));
    }

    @Test
    @DisplayName("a refused request token says it belongs to its job, and never shows it")
    void refusedRequestToken() {
        Map<String, String> env = new java.util.LinkedHashMap<>(actions.jobEnvironment());
        env.put("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "ghs_stale_token_of_another_job");
        String message = fetchError(env);
        assertTrue(message.startsWith("The GitHub Actions token service refused ACTIONS_ID_TOKEN_REQUEST_TOKEN (HTTP 401)"),
                message);
        assertFalse(message.contains("ghs_stale"), message);
    }

    @Test
    @DisplayName("a request token or URL with a trailing newline works: the white space around them is dropped")
    void surroundingWhiteSpaceIsDropped() {
        Map<String, String> env = new java.util.HashMap<>(actions.jobEnvironment());
        env.put("ACTIONS_ID_TOKEN_REQUEST_TOKEN", actions.requestToken() + "\n");
        env.put("ACTIONS_ID_TOKEN_REQUEST_URL", " " + actions.requestUrl() + "\r\n");
        try (FakeDetectionContext context = FakeDetectionContext.builder().env(env).build()) {
            assertTrue(provider().detect(context).isAvailable(), provider().detect(context).message());
            assertEquals(actions.subject(), fetch(FakeDetectionContext.builder().env(env).build()).subject().orElseThrow());
        }
        assertEquals(List.of("Bearer " + actions.requestToken()), lastRequest().headers().entrySet().stream()
                .filter(h -> h.getKey().equalsIgnoreCase("Authorization")).findFirst().orElseThrow().getValue());
    }

    @Test
    @DisplayName("a request token with a control character, a space or non-ASCII inside is refused, never quoted")
    void badRequestTokenIsRefusedUnquoted() {
        int before = actions.requests().size();
        String secret = "ghs_CANARY0123456789";
        Map<String, String> bad = Map.of(
                secret + "\r\nX-Injected: 1", "a control character at position 21 of 35",
                secret.substring(0, 8) + " " + secret.substring(8), "a space at position 9 of 21",
                secret + "\u00e9", "a non-ASCII character at position 21 of 21",
                secret + "\u0000", "a control character at position 21 of 21");
        for (Map.Entry<String, String> c : bad.entrySet()) {
            Map<String, String> env = new java.util.HashMap<>(actions.jobEnvironment());
            env.put("ACTIONS_ID_TOKEN_REQUEST_TOKEN", c.getKey());
            String expected = "ACTIONS_ID_TOKEN_REQUEST_TOKEN holds " + c.getValue() + ", which cannot be sent in an "
                    + "HTTP header (the value is a secret and is not shown). The runner sets it; check that the "
                    + "workflow does not overwrite it.";
            try (FakeDetectionContext context = FakeDetectionContext.builder().env(env).build()) {
                String detected = detectError(context);
                assertEquals(expected, detected);
                IdentityTokenException e = assertThrows(IdentityTokenException.class, () -> provider().open(context));
                assertEquals(expected, e.getMessage());
                assertFalse(e.getMessage().contains("CANARY") || detected.contains("CANARY"));
            }
        }
        assertEquals(before, actions.requests().size(), "nothing was sent");
    }
}
