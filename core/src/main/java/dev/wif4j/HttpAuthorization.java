package dev.wif4j;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Calls the Claude API with plain {@code java.net.http}: sets the bearer token and the OAuth beta on a
 * request, and replays a request once after a 401 with a fresh token.
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
     * unless present. The builder must have its URI; do not give it an {@code X-Api-Key}.
     *
     * @param request the request builder; changed and returned
     * @param token the access token
     * @return the builder
     */
    public static HttpRequest.Builder authorize(HttpRequest.Builder request, AccessToken token) {
        Objects.requireNonNull(token, "token");
        Set<String> betas = new LinkedHashSet<>();
        for (String value : request.copy().build().headers().allValues("anthropic-beta")) {
            for (String beta : value.split(",")) {
                if (!beta.isBlank()) {
                    betas.add(beta.strip());
                }
            }
        }
        betas.add(OAUTH_BETA);
        return request.setHeader("Authorization", token.authorizationHeaderValue())
                .setHeader("anthropic-beta", String.join(",", betas));
    }

    /**
     * Sends a request with the current token; on a 401, drops the token and sends the request once more
     * with a fresh one. A second 401 is returned as it is.
     *
     * @param client the client
     * @param request the request builder, with its URI, method and body
     * @param handler the body handler
     * @param credentials where tokens come from
     * @param <T> the body type
     * @return the response
     * @throws IOException when the request cannot be sent
     * @throws InterruptedException when interrupted
     */
    public static <T> HttpResponse<T> send(HttpClient client, HttpRequest.Builder request,
            HttpResponse.BodyHandler<T> handler, AnthropicCredentials credentials)
            throws IOException, InterruptedException {
        AccessToken token = credentials.token();
        HttpResponse<T> response = client.send(authorize(request.copy(), token).build(), handler);
        if (response.statusCode() != 401) {
            return response;
        }
        credentials.invalidate(token);
        return client.send(authorize(request.copy(), credentials.token()).build(), handler);
    }
}
