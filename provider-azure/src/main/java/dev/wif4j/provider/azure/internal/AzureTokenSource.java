package dev.wif4j.provider.azure.internal;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.ProxyOptions;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RequestRetryCondition;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.http.policy.RetryStrategy;
import com.azure.core.util.Configuration;
import com.azure.core.util.ConfigurationBuilder;
import com.azure.core.util.ConfigurationSource;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.identity.WorkloadIdentityCredentialBuilder;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.BoundedHttp;
import dev.wif4j.spi.support.Text;
import dev.wif4j.spi.support.TokenFile;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;

/**
 * Entra access tokens from Azure Identity, through its public API only; each {@link #fetch()} is one bounded
 * attempt.
 *
 * <p>One attempt: every credential is built with Azure Identity's retries switched off (a retry policy of no
 * retries; Azure Identity already switches MSAL's own retries off) and the HTTP client's timeouts set from
 * {@link DetectionContext#fetchTimeout()}. A failure that a later attempt may not repeat (network, timeout, 408,
 * 429, 5xx, and IMDS's 404/410 while it starts) is thrown retryable, so that wif4j's exchange tries again with
 * backoff; the HTTP status of the attempt is recorded by a pipeline policy of this source's own.
 *
 * <p>What the libraries read: the workload-identity path gets every value from the context (builder arguments and
 * an azure-core {@link Configuration} holding only what this source hands in). The managed-identity paths run on
 * MSAL, which reads {@code IDENTITY_ENDPOINT}, {@code IDENTITY_HEADER}, {@code MSI_ENDPOINT},
 * {@code IMDS_ENDPOINT}, {@code AZURE_POD_IDENTITY_AUTHORITY_HOST} and the like from the process environment
 * itself, with no public way to hand them in; in production the context's environment is the process
 * environment, so both agree.
 *
 * <p>Fresh tokens: a {@code WorkloadIdentityCredential} keeps its tokens inside its own MSAL application, so the
 * workload-identity path builds a new credential per fetch, which also re-reads the federated token file: every
 * fetch asks Entra. Managed-identity tokens sit in MSAL's process-wide cache, which Azure Identity's public API
 * cannot bypass: a later fetch in the same process gets the cached token until MSAL refreshes it (and IMDS and
 * App Service cache their tokens for up to 24 hours themselves). Entra tokens carry no {@code jti}, so Anthropic
 * accepts such a token again.
 */
public final class AzureTokenSource implements IdentityTokenSource {

    /** Which Azure path tokens come from. */
    public enum Mode {
        /** AKS Entra Workload ID: the federated client_credentials hop. */
        WORKLOAD_IDENTITY,
        /** App Service, Functions, Container Apps: {@code IDENTITY_ENDPOINT} + {@code IDENTITY_HEADER}. */
        APP_SERVICE,
        /** Azure Cloud Shell: {@code MSI_ENDPOINT}. */
        CLOUD_SHELL,
        /** VMs and VM scale sets: the Instance Metadata Service. */
        IMDS
    }

    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final Mode mode;
    private final AzureSettings settings;
    private final DetectionContext context;
    private final System.Logger log;
    private final Clock clock;
    private final HttpClient http;
    private final AtomicBoolean warnedV1 = new AtomicBoolean();

    /**
     * Opens a source.
     *
     * @param mode the path
     * @param settings the settings, checked
     * @param context the context
     */
    public AzureTokenSource(Mode mode, AzureSettings settings, DetectionContext context) {
        this.mode = mode;
        this.settings = settings;
        this.context = context;
        this.log = context.logger(AzureTokenSource.class.getName());
        this.clock = context.clock();
        this.http = httpClient(mode, context.fetchTimeout());
    }

    @Override
    public IdentityToken fetch() {
        Attempt attempt = new Attempt();
        String jwt = mode == Mode.WORKLOAD_IDENTITY ? workloadIdentity(attempt) : managedIdentity(attempt);
        IdentityToken token;
        try {
            token = IdentityToken.parse(jwt);
        } catch (IdentityTokenException e) {
            throw new IdentityTokenException("Azure: the Entra access token for " + settings.resource().orElse("?")
                    + " is not a JWT (" + e.getMessage() + "); is the resource an app registration's Application "
                    + "ID URI such as api://<APP_ID>?", e);
        }
        warnIfVersion1(token);
        return token;
    }

