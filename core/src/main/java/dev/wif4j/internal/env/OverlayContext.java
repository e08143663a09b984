package dev.wif4j.internal.env;

import dev.wif4j.spi.DetectionContext;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A context seen through extra settings (the builder's, a profile's identity-token path) and,
 * for a provider the user pinned, marked {@linkplain #pinned() pinned} with probes switched off.
 * Its own components answer {@link #settings()}, {@link #probesAllowed()} and {@link #pinned()}; the base
 * answers the rest.
 *
 * @param base the context seen through, never itself an overlay
 * @param settings every setting, the base's and the extra ones
 * @param probesAllowed whether network probes are allowed
 * @param pinned whether the user pinned the provider that sees this context
 */
public record OverlayContext(DetectionContext base, Map<String, String> settings, boolean probesAllowed,
        boolean pinned) implements DetectionContext {

    /**
     * Layers settings over a context; the new ones win over the base's own settings.
     *
     * @param base the context
     * @param extra settings keyed as {@link DetectionContext#settings()} describes
     * @return the layered context
     */
    public static OverlayContext withSettings(DetectionContext base, Map<String, String> extra) {
        Map<String, String> merged = new HashMap<>(base.settings());
        merged.putAll(extra);
        return new OverlayContext(unwrap(base), Map.copyOf(merged), base.probesAllowed(), base.pinned());
    }

    /**
     * The context a provider the user pinned sees: {@link #pinned()} is {@code true} and network
     * probes are off, however the provider was pinned.
     *
     * @param base the context
     * @return a context whose {@link #pinned()} is {@code true} and {@link #probesAllowed()} {@code false}
     */
    public static OverlayContext pinned(DetectionContext base) {
        return new OverlayContext(unwrap(base), base.settings(), false, true);
    }

    private static DetectionContext unwrap(DetectionContext context) {
        return context instanceof OverlayContext overlay ? overlay.base : context;
    }

    @Override
    public Optional<String> env(String name) {
        return base.env(name);
    }

    @Override
    public Optional<String> systemProperty(String name) {
        return base.systemProperty(name);
    }

    @Override
    public Path path(String absolutePath) {
        return base.path(absolutePath);
    }

    @Override
    public Clock clock() {
        return base.clock();
    }

    @Override
    public Duration fetchTimeout() {
        return base.fetchTimeout();
    }

    @Override
    public Duration probeTimeout() {
        return base.probeTimeout();
    }

    @Override
    public HttpClient httpClient() {
        return base.httpClient();
    }

    @Override
    public System.Logger logger(String name) {
        return base.logger(name);
    }

    @Override
    public String toString() {
        return "OverlayContext[" + base + "]";
    }
}
