package dev.wif4j.spring.internal;

import dev.wif4j.AccessToken;
import dev.wif4j.AnthropicCredentials;
import dev.wif4j.HttpAuthorization;
import dev.wif4j.TokenScope;
import dev.wif4j.WorkloadIdentityException;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Spring AI's hook takes an {@code okhttp3.Interceptor}, not the official client's {@code Interceptor}, so
 * this is {@code dev.wif4j.anthropic.WorkloadIdentityInterceptor}'s behaviour at the OkHttp level: on every
 * attempt {@code Authorization: Bearer}, the OAuth beta once, no {@code X-Api-Key}; on a 401 the token is
 * dropped and a replayable request is sent once more, unless the credentials kept the refused token (they drop
 * one at most once a minute for 401s). Idempotent: a request it has already authorised (it was added twice to
 * one client) passes through untouched, so there is never more than one replay. A request for an origin the
 * credentials' {@link TokenScope} does not permit fails with an {@link IOException} naming that origin and the
 * setting that allows it, before a token is fetched or anything is sent.
 */
public final class OkHttpBearerInterceptor implements Interceptor {
    /** Marks a request this interceptor authorised. */
    private static final class Authorized {
        static final Authorized INSTANCE = new Authorized();
    }

    private final AnthropicCredentials credentials;
    private final TokenScope scope;

    /**
     * Creates the interceptor, sending tokens only where the credentials' {@link AnthropicCredentials#tokenScope()}
     * permits.
     *
     * @param credentials the token cache
     */
    public OkHttpBearerInterceptor(AnthropicCredentials credentials) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.scope = credentials.tokenScope();
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        if (request.tag(Authorized.class) != null) {
            return chain.proceed(request);
        }
        try {
            scope.check(request.url().uri());
        } catch (WorkloadIdentityException e) {
            // An IOException, as for a failed token fetch: anything else would kill OkHttp's dispatcher thread.
            throw new IOException(e.getMessage(), e);
        }
        AccessToken token = token();
        Response response = chain.proceed(authorize(request, token));
        if (response.code() != 401 || !replayable(request)) {
            return response;
        }
        Optional<AccessToken> fresh;
        try {
            fresh = credentials.replacementFor(token);
        } catch (RuntimeException e) {
            response.close();
            throw asIoException(e);
        }
        if (fresh.isEmpty()) {
            return response; // the credentials kept it: the same token would be refused again
        }
        response.close();
        return chain.proceed(authorize(request, fresh.get()));
    }

    private AccessToken token() throws IOException {
        try {
            return credentials.token();
        } catch (RuntimeException e) {
            throw asIoException(e);
        }
    }

    /** OkHttp reports IOExceptions to async callers; anything else would kill its dispatcher thread. */
    private static IOException asIoException(RuntimeException e) {
        return new IOException(e.getMessage(), e);
    }

    static Request authorize(Request request, AccessToken token) {
        return request.newBuilder()
                .removeHeader("X-Api-Key")
                .header("Authorization", token.authorizationHeaderValue())
                .header("anthropic-beta", HttpAuthorization.betaHeader(request.headers("anthropic-beta")))
                .tag(Authorized.class, Authorized.INSTANCE)
                .build();
    }

    private static boolean replayable(Request request) {
        RequestBody body = request.body();
        return body == null || !body.isOneShot();
    }

    @Override
    public String toString() {
        return "OkHttpBearerInterceptor[" + credentials + "]";
    }
}
