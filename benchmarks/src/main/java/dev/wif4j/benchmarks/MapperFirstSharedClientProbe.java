package dev.wif4j.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;

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
        Runtime.getRuntime().exit(MessagesSharedClientProbe.callOnce(json));
    }
}