    private String managedIdentity(Attempt attempt) {
        ManagedIdentityCredentialBuilder builder = new ManagedIdentityCredentialBuilder()
                .httpClient(http)
                // azure-core reads no variable (and so never turns this into the AKS path); MSAL reads the
                // managed-identity variables from the process environment.
                .configuration(configuration(Map.of()))
                .maxRetry(0)
                .retryPolicy(new RetryPolicy(NoRetries.INSTANCE))
                .addPolicy(attempt);
        settings.clientId().ifPresent(builder::clientId);
        if (settings.clientId().isEmpty()) {
            settings.objectId().ifPresent(builder::objectId);
            if (settings.objectId().isEmpty()) {
                settings.identityResourceId().ifPresent(builder::resourceId);
            }
        }
        return request(builder.build(), attempt);
    }

    private String workloadIdentity(Attempt attempt) {
        Path path = settings.federatedTokenPath().orElseThrow();
        checkFederatedTokenFile(path);
        Map<String, String> variables = new LinkedHashMap<>();
        // The Entra hop goes to the internet: honour the proxy the context names.
        for (String name : new String[] {"HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "https_proxy", "http_proxy",
                "no_proxy"}) {
            context.env(name).ifPresent(v -> variables.putIfAbsent(name.toUpperCase(Locale.ROOT), v));
        }
        // The builder's authorityHost(..) alone is overwritten by the configuration's AZURE_AUTHORITY_HOST (or its
        // public-cloud default) when the credential is built: the configuration must carry it too.
        variables.put("AZURE_AUTHORITY_HOST", settings.authorityHost());
        WorkloadIdentityCredentialBuilder builder = new WorkloadIdentityCredentialBuilder()
                .tenantId(settings.tenantId().orElseThrow())
                .clientId(settings.clientId().orElseThrow())
                .tokenFilePath(path.toString())
                .authorityHost(settings.authorityHost())
                .httpClient(http)
                .configuration(configuration(variables))
                .maxRetry(0)
                .retryPolicy(new RetryPolicy(NoRetries.INSTANCE))
                .addPolicy(attempt);
        if (!settings.knownAuthority()) {
            // MSAL would ask Entra's public cloud about an authority it does not know; a private or sovereign
            // authority answers for itself.
            builder.disableInstanceDiscovery();
        }
        // A new credential each time: its MSAL application holds the token cache and the file's contents.
        return request(builder.build(), attempt);
    }

    private void checkFederatedTokenFile(Path path) {
        String file = Text.quote(settings.federatedTokenFile().orElse(path.toString()));
        String text;
        try {
            // The kubelet writes it: missing or empty may be written by the next attempt.
            text = TokenFile.of(path, "Azure: the federated token file " + file + " (AZURE_FEDERATED_TOKEN_FILE)")
                    .writtenByAnAgent().read();
        } catch (IdentityTokenException e) {
            throw new IdentityTokenException(e.getMessage() + " Check that the pod has the "
                    + "azure.workload.identity/use: \"true\" label and its projected azure-identity-token volume is "
                    + "mounted.", e, e.isRetryable());
        }
        Instant expiry;
        try {
            expiry = IdentityToken.parse(text).expiresAt().orElse(null);
        } catch (IdentityTokenException e) {
            throw new IdentityTokenException("Azure: the federated token file " + file
                    + " does not hold a JWT (" + e.getMessage() + ")", e);
        }
        if (expiry != null && !expiry.isAfter(clock.instant())) {
            throw new IdentityTokenException("Azure: the service-account token in the federated token file "
                    + file + " expired at " + expiry + ": the kubelet refreshes the "
                    + "projected token well before it expires, so the file is no longer updated; check the pod's "
                    + "projected volume (and that the node's clock is right)", null, true);
        }
    }

    private String request(TokenCredential credential, Attempt attempt) {
        TokenRequestContext request = new TokenRequestContext().addScopes(settings.scope());
        AccessToken token;
        try {
            token = credential.getTokenSync(request);
        } catch (RuntimeException e) {
            throw explain(e, attempt.mayPass(mode));
        }
        if (token == null || token.getToken() == null || token.getToken().isBlank()) {
            throw new IdentityTokenException("Azure: " + source() + " answered no access token", null, true);
        }
        return token.getToken().strip();
    }

