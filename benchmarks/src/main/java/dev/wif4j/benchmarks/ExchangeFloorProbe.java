package dev.wif4j.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A child process of the start-up runs, without wif4j: the least any token exchange can add to {@link FloorProbe}.
 * The same application trades the identity token by hand on its own client (read the file, one POST to
 * {@code /v1/oauth/token} built and read with the Jackson the application uses anyway, no checks, no retries,
 * no cache), then makes the same {@code /v1/messages} call with the access token. Exits with 0 on a 200 with
 * content.
 */
public final class ExchangeFloorProbe {
    private ExchangeFloorProbe() {}

    /**
     * Trades the token, then calls {@code /v1/messages} once.
     *
     * @param args the base URL, the federation rule id, the organization id and the token file, as
     *     {@link Startup} gives them
     * @throws Exception if either call fails
     */
    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        ObjectMapper json = new ObjectMapper();
        Map<String, String> body = new LinkedHashMap<>();
        body.put("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
        body.put("assertion", Files.readString(Path.of(args[3])).trim());
        body.put("federation_rule_id", args[1]);
        body.put("organization_id", args[2]);
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(base.resolve("/v1/oauth/token"))
                .header("content-type", "application/json").header("anthropic-version", "2023-06-01")
                .header("anthropic-beta", "oauth-2025-04-20,oidc-federation-2026-04-01")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        String accessToken = json.readTree(token.body()).path("access_token").asText();
        HttpResponse<String> reply = http.send(HttpRequest.newBuilder(base.resolve("/v1/messages"))
                .header("content-type", "application/json").header("anthropic-version", "2023-06-01")
                .header("anthropic-beta", "oauth-2025-04-20").header("Authorization", "Bearer " + accessToken)
                .POST(HttpRequest.BodyPublishers.ofString(MessagesProbe.HELLO)).build(),
                HttpResponse.BodyHandlers.ofString());
        int status = reply.statusCode() == 200 && json.readTree(reply.body()).hasNonNull("content") ? 0 : 2;
        Runtime.getRuntime().exit(status);
    }
}
