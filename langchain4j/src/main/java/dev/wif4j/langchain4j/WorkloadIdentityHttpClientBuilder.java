package dev.wif4j.langchain4j;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpClientBuilderLoader;
import dev.wif4j.AnthropicCredentials;
import dev.wif4j.TokenScope;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.langchain4j.internal.AuthorizingHttpClient;
import java.time.Duration;
import java.util.Objects;

/**
 * Authorises every request of LangChain4j's {@code AnthropicChatModel} and {@code AnthropicStreamingChatModel}
 * with a workload-identity access token:
 *
 * <pre>{@code
 * ChatModel model = AnthropicChatModel.builder()
 *         .httpClientBuilder(WorkloadIdentityHttpClientBuilder.fromEnvironment())
 *         .apiKey(WorkloadIdentityHttpClientBuilder.API_KEY_PLACEHOLDER)
 *         .modelName("claude-sonnet-4-5")
 *         .build();
 * }</pre>
 *
 * <p>The API key: LangChain4j's Anthropic models refuse to be built without one, and send it as
 * {@code x-api-key} on every request. With Workload Identity there is none, so the model is given
 * {@link #API_KEY_PLACEHOLDER}, a constant that is no secret; this client removes {@code x-api-key} from every
 * request it authorises, so neither the placeholder nor any other key ever reaches the API.
 *
 * <p>On every request it sets {@code Authorization: Bearer <token>}, adds {@value #OAUTH_BETA} to
 * {@code anthropic-beta} once (beside the betas the model sends), and removes {@code x-api-key}. These headers
 * are added beneath LangChain4j's request logging ({@code logRequests(true)}), so the token never reaches that
 * log. A blocking call the API answers with 401 is replayed once, with a different token
 * ({@link AnthropicCredentials#replacementFor(dev.wif4j.AccessToken)}); a second 401, or one while the
 * credentials keep the refused token, goes back to the caller. A streaming call is not replayed: its 401
 * reaches LangChain4j on the HTTP client's own thread, through the listener the model handed in, where a
 * replay would have to wait for a token exchange; the refused token is dropped instead, so the next call
 * carries a new one. Either kind takes its token in the calling thread: the cached one at once, or, when a new
 * one is needed, after the exchange (bounded: {@link AnthropicCredentials#token()}). A request that already
 * carries the current token (this client wrapped in another) passes through untouched.
 *
 * <p>The token goes only where a {@link TokenScope} permits: the origin of the identity's base URL and the
 * origins allowed with {@code WIF4J_ALLOWED_ORIGINS} (or {@code WorkloadIdentity.builder().allowedOrigin(...)}),
 * never plain http to a host that is not loopback. A model whose {@code baseUrl(...)} points elsewhere gets a
 * {@link dev.wif4j.WorkloadIdentityException} naming that origin and the setting (a streaming model through
 * its handler's {@code onError}); nothing is sent and no token is fetched. So the model's {@code baseUrl} and the
 * identity's ({@code ANTHROPIC_BASE_URL}) must name the same origin, or the model's be allowed.
 *
 * <p>The requests themselves go through another {@link HttpClientBuilder}: by default the one LangChain4j would
 * use without wif4j (the one its {@link HttpClientBuilderLoader} finds on the class path, usually
 * {@code langchain4j-http-client-jdk}); {@link #over(HttpClientBuilder)} names another. The timeouts the model
 * sets are that builder's. The token exchange itself goes over wif4j's own JDK client. Requests are rebuilt
 * from their method, URL, headers and body: the form-data parts some other LangChain4j models send (file
 * uploads) are not carried over, and the Anthropic models send none.
 *
 * <p>Works with LangChain4j 1.7.1 to 1.19.0 (tested with both). Thread-safe once built; one instance may serve
 * several models.
 */
public final class WorkloadIdentityHttpClientBuilder implements HttpClientBuilder {

    /**
     * What to give the model's {@code apiKey(...)}, which LangChain4j requires: a placeholder, not a secret,
     * that this client removes from every request before it is sent.
     */
    public static final String API_KEY_PLACEHOLDER = "wif4j-workload-identity-no-api-key";

    /** The beta that lets the Claude API accept a bearer token. */
    public static final String OAUTH_BETA = AuthorizingHttpClient.OAUTH_BETA;

