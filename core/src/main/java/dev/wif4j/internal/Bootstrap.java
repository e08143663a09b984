package dev.wif4j.internal;

import dev.wif4j.ConfigurationException;
import dev.wif4j.DetectionReport;
import dev.wif4j.IdentityProviderException;
import dev.wif4j.IdentityProviderNotFoundException;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.WorkloadIdentityException;
import dev.wif4j.internal.config.ConfigResolver;
import dev.wif4j.internal.discovery.Detector;
import dev.wif4j.internal.discovery.LoadedProvider;
import dev.wif4j.internal.discovery.ProviderLoader;
import dev.wif4j.internal.env.OverlayContext;
import dev.wif4j.internal.env.SystemDetectionContext;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.ProviderIds;
import dev.wif4j.spi.support.ProviderSettings;
import dev.wif4j.spi.support.SettingException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one path from what a {@link WorkloadIdentity.Builder} was told to an open identity token source: the
 * context (the process's, or the one given, with the builder's settings over it), the federation settings, a
 * profile's provider settings over the context, detection, and the chosen provider's source. The builder's
 * {@code build()}, {@code detect()} and {@code openIdentityTokenSource()} all run through it, so
 * {@code fromEnvironment()}, code and the CLI find the same provider the same way.
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
     * Resolves the federation settings, logs their warnings, and lays a profile's provider settings over the
     * context ({@link #context()}).
     *
     * @return the settings
     * @throws ConfigurationException if a setting is missing or invalid
     */
    public ConfigResolver.Resolved resolve() {
        ConfigResolver.Resolved resolved = ConfigResolver.resolve(base, explicit);
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
     * Opens the identity token source after {@link #resolve()}, setting {@link #report()} and {@link #providerId()}.
     *
     * @return the source given in code, else the detected provider's
     * @throws IdentityProviderNotFoundException if no identity provider can be used
     * @throws ConfigurationException if the provider refused a setting
     * @throws IdentityProviderException if the provider could not be opened
     */
    public IdentityTokenSource open() {
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
     * The context the provider was opened with, a profile's provider settings included; set by {@link #resolve()}.
     *
     * @return the context
     */
    public DetectionContext context() {
        return context;
    }

    /**
     * What detection found; set by {@link #open()}.
     *
     * @return the report
     */
    public DetectionReport report() {
        return report;
    }

    /**
     * The id of the provider opened ({@code "code"} for a source given in code); set by {@link #open()}.
     *
     * @return the id
     */
    public String providerId() {
        return providerId;
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
        return ProviderIds.isValid(chosenId) ? ProviderSettings.of(ctx, chosenId).audience()
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
