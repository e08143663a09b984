package dev.wif4j.spi.support;

import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.internal.Names;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A provider's settings, read through its {@link DetectionContext}. Each setting has one key of
 * lower-case words joined by dots ({@code duration.seconds}), and is found, first match wins, in:
 * <ol>
 *   <li>the settings given in code, keyed {@code <provider>.<key>} ({@code WorkloadIdentity.builder().setting(...)});</li>
 *   <li>the system property {@code wif4j.<provider>.<key>};</li>
 *   <li>the environment variable {@code WIF4J_<PROVIDER>_<KEY>} (upper case, dots as underscores);</li>
 *   <li>the cloud's own variables named with {@link Setting#orEnv(String...)}, in order.</li>
 * </ol>
 * In code and system properties the same key with dashes for dots ({@code duration-seconds}) is
 * accepted too, as earlier releases spelled some keys that way. Blank values count as unset.
 *
 * <pre>{@code
 * ProviderSettings settings = ProviderSettings.of(context, "acme-vault");
 * Duration timeout = settings.get("timeout").asDuration(Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(1));
 * URI address = settings.get("address").orEnv("VAULT_ADDR").asEndpoint().orElseThrow(...);
 * }</pre>
 */
public final class ProviderSettings {
    private final DetectionContext context;
    private final String provider;

    private ProviderSettings(DetectionContext context, String provider) {
        this.context = Objects.requireNonNull(context, "context");
        this.provider = Names.requireProviderId(provider);
    }

    /**
     * The settings of one provider.
     *
     * @param context the context to read from
     * @param provider the provider's id, the settings' prefix
     * @return the reader
     * @throws IllegalArgumentException if the id is not a provider id
     */
    public static ProviderSettings of(DetectionContext context, String provider) {
        return new ProviderSettings(context, provider);
    }

    /**
     * The provider id.
     *
     * @return the id
     */
    public String provider() {
        return provider;
    }

    /**
     * The context read from.
     *
     * @return the context
     */
    public DetectionContext context() {
        return context;
    }

    /**
     * One setting.
     *
     * @param key the key: lower-case words and digits joined by dots, e.g. {@code token.path}
     * @return the resolved setting
     * @throws IllegalArgumentException if the key is not in that style (a bug in the provider)
     */
    public Setting get(String key) {
        return new Setting(this, checkKey(key), List.of(), false);
    }

    /**
     * One setting that holds a secret: its messages and {@code toString()} never show its value.
     *
     * @param key the key, as for {@link #get(String)}
     * @return the resolved setting
     */
    public Setting secret(String key) {
        return new Setting(this, checkKey(key), List.of(), true);
    }

    /**
     * The audience the provider asks its issuer for: its own {@code audience} setting, else the global
     * {@code WIF4J_AUDIENCE}, else {@value DetectionContext#DEFAULT_AUDIENCE}.
     *
     * @return the audience
     */
    public String audience() {
        Found own = lookup("audience", List.of());
        return own != null ? own.value() : context.globalSetting("audience").orElse(DetectionContext.DEFAULT_AUDIENCE);
    }

    /**
     * Whether any of these settings is given, e.g. to tell "not configured" from "half configured".
     *
     * @param keys the keys
     * @return {@code true} if at least one is set
     */
    public boolean anySet(String... keys) {
        for (String key : keys) {
            if (get(key).isSet()) {
                return true;
            }
        }
        return false;
    }

    /** A value and where it was found. */
    record Found(String value, String source) {}

    /** The first source that sets the key, or {@code null}. */
    Found lookup(String key, List<String> variables) {
        String qualified = provider + "." + key;
        String legacy = provider + "." + key.replace('.', '-');
        Map<String, String> code = context.settings();
        for (String k : qualified.equals(legacy) ? List.of(qualified) : List.of(qualified, legacy)) {
            String v = code.get(k);
            if (v != null && !v.isBlank()) {
                return new Found(v.strip(), "the setting " + k + " given in code");
            }
        }
        for (String k : qualified.equals(legacy) ? List.of(qualified) : List.of(qualified, legacy)) {
            Optional<String> v = context.systemProperty("wif4j." + k);
            if (v.isPresent() && !v.get().isBlank()) {
                return new Found(v.get().strip(), "the system property wif4j." + k);
            }
        }
        String own = DetectionContext.environmentName(qualified);
        Optional<String> v = context.env(own);
        if (v.isPresent() && !v.get().isBlank()) {
            return new Found(v.get().strip(), own);
        }
        for (String name : variables) {
            Optional<String> n = context.env(name);
            if (n.isPresent() && !n.get().isBlank()) {
                return new Found(n.get().strip(), name);
            }
        }
        return null;
    }

    private static String checkKey(String key) {
        if (!Names.isSettingKey(key)) {
            throw new IllegalArgumentException("setting keys are lower-case words joined by dots, e.g. token.path; "
                    + "not " + Text.quote(key));
        }
        return key;
    }

    @Override
    public String toString() {
        return "ProviderSettings[" + provider + "]";
    }
}
