package dev.wif4j.testkit;

import dev.wif4j.spi.DetectionContext;
import dev.wif4j.testkit.internal.RecordingHttpClient;
import dev.wif4j.testkit.internal.RecordingLogger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link DetectionContext} made of maps and a private directory: the only world a provider sees in a
 * test. Environment variables and system properties come from the builder, never from the JVM; absolute
 * paths are mapped below a fresh temporary directory, so {@code /var/run/secrets/token} in a test is a
 * file the test wrote; HTTP goes through a client that records every URI (and can refuse all of them);
 * log lines are kept for assertions.
 *
 * <pre>{@code
 * try (FakeDetectionContext context = FakeDetectionContext.builder()
 *         .env("ANTHROPIC_IDENTITY_TOKEN_FILE", "/var/run/secrets/anthropic.com/token")
 *         .file("/var/run/secrets/anthropic.com/token", jwt)
 *         .build()) {
 *     ...
 * }
 * }</pre>
 *
 * <p>Closing it deletes its directory. Thread-safe once built.
 */
public final class FakeDetectionContext implements DetectionContext, AutoCloseable {

    private final Map<String, String> env;
    private final Map<String, String> properties;
    private final Map<String, String> settings;
    private final Path root;
    private final Clock clock;
    private final boolean probesAllowed;
    private final boolean pinned;
    private final Duration probeTimeout;
    private final Duration fetchTimeout;
    private final Set<String> askedProperties = ConcurrentHashMap.newKeySet();
    private final Set<String> askedVariables = ConcurrentHashMap.newKeySet();
    private final RecordingHttpClient httpClient;
    private final List<String> logLines = new CopyOnWriteArrayList<>();

