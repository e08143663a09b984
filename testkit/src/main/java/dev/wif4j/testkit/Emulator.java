package dev.wif4j.testkit;

import java.util.List;
import java.util.Map;

/**
 * What every testkit emulator offers, whatever service it plays: where it listens, the environment that points a
 * provider (or a whole workload) at it, the requests it received, faults for its next answers, and
 * {@link #close()}. Every emulator listens on 127.0.0.1 only and starts on a free port.
 *
 * <pre>{@code
 * try (GcpMetadataEmulator gcp = GcpMetadataEmulator.start()) {
 *     FakeDetectionContext vm = FakeDetectionContext.builder().env(gcp.environment()).build();
 *     gcp.enqueue(Fault.status(503, ""));
 *     // ... exercise the provider, then look at gcp.requests()
 * }
 * }</pre>
 *
 * <p>Implementations are thread-safe.
 */
public interface Emulator extends AutoCloseable {

    /** @return {@code http://127.0.0.1:<port>} ({@code https://} for an emulator that speaks TLS) */
    String baseUrl();

    /**
     * The environment variables that point a workload at this emulator, as the platform would set them (e.g.
     * {@code GCE_METADATA_HOST}, {@code ACTIONS_ID_TOKEN_REQUEST_URL}, {@code ANTHROPIC_BASE_URL}); empty for an
     * emulator nothing is pointed at by a variable.
     *
     * @return the variables, in a map the caller may keep
     */
    Map<String, String> environment();

    /** @return every request received, on any of the emulator's endpoints, faulted ones included, oldest first */
    List<RecordedRequest> requests();

    /**
     * Queues a fault for the next request to the emulator's main endpoint (its token endpoint, or every endpoint
     * where it has one kind); faults are used in order, one per request.
     *
     * @param fault the fault
     */
    void enqueue(Fault fault);

    /** Stops listening and closes what the emulator started (its embedded issuers). */
    @Override
    void close();
}
