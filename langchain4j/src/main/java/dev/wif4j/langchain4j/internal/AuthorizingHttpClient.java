package dev.wif4j.langchain4j.internal;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import dev.wif4j.AccessToken;
import dev.wif4j.AnthropicCredentials;
import dev.wif4j.HttpAuthorization;
import dev.wif4j.TokenScope;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A LangChain4j {@link HttpClient} that authorises every request with a workload-identity access token before
 * handing it to the client beneath; what {@code WorkloadIdentityHttpClientBuilder} builds. Compiled against the
 * oldest LangChain4j supported, so it calls only what every supported release has.
 */
public final class AuthorizingHttpClient implements HttpClient {

    /** The beta that lets the Claude API accept a bearer token. */
    public static final String OAUTH_BETA = HttpAuthorization.OAUTH_BETA;

    private final HttpClient next;
    private final AnthropicCredentials credentials;
    private final TokenScope scope;

    /**
     * Wraps a client.
     *
     * @param next the client that sends the requests
     * @param credentials the tokens
     * @param scope where the tokens may go
     */
    public AuthorizingHttpClient(HttpClient next, AnthropicCredentials credentials, TokenScope scope) {
        this.next = Objects.requireNonNull(next, "next");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.scope = Objects.requireNonNull(scope, "scope");
    }

    /**
     * Sends the request with the current token; on a 401, once more with a different token if the credentials
     * give one.
     *
     * @param request the request
     * @return the successful response
     * @throws HttpException for an unsuccessful one (the 401 itself when no replay was made)
     * @throws dev.wif4j.WorkloadIdentityException if the scope refuses the request's origin (nothing is sent) or
     *     no token could be had
     */
    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        check(request);
        AccessToken token = credentials.token();
        if (carries(request, token)) {
            return next.execute(request);
        }
        try {
            return next.execute(authorize(request, token));
        } catch (HttpException e) {
            if (e.statusCode() != 401) {
                throw e;
            }
            Optional<AccessToken> fresh = credentials.replacementFor(token);
            if (fresh.isEmpty()) {
                throw e; // the credentials kept it: the same token would be refused again
            }
            return next.execute(authorize(request, fresh.get()));
        }
    }

    /**
     * Streams the request with the current token. No replay (the 401 arrives on the client's own thread, through
     * the model's listener); the refused token is dropped so the next call exchanges a new one. A refused origin
     * or a failed token fetch reaches the listener's {@code onError}, as a failed connection would.
     *
     * @param request the request
     * @param parser the parser of the event stream
     * @param listener the model's listener
     */
    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        AccessToken token;
        try {
            check(request);
            token = credentials.token();
        } catch (RuntimeException e) {
            listener.onError(e);
            return;
        }
        if (carries(request, token)) {
            next.execute(request, parser, listener);
            return;
        }
        next.execute(authorize(request, token), parser, droppingOn401(listener, token));
    }

    /**
     * The listener, forwarding every call as it is, that also drops the token when the stream fails with a 401.
     * A proxy rather than a subclass: the listener interface gains methods across LangChain4j releases (an
     * {@code onEvent} with a context for cancelling, in 1.12), and a wrapper compiled against the oldest would
     * hide them.
     */
    private ServerSentEventListener droppingOn401(ServerSentEventListener listener, AccessToken token) {
        return (ServerSentEventListener) Proxy.newProxyInstance(ServerSentEventListener.class.getClassLoader(),
                new Class<?>[] {ServerSentEventListener.class}, (proxy, method, args) -> {
                    if (method.getName().equals("onError") && args != null && args.length == 1
                            && args[0] instanceof HttpException e && e.statusCode() == 401) {
                        credentials.invalidate(token);
                    }
                    try {
                        return method.invoke(listener, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /**
     * The request with the token's headers: {@code Authorization} replaced, {@code x-api-key} removed, and
     * {@value #OAUTH_BETA} added to {@code anthropic-beta} unless present. Header names are matched without regard
     * to case (LangChain4j's older requests keep them as given).
     *
     * @param request the request
     * @param token the token
     * @return the authorised request
     */
    static HttpRequest authorize(HttpRequest request, AccessToken token) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        List<String> betas = new ArrayList<>();
        for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
            String name = header.getKey();
            if (name.equalsIgnoreCase("anthropic-beta")) {
                betas.addAll(header.getValue());
            } else if (!name.equalsIgnoreCase("x-api-key") && !name.equalsIgnoreCase("Authorization")) {
                headers.put(name, header.getValue());
            }
        }
        headers.put("Authorization", List.of(token.authorizationHeaderValue()));
        headers.put("anthropic-beta", List.of(HttpAuthorization.betaHeader(betas)));
        return HttpRequest.builder()
                .method(request.method())
                .url(request.url())
                .headers(headers)
                .body(request.body())
                .build();
    }

    /** Whether a wif4j client nearer the model already authorised this request with this token. */
    private static boolean carries(HttpRequest request, AccessToken token) {
        for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
            if (header.getKey().equalsIgnoreCase("Authorization")) {
                return List.of(token.authorizationHeaderValue()).equals(header.getValue());
            }
        }
        return false;
    }

    /** Refuses a request the scope does not permit: before a token is fetched, so nothing is sent. */
    private void check(HttpRequest request) {
        URI uri;
        try {
            uri = new URI(request.url()); // the origin is all the scope looks at
        } catch (URISyntaxException e) {
            uri = null; // refused by the scope, without quoting it
        }
        scope.check(uri);
    }

    @Override
    public String toString() {
        return "WorkloadIdentityHttpClient[" + credentials + " over " + next.getClass().getName() + "]";
    }
}
