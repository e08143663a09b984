package dev.wif4j.spi.support;

import dev.wif4j.spi.DetectionContext;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A context made of maps, for the support kit's own tests (testkit's fake context depends on core). */
final class MapContext implements DetectionContext {
    final Map<String, String> env = new HashMap<>();
    final Map<String, String> properties = new HashMap<>();
    final Map<String, String> settings = new HashMap<>();
    Path root;

    MapContext env(String name, String value) {
        env.put(name, value);
        return this;
    }

    MapContext property(String name, String value) {
        properties.put(name, value);
        return this;
    }

    MapContext put(String key, String value) {
        settings.put(key, value);
        return this;
    }

    @Override
    public Optional<String> env(String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
    }

    @Override
    public Optional<String> systemProperty(String name) {
        return Optional.ofNullable(properties.get(name)).filter(v -> !v.isBlank());
    }

    @Override
    public Map<String, String> settings() {
        return Map.copyOf(settings);
    }

    @Override
    public Path path(String absolutePath) {
        return root == null ? Path.of(absolutePath) : root.resolve(absolutePath.substring(1));
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public boolean probesAllowed() {
        return false;
    }

    @Override
    public Duration probeTimeout() {
        return Duration.ofSeconds(1);
    }

    @Override
    public HttpClient httpClient() {
        throw new AssertionError("no network in these tests");
    }

    @Override
    public System.Logger logger(String name) {
        return System.getLogger(name);
    }
}
