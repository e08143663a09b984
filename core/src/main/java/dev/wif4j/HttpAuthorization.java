package dev.wif4j;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Calls the Claude API with plain {@code java.net.http}: sets the bearer token and the OAuth beta on a
 * request, and replays a request once after a 401 with a fresh token. A token goes only where the
 * {@link TokenScope} permits: a request for another origin is refused before anything is sent.
 *
 * <pre>{@code
 * WorkloadIdentity identity = WorkloadIdentity.fromEnvironment();
 * HttpResponse<String> reply = HttpAuthorization.send(client, HttpRequest.newBuilder(uri).POST(body),
 *         HttpResponse.BodyHandlers.ofString(), identity.credentials());
 * }</pre>
 */
public final class HttpAuthorization {

    /** The beta that lets the Claude API accept a bearer token. */
    public static final String OAUTH_BETA = "oauth-2025-04-20";

    private HttpAuthorization() {
    }

    /**
     * Sets {@code Authorization: Bearer <token>} and adds {@value #OAUTH_BETA} to {@code anthropic-beta}
     * unless present, if {@link TokenScope#fromEnvironment()} permits the request's URI (the scope when no
     * {@link WorkloadIdentity} is known: {@code https://api.anthropic.com}, {@code ANTHROPIC_BASE_URL} and
     * {@code WIF4J_ALLOWED_ORIGINS}). The builder must have its URI; do not give it an {@code X-Api-Key}.
     *
     * @param request the request builder; changed and returned
     * @param token the access token
     * @return the builder
     * @throws WorkloadIdentityException if the scope does not permit the URI; the builder is then unchanged
     */
    public static HttpRequest.Builder authorize(HttpRequest.Builder request, AccessToken token) {
        return authorize(request, token, TokenScope.fromEnvironment());
    }

    /**
     * Sets {@code Authorization: Bearer <token>} and adds {@value #OAUTH_BETA} to {@code anthropic-beta}
     * unless present, if the scope permits the request's URI, e.g.
     * {@code authorize(builder, identity.credentials().token(), identity.tokenScope())}. The builder must have
     * its URI; do not give it an {@code X-Api-Key}.
     *
     * @param request the request builder; changed and returned
     * @param token the access token
     * @param scope where the token may go
     * @return the builder
     * @throws WorkloadIdentityException if the scope does not permit the URI; the builder is then unchanged
     */
    public static HttpRequest.Builder authorize(HttpRequest.Builder request, AccessToken token, TokenScope scope) {
        Objects.requireNonNull(token, "token");
        HttpRequest built = request.copy().build();
        scope.check(built.uri());
        return setHeaders(request, built, token);
    }

    private static HttpRequest.Builder setHeaders(HttpRequest.Builder request, HttpRequest built, AccessToken token) {
        return request.setHeader("Authorization", token.authorizationHeaderValue())
                .setHeader("anthropic-beta", betaHeader(built.headers().allValues("anthropic-beta")));
    }

    /**
     * The {@code anthropic-beta} value a request with an OAuth access token needs: the request's own betas in order,
     * once each (comma-separated values split, blanks dropped), and {@value #OAUTH_BETA} unless already there. For
     * the interceptors of other HTTP clients, which set the header themselves.
     *
     * @param values the request's {@code anthropic-beta} header values; none is fine
     * @return the value to set
     */
    public static String betaHeader(Iterable<String> values) {
        Set<String> betas = new LinkedHashSet<>();
        for (String value : values) {
            for (String beta : value.split(",")) {
                if (!beta.isBlank()) {
                    betas.add(beta.strip());
                }
            }
        }
        betas.add(OAUTH_BETA);
        return String.join(",", betas);
    }

    /**
     * Sends a request with the current token; on a 401, drops the token and sends the request once more
     * with a fresh one. A second 401, or a 401 after which the credentials keep the same token (they drop a
     * token at most once a minute for 401s), is returned as it is. The request is first checked against
     * {@link AnthropicCredentials#tokenScope()}: one it does not permit is not sent, and no token is fetched.
     *
     * @param client the client
     * @param request the request builder, with its URI, method and body
     * @param handler the body handler
     * @param credentials where tokens come from
     * @param <T> the body type
     * @return the response
     * @throws IOException when the request cannot be sent
     * @throws InterruptedException when interrupted
     * @throws WorkloadIdentityException if the credentials' scope does not permit the request's URI
     */
    public static <T> HttpResponse<T> send(HttpClient client, HttpRequest.Builder request,
            HttpResponse.BodyHandler<T> handler, AnthropicCredentials credentials)
            throws IOException, InterruptedException {
        HttpRequest built = request.copy().build();
        credentials.tokenScope().check(built.uri());
        AccessToken token = credentials.token();
        HttpResponse<T> response = client.send(setHeaders(request.copy(), built, token).build(), handler);
        if (response.statusCode() != 401) {
            return response;
        }
        Optional<AccessToken> fresh = credentials.replacementFor(token);
        if (fresh.isEmpty()) {
            return response; // the same token would be refused again
        }
        return client.send(setHeaders(request.copy(), built, fresh.get()).build(), handler);
    }
}
