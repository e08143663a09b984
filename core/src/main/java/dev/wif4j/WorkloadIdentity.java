package dev.wif4j;

import dev.wif4j.internal.Bootstrap;
import dev.wif4j.internal.DeferredExchanger;
import dev.wif4j.internal.cache.RefreshingCredentials;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import java.time.Instant;
import java.util.Optional;

/**
 * Workload identity federation for the Claude API: finds where this process runs, obtains
 * identity tokens there, exchanges them for Anthropic access tokens, and keeps one fresh.
 *
 * <pre>{@code
 * WorkloadIdentity identity = WorkloadIdentity.fromEnvironment();
 * String authorization = identity.credentials().token().authorizationHeaderValue();
 * }</pre>
 *
 * <p>Everything is resolved when the instance is built: the federation settings (code, then
 * {@code ANTHROPIC_PROFILE}, then the {@code ANTHROPIC_*} variables, then the active profile),
 * and the identity provider (an explicit choice, then {@code ANTHROPIC_IDENTITY_TOKEN_FILE} /
 * {@code ANTHROPIC_IDENTITY_TOKEN}, then detection). A bad setting fails here, with a message
 * that names it; the first exchange happens on the first {@link AnthropicCredentials#token()}.
 *
 * <p>Create one instance per process and share it; it is thread-safe. {@link #close()} stops its
 * background refresh thread.
 */
public final class WorkloadIdentity implements AutoCloseable {
    private final FederationSettings settings;
    private final DetectionReport report;
    private final String providerId;
    private final IdentityTokenSource source;
    private final DeferredExchanger exchanger;
    private final RefreshingCredentials credentials;
    private final TokenScope tokenScope;

    WorkloadIdentity(Bootstrap.Assembly parts) {
        this.settings = parts.settings();
        this.report = parts.report();
        this.providerId = parts.providerId();
        this.source = parts.source();
        this.exchanger = parts.exchanger();
        this.credentials = parts.credentials();
        this.tokenScope = parts.tokenScope();
    }

    /**
     * Builds from the environment alone: the same as {@code builder().build()}.
     *
     * @return the instance
     * @throws ConfigurationException if a setting is missing or invalid
     * @throws IdentityProviderNotFoundException if no identity provider can be used here
     */
    public static WorkloadIdentity fromEnvironment() {
        return builder().build();
    }

    /**
     * A builder for everything the environment can say, and a few things only code can.
     *
     * @return a new builder
     */
    public static WorkloadIdentityBuilder builder() {
        return new WorkloadIdentityBuilder();
    }

    /**
     * The access-token cache. Ask it for a token before every request.
     *
     * @return the credentials; the same instance on every call
     */
    public AnthropicCredentials credentials() {
        return credentials;
    }

    /**
     * When the cached access token expires, read without an exchange or a refresh: for health checks.
     *
     * @return the cached token's expiry, possibly in the past; empty before the first exchange and after a 401
     *     dropped the token
     */
    public Optional<Instant> cachedTokenExpiry() {
        return credentials.cached().map(AccessToken::expiresAt);
    }

    /**
     * Why the latest exchange (or the identity-token fetch before it) failed, read without trying again; the
     * next successful exchange clears it. The exception's message names the cause and holds no secret.
     *
     * @return the failure; empty if the latest exchange succeeded or none was tried
     */
    public Optional<RuntimeException> lastFailure() {
        return credentials.lastFailure();
    }

    /**
     * Where the access tokens may be sent: the base URL's origin and the allowed origins
     * ({@code WIF4J_ALLOWED_ORIGINS}, {@link WorkloadIdentityBuilder#allowedOrigin(String)}), https or loopback http only.
     * The credentials carry the same ({@link AnthropicCredentials#tokenScope()}).
     *
     * @return the scope
     */
    public TokenScope tokenScope() {
        return tokenScope;
    }

    /**
     * The federation settings in force.
     *
     * @return the settings
     */
    public FederationSettings settings() {
        return settings;
    }

    /**
     * What detection found, and the provider it chose.
     *
     * @return the report
     */
    public DetectionReport detection() {
        return report;
    }

    /**
     * The id of the identity provider in use ({@code "code"} for a source given in code).
     *
     * @return the provider id
     */
    public String providerId() {
        return providerId;
    }

    /**
     * Fetches a new identity token from the provider, without exchanging it: for inspection
     * ({@code wif4j identity-token}) and for tools that keep a token file fresh.
     *
     * @return a fresh identity token
     * @throws IdentityProviderException if the provider could not give one
     */
    public IdentityToken fetchIdentityToken() {
        try {
            return source.fetch();
        } catch (IdentityTokenException e) {
            throw new IdentityProviderException(e);
        }
    }

    /**
     * Performs one exchange now, bypassing the cache.
     *
     * @return a new access token
     */
    public AccessToken exchange() {
        return exchanger.exchanger().exchange();
    }

    /** Stops the background refresh and closes the identity source. */
    @Override
    public void close() {
        credentials.close();
        source.close();
    }

    @Override
    public String toString() {
        return "WorkloadIdentity[provider=" + providerId + ", " + settings + "]";
    }
}