    private final AnthropicCredentials credentials;
    private final TokenScope scope;
    /** The builder beneath; {@code null} until first needed, then LangChain4j's default. */
    private HttpClientBuilder delegate;

    private WorkloadIdentityHttpClientBuilder(AnthropicCredentials credentials, TokenScope scope,
            HttpClientBuilder delegate) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.scope = Objects.requireNonNull(scope, "scope");
        this.delegate = delegate;
    }

    /**
     * A builder for the workload identity the environment describes ({@link WorkloadIdentity#fromEnvironment()}),
     * kept for the life of the process. Make one and give it to every model: it holds the token cache, and each
     * call makes an identity of its own, which exchanges on its own (an identity token read from a file would then
     * be presented twice, and the second exchange refused).
     *
     * @return the builder
     * @throws dev.wif4j.ConfigurationException if a setting is missing or invalid
     * @throws dev.wif4j.IdentityProviderNotFoundException if no identity provider can be used here
     */
    public static WorkloadIdentityHttpClientBuilder fromEnvironment() {
        return of(WorkloadIdentity.fromEnvironment());
    }

    /**
     * A builder for a workload identity built in code; tokens go only where its {@link WorkloadIdentity#tokenScope()}
     * permits.
     *
     * @param identity the identity; it must stay open while models use the clients built here
     * @return the builder
     */
    public static WorkloadIdentityHttpClientBuilder of(WorkloadIdentity identity) {
        return of(Objects.requireNonNull(identity, "identity").credentials());
    }

    /**
     * A builder over any source of access tokens, which go only where {@link AnthropicCredentials#tokenScope()}
     * permits (for credentials implemented elsewhere, by default {@code https://api.anthropic.com},
     * {@code ANTHROPIC_BASE_URL}'s origin and {@code WIF4J_ALLOWED_ORIGINS}).
     *
     * @param credentials the tokens
     * @return the builder
     * @throws dev.wif4j.ConfigurationException if the default scope's variables hold a URL that is not allowed
     */
    public static WorkloadIdentityHttpClientBuilder of(AnthropicCredentials credentials) {
        return new WorkloadIdentityHttpClientBuilder(credentials,
                Objects.requireNonNull(credentials, "credentials").tokenScope(), null);
    }

    /**
     * The same credentials over another HTTP client, e.g. LangChain4j's Spring {@code RestClient} one, or a JDK
     * client builder with a proxy.
     *
     * @param delegate the builder of the client that sends the requests
     * @return a new builder; this one is unchanged
     */
    public WorkloadIdentityHttpClientBuilder over(HttpClientBuilder delegate) {
        return new WorkloadIdentityHttpClientBuilder(credentials, scope, Objects.requireNonNull(delegate, "delegate"));
    }

    private HttpClientBuilder delegate() {
        if (delegate == null) {
            delegate = HttpClientBuilderLoader.loadHttpClientBuilder();
        }
        return delegate;
    }

    /**
     * The connect timeout of the builder beneath.
     *
     * @return the timeout, or {@code null} if none was set
     */
    @Override
    public synchronized Duration connectTimeout() {
        return delegate().connectTimeout();
    }

    /**
     * Sets the connect timeout of the builder beneath.
     *
     * @param timeout the timeout
     * @return this builder
     */
    @Override
    public synchronized WorkloadIdentityHttpClientBuilder connectTimeout(Duration timeout) {
        delegate().connectTimeout(timeout);
        return this;
    }

    /**
     * The read timeout of the builder beneath.
     *
     * @return the timeout, or {@code null} if none was set
     */
    @Override
    public synchronized Duration readTimeout() {
        return delegate().readTimeout();
    }

    /**
     * Sets the read timeout of the builder beneath.
     *
     * @param timeout the timeout
     * @return this builder
     */
    @Override
    public synchronized WorkloadIdentityHttpClientBuilder readTimeout(Duration timeout) {
        delegate().readTimeout(timeout);
        return this;
    }

    /**
     * Builds the client beneath and wraps it in one that authorises every request.
     *
     * @return the client
     */
    @Override
    public synchronized HttpClient build() {
        return new AuthorizingHttpClient(delegate().build(), credentials, scope);
    }

    @Override
    public String toString() {
        return "WorkloadIdentityHttpClientBuilder[" + credentials + "]";
    }
}
