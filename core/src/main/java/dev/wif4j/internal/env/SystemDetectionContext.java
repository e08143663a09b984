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
 */
public final class SystemDetectionContext implements DetectionContext {
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

    private final Map<String, String> settings;
    // Created on first use: off the cloud no provider needs it, and it starts a selector thread.
    private volatile HttpClient httpClient;

    /**
     * Creates the context.
     *
     * @param settings the settings given in code
     */
    public SystemDetectionContext(Map<String, String> settings) {
        this.settings = Map.copyOf(settings);
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
    public Map<String, String> settings() {
        return settings;
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

    @Override
    public HttpClient httpClient() {
        HttpClient client = httpClient;
        if (client == null) {
            synchronized (this) {
                client = httpClient;
                if (client == null) {
                    // Probes speak http to metadata servers: TLS is set up only if a provider asks for https.
                    client = DeferredTls.newClientBuilder()
                            .proxy(HttpClient.Builder.NO_PROXY)
                            .connectTimeout(PROBE_TIMEOUT)
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .build();
                    httpClient = client;
                }
            }
        }
        return client;
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
}