    private FakeDetectionContext(Builder b) throws IOException {
        this.env = Map.copyOf(b.env);
        this.properties = Map.copyOf(b.properties);
        this.settings = Map.copyOf(b.settings);
        this.root = b.root != null ? Files.createDirectories(b.root) : Files.createTempDirectory("wif4j-fake-");
        this.clock = b.clock;
        this.probesAllowed = b.probesAllowed;
        this.pinned = b.pinned;
        this.probeTimeout = b.probeTimeout;
        this.fetchTimeout = b.fetchTimeout;
        HttpClient delegate = b.httpClient != null ? b.httpClient : HttpClient.newBuilder()
                .proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(b.probeTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.httpClient = new RecordingHttpClient(delegate, b.networkForbidden);
        for (Map.Entry<String, byte[]> file : b.files.entrySet()) {
            Path target = path(file.getKey());
            Files.createDirectories(target.getParent());
            Files.write(target, file.getValue());
        }
    }

    /** @return a builder for an empty world: no variables, no properties, no files */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a context with nothing in it, on which every provider should be unavailable */
    public static FakeDetectionContext empty() {
        return builder().networkForbidden().build();
    }

    @Override
    public Optional<String> env(String name) {
        askedVariables.add(name);
        return nonBlank(env.get(name));
    }

    /** @return the environment variables the context holds, for tests that vary them */
    public Map<String, String> environment() {
        return env;
    }

    @Override
    public Optional<String> systemProperty(String name) {
        askedProperties.add(name);
        return nonBlank(properties.get(name));
    }

    @Override
    public Map<String, String> settings() {
        return settings;
    }

    /**
     * Maps a path into this context's directory: {@code /etc/token} becomes {@code <root>/etc/token}.
     *
     * @param absolutePath the path as the workload would see it
     * @return the real path below {@link #root()}
     */
    @Override
    public Path path(String absolutePath) {
        String relative = absolutePath.replace('\\', '/').replaceFirst("^[A-Za-z]:", "").replaceFirst("^/+", "");
        Path mapped = root.resolve(relative).normalize();
        if (!mapped.startsWith(root)) {
            throw new IllegalArgumentException("path escapes the fake file system: " + absolutePath);
        }
        return mapped;
    }

    /** @return the directory that stands in for the file system's root */
    public Path root() {
        return root;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public boolean probesAllowed() {
        return probesAllowed;
    }

    @Override
    public boolean pinned() {
        return pinned;
    }

    @Override
    public Duration fetchTimeout() {
        return fetchTimeout;
    }

    /**
     * The names of the system properties asked for so far, in no order: what a provider looked up, so a
     * test can check the keys it reads (every {@code wif4j.*} setting is also asked as a property).
     *
     * @return a snapshot of the names
     */
    public Set<String> askedSystemProperties() {
        return Set.copyOf(askedProperties);
    }

    /**
     * The names of the environment variables asked for so far, in no order: what a provider looked up, so a test can
     * check that a shortcut (a provider's "no signal" verdict) looks at everything the full path would read.
     *
     * @return a snapshot of the names
     */
    public Set<String> askedVariables() {
        return Set.copyOf(askedVariables);
    }

    /**
     * What this context was asked for and {@code other} was not, as {@code env NAME} and {@code property name}
     * entries: run a provider's full path against one empty context and its "no signal" shortcut against another,
     * and this names what the shortcut overlooks (an empty set when it looks at everything the full path reads).
     *
     * @param other the context the shortcut ran against
     * @return the names, sorted
     */
    public Set<String> askedBeyond(FakeDetectionContext other) {
        Set<String> beyond = new TreeSet<>();
        for (String name : askedVariables) {
            if (!other.askedVariables.contains(name)) {
                beyond.add("env " + name);
            }
        }
        for (String name : askedProperties) {
            if (!other.askedProperties.contains(name)) {
                beyond.add("property " + name);
            }
        }
        return beyond;
    }

    @Override
    public Duration probeTimeout() {
        return probeTimeout;
    }

    @Override
    public HttpClient httpClient() {
        return httpClient;
    }

    /** @return every URI requested through {@link #httpClient()}, in order, refused ones included */
    public List<URI> httpRequests() {
        return httpClient.requests();
    }

    @Override
    public System.Logger logger(String name) {
        return new RecordingLogger(name, logLines::add);
    }

    /** @return every line logged through {@link #logger(String)}, as {@code LEVEL name: message} */
    public List<String> logLines() {
        return List.copyOf(logLines);
    }

    /**
     * Writes (or overwrites) a file, as a kubelet or an agent would while the workload runs.
     *
     * @param absolutePath the path as the workload sees it
     * @param content the content, in UTF-8
     * @return the real path
     */
    public Path writeFile(String absolutePath, String content) {
        Path target = path(absolutePath);
        try {
            Files.createDirectories(target.getParent());
            Files.writeString(target, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** Deletes this context's directory. */
    @Override
    public void close() {
        try {
            if (Files.exists(root)) {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        Files.delete(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                        Files.delete(dir);
                        return FileVisitResult.CONTINUE;
                    }
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    @Override
    public String toString() {
        // Names only: values may be secrets.
        return "FakeDetectionContext[env=" + env.keySet() + ", properties=" + properties.keySet()
                + ", settings=" + settings.keySet() + ", root=" + root + "]";
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** Builds a {@link FakeDetectionContext}. */
    public static final class Builder {
        private final Map<String, String> env = new LinkedHashMap<>();
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final Map<String, String> settings = new LinkedHashMap<>();
        private final Map<String, byte[]> files = new LinkedHashMap<>();
        private Path root;
        private Clock clock = Clock.systemUTC();
        private boolean probesAllowed = true;
        private boolean pinned;
        private Duration probeTimeout = Duration.ofSeconds(1);
        private Duration fetchTimeout = Duration.ofSeconds(10);
        private HttpClient httpClient;
        private boolean networkForbidden;

        private Builder() {
        }

        /**
         * Sets an environment variable (a blank value reads as unset, as in core).
         *
         * @param name the name
         * @param value the value
         * @return this builder
         */
        public Builder env(String name, String value) {
            env.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
            return this;
        }

        /**
         * Sets every entry of a map as an environment variable.
         *
         * @param variables the variables
         * @return this builder
         */
        public Builder env(Map<String, String> variables) {
            variables.forEach(this::env);
            return this;
        }

        /**
         * Sets a system property as the context reports it (the JVM's own are never read).
         *
         * @param name the name
         * @param value the value
         * @return this builder
         */
        public Builder systemProperty(String name, String value) {
            properties.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
            return this;
        }

        /**
         * Sets a setting given in code, e.g. {@code file.path} or {@code gcp.audience}.
         *
         * @param key the key
         * @param value the value
         * @return this builder
         */
        public Builder setting(String key, String value) {
            settings.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        /**
         * Creates a file when the context is built.
         *
         * @param absolutePath the path as the workload sees it
         * @param content the content, in UTF-8
         * @return this builder
         */
        public Builder file(String absolutePath, String content) {
            return file(absolutePath, content.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * Creates a file with raw bytes when the context is built.
         *
         * @param absolutePath the path as the workload sees it
         * @param content the bytes
         * @return this builder
         */
        public Builder file(String absolutePath, byte[] content) {
            files.put(Objects.requireNonNull(absolutePath), content.clone());
            return this;
        }

        /**
         * Uses a given directory as the file system's root instead of a fresh temporary one.
         *
         * @param directory the directory
         * @return this builder
         */
        public Builder root(Path directory) {
            this.root = Objects.requireNonNull(directory);
            return this;
        }

        /**
         * @param clock the clock the context reports, e.g. a {@link ManualClock}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /**
         * @param allowed whether providers may probe a metadata endpoint (default {@code true})
         * @return this builder
         */
        public Builder probesAllowed(boolean allowed) {
            this.probesAllowed = allowed;
            return this;
        }

        /**
         * @param value whether the user pinned the provider (default {@code false}); a pinned context also
         *     allows no probes, as wif4j's own does
         * @return this builder
         */
        public Builder pinned(boolean value) {
            this.pinned = value;
            if (value) {
                this.probesAllowed = false;
            }
            return this;
        }

        /**
         * @param timeout how long one fetch may take (default 10 s)
         * @return this builder
         */
        public Builder fetchTimeout(Duration timeout) {
            this.fetchTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /**
         * @param timeout the probe timeout (default 1 s)
         * @return this builder
         */
        public Builder probeTimeout(Duration timeout) {
            this.probeTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /**
         * @param client the client behind {@link FakeDetectionContext#httpClient()}
         * @return this builder
         */
        public Builder httpClient(HttpClient client) {
            this.httpClient = Objects.requireNonNull(client);
            return this;
        }

        /** @return this builder; every request through the context's client then fails and is recorded */
        public Builder networkForbidden() {
            this.networkForbidden = true;
            return this;
        }

        /** @return the context, with its files written */
        public FakeDetectionContext build() {
            try {
                return new FakeDetectionContext(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare the fake file system", e);
            }
        }
    }
}
