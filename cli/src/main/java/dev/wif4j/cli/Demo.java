package dev.wif4j.cli;

import dev.wif4j.AccessToken;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.testkit.AnthropicEmulator;
import dev.wif4j.testkit.Decision;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.OidcIssuer;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The whole federation flow on loopback, for a newcomer's first run ({@code wif4j demo}; in the source tree also
 * {@code ./mvnw -q -pl cli exec:java}): an OIDC issuer writes a Kubernetes-style token file, wif4j detects it,
 * exchanges it at the Anthropic emulator, caches the access token and calls {@code /v1/messages} with it. Nothing
 * leaves 127.0.0.1.
 */
final class Demo {

    private static final String TOKEN_FILE = "/var/run/secrets/anthropic.com/token";

    private Demo() {
    }

    /**
     * Runs the demo.
     *
     * @param out where to print
     * @return the text of the emulator's reply
     * @throws Exception when a step fails
     */
    static String run(PrintStream out) throws Exception {
        try (OidcIssuer idp = OidcIssuer.start();
                AnthropicEmulator anthropic = AnthropicEmulator.start()) {
            String ruleId = anthropic.trust(idp, "system:serviceaccount:demo:*");
            String jwt = idp.mint().subject("system:serviceaccount:demo:claude-client").sign();
            out.println("1. An identity provider at " + idp.issuerUrl() + " issued a token for "
                    + "system:serviceaccount:demo:claude-client, written to " + TOKEN_FILE + ".");
            try (FakeDetectionContext world = FakeDetectionContext.builder()
                    .env("ANTHROPIC_FEDERATION_RULE_ID", ruleId)
                    .env("ANTHROPIC_ORGANIZATION_ID", anthropic.organizationId())
                    .env("ANTHROPIC_BASE_URL", anthropic.baseUrl())
                    .env("ANTHROPIC_IDENTITY_TOKEN_FILE", TOKEN_FILE)
                    .file(TOKEN_FILE, jwt)
                    .build();
                    WorkloadIdentity identity = WorkloadIdentity.builder().context(world).build()) {
                out.println("2. wif4j looked at the environment:");
                identity.detection().toTable().lines().forEach(line -> out.println("     " + line));
                AccessToken token = identity.credentials().token();
                out.println("3. It exchanged the token at " + identity.settings().tokenEndpoint() + " for " + token
                        + ", valid until " + token.expiresAt() + ".");
                AccessToken again = identity.credentials().token();
                out.println("4. The next call took the cached token (same token: " + (again == token)
                        + "; exchanges so far: " + anthropic.exchangeRequests() + ").");
                String reply = callMessages(anthropic.baseUrl(), token);
                out.println("5. POST /v1/messages with it answered: " + reply);
                Decision decision = anthropic.lastDecision();
                out.println("6. The emulator's authentication history: rule " + decision.ruleId() + ", subject "
                        + decision.subject() + ", " + (decision.accepted() ? "accepted" : "denied: " + decision.reason())
                        + ".");
                return reply;
            }
        }
    }

    private static String callMessages(String baseUrl, AccessToken token) throws Exception {
        HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/messages"))
                .header("Authorization", token.authorizationHeaderValue())
                .header("anthropic-beta", AnthropicEmulator.OAUTH_BETA)
                .header("anthropic-version", "2023-06-01")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,"
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"))
                .timeout(Duration.ofSeconds(10))
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("/v1/messages answered " + response.statusCode() + ": " + response.body());
        }
        String body = response.body();
        int start = body.indexOf("\"text\":\"") + 8;
        return body.substring(start, body.indexOf('"', start));
    }
}
