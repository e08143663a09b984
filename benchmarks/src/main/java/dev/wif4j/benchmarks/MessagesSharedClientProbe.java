package dev.wif4j.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wif4j.HttpAuthorization;
import dev.wif4j.WorkloadIdentity;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A child process of the start-up runs: {@link MessagesProbe}, but the application hands wif4j its own
 * {@code java.net.http} client ({@code builder().httpClient(...)}), so that one client, one connection pool and
 * one TLS handshake per host carry the exchange and the API call; the answer is read with Jackson. Exits with 0
 * on a 200, 2 otherwise.
 */
public final class MessagesSharedClientProbe {
    private MessagesSharedClientProbe() {}

    /**
     * Calls {@code /v1/messages} once.
     *
     * @param args none
     * @throws Exception if the call fails
     */
    public static void main(String[] args) throws Exception {
        Runtime.getRuntime().exit(callOnce(null));
    }

    /**
     * The application's one call, on its own client handed to wif4j.
     *
     * @param json the application's mapper made before the call, or {@code null} to make one when the answer is
     *     in, as {@link FloorProbe} does
     * @return the exit status: 0 on a 200 with content, 2 otherwise
     * @throws Exception if the call fails
     */
    static int callOnce(ObjectMapper json) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (WorkloadIdentity identity = WorkloadIdentity.builder().httpClient(http).build()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(identity.settings().baseUrl().resolve("/v1/messages"))
                    .header("content-type", "application/json").header("anthropic-version", "2023-06-01")
                    .POST(HttpRequest.BodyPublishers.ofString(MessagesProbe.HELLO));
            HttpResponse<String> reply = HttpAuthorization.send(http, request, HttpResponse.BodyHandlers.ofString(),
                    identity.credentials());
            return reply.statusCode() == 200 && (json != null ? json : new ObjectMapper()).readTree(reply.body())
                    .hasNonNull("content") ? 0 : 2;
        }
    }
}
