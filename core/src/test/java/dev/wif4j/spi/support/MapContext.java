package dev.wif4j.spi.support;

import dev.wif4j.spi.DetectionContext;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A context made of maps, for core's own tests (testkit's fake context depends on core): the environment, system
 * properties and settings are maps, blank values count as unset, and absolute paths resolve under {@link #root(Path)}
 * when one is given.
 */
public final class MapContext implements DetectionContext {
    final Map<String, String> env = new HashMap<>();
    final Map<String, String> properties = new HashMap<>();
    final Map<String, String> settings = new HashMap<>();
    Path root;

    /** An empty context: no variables, properties or settings; the real file system. */
    public MapContext() {
    }

    /**
     * Sets an environment variable.
     *
     * @param name the variable
     * @param value its value
     * @return this context
     */
    public MapContext env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /**
     * Sets a system property.
     *
     * @param name the property
     * @param value its value
     * @return this context
     */
    public MapContext property(String name, String value) {
        properties.put(name, value);
        return this;
    }

    /**
     * Sets a setting given in code.
     *
     * @param key the setting
     * @param value its value
     * @return this context
     */
    public MapContext put(String key, String value) {
        settings.put(key, value);
        return this;
    }

    /**
     * Resolves absolute paths under a directory instead of the real file system.
     *
     * @param directory the directory that stands for {@code /}
     * @return this context
     */
    public MapContext root(Path directory) {
        root = directory;
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
    public HttpClient httpClient() {
        throw new AssertionError("no network in these tests");
    }
}
