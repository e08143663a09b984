package dev.wif4j.internal.env;

import dev.wif4j.internal.http.DeferredTls;
import dev.wif4j.spi.DetectionContext;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The one real {@link DetectionContext}: the process's environment, system properties, file
 * system and clock. The only class in wif4j allowed to call {@code System.getenv} and
 * {@code System.getProperty} (a build test enforces it).
 *
 * @param settings the settings given in code
 */
public record SystemDetectionContext(Map<String, String> settings) implements DetectionContext {
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

    /**
     * Creates the context.
     *
     * @param settings the settings given in code, copied
     */
    public SystemDetectionContext {
        settings = Map.copyOf(settings);
    }

    @Override
    public Optional<String> env(String name) {
        return nonBlank(System.getenv(name));
    }

    @Override
    public Optional<String> systemProperty(String name) {
        return nonBlank(System.getProperty(name));
    }

    @Override
    public Path path(String absolutePath) {
        return Path.of(absolutePath);
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public boolean probesAllowed() {
        return true;
    }

    @Override
    public Duration probeTimeout() {
        return PROBE_TIMEOUT;
    }

    /** @return the process's one probe client, shared by every context: created on first use */
    @Override
    public HttpClient httpClient() {
        return ProbeClient.INSTANCE;
    }

    @Override
    public System.Logger logger(String name) {
        return System.getLogger(name);
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    @Override
    public String toString() {
        return "SystemDetectionContext";
    }

    /**
     * Holds the client, initialized when a provider first asks for it: off the cloud no provider needs it, and it
     * starts a selector thread. One for the process, as the JDK's client is meant to be shared.
     */
    private static final class ProbeClient {
        // Probes speak http to metadata servers: TLS is set up only if a provider asks for https.
        static final HttpClient INSTANCE = DeferredTls.newClientBuilder()
                .proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(PROBE_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();

        private ProbeClient() {
        }
    }
}
