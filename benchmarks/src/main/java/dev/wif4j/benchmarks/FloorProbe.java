package dev.wif4j.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;

/**
 * A child process of the start-up runs, without wif4j: the floor the cold-path goal is read against, the same
 * application as {@link MessagesProbe} with a fixed API key instead of workload identity: {@code java.net.http},
 * one {@code /v1/messages} call, its answer read with Jackson. The emulator accepts bearer tokens only, so the
 * answer is its JSON 401; the work is the same (one round trip, one JSON document read). Exits with 0 when an
 * answer with a {@code type} arrived.
 */
public final class FloorProbe {
    private FloorProbe() {}

    /**
     * Calls {@code /v1/messages} once.
     *
     * @param args the base URL
     * @throws Exception if no answer arrived
     */
    public static void main(String[] args) throws Exception {
        HttpResponse<String> reply = RawJdkProbe.call(args[0], "x-api-key", "sk-ant-api03-fixed-key");
        JsonNode answer = new ObjectMapper().readTree(reply.body());
        Runtime.getRuntime().exit(answer.hasNonNull("type") ? 0 : 2);
    }
}
