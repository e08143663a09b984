package dev.wif4j.internal;

import dev.wif4j.ConfigurationException;
import dev.wif4j.DetectionReport;
import dev.wif4j.FederationSettings;
import dev.wif4j.HttpTransport;
import dev.wif4j.IdentityProviderException;
import dev.wif4j.IdentityProviderNotFoundException;
import dev.wif4j.TokenScope;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.WorkloadIdentityBuilder;
import dev.wif4j.WorkloadIdentityException;
import dev.wif4j.WorkloadIdentityListener;
import dev.wif4j.internal.cache.RefreshingCredentials;
import dev.wif4j.internal.config.ConfigResolver;
import dev.wif4j.internal.discovery.Detector;
import dev.wif4j.internal.discovery.LoadedProvider;
import dev.wif4j.internal.discovery.ProviderLoader;
import dev.wif4j.internal.env.OverlayContext;
import dev.wif4j.internal.env.SystemDetectionContext;
import dev.wif4j.internal.events.Listeners;
import dev.wif4j.internal.exchange.Preinit;
import dev.wif4j.internal.exchange.TokenExchanger;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.internal.Names;
import dev.wif4j.spi.support.ProviderSettings;
import dev.wif4j.spi.support.SettingException;
import java.lang.System.Logger.Level;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one path from what a {@link WorkloadIdentityBuilder} was told to a working {@link WorkloadIdentity}: the
 * context (the process's, or the one given, with the builder's settings over it), the federation settings, a
 * profile's provider settings over the context, detection, the chosen provider's source, and the exchange and
 * cache over it. The builder's {@code build()}, {@code detect()} and {@code openIdentityTokenSource()} all run
 * through it, so {@code fromEnvironment()}, code and the CLI find the same provider the same way.
 *
 * <p>One instance per call, not thread-safe. Plain code, no lambdas or streams: it runs once, in a cold JVM,
 * where each one costs a generated class.
 */
public final class Bootstrap {
    private final DetectionContext base;
    /** The builder's settings: a profile's provider settings never override them. */
    private final Map<String, String> settings;
    private final ConfigResolver.Explicit explicit;
    private final String provider;
    private final String providerOrigin;
    private final IdentityTokenSource codeSource;
    private final List<IdentityProvider> providers;
    private final boolean autoRegistration;
    private final ClassLoader classLoader;
    private final Duration detectionDeadline;
    // Set by resolve() and open(), for build().
    private ConfigResolver.Resolved resolved;
    private DetectionContext context;
    private DetectionReport report;
    private String providerId;

    /**
     * Takes what the builder was told; nothing is read yet.
     *
     * @param context the context given in code, or {@code null} for the process's
     * @param settings provider and global settings given in code
     * @param explicit the federation settings given in code
     * @param provider the provider chosen in code, or {@code null}
     * @param providerOrigin where that choice was made, for messages
     * @param codeSource the identity token source given in code, or {@code null}
     * @param providers provider instances added in code
     * @param autoRegistration whether {@link java.util.ServiceLoader} finds providers too
     * @param classLoader the class loader providers are found with, or {@code null} for core's
     * @param detectionDeadline how long detection's probes may take in all
     */
    public Bootstrap(DetectionContext context, Map<String, String> settings, ConfigResolver.Explicit explicit,
            String provider, String providerOrigin, IdentityTokenSource codeSource, List<IdentityProvider> providers,
            boolean autoRegistration, ClassLoader classLoader, Duration detectionDeadline) {
        DetectionContext given = context != null ? context : new SystemDetectionContext(settings);
        this.base = context != null && !settings.isEmpty() ? OverlayContext.withSettings(given, settings) : given;
        this.settings = settings;
        this.explicit = explicit;
        this.provider = provider;
        this.providerOrigin = providerOrigin;
        this.codeSource = codeSource;
        this.providers = providers;
        this.autoRegistration = autoRegistration;
        this.classLoader = classLoader;
        this.detectionDeadline = detectionDeadline;
    }

    /**
     * Starts loading and linking the token exchange's classes on a thread of their own, once per JVM: what
     * {@code build()} does first, as the exchange is what comes next.
     */
    public static void prepareExchange() {
        Preinit.start();
    }

