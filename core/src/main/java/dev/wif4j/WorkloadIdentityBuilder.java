package dev.wif4j;

import dev.wif4j.internal.Bootstrap;
import dev.wif4j.internal.config.ConfigResolver;
import dev.wif4j.internal.exchange.TokenExchanger;
import dev.wif4j.internal.provider.SupplierIdentityTokenSource;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityTokenSource;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Configures a {@link WorkloadIdentity}; made by {@link WorkloadIdentity#builder()}. Every value is optional; what is
 * not given comes from the environment and profile files, with Anthropic's documented precedence. Not thread-safe;
 * build once and share the {@link WorkloadIdentity}.
 */
public final class WorkloadIdentityBuilder {
    private String federationRuleId;
    private String organizationId;
    private String serviceAccountId;
    private String workspaceId;
    private String baseUrl;
    private final List<String> allowedOrigins = new ArrayList<>();
    private String allowedOriginsOrigin;
    private final Map<String, String> settings = new HashMap<>();
    private String profile;
    private Path configDirectory;
    private DetectionContext context;
    private String provider;
    private String providerOrigin;
    private IdentityTokenSource identityTokenSource;
    private final List<IdentityProvider> providers = new ArrayList<>();
    private boolean autoRegistration = true;
    private ClassLoader classLoader;
    private HttpClient httpClient;
    private HttpTransport transport;
    private final List<WorkloadIdentityListener> listeners = new ArrayList<>();
    private TokenExchanger.Options exchangeOptions = TokenExchanger.Options.defaults();
    private Duration detectionDeadline = Duration.ofSeconds(2);

    WorkloadIdentityBuilder() {}

    /**
     * The federation rule ({@code fdrl_…}); overrides {@code ANTHROPIC_FEDERATION_RULE_ID}.
     *
     * @param id the rule id
     * @return this builder
     */
    public WorkloadIdentityBuilder federationRuleId(String id) {
        this.federationRuleId = id;
        return this;
    }

    /**
     * The organization UUID; overrides {@code ANTHROPIC_ORGANIZATION_ID}.
     *
     * @param id the organization id
     * @return this builder
     */
    public WorkloadIdentityBuilder organizationId(String id) {
        this.organizationId = id;
        return this;
    }

    /**
     * The service account ({@code svac_…}); overrides {@code ANTHROPIC_SERVICE_ACCOUNT_ID}.
     *
     * @param id the service account id
     * @return this builder
     */
    public WorkloadIdentityBuilder serviceAccountId(String id) {
        this.serviceAccountId = id;
        return this;
    }

    /**
     * The workspace ({@code wrkspc_…} or {@code default}); overrides {@code ANTHROPIC_WORKSPACE_ID}.
     *
     * @param id the workspace id
     * @return this builder
     */
    public WorkloadIdentityBuilder workspaceId(String id) {
        this.workspaceId = id;
        return this;
    }

    /**
     * The API base URL; overrides {@code ANTHROPIC_BASE_URL} and a profile's {@code base_url}. Must be https, or http
     * to a loopback host.
     *
     * @param url the base URL
     * @return this builder
     */
    public WorkloadIdentityBuilder baseUrl(String url) {
        this.baseUrl = url;
        return this;
    }

    /**
     * Allows access tokens to be sent to one more origin besides the base URL's, such as a gateway in front of the
     * Claude API: {@code scheme://host[:port]}, https (http only to {@code localhost}, {@code 127.0.0.1} or
     * {@code [::1]}), no path. Call it once per origin; origins given in code replace {@code WIF4J_ALLOWED_ORIGINS} and
     * the system property {@code wif4j.allowed.origins}. A request to any other origin is refused before a token is
     * fetched ({@link TokenScope}).
     *
     * @param origin e.g. {@code https://gateway.example.com:8443}
     * @return this builder
     */
    public WorkloadIdentityBuilder allowedOrigin(String origin) {
        allowedOrigins.add(Objects.requireNonNull(origin, "origin"));
        allowedOriginsOrigin = Objects.requireNonNullElse(allowedOriginsOrigin,
                "WorkloadIdentity.builder().allowedOrigin(...)");
        return this;
    }

    /**
     * Replaces the allowed origins (see {@link #allowedOrigin(String)}), naming where the user set them in messages,
     * e.g. {@code "wif4j.allowed-origins"} for a Spring property.
     *
     * @param origins the origins, each {@code scheme://host[:port]}; an empty list leaves the choice to
     *     {@code WIF4J_ALLOWED_ORIGINS}
     * @param origin where they were set; not blank
     * @return this builder
     */
    public WorkloadIdentityBuilder allowedOrigins(List<String> origins, String origin) {
        requireOrigin(origin);
        List<String> copy = List.copyOf(origins);
        allowedOrigins.clear();
        allowedOrigins.addAll(copy);
        allowedOriginsOrigin = copy.isEmpty() ? null : origin;
        return this;
    }

    /**
     * The profile to read ({@code <config_dir>/configs/<name>.json}); overrides {@code ANTHROPIC_PROFILE}. A missing
     * file is an error.
     *
     * @param name the profile name
     * @return this builder
     */
    public WorkloadIdentityBuilder profile(String name) {
        this.profile = name;
        return this;
    }

    /**
     * The directory holding {@code configs/} and {@code active_config}; overrides {@code ANTHROPIC_CONFIG_DIR}.
     *
     * @param directory the config directory
     * @return this builder
     */
    public WorkloadIdentityBuilder configDirectory(Path directory) {
        this.configDirectory = directory;
        return this;
    }

    /**
     * Uses this provider alone, skipping detection; overrides {@code WIF4J_PROVIDER}.
     *
     * @param id a provider id such as {@code "gcp"}
     * @return this builder
     */
    public WorkloadIdentityBuilder provider(String id) {
        return provider(id, "The provider chosen in code");
    }

    /**
     * Uses this provider alone, skipping detection, and names where the user made that choice in messages and the
     * detection report, e.g. {@code "--provider"} for a command-line option. The provider sees the same pinned context
     * as with {@code WIF4J_PROVIDER}.
     *
     * @param id a provider id such as {@code "gcp"}
     * @param origin where the choice was made, e.g. {@code "--provider"}; not blank
     * @return this builder
     */
    public WorkloadIdentityBuilder provider(String id, String origin) {
        requireOrigin(origin);
        this.provider = id;
        this.providerOrigin = origin;
        return this;
    }

    /**
     * Uses identity tokens from code, skipping providers and detection altogether.
     *
     * @param source a source that returns a new token on every fetch
     * @return this builder
     */
    public WorkloadIdentityBuilder identityTokenSource(IdentityTokenSource source) {
        this.identityTokenSource = Objects.requireNonNull(source, "source");
        return this;
    }

    /**
     * Uses identity tokens from code: a supplier of fresh JWTs.
     *
     * @param jwtSupplier returns a new serialized JWT on every call
     * @return this builder
     */
    public WorkloadIdentityBuilder identityTokenSupplier(Supplier<String> jwtSupplier) {
        return identityTokenSource(new SupplierIdentityTokenSource(jwtSupplier));
    }

    /**
     * Adds a provider instance, in addition to those {@link java.util.ServiceLoader} finds.
     *
     * @param provider the provider
     * @return this builder
     */
    public WorkloadIdentityBuilder addProvider(IdentityProvider provider) {
        providers.add(Objects.requireNonNull(provider, "provider"));
        return this;
    }

    /**
     * Whether to find providers with {@link java.util.ServiceLoader} (the default). Turn it off to use only the
     * providers added with {@link #addProvider}.
     *
     * @param enabled {@code false} to use only providers added in code
     * @return this builder
     */
    public WorkloadIdentityBuilder autoRegistration(boolean enabled) {
        this.autoRegistration = enabled;
        return this;
    }

    /**
     * The class loader providers are found with; wif4j-core's own by default.
     *
     * @param loader the class loader
     * @return this builder
     */
    public WorkloadIdentityBuilder classLoader(ClassLoader loader) {
        this.classLoader = loader;
        return this;
    }

    /**
     * A provider setting, winning over its system property and environment variable.
     *
     * @param key {@code <provider>.<key>} such as {@code k8s.token.path}, or a global key such as {@code audience}
     * @param value the value
     * @return this builder
     */
    public WorkloadIdentityBuilder setting(String key, String value) {
        settings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * The view of the world providers and configuration read; the real process by default. Tests pass a fake one.
     *
     * @param context the context
     * @return this builder
     */
    public WorkloadIdentityBuilder context(DetectionContext context) {
        this.context = Objects.requireNonNull(context, "context");
        return this;
    }

    /**
     * The HTTP client for the token exchange. It must not follow redirects ({@link #build()} refuses one that does,
     * since a redirect would forward the identity token).
     *
     * @param client the client
     * @return this builder
     */
    public WorkloadIdentityBuilder httpClient(HttpClient client) {
        this.httpClient = Objects.requireNonNull(client, "client");
        this.transport = null;
        return this;
    }

    /**
     * How the token exchange's request is sent, instead of wif4j's own JDK client: for an application whose HTTP stack
     * should carry it too (one connection pool, one TLS set-up). The transport must keep {@link HttpTransport}'s
     * contract: one attempt per call, no redirect, the timeout honoured. The last of this and
     * {@link #httpClient(HttpClient)} wins.
     *
     * @param transport the transport
     * @return this builder
     */
    public WorkloadIdentityBuilder transport(HttpTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.httpClient = null;
        return this;
    }

    /**
     * Adds a listener, told of every identity-token fetch, token exchange and refresh (for metrics or logs); listeners
     * are called in the order they were added.
     *
     * @param listener the listener
     * @return this builder
     */
    public WorkloadIdentityBuilder listener(WorkloadIdentityListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * How long one exchange attempt may take (30 s by default).
     *
     * @param timeout the timeout
     * @return this builder
     */
    public WorkloadIdentityBuilder exchangeTimeout(Duration timeout) {
        exchangeOptions = exchangeOptions.withAttemptTimeout(timeout);
        return this;
    }

    /**
     * Retries of network failures, 408, 429 and 5xx: attempts in all (3 by default) and the backoff between them (from
     * 0.5 s to 5 s by default, with jitter).
     *
     * @param maxAttempts attempts in all, 1 to 10
     * @param initialBackoff the first pause
     * @param maxBackoff the longest pause
     * @return this builder
     */
    public WorkloadIdentityBuilder retries(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        exchangeOptions = exchangeOptions.withRetries(maxAttempts, initialBackoff, maxBackoff);
        return this;
    }

    /**
     * How long detection's network probes may take in all (2 s by default).
     *
     * @param deadline the deadline
     * @return this builder
     */
    public WorkloadIdentityBuilder detectionDeadline(Duration deadline) {
        this.detectionDeadline = Objects.requireNonNull(deadline, "deadline");
        return this;
    }

    /**
     * Runs detection alone, as {@link #build()} would, without resolving the federation settings or opening a provider:
     * for health checks and start-up diagnostics that should say where this process runs and which provider would be
     * used even before the configuration is complete ({@code wif4j detect} prints it).
     *
     * @return the report; {@link DetectionReport#chosen()} is empty when no provider can be used
     * @throws ConfigurationException if a provider id or the choice of provider is invalid
     */
    public DetectionReport detect() {
        return bootstrap().detect();
    }

    /**
     * Detects and opens the identity provider, as {@link #build()} would, without resolving the federation settings:
     * for programs that hand identity tokens to others instead of exchanging them, such as a sidecar that keeps a token
     * file fresh for a process reading {@code ANTHROPIC_IDENTITY_TOKEN_FILE} ({@code wif4j token-file} and
     * {@code wif4j identity-token} use it).
     *
     * @return the chosen provider's source (or the one given in code); close it when done
     * @throws IdentityProviderNotFoundException if no identity provider can be used
     * @throws ConfigurationException if a provider id or the choice of provider is invalid
     */
    public IdentityTokenSource openIdentityTokenSource() {
        return bootstrap().openSource();
    }

    /**
     * Resolves the settings, chooses the provider and opens its token source. No network call is made unless a
     * provider's detection probes a metadata server.
     *
     * @return the instance
     * @throws ConfigurationException if a setting is missing or invalid
     * @throws IdentityProviderNotFoundException if no identity provider can be used
     */
    public WorkloadIdentity build() {
        Bootstrap.prepareExchange(); // first of all, so that its classes load while the rest of build() runs
        Bootstrap boot = bootstrap();
        // Before any provider is opened: a bad origin is a setting like any other.
        TokenScope scope = TokenScope.forBuild(boot.resolve().settings().baseUrl(), boot.base(), allowedOrigins,
                allowedOriginsOrigin);
        return new WorkloadIdentity(boot.assemble(scope, httpClient, transport, listeners, exchangeOptions));
    }

    private static void requireOrigin(String origin) {
        if (Objects.requireNonNull(origin, "origin").isBlank()) {
            throw new IllegalArgumentException("origin must not be blank");
        }
    }

    /** The one path {@link #build()}, {@link #detect()} and {@link #openIdentityTokenSource()} share. */
    private Bootstrap bootstrap() {
        return new Bootstrap(context, settings, new ConfigResolver.Explicit(federationRuleId, organizationId,
                serviceAccountId, workspaceId, baseUrl, profile, configDirectory), provider, providerOrigin,
                identityTokenSource, providers, autoRegistration, classLoader, detectionDeadline);
    }
}
