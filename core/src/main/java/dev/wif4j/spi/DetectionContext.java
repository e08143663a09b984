package dev.wif4j.spi;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A provider's whole view of the world: environment variables, system properties, settings,
 * files, the clock, an HTTP client for short probes, and a logger.
 *
 * <p>Providers never read {@code System.getenv}, {@code System.getProperty} or an absolute path
 * of the real file system themselves; they ask the context. wif4j builds the one real context;
 * tests hand in a fake one (see {@code dev.wif4j.testkit.FakeDetectionContext}), so every
 * provider can be tested with no cloud, no real environment and no home directory.
 *
 * <h2>Settings</h2>
 * A provider reads its settings in one way, {@link dev.wif4j.spi.support.ProviderSettings}{@code .of(context, id)}:
 * keys of lower-case words joined by dots ({@code audience}, {@code token.path}), resolved from the settings given
 * in code ({@link #settings()}, keyed {@code <provider>.<key>}), the system property {@code wif4j.<provider>.<key>},
 * the environment variable {@code WIF4J_<PROVIDER>_<KEY>}, then the cloud's own variables, each value knowing
 * where it came from. {@link #globalSetting(String)} reads wif4j's own settings, which no provider owns.
 *
 * <p>A context of one's own (a test's, a tool's) writes {@link #env(String)} and {@link #httpClient()};
 * every other method has a default fit for it: no system properties or settings, the real file system
 * and clock, no probes.
 *
 * <p>Blank values count as unset everywhere: an exported but empty variable never hides a
 * setting from a later source.
 */
public interface DetectionContext {

    /** The audience asked of an issuer when none is configured. */
    String DEFAULT_AUDIENCE = "https://api.anthropic.com";

    /**
     * An environment variable.
     *
     * @param name the variable's name
     * @return its value, or empty if it is unset or blank
     */
    Optional<String> env(String name);

    /**
     * A Java system property.
     *
     * @param name the property's name
     * @return its value, or empty if it is unset or blank; by default, empty (a context of its own, such as a
     *     test's, sees no system properties unless it says so)
     */
    default Optional<String> systemProperty(String name) {
        return Optional.empty();
    }

    /**
     * The settings given in code, keyed {@code <provider>.<key>} (or a bare {@code <key>} for
     * a setting that applies to every provider, such as {@code audience}).
     *
     * @return an unmodifiable map; never {@code null}; by default, empty
     */
    default Map<String, String> settings() {
        return Map.of();
    }

    /**
     * Resolves an absolute path of the environment's file system (a token file, a
     * {@code /sys/class/dmi/id} entry) to a {@link Path} this process can read. The real
     * context returns the path itself; a fake one maps it under a temporary folder.
     *
     * @param absolutePath an absolute path as the environment names it
     * @return the path to read; by default, the path itself
     */
    default Path path(String absolutePath) {
        return Path.of(absolutePath);
    }

    /**
     * The clock to use for expiry checks.
     *
     * @return the clock; never {@code null}; by default, the system's in UTC
     */
    default Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Whether {@link IdentityProvider#detect} may make a short network probe (a metadata
     * server) when a local signal points at one. {@code false} when the user pinned a provider
     * and when probes are switched off.
     *
     * @return {@code true} if probes are allowed; by default {@code false}
     */
    default boolean probesAllowed() {
        return false;
    }

    /**
     * Whether the user chose this provider ({@code WIF4J_PROVIDER}, the system property
     * {@code wif4j.provider}, {@code WorkloadIdentity.builder().provider(...)} or
     * {@code wif4j --provider}), all alike. A pinned provider is trusted: it may report itself
     * available on weaker evidence than detection needs (Azure asks IMDS with no Azure variable
     * set), and it gets no network probe.
     *
     * @return {@code true} if the user pinned the provider this context is handed to
     */
    default boolean pinned() {
        return false;
    }

    /**
     * How long one {@link IdentityTokenSource#fetch()} may take in all, body included. A source
     * configures its client or cloud library to give up by then (and to make no retries of its
     * own: wif4j's exchange owns retries), and wif4j stops waiting for a fetch shortly after it.
     *
     * @return the fetch timeout; 10 s unless the context says otherwise
     */
    default Duration fetchTimeout() {
        return Duration.ofSeconds(10);
    }

    /**
     * How long a single probe may take. Detection as a whole has its own, slightly longer,
     * deadline.
     *
     * @return the probe timeout; by default 500 ms, as wif4j's own context
     */
    default Duration probeTimeout() {
        return Duration.ofMillis(500);
    }

    /**
     * An HTTP client for short probes and for sources that need one. It never goes through a
     * proxy, since metadata endpoints are link-local.
     *
     * @return a shared client; never {@code null}
     */
    HttpClient httpClient();

    /**
     * The logger providers should log through.
     *
     * @param name the logger name, usually the provider's class name
     * @return a logger; by default, the platform's ({@link System#getLogger(String)})
     */
    default System.Logger logger(String name) {
        return System.getLogger(name);
    }

    /**
     * A setting of wif4j's own that applies to every provider (such as {@code audience} or {@code provider}),
     * resolved, first match wins, from code ({@link #settings()}, keyed {@code <key>}), the system property
     * {@code wif4j.<key>}, then {@code WIF4J_<KEY>}. Values are stripped; blank counts as unset. A provider reads
     * its own settings with {@link dev.wif4j.spi.support.ProviderSettings}, which falls back to this for
     * {@code audience}.
     *
     * @param key the setting key
     * @return the value, or empty if no source sets it
     */
    default Optional<String> globalSetting(String key) {
        String value = settings().get(key);
        if (value != null && !value.isBlank()) {
            return Optional.of(value.strip());
        }
        Optional<String> property = systemProperty("wif4j." + key);
        if (property.isPresent() && !property.get().isBlank()) {
            return Optional.of(property.get().strip());
        }
        Optional<String> variable = env(environmentName(key));
        return variable.isPresent() && !variable.get().isBlank() ? Optional.of(variable.get().strip()) : Optional.empty();
    }

    /**
     * The environment-variable name of a setting key: {@code k8s.token.path} becomes
     * {@code WIF4J_K8S_TOKEN_PATH}.
     *
     * @param key a bare or provider-qualified key
     * @return the variable name
     */
    static String environmentName(String key) {
        return "WIF4J_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