    /**
     * Resolves the federation settings, logs their warnings, and lays a profile's provider settings over the
     * context the provider will be opened with.
     *
     * @return the settings
     * @throws ConfigurationException if a setting is missing or invalid
     */
    public ConfigResolver.Resolved resolve() {
        resolved = ConfigResolver.resolve(base, explicit);
        // Through the context's logger, so that tests (and embedders) see what the user would; looked up
        // only when there is something to say, since the logging back end is slow to start.
        if (!resolved.warnings().isEmpty()) {
            System.Logger warn = base.logger(WorkloadIdentity.class.getName());
            for (String warning : resolved.warnings()) {
                warn.log(Level.WARNING, warning);
            }
        }
        context = withProfile(resolved);
        return resolved;
    }

    /**
     * Runs detection alone, as {@link #open()} would: whatever the federation settings say.
     *
     * @return the report; its chosen provider is empty when none can be used
     * @throws ConfigurationException if a provider id or the choice of provider is invalid
     */
    public DetectionReport detect() {
        try {
            return runDetection(lenientContext()).report();
        } catch (IdentityProviderNotFoundException e) {
            return e.report();
        }
    }

    /**
     * Opens the identity token source without resolving the federation settings first: the source given in
     * code, else the detected provider's.
     *
     * @return the source
     * @throws IdentityProviderNotFoundException if no identity provider can be used
     * @throws ConfigurationException if a provider id or the choice of provider is invalid
     */
    public IdentityTokenSource openSource() {
        return codeSource != null ? codeSource : open(lenientContext());
    }

    /**
     * Opens the identity token source after {@link #resolve()}, noting the detection report and the provider's id.
     *
     * @return the source given in code, else the detected provider's
     * @throws IdentityProviderNotFoundException if no identity provider can be used
     * @throws ConfigurationException if the provider refused a setting
     * @throws IdentityProviderException if the provider could not be opened
     */
    private IdentityTokenSource open() {
        if (codeSource == null) {
            // The SPI's exceptions are not WorkloadIdentityExceptions: build() reports them as its own.
            try {
                return open(context);
            } catch (SettingException e) {
                throw new ConfigurationException(e.getMessage(), e);
            } catch (IdentityTokenException e) {
                throw new IdentityProviderException(e);
            }
        }
        providerId = "code";
        report = new DetectionReport(List.of(new DetectionReport.Entry("code", 0, codeSource.getClass().getName(),
                "application code", DetectionReport.Status.CHOSEN, "an identity token source was given in code")),
                providerId);
        return codeSource;
    }

    /**
     * The context before a profile's provider settings: where the settings themselves are read.
     *
     * @return the context
     */
    public DetectionContext base() {
        return base;
    }

    /**
     * What a {@link WorkloadIdentity} is made of.
     *
     * @param settings the federation settings in force
     * @param report what detection found
     * @param providerId the id of the provider in use
     * @param source its identity token source
     * @param exchanger the token exchange over that source, made at its first use
     * @param credentials the access-token cache over the exchange
     * @param tokenScope where the access tokens may be sent
     */
    public record Assembly(FederationSettings settings, DetectionReport report, String providerId,
            IdentityTokenSource source, DeferredExchanger exchanger, RefreshingCredentials credentials,
            TokenScope tokenScope) {}