    /**
     * Turns the library's failure into a sentence a user can act on; known Entra codes get their own advice.
     *
     * @param e the failure
     * @param transientFailure whether the attempt failed in a way the next one may not (network, 429, 5xx, ...)
     */
    IdentityTokenException explain(RuntimeException e, boolean transientFailure) {
        String text = messages(e);
        String resource = settings.resource().orElse("?");
        if (text.contains("AADSTS500011") || text.contains("AADSTS50001")) {
            return new IdentityTokenException("Azure: Entra knows no application for the resource " + resource
                    + " in this tenant (" + code(text) + "): the app registration Anthropic trusts is missing or its "
                    + "Application ID URI differs. Create it: az ad app create --display-name anthropic-wif; "
                    + "az ad app update --id <APP_ID> --identifier-uris api://<APP_ID>; az ad sp create --id "
                    + "<APP_ID>; then set WIF4J_AZURE_RESOURCE=api://<APP_ID> (see the README, 'Azure')", e);
        }
        if (text.contains("Identity not found") || text.contains("has not been assigned to this resource")) {
            String which = settings.clientId().map(c -> "the user-assigned identity with client id " + c)
                    .or(() -> settings.objectId().map(o -> "the user-assigned identity with object id " + o))
                    .or(() -> settings.identityResourceId().map(r -> "the user-assigned identity " + r))
                    .orElse("a system-assigned identity");
            return new IdentityTokenException("Azure: no managed identity: " + source() + " says " + which
                    + " is not assigned to this resource. Assign it (az vm identity assign, az webapp identity "
                    + "assign, ...) or name an assigned one with WIF4J_AZURE_CLIENT_ID", e);
        }
        if (text.contains("AADSTS700024")) {
            return new IdentityTokenException("Azure: Entra refused the federated token as expired (AADSTS700024):"
                    + " the file " + settings.federatedTokenFile().orElse("?") + " is no longer refreshed; check the "
                    + "pod's projected azure-identity-token volume and the node's clock", e, true);
        }
        if (text.contains("AADSTS700211") || text.contains("AADSTS700212") || text.contains("AADSTS700213")
                || text.contains("AADSTS70021")) {
            return new IdentityTokenException("Azure: Entra found no federated credential of client "
                    + settings.clientId().orElse("?") + " matching the service-account token (" + code(text)
                    + "): az identity federated-credential create (or az ad app federated-credential create) with "
                    + "the cluster's OIDC issuer URL, subject system:serviceaccount:<namespace>:<name> and audience "
                    + "api://AzureADTokenExchange", e);
        }
        if (text.contains("AADSTS700016") || text.contains("AADSTS90002")) {
            return new IdentityTokenException("Azure: Entra does not know " + (text.contains("AADSTS90002")
                    ? "the tenant " + settings.tenantId().orElse("?") : "the client " + settings.clientId()
                    .orElse("?")) + " (" + code(text) + "): check AZURE_TENANT_ID and AZURE_CLIENT_ID", e);
        }
        return new IdentityTokenException("Azure: " + source() + " gave no token for " + resource + ": "
                + firstLine(text), e, transientFailure);
    }

    private String source() {
        return switch (mode) {
            case WORKLOAD_IDENTITY -> "Entra (" + settings.authorityHost() + ")";
            case APP_SERVICE -> "the identity endpoint " + settings.identityEndpoint().orElse("?");
            case CLOUD_SHELL -> "the Cloud Shell endpoint " + settings.msiEndpoint().orElse("?");
            case IMDS -> "IMDS (" + settings.imdsEndpoint().orElse(AzureSettings.IMDS_ADDRESS) + ")";
        };
    }

    private void warnIfVersion1(IdentityToken token) {
        boolean v1 = token.stringClaim("ver").map("1.0"::equals).orElse(false)
                || token.issuer().map(i -> i.startsWith("https://sts.windows.net/")).orElse(false);
        if (v1 && warnedV1.compareAndSet(false, true)) {
            log.log(System.Logger.Level.WARNING, "Azure: the Entra token is a v1.0 token (iss "
                    + token.issuer().orElse("?") + ", not https://login.microsoftonline.com/<tenant>/v2.0): "
                    + "Anthropic compares iss exactly, so register that issuer, or set requestedAccessTokenVersion "
                    + "to 2 in the app registration's manifest (az ad app update --id <APP_ID> --set "
                    + "api.requestedAccessTokenVersion=2) to get v2.0 tokens");
        }
    }

