package dev.wif4j.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wif4j.HttpAuthorization;
import dev.wif4j.WorkloadIdentity;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A child process of the start-up runs: the first {@code /v1/messages} call of an application on wif4j-core and
 * {@code java.net.http}, configured by the environment alone (the {@code ANTHROPIC_*} variables and a token
 * file), its answer read with Jackson. Exits with 0 on a 200, 2 otherwise; an exception exits with 1.
 */
public final class MessagesProbe {
    /** The request body every start-up probe sends. */
    static final String HELLO = "{\"model\": \"claude-sonnet-4-5\", \"max_tokens\": 16, "
            + "\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}";

    private MessagesProbe() {}

    /**
     * Calls {@code /v1/messages} once.
     *
     * @param args none
     * @throws Exception if the call fails
     */
    public static void main(String[] args) throws Exception {
        int status;
        try (WorkloadIdentity identity = WorkloadIdentity.fromEnvironment()) {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest.Builder request = HttpRequest.newBuilder(identity.settings().baseUrl().resolve("/v1/messages"))
                    .header("content-type", "application/json")
                    .header("anthropic-version", "2023-06-01").POST(HttpRequest.BodyPublishers.ofString(HELLO));
            HttpResponse<String> reply = HttpAuthorization.send(http, request, HttpResponse.BodyHandlers.ofString(),
                    identity.credentials());
            // Read the answer as an application does: with Jackson, which the floor (FloorProbe) reads it with too.
            status = reply.statusCode() == 200 && new ObjectMapper().readTree(reply.body()).hasNonNull("content") ? 0 : 2;
        }
        Runtime.getRuntime().exit(status);
    }
}