    /**
     * Opens the provider after {@link #resolve()} and puts the exchange and the cache over it.
     *
     * @param tokenScope where the access tokens may be sent
     * @param httpClient the exchange's HTTP client given in code, or {@code null}
     * @param transport the exchange's transport given in code, or {@code null}
     * @param listeners the listeners given in code
     * @param exchangeOptions the exchange's timeouts and retries
     * @return the parts
     * @throws ConfigurationException if the HTTP client given follows redirects
     * @throws IdentityProviderNotFoundException if no identity provider can be used
     */
    public Assembly assemble(TokenScope tokenScope, HttpClient httpClient, HttpTransport transport,
            List<WorkloadIdentityListener> listeners, TokenExchanger.Options exchangeOptions) {
        IdentityTokenSource source = open();
        if (httpClient != null && httpClient.followRedirects() != HttpClient.Redirect.NEVER) {
            // A 307 would forward the identity token to wherever the Location header points.
            throw new ConfigurationException("The HttpClient given to httpClient(...) follows redirects ("
                    + httpClient.followRedirects() + "); the token exchange would then send the identity token "
                    + "wherever a 3xx points. Build it with .followRedirects(HttpClient.Redirect.NEVER).");
        }
        Listeners observers = listeners.isEmpty() ? Listeners.NONE : new Listeners(listeners);
        // Every setting the exchange takes is read (and refused if bad) here; the exchanger, its transport and
        // wif4j's own client (whose TLS set-up is most of a cold start) are made at the first exchange.
        DeferredExchanger exchanger = new DeferredExchanger(resolved.settings(), source, httpClient, transport,
                context.clock(), exchangeOptions.withFetchTimeout(context.fetchTimeout()),
                audienceOf(context, providerId), providerId, observers);
        RefreshingCredentials credentials = new RefreshingCredentials(exchanger, context.clock(), observers,
                tokenScope);
        return new Assembly(resolved.settings(), report, providerId, source, exchanger, credentials, tokenScope);
    }

    /**
     * The audience the chosen provider asked its issuer for, which a denial's hint compares with the token's
     * {@code aud}: its own {@code audience} setting ({@code WIF4J_K8S_AUDIENCE}), else the global one.
     *
     * @param ctx the context the provider was opened with
     * @param chosenId the provider's id
     * @return the audience
     */
    public static String audienceOf(DetectionContext ctx, String chosenId) {
        return Names.isProviderId(chosenId) ? ProviderSettings.of(ctx, chosenId).audience()
                : ctx.globalSetting("audience").orElse(DetectionContext.DEFAULT_AUDIENCE);
    }

    private IdentityTokenSource open(DetectionContext ctx) {
        Detector.Outcome outcome = runDetection(ctx);
        report = outcome.report();
        providerId = outcome.chosen().id();
        IdentityTokenSource source = outcome.chosen().provider().open(outcome.context());
        if (source == null) {
            throw new WorkloadIdentityException("Identity provider '" + providerId + "' ("
                    + outcome.chosen().implementation() + ") opened no token source.");
        }
        return source;
    }

    /** A profile's identity_token is as explicit as ANTHROPIC_IDENTITY_TOKEN_FILE; code still wins. */
    private DetectionContext withProfile(ConfigResolver.Resolved resolved) {
        Map<String, String> fromProfile = new HashMap<>(resolved.providerSettings());
        fromProfile.keySet().removeAll(settings.keySet());
        return fromProfile.isEmpty() ? base : OverlayContext.withSettings(base, fromProfile);
    }

    /** The context for detection without {@link #resolve()}: incomplete federation settings change no provider. */
    private DetectionContext lenientContext() {
        try {
            return withProfile(ConfigResolver.resolve(base, explicit));
        } catch (ConfigurationException e) {
            // build() reports them.
            return base;
        }
    }

    private Detector.Outcome runDetection(DetectionContext ctx) {
        List<LoadedProvider> installed = ProviderLoader.load(
                classLoader != null ? classLoader : WorkloadIdentity.class.getClassLoader(), autoRegistration, providers);
        Detector.Choice choice = null;
        Optional<String> pinned = provider != null ? Optional.empty() : ctx.globalSetting("provider");
        if (provider != null) {
            choice = new Detector.Choice(provider.strip(), providerOrigin);
        } else if (pinned.isPresent()) {
            choice = new Detector.Choice(pinned.get().strip(),
                    ctx.systemProperty("wif4j.provider").isPresent() ? "wif4j.provider" : "WIF4J_PROVIDER");
        }
        Set<String> disabled = new LinkedHashSet<>();
        Optional<String> disabledSetting = ctx.globalSetting("disabled.providers");
        if (disabledSetting.isPresent()) {
            for (String id : disabledSetting.get().split(",")) {
                if (!id.strip().isEmpty()) {
                    disabled.add(id.strip());
                }
            }
        }
        return Detector.detect(installed, ctx, choice, disabled, detectionDeadline);
    }
}
