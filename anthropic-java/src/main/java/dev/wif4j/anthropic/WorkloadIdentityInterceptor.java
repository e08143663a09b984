package dev.wif4j.anthropic;

import com.anthropic.core.RequestOptions;
import com.anthropic.core.http.HttpClient;
import com.anthropic.core.http.HttpRequest;
import com.anthropic.core.http.HttpRequestBody;
import com.anthropic.core.http.HttpResponse;
import com.anthropic.core.http.Interceptor;
import dev.wif4j.AccessToken;
import dev.wif4j.AnthropicCredentials;
import dev.wif4j.HttpAuthorization;
import dev.wif4j.TokenScope;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.WorkloadIdentityBuilder;
import dev.wif4j.WorkloadIdentityException;
import dev.wif4j.anthropic.internal.OfficialClientTransport;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Authorises every request of the official Claude Java client with a workload-identity access token:
 *
 * <pre>{@code
 * AnthropicClient client = AnthropicOkHttpClient.builder()
 *         .addInterceptor(WorkloadIdentityInterceptor.fromEnvironment())
 *         .build();
 * }</pre>
 *
 * <p>On every attempt (the client's retries included) it sets {@code Authorization: Bearer <token>}, adds
 * {@code oauth-2025-04-20} to {@code anthropic-beta} once, and removes any {@code X-Api-Key}. When the API
 * answers 401, it drops the cached token and, if the request body can be sent again, replays the request
 * once with a fresh token; a second 401 goes back to the caller. Synchronous, asynchronous and streaming
 * calls alike. Thread-safe; one instance serves any number of clients. Idempotent: a request that already
 * carries the current token (the interceptor was added twice to one client) passes through untouched, so a
 * 401 still costs at most one replay and one exchange; and no replay is made when the credentials keep the
 * refused token (they drop a token at most once a minute for 401s, see
 * {@link AnthropicCredentials#invalidate(AccessToken)}).
 *
 * <p>The token goes only where a {@link TokenScope} permits: the origin of the identity's base URL and the
 * origins allowed with {@code WIF4J_ALLOWED_ORIGINS} (or {@code WorkloadIdentity.builder().allowedOrigin(...)}),
 * never plain http to a host that is not loopback. A client whose {@code baseUrl(...)} points elsewhere gets a
 * {@link WorkloadIdentityException} naming that origin and the setting, and nothing is sent. (The client's 2.x
 * releases name no base URL at this level, their backend adds it beneath the interceptors, so there the origin
 * cannot be checked: this module supports 3.x.)
 *
 * <p>Made with {@link #fromEnvironment()} or {@link #from(WorkloadIdentityBuilder)}, it also performs the
 * token exchange over the HTTP client it is installed in, beneath that client's logging and retries: the
 * process loads no second HTTP stack, and the exchange and the API calls share one connection per host.
 */
public final class WorkloadIdentityInterceptor implements Interceptor {

    /** The beta that lets the Claude API accept a bearer token. */
    public static final String OAUTH_BETA = HttpAuthorization.OAUTH_BETA;

    /** Token fetches may block on an exchange; async callers must not wait in the client's threads. */
    private static final Executor TOKEN_THREADS = Executors.newCachedThreadPool(new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "wif4j-anthropic-token-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    });

    private final AnthropicCredentials credentials;
    private final TokenScope scope;
    /** Where the exchange goes when this interceptor built the identity; {@code null} otherwise. */
    private final OfficialClientTransport transport;

    private WorkloadIdentityInterceptor(AnthropicCredentials credentials, TokenScope scope,
            OfficialClientTransport transport) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.scope = Objects.requireNonNull(scope, "scope");
        this.transport = transport;
    }

    /**
     * An interceptor for the workload identity the environment describes
     * ({@link WorkloadIdentity#fromEnvironment()}), kept for the life of the process.
     *
     * @return the interceptor
     */
    public static WorkloadIdentityInterceptor fromEnvironment() {
        return from(WorkloadIdentity.builder());
    }

    /**
     * An interceptor for the workload identity this builder describes, whose token exchange runs over the
     * official client the interceptor is installed in (until one is built, over the JDK's client). Any
     * transport or HTTP client set on the builder is replaced.
     *
     * @param builder the identity's settings
     * @return the interceptor
     */
    public static WorkloadIdentityInterceptor from(WorkloadIdentityBuilder builder) {
        OfficialClientTransport transport = new OfficialClientTransport();
        WorkloadIdentity identity = Objects.requireNonNull(builder, "builder").transport(transport).build();
        return new WorkloadIdentityInterceptor(identity.credentials(), identity.tokenScope(), transport);
    }

    /**
     * An interceptor for a workload identity built in code; tokens go only where its
     * {@link WorkloadIdentity#tokenScope()} permits.
     *
     * @param identity the identity; it must stay open while clients use the interceptor
     * @return the interceptor
     */
    public static WorkloadIdentityInterceptor of(WorkloadIdentity identity) {
        return of(identity.credentials(), identity.tokenScope());
    }

    /**
     * An interceptor over any source of access tokens, which go only where
     * {@link AnthropicCredentials#tokenScope()} permits. For a {@link WorkloadIdentity}'s credentials that is its
     * scope; for credentials implemented elsewhere, which know no base URL, it is by default
     * {@link TokenScope#fromEnvironment()}: {@code https://api.anthropic.com}, the origin
     * {@code ANTHROPIC_BASE_URL} names (where the official client's own {@code fromEnv()} sends requests) and
     * {@code WIF4J_ALLOWED_ORIGINS}, and nothing else: without an identity there is no other base URL to trust.
     * Another origin needs {@link #of(AnthropicCredentials, TokenScope)}.
     *
     * @param credentials the tokens
     * @return the interceptor
     * @throws dev.wif4j.ConfigurationException if the default scope's variables hold a URL that is not allowed
     */
    public static WorkloadIdentityInterceptor of(AnthropicCredentials credentials) {
        return of(credentials, Objects.requireNonNull(credentials, "credentials").tokenScope());
    }

    /**
     * An interceptor over any source of access tokens, sending them only where a scope permits, e.g.
     * {@code TokenScope.of(URI.create("https://gateway.example.com"), List.of())}.
     *
     * @param credentials the tokens
     * @param scope where the tokens may go
     * @return the interceptor
     */
    public static WorkloadIdentityInterceptor of(AnthropicCredentials credentials, TokenScope scope) {
        return new WorkloadIdentityInterceptor(credentials, scope, null);
    }

    @Override
    public HttpClient intercept(HttpClient next) {
        Objects.requireNonNull(next, "next");
        if (transport != null) {
            transport.attach(next);
        }
        return new Authorizing(next);
    }

    /**
     * The request with the token's headers: {@code Authorization} replaced, {@code X-Api-Key} removed, and
     * {@value #OAUTH_BETA} added to {@code anthropic-beta} unless present.
     *
     * @param request the request
     * @param token the token
     * @return the authorised request
     */
    static HttpRequest authorize(HttpRequest request, AccessToken token) {
        return request.toBuilder()
                .removeHeaders("X-Api-Key")
                .replaceHeaders("Authorization", token.authorizationHeaderValue())
                .replaceHeaders("anthropic-beta", HttpAuthorization.betaHeader(request.headers().values("anthropic-beta")))
                .build();
    }

    private static boolean replayable(HttpRequest request) {
        return request.body().map(HttpRequestBody::repeatable).orElse(true);
    }

    /** Whether a wif4j interceptor nearer the caller already authorised this request with this token. */
    private static boolean carries(HttpRequest request, AccessToken token) {
        return request.headers().values("Authorization").equals(List.of(token.authorizationHeaderValue()));
    }

    /** Refuses a request the scope does not permit: before a token is fetched, so nothing is sent. */
    private void check(HttpRequest request) {
        String baseUrl = request.baseUrl();
        if (baseUrl == null) {
            // anthropic-java 2.x only (3.x requires it): its backend sets the base URL beneath the interceptors,
            // where wif4j cannot see it. This module supports 3.x, where every request carries it.
            return;
        }
        URI uri;
        try {
            uri = new URI(baseUrl); // the origin is all the scope looks at
        } catch (java.net.URISyntaxException e) {
            uri = null; // refused below, without quoting it
        }
        scope.check(uri);
    }

    @Override
    public String toString() {
        return "WorkloadIdentityInterceptor[" + credentials + "]";
    }

    private final class Authorizing implements HttpClient {
        private final HttpClient next;

        Authorizing(HttpClient next) {
            this.next = next;
        }

        @Override
        public HttpResponse execute(HttpRequest request, RequestOptions options) {
            check(request);
            AccessToken token = credentials.token();
            if (carries(request, token)) {
                return next.execute(request, options);
            }
            HttpResponse response = next.execute(authorize(request, token), options);
            if (response.statusCode() != 401 || !replayable(request)) {
                return response;
            }
            Optional<AccessToken> fresh;
            try {
                fresh = credentials.replacementFor(token);
            } catch (RuntimeException e) {
                response.close();
                throw e;
            }
            if (fresh.isEmpty()) {
                return response; // the credentials kept it: the same token would be refused again
            }
            response.close();
            return next.execute(authorize(request, fresh.get()), options);
        }

        @Override
        public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions options) {
            try {
                check(request);
            } catch (WorkloadIdentityException e) {
                return CompletableFuture.failedFuture(e);
            }
            return CompletableFuture.supplyAsync(credentials::token, TOKEN_THREADS)
                    .thenCompose(token -> carries(request, token) ? next.executeAsync(request, options)
                            : next.executeAsync(authorize(request, token), options)
                            .thenCompose(response -> {
                                if (response.statusCode() != 401 || !replayable(request)) {
                                    return CompletableFuture.completedFuture(response);
                                }
                                return CompletableFuture.supplyAsync(() -> credentials.replacementFor(token),
                                                TOKEN_THREADS)
                                        .whenComplete((fresh, failure) -> {
                                            if (failure != null) {
                                                response.close();
                                            }
                                        })
                                        .thenCompose(fresh -> {
                                            if (fresh.isEmpty()) {
                                                return CompletableFuture.completedFuture(response);
                                            }
                                            response.close();
                                            return next.executeAsync(authorize(request, fresh.get()), options);
                                        });
                            }));
        }

        @Override
        public void close() {
            if (transport != null) {
                transport.detach(next);
            }
            next.close();
        }

        @Override
        public String toString() {
            return "WorkloadIdentityInterceptor.Authorizing[" + next + "]";
        }
    }

}
