package dev.wif4j.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wif4j.HttpAuthorization;
import dev.wif4j.WorkloadIdentity;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A child process of the start-up runs: {@link MessagesSharedClientProbe} with its {@code ObjectMapper} made at
 * start-up, before the first call, as in {@link MapperFirstFloorProbe}. Exits with 0 on a 200, 2 otherwise.
 */
public final class MapperFirstSharedClientProbe {
    private MapperFirstSharedClientProbe() {}

    /**
     * Makes the mapper, then calls {@code /v1/messages} once.
     *
     * @param args none
     * @throws Exception if the call fails
     */
    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        int status;
        HttpClient http = HttpClient.newHttpClient();
        try (WorkloadIdentity identity = WorkloadIdentity.builder().httpClient(http).build()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(identity.settings().baseUrl().resolve("/v1/messages"))
                    .header("content-type", "application/json").header("anthropic-version", "2023-06-01")
                    .POST(HttpRequest.BodyPublishers.ofString(MessagesProbe.HELLO));
            HttpResponse<String> reply = HttpAuthorization.send(http, request, HttpResponse.BodyHandlers.ofString(),
                    identity.credentials());
            status = reply.statusCode() == 200 && json.readTree(reply.body()).hasNonNull("content") ? 0 : 2;
        }
        Runtime.getRuntime().exit(status);
    }
}
