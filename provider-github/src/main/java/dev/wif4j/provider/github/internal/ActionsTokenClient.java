package dev.wif4j.provider.github.internal;

import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.BoundedHttp;
import dev.wif4j.spi.support.FirstTokenLog;
import dev.wif4j.spi.support.JsonAnswer;
import dev.wif4j.spi.support.JsonAnswerException;
import dev.wif4j.spi.support.UpstreamHttp;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Fetches a new OIDC token from the Actions token service for every call: GET the request URL with
 * {@code audience} added to its query, {@code Authorization: Bearer <request token>}, the JWT in the JSON
 * field {@code value}. Each fetch is one request, bounded as a whole by the fetch timeout; a network error,
 * 408, 429 or 5xx is thrown retryable, and wif4j's exchange tries again with a new fetch.
 */
public final class ActionsTokenClient implements IdentityTokenSource {

    private static final String UPSTREAM = "the GitHub Actions token service";
    private static final int MAX_BODY = 64 * 1024;
    private static final String NO_VALUE = "The GitHub Actions token service answered without a token: the JSON "
            + "has no \"value\" field.";

    private final URI url;
    private final String requestToken;
    private final String audience;
    private final Duration timeout;
    private final FirstTokenLog described;
    private final HttpClient http;

    /**
     * @param requestUrl {@code ACTIONS_ID_TOKEN_REQUEST_URL}, checked
     * @param requestToken {@code ACTIONS_ID_TOKEN_REQUEST_TOKEN}
     * @param audience the audience to ask for
     * @param timeout how long one fetch may take in all
     * @param described describes the first token's rule-relevant claims
     */
    public ActionsTokenClient(URI requestUrl, String requestToken, String audience, Duration timeout,
            FirstTokenLog described) {
        this.url = withAudience(requestUrl, audience);
        this.requestToken = requestToken;
        this.audience = audience;
        this.timeout = timeout;
        this.described = described;
        // The runner's own proxy settings apply (self-hosted runners often need one); no redirect is followed.
        this.http = UpstreamHttp.client(timeout);
    }

    /**
     * Adds {@code audience} to a URL's query, whether or not it has one already.
     *
     * @param requestUrl the URL
     * @param audience the audience
     * @return the URL to GET
     */
    public static URI withAudience(URI requestUrl, String audience) {
        String base = requestUrl.toString();
        String fragment = "";
        int hash = base.indexOf('#');
        if (hash >= 0) {
            fragment = base.substring(hash);
            base = base.substring(0, hash);
        }
        String separator = base.indexOf('?') < 0 ? "?" : (base.endsWith("?") || base.endsWith("&") ? "" : "&");
        return URI.create(base + separator + "audience=" + URLEncoder.encode(audience, StandardCharsets.UTF_8) + fragment);
    }

    @Override
    public IdentityToken fetch() {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Authorization", "Bearer " + requestToken)
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<byte[]> response = BoundedHttp.send(http, request, MAX_BODY, timeout, UPSTREAM);
        int status = response.statusCode();
        byte[] body = response.body();
        if (status == 401 || status == 403) {
            throw new IdentityTokenException("The GitHub Actions token service refused ACTIONS_ID_TOKEN_REQUEST_TOKEN "
                    + "(HTTP " + status + "). The request token is valid only in the job that received it, for as "
                    + "long as the job runs.");
        }
        if (status != 200) {
            throw new IdentityTokenException("The GitHub Actions token service at " + url.getHost() + " answered HTTP "
                    + status + ".", null, BoundedHttp.isTransient(status));
        }
        if (body.length == 0) {
            throw new IdentityTokenException("The GitHub Actions token service answered HTTP 200 with an empty body.");
        }
        String value;
        try {
            value = JsonAnswer.parse(body, UPSTREAM).string("value").orElseThrow(() -> new IdentityTokenException(
                    NO_VALUE));
        } catch (JsonAnswerException e) {
            throw new IdentityTokenException(switch (e.kind()) {
                case NOT_JSON -> "The GitHub Actions token service answered HTTP 200, but not with JSON.";
                case NOT_AN_OBJECT -> NO_VALUE;
                default -> e.getMessage();
            });
        }
        IdentityToken token;
        try {
            token = IdentityToken.parse(value.strip());
        } catch (IdentityTokenException e) {
            throw new IdentityTokenException("The GitHub Actions token service's \"value\" is not a JWT: "
                    + e.getMessage());
        }
        return described.once(token);
    }

    @Override
    public String toString() {
        // The URL's path holds run ids, not secrets; the request token is never shown.
        return "ActionsTokenClient[" + url.getScheme() + "://" + url.getAuthority() + ", audience=" + audience + "]";
    }
}
