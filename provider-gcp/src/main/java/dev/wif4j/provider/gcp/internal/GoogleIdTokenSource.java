package dev.wif4j.provider.gcp.internal;

import com.google.auth.Retryable;
import com.google.auth.oauth2.ComputeEngineCredentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.IdToken;
import com.google.auth.oauth2.IdTokenCredentials;
import com.google.auth.oauth2.IdTokenProvider;
import com.google.auth.oauth2.ImpersonatedCredentials;
import dev.wif4j.provider.gcp.GcpIdentityProvider;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.FirstTokenLog;
import dev.wif4j.spi.support.SettingException;
import dev.wif4j.spi.support.Text;
import dev.wif4j.spi.support.UpstreamHttp;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Google identity tokens through the Google Auth Library's {@link IdTokenCredentials}: each {@link #fetch()}
 * refreshes them, so every call asks the upstream for a new token and nothing is cached here. The
 * {@link IdTokenProvider} is {@link ComputeEngineCredentials} (the metadata server) or the service-account /
 * impersonated credentials of a {@code GOOGLE_APPLICATION_CREDENTIALS} file, both talking through a
 * {@link BoundedTransport}. A fetch is one attempt, bounded by the fetch timeout: a transient failure (a 5xx,
 * a network error, a timeout) is thrown retryable, and wif4j's exchange, the one owner of retries, tries again
 * with a new fetch.
 */
public final class GoogleIdTokenSource implements IdentityTokenSource {

    private final IdTokenCredentials credentials;
    private final String upstream;
    private final boolean metadata;
    private final GcpSettings settings;
    private final System.Logger log;
    private final FirstTokenLog described;
    private final AtomicBoolean warned = new AtomicBoolean();

    private GoogleIdTokenSource(IdTokenCredentials credentials, String upstream, boolean metadata,
            GcpSettings settings, DetectionContext context) {
        this.credentials = credentials;
        this.upstream = upstream;
        this.metadata = metadata;
        this.settings = settings;
        this.log = context.logger(GcpIdentityProvider.class.getName());
        this.described = FirstTokenLog.of(context, GcpIdentityProvider.class, "Google identity token",
                List.of("email", "google"), this::advice);
    }

    /**
     * A source asking the metadata server at {@code settings.metadataHost()}.
     *
     * @param settings the settings
     * @param context the context: its probe client (no proxy: the metadata server is link-local), its fetch
     *     timeout (the longest one fetch may take) and its logger
     * @return the source
     */
    public static GoogleIdTokenSource metadataServer(GcpSettings settings, DetectionContext context) {
        BoundedTransport transport = BoundedTransport.metadata(context.httpClient(), settings.metadataHost(),
                context.fetchTimeout());
        ComputeEngineCredentials compute = ComputeEngineCredentials.newBuilder()
                .setHttpTransportFactory(transport.factory())
                .build();
        List<IdTokenProvider.Option> options = new ArrayList<>();
        if (settings.full()) {
            options.add(IdTokenProvider.Option.FORMAT_FULL);
        }
        if (settings.licenses()) {
            options.add(IdTokenProvider.Option.LICENSES_TRUE); // the library then asks for format=full too
        }
        return new GoogleIdTokenSource(build(compute, settings, options),
                "The metadata server at " + settings.metadataHost(), true, settings, context);
    }

    /**
     * A source minting through the credentials of a {@code GOOGLE_APPLICATION_CREDENTIALS} file. The library
     * calls the file's {@code token_uri} (and, for impersonation, the IAM Credentials API) through a
     * {@link BoundedTransport} whose client honours the JVM's proxy settings ({@link UpstreamHttp}).
     *
     * @param key the checked file
     * @param settings the settings
     * @param context the context: its fetch timeout (the longest one fetch may take) and its logger
     * @return the source
     */
    public static GoogleIdTokenSource credentialsFile(ServiceAccountKey key, GcpSettings settings,
            DetectionContext context) {
        BoundedTransport transport = BoundedTransport.direct(UpstreamHttp.client(context.fetchTimeout()),
                context.fetchTimeout());
        GoogleCredentials google;
        try {
            google = GoogleCredentials.fromStream(new ByteArrayInputStream(key.content()), transport.factory());
        } catch (IOException | RuntimeException e) {
            // The library's message may quote the file; name the problem only.
            throw new SettingException(ServiceAccountKey.VARIABLE + " is " + key.displayPath()
                    + ", which the Google Auth Library cannot load (" + e.getClass().getSimpleName()
                    + "): download a new key with gcloud iam service-accounts keys create.");
        }
        if (google instanceof ImpersonatedCredentials impersonated) {
            // Its source's access-token refresh retries with backoff by default: one fetch, one try.
            google = impersonated.toBuilder()
                    .setSourceCredentials(impersonated.getSourceCredentials().createWithCustomRetryStrategy(false))
                    .build();
        }
        if (!(google instanceof IdTokenProvider provider)) {
            throw new SettingException(ServiceAccountKey.VARIABLE + " is " + key.displayPath()
                    + ", whose credentials cannot mint ID tokens.");
        }
        // Impersonated credentials leave email out unless asked; service-account keys always include it.
        List<IdTokenProvider.Option> options = List.of(IdTokenProvider.Option.INCLUDE_EMAIL);
        return new GoogleIdTokenSource(
                IdTokenCredentials.newBuilder().setIdTokenProvider(provider).setTargetAudience(settings.audience())
                        .setOptions(options).build(),
                "The token endpoint of " + ServiceAccountKey.VARIABLE + " (" + key.account() + ")", false, settings,
                context);
    }

