package dev.wif4j.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;

/**
 * A child process of the start-up runs, without wif4j: {@link FloorProbe} as most applications are written, with
 * its {@code ObjectMapper} made at start-up, before the first call (as a Spring application's context makes it),
 * rather than after the answer. The floor of {@link MapperFirstSharedClientProbe}.
 */
public final class MapperFirstFloorProbe {
    private MapperFirstFloorProbe() {}

    /**
     * Makes the mapper, then calls {@code /v1/messages} once.
     *
     * @param args the base URL
     * @throws Exception if no answer arrived
     */
    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        HttpResponse<String> reply = RawJdkProbe.call(args[0], "x-api-key", "sk-ant-api03-fixed-key");
        Runtime.getRuntime().exit(json.readTree(reply.body()).hasNonNull("type") ? 0 : 2);
    }
}
