package dev.wif4j.anthropic;

import com.anthropic.core.RequestOptions;
import com.anthropic.core.http.HttpClient;
import com.anthropic.core.http.HttpRequest;
import com.anthropic.core.http.HttpRequestBody;
import com.anthropic.core.http.HttpResponse;
import com.anthropic.core.http.Interceptor;
import dev.wif4j.AccessToken;
import dev.wif4j.AnthropicCredentials;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.anthropic.internal.OfficialClientTransport;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
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
 * calls alike. Thread-safe; one instance serves any number of clients.
 *
 * <p>Made with {@link #fromEnvironment()} or {@link #from(WorkloadIdentity.Builder)}, it also performs the
 * token exchange over the HTTP client it is installed in, beneath that client's logging and retries: the
 * process loads no second HTTP stack, and the exchange and the API calls share one connection per host.
 */
public final class WorkloadIdentityInterceptor implements Interceptor {

    /** The beta that lets the Claude API accept a bearer token. */
    public static final String OAUTH_BETA = "oauth-2025-04-20";

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
    /** Where the exchange goes when this interceptor built the identity; {@code null} otherwise. */
    private final OfficialClientTransport transport;

    private WorkloadIdentityInterceptor(AnthropicCredentials credentials, OfficialClientTransport transport) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
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
    public static WorkloadIdentityInterceptor from(WorkloadIdentity.Builder builder) {
        OfficialClientTransport transport = new OfficialClientTransport();
        WorkloadIdentity identity = Objects.requireNonNull(builder, "builder").transport(transport).build();
        return new WorkloadIdentityInterceptor(identity.credentials(), transport);
    }

    /**
     * An interceptor for a workload identity built in code.
     *
     * @param identity the identity; it must stay open while clients use the interceptor
     * @return the interceptor
     */
    public static WorkloadIdentityInterceptor of(WorkloadIdentity identity) {
        return of(identity.credentials());
    }

    /**
     * An interceptor over any source of access tokens.
     *
     * @param credentials the tokens
     * @return the interceptor
     */
    public static WorkloadIdentityInterceptor of(AnthropicCredentials credentials) {
        return new WorkloadIdentityInterceptor(credentials, null);
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
        Set<String> betas = new LinkedHashSet<>();
        for (String value : request.headers().values("anthropic-beta")) {
            for (String beta : value.split(",")) {
                if (!beta.isBlank()) {
                    betas.add(beta.strip());
                }
            }
        }
        betas.add(OAUTH_BETA);
        return request.toBuilder()
                .removeHeaders("X-Api-Key")
                .replaceHeaders("Authorization", token.authorizationHeaderValue())
                .replaceHeaders("anthropic-beta", String.join(",", new ArrayList<>(betas)))
                .build();
    }

    private static boolean replayable(HttpRequest request) {
        return request.body().map(HttpRequestBody::repeatable).orElse(true);
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
            AccessToken token = credentials.token();
            HttpResponse response = next.execute(authorize(request, token), options);
            if (response.statusCode() != 401 || !replayable(request)) {
                return response;
            }
            response.close();
            credentials.invalidate(token);
            return next.execute(authorize(request, credentials.token()), options);
        }

        @Override
        public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions options) {
            return CompletableFuture.supplyAsync(credentials::token, TOKEN_THREADS)
                    .thenCompose(token -> next.executeAsync(authorize(request, token), options)
                            .thenCompose(response -> {
                                if (response.statusCode() != 401 || !replayable(request)) {
                                    return CompletableFuture.completedFuture(response);
                                }
                                response.close();
                                credentials.invalidate(token);
                                return CompletableFuture.supplyAsync(credentials::token, TOKEN_THREADS)
                                        .thenCompose(fresh -> next.executeAsync(authorize(request, fresh), options));
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