    private static IdTokenCredentials build(IdTokenProvider provider, GcpSettings settings,
            List<IdTokenProvider.Option> options) {
        return IdTokenCredentials.newBuilder().setIdTokenProvider(provider).setTargetAudience(settings.audience())
                .setOptions(options).build();
    }

    @Override
    public IdentityToken fetch() {
        try {
            IdentityToken token = described.once(attempt());
            if (token.stringClaim("email").isEmpty()) {
                warnOnce();
            }
            return token;
        } catch (IOException e) {
            throw explain(e);
        }
    }

    private IdentityToken attempt() throws IOException {
        IdToken idToken;
        // A new token every call: refresh() always asks the IdTokenProvider again.
        synchronized (credentials) {
            credentials.refresh();
            idToken = credentials.getIdToken();
        }
        if (idToken == null || idToken.getTokenValue() == null || idToken.getTokenValue().isBlank()) {
            throw new IdentityTokenException(upstream + " answered without a token.");
        }
        IdentityToken token;
        try {
            token = IdentityToken.parse(idToken.getTokenValue().strip());
        } catch (IdentityTokenException e) {
            throw new IdentityTokenException(upstream + " answered with something that is not a JWT: "
                    + e.getMessage());
        }
        if (metadata && settings.full() && token.stringClaim("email").isEmpty()) {
            throw new IdentityTokenException(upstream + " returned an identity token without an email claim although "
                    + "wif4j asked for format=full. Only format=full tokens carry email (and, on Compute Engine and "
                    + "GKE, google.compute_engine.*), and a federation rule should pin claims.email beside sub; "
                    + "something between this workload and the metadata server drops the format parameter.");
        }
        return token;
    }

    private IdentityTokenException explain(IOException e) {
        Throwable cause = e;
        while (cause != null) {
            if (cause instanceof BoundedTransport.AttemptFailedException failed) {
                IdentityTokenException failure = failed.failure();
                return new IdentityTokenException(failure.getMessage() + (metadata ? " Is this workload running on "
                        + "Google Cloud, and can it reach " + settings.metadataHost() + " ("
                        + settings.metadataHostSource() + ")?" : ""), e, failure.isRetryable());
            }
            if (cause instanceof BoundedTransport.MetadataAnswerException answer && !answer.noServiceAccount()) {
                return new IdentityTokenException(upstream + " " + answer.getMessage() + ": whatever answered is not "
                        + "the metadata server (an HTTP proxy, a firewall or a captive portal in the way). The "
                        + "metadata server must be reached directly; check " + settings.metadataHostSource()
                        + " and the network path to " + settings.metadataHost() + ".", e);
            }
            if (cause instanceof BoundedTransport.MetadataAnswerException) {
                return new IdentityTokenException(upstream + " has no identity for this workload (HTTP 404): no "
                        + "service account is attached. Attach one (Cloud Run: --service-account; Compute Engine: "
                        + "--service-account on the instance; GKE: annotate the Kubernetes service account with "
                        + "iam.gke.io/gcp-service-account and enable Workload Identity on the node pool).", e);
            }
            if (cause instanceof InterruptedIOException) {
                Thread.currentThread().interrupt();
                return new IdentityTokenException("Interrupted while asking " + upstream + ".", e);
            }
            if (cause instanceof Retryable retryable && retryable.isRetryable()) {
                return new IdentityTokenException(upstream + " is unavailable (" + firstLine(cause.getMessage())
                        + ").", e, true);
            }
            cause = cause.getCause();
        }
        boolean retryable = e.getMessage() != null && e.getMessage().matches("(?s).*\\b5\\d\\d\\b.*");
        return new IdentityTokenException(upstream + " refused the identity token request: "
                + firstLine(e.getMessage()), e, retryable);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        return Text.escape(message.strip().lines().findFirst().orElse(""), 300);
    }

    /** After the first token's claims: what a narrow federation rule pins. */
    private String advice(IdentityToken token) {
        String email = token.stringClaim("email").map(e -> " and claims.email=" + Text.escape(e)).orElse("");
        return "A narrow federation rule pins claims.sub=" + Text.escape(token.subject().orElse("?")) + email
                + " with audience " + Text.escape(settings.audience()) + ".";
    }

    /** With the first token's description: a token without email (format=standard) leaves a rule only sub. */
    private void warnOnce() {
        if (warned.compareAndSet(false, true)) {
            log.log(Level.WARNING, () -> "The Google identity token has no email claim because gcp.format is standard;"
                    + " a federation rule can then pin only sub. Set WIF4J_GCP_FORMAT=full to include email.");
        }
    }

    @Override
    public String toString() {
        return "GoogleIdTokenSource[" + (metadata ? "metadata server " + settings.metadataHost()
                : ServiceAccountKey.VARIABLE) + ", audience=" + settings.audience() + ", format="
                + (settings.full() ? "full" : "standard") + "]";
    }
}
