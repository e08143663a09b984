package dev.wif4j.provider.gcp;

import dev.wif4j.provider.gcp.internal.GcpSettings;
import dev.wif4j.provider.gcp.internal.GoogleIdTokenSource;
import dev.wif4j.provider.gcp.internal.ServiceAccountKey;
import dev.wif4j.spi.Detection;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityProvider;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.Dmi;
import dev.wif4j.spi.support.ProviderSettings;
import dev.wif4j.spi.support.SettingException;
import dev.wif4j.spi.support.Text;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code gcp} provider: Google identity tokens through the Google Auth Library.
 *
 * <ul>
 *   <li>On Cloud Run, Cloud Functions, App Engine, Compute Engine and GKE (Workload Identity), the library's
 *       {@code ComputeEngineCredentials} asks the metadata server for an identity token for the audience
 *       (setting {@code gcp.audience} or {@code audience}, default {@code https://api.anthropic.com}) with
 *       {@code format=full} (setting {@code gcp.format}: {@code full} or {@code standard}), so the token carries
 *       {@code email} and, on Compute Engine and GKE, {@code google.compute_engine.*}; {@code gcp.licenses=true}
 *       adds license ids. The metadata host is {@code WIF4J_GCP_METADATA_HOST} (setting
 *       {@code gcp.metadata.host}), else {@code GCE_METADATA_HOST}, else {@code metadata.google.internal}.</li>
 *   <li>When {@code GOOGLE_APPLICATION_CREDENTIALS} names a service-account key (or impersonated credentials),
 *       the library's {@code IdTokenProvider} for it mints the token instead, as Application Default Credentials
 *       would choose it first.</li>
 * </ul>
 *
 * <p>Detection reads local signals only: {@code K_SERVICE}/{@code K_REVISION} (Cloud Run),
 * {@code FUNCTION_TARGET} (Cloud Functions), {@code GAE_SERVICE} (App Engine),
 * {@code /sys/class/dmi/id/product_name} starting with {@code Google} (Compute Engine, GKE nodes),
 * {@code GCE_METADATA_HOST}, {@code GOOGLE_APPLICATION_CREDENTIALS}. Only with one of the metadata signals, and
 * when probes are allowed, it asks {@code http://<host>/computeMetadata/v1/} and requires the
 * {@code Metadata-Flavor: Google} answer header. {@code NO_GCE_CHECK=true} (the Google libraries' switch) skips
 * that probe: Google's own platform signals are then enough, but a metadata host alone is not, since nothing
 * would confirm a metadata server behind it.
 *
 * <p>Pinned by the user ({@link DetectionContext#pinned()}), the provider is trusted: a metadata host alone is
 * enough even with {@code NO_GCE_CHECK=true}. With no signal at all it stays unavailable, pinned or not, and says
 * what to set.
 *
 * <p>Priority 10: a GitHub Actions job or a Kubernetes service-account token on Google Cloud is the more
 * specific identity.
 */
public final class GcpIdentityProvider implements IdentityProvider {

    static final String DMI_PRODUCT_NAME = Dmi.DIRECTORY + "product_name";
    static final String NO_GCE_CHECK = "NO_GCE_CHECK";

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public GcpIdentityProvider() {
    }

    @Override
    public String id() {
        return GcpSettings.ID;
    }

    @Override
    public int priority() {
        return 10;
    }

    /** A malformed setting or an unusable credentials file is a {@link SettingException}, which detection reports. */
    @Override
    public Detection detect(DetectionContext context) {
        Optional<String> credentialsFile = context.env(ServiceAccountKey.VARIABLE);
        List<String> platform = platformSignals(context);
        // Read here, not through GcpSettings: with no signal, detection loads no class of this provider but this one.
        Optional<String> hostVariable = ProviderSettings.of(context, GcpSettings.ID).get("metadata.host")
                .orEnv(GcpSettings.HOST_VARIABLE).source();
        boolean noSignal = credentialsFile.isEmpty() && platform.isEmpty() && hostVariable.isEmpty();
        if (noSignal) {
            return Detection.unavailable("no Google Cloud signal: K_SERVICE/K_REVISION (Cloud Run), FUNCTION_TARGET "
                    + "(Cloud Functions), GAE_SERVICE (App Engine), GCE_METADATA_HOST and GOOGLE_APPLICATION_CREDENTIALS "
                    + "are unset, and " + DMI_PRODUCT_NAME + " does not start with Google (not Compute Engine or GKE)");
        }
        GcpSettings settings = GcpSettings.from(context);
        if (credentialsFile.isPresent()) {
            // Application Default Credentials look at this variable first; so does wif4j.
            ServiceAccountKey key = ServiceAccountKey.read(context, credentialsFile.get());
            return Detection.available(ServiceAccountKey.VARIABLE + " is " + key.displayPath() + " ("
                    + Text.escape(key.type(), 80) + " for " + Text.escape(key.account()) + "); ID tokens for "
                    + Text.escape(settings.audience()) + " are minted through it");
        }
        List<String> signals = new ArrayList<>(platform);
        if (hostVariable.isPresent()) {
            signals.add(hostVariable.get() + " is " + settings.metadataHost());
        }
        String seen = String.join(", ", signals);
        boolean noGceCheck = context.env(NO_GCE_CHECK).orElse("").strip().equalsIgnoreCase("true");
        if (noGceCheck) {
            if (platform.isEmpty() && !context.pinned()) {
                return Detection.unavailable(seen + ", but NO_GCE_CHECK=true turns off the probe that would confirm a "
                        + "metadata server there, and no Google Cloud platform signal is set: unset NO_GCE_CHECK, or "
                        + "choose the provider with WIF4J_PROVIDER=gcp");
            }
            return Detection.available(seen + "; metadata server " + settings.metadataHost()
                    + " not probed (NO_GCE_CHECK=true)");
        }
        if (!context.probesAllowed()) {
            return Detection.available(seen + "; metadata server " + settings.metadataHost()
                    + " not probed (probes are off)");
        }
        return probe(context, settings, seen);
    }

    /** Local signals of a Google Cloud runtime, each as a short phrase for the evidence; plain code, as detect's. */
    private static List<String> platformSignals(DetectionContext context) {
        List<String> signals = new ArrayList<>();
        Optional<String> service = context.env("K_SERVICE");
        Optional<String> revision = context.env("K_REVISION");
        if (service.isPresent() || revision.isPresent()) {
            signals.add("Cloud Run (K_SERVICE=" + Text.escape(service.orElse("?")) + ", K_REVISION="
                    + Text.escape(revision.orElse("?")) + ")");
        }
        Optional<String> function = context.env("FUNCTION_TARGET");
        if (function.isPresent()) {
            signals.add("Cloud Functions (FUNCTION_TARGET=" + Text.escape(function.get()) + ")");
        }
        Optional<String> appEngine = context.env("GAE_SERVICE");
        if (appEngine.isPresent()) {
            signals.add("App Engine (GAE_SERVICE=" + Text.escape(appEngine.get()) + ")");
        }
        if (Dmi.startsWith(context, "product_name", "Google")) {
            String product = Dmi.read(context, "product_name").orElseThrow();
            signals.add("Compute Engine (" + DMI_PRODUCT_NAME + ": " + Text.escape(product) + ")");
        }
        return signals;
    }

    /** Asks the metadata root and requires the answer header only a metadata server sends. */
    private static Detection probe(DetectionContext context, GcpSettings settings, String seen) {
        Duration timeout = context.probeTimeout();
        HttpRequest request = HttpRequest.newBuilder(settings.rootUrl()).timeout(timeout)
                .header("Metadata-Flavor", "Google").GET().build();
        HttpResponse<Void> response;
        try {
            response = context.httpClient().send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            return Detection.unavailable(seen + ", but the metadata server at " + settings.metadataHost()
                    + " did not answer within " + timeout.toMillis() + " ms (" + e.getClass().getSimpleName()
                    + "); check " + settings.metadataHostSource() + " and that the workload can reach it");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Detection.unavailable(seen + ", but the metadata probe was interrupted");
        }
        boolean flavor = response.headers().firstValue("Metadata-Flavor").map("Google"::equalsIgnoreCase)
                .orElse(false);
        if (!flavor) {
            return Detection.unavailable(seen + ", but " + settings.rootUrl() + " answered HTTP "
                    + response.statusCode() + " without the Metadata-Flavor: Google header: something other than the "
                    + "metadata server answers there (an HTTP proxy or a firewall in the way); reach the metadata "
                    + "server directly");
        }
        return Detection.available(seen + "; metadata server " + settings.metadataHost() + " answered (HTTP "
                + response.statusCode() + ")");
    }

    @Override
    public IdentityTokenSource open(DetectionContext context) {
        GcpSettings settings = GcpSettings.from(context);
        Optional<String> credentialsFile = context.env(ServiceAccountKey.VARIABLE);
        if (credentialsFile.isPresent()) {
            ServiceAccountKey key = ServiceAccountKey.read(context, credentialsFile.get());
            return GoogleIdTokenSource.credentialsFile(key, settings, context);
        }
        return GoogleIdTokenSource.metadataServer(settings, context);
    }

    @Override
    public String toString() {
        return "GcpIdentityProvider";
    }
}