    private static String code(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("AADSTS\\d+").matcher(text);
        return m.find() ? m.group() : "Entra error";
    }

    private static String messages(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null && out.length() < 4000; t = t.getCause()) {
            if (t.getMessage() != null) {
                out.append(t.getMessage()).append(" | ");
            }
        }
        return out.toString();
    }

    private static String firstLine(String text) {
        String line = text.lines().findFirst().orElse(text);
        return Text.escape(line, 500);
    }

    /** An azure-core configuration that holds exactly the given environment values and no real ones. */
    private static Configuration configuration(Map<String, String> environment) {
        ConfigurationSource none = path -> Map.of();
        ConfigurationSource env = path -> environment;
        return new ConfigurationBuilder(none, none, env).build();
    }

    private static HttpClient httpClient(Mode mode, Duration fetchTimeout) {
        Duration connect = fetchTimeout.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? fetchTimeout : MAX_CONNECT_TIMEOUT;
        JdkHttpClientBuilder builder = new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder())
                .configuration(configuration(Map.of()))
                .connectionTimeout(connect)
                .writeTimeout(fetchTimeout)
                .responseTimeout(fetchTimeout)
                .readTimeout(fetchTimeout);
        if (mode != Mode.WORKLOAD_IDENTITY) {
            // IMDS and the identity endpoints are link-local or local: a proxy in the way would answer for them.
            // The builder replaces the JDK builder's proxy with one from the JVM's proxy properties unless given
            // proxy options; options whose non-proxy hosts are every host mean "never a proxy".
            builder.proxy(new ProxyOptions(ProxyOptions.Type.HTTP,
                    InetSocketAddress.createUnresolved("no-proxy.invalid", 1)).setNonProxyHosts("*"));
        }
        return builder.build();
    }

    /** Azure Identity's retries, switched off: wif4j's exchange owns retries. */
    private static final class NoRetries implements RetryStrategy {
        static final NoRetries INSTANCE = new NoRetries();

        @Override
        public int getMaxRetries() {
            return 0;
        }

        @Override
        public Duration calculateRetryDelay(int retryAttempts) {
            return Duration.ZERO;
        }

        @Override
        public boolean shouldRetry(HttpResponse response) {
            return false;
        }

        @Override
        public boolean shouldRetryException(Throwable throwable) {
            return false;
        }

        @Override
        public boolean shouldRetryCondition(RequestRetryCondition condition) {
            return false;
        }
    }

    /**
     * One fetch's HTTP traffic, as a pipeline policy of that fetch's credential: the last status answered and
     * whether a call failed without one, so the failure can be told transient or not.
     */
    private static final class Attempt implements HttpPipelinePolicy {
        private final AtomicInteger lastStatus = new AtomicInteger();
        private final AtomicBoolean unanswered = new AtomicBoolean();

        @Override
        public Mono<HttpResponse> process(HttpPipelineCallContext call, HttpPipelineNextPolicy next) {
            return next.process().doOnNext(r -> lastStatus.set(r.getStatusCode()))
                    .doOnError(e -> unanswered.set(true));
        }

        @Override
        public HttpResponse processSync(HttpPipelineCallContext call, HttpPipelineNextSyncPolicy next) {
            try {
                HttpResponse response = next.processSync();
                lastStatus.set(response.getStatusCode());
                return response;
            } catch (RuntimeException e) {
                unanswered.set(true);
                throw e;
            }
        }

        /** Whether a later attempt may pass where this one failed. */
        boolean mayPass(Mode mode) {
            if (unanswered.get()) {
                return true; // not reached, or no answer in time
            }
            int status = lastStatus.get();
            // IMDS answers 404 and 410 while it (or the identity) starts up.
            return BoundedHttp.isTransient(status) || status == 410 || mode != Mode.WORKLOAD_IDENTITY && status == 404;
        }
    }

    @Override
    public String toString() {
        return "AzureTokenSource[" + mode + ", " + settings.resource().orElse("?") + "]";
    }
}
