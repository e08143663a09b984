package dev.wif4j.provider.github.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.BoundedHttp;
import dev.wif4j.spi.support.Text;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fetches a new OIDC token from the Actions token service for every call: GET the request URL with
 * {@code audience} added to its query, {@code Authorization: Bearer <request token>}, the JWT in the JSON
 * field {@code value}. Each fetch is one request, bounded as a whole by the fetch timeout; a network error,
 * 408, 429 or 5xx is thrown retryable, and wif4j's exchange tries again with a new fetch.
 */
public final class ActionsTokenClient implements IdentityTokenSource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UPSTREAM = "the GitHub Actions token service";
    private static final int MAX_BODY = 64 * 1024;
    private static final List<String> RULE_CLAIMS =
            List.of("repository", "repository_owner", "ref", "job_workflow_ref", "environment");

    private final URI url;
    private final String requestToken;
    private final String audience;
    private final Duration timeout;
    private final System.Logger log;
    private final HttpClient http;
    private final AtomicBoolean described = new AtomicBoolean();

    /**
     * @param requestUrl {@code ACTIONS_ID_TOKEN_REQUEST_URL}, checked
     * @param requestToken {@code ACTIONS_ID_TOKEN_REQUEST_TOKEN}
     * @param audience the audience to ask for
     * @param timeout how long one fetch may take in all
     * @param log where the first token's rule-relevant claims are described
     */
    public ActionsTokenClient(URI requestUrl, String requestToken, String audience, Duration timeout,
            System.Logger log) {
        this.url = withAudience(requestUrl, audience);
        this.requestToken = requestToken;
        this.audience = audience;
        this.timeout = timeout;
        this.log = log;
        // The runner's own proxy settings apply (self-hosted runners often need one); never follow a redirect
        // with the request token.
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
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
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            throw new IdentityTokenException("The GitHub Actions token service answered HTTP 200, but not with JSON.");
        }
        JsonNode value = json == null ? null : json.get("value");
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IdentityTokenException("The GitHub Actions token service answered without a token: the JSON "
                    + "has no \"value\" field.");
        }
        IdentityToken token;
        try {
            token = IdentityToken.parse(value.asText().strip());
        } catch (IdentityTokenException e) {
            throw new IdentityTokenException("The GitHub Actions token service's \"value\" is not a JWT: "
                    + e.getMessage());
        }
        describeOnce(token);
        return token;
    }

    /** Says once which claims a federation rule can pin, so users can write a narrow one. */
    private void describeOnce(IdentityToken token) {
        if (!described.compareAndSet(false, true)) {
            return;
        }
        StringJoiner claims = new StringJoiner(", ");
        for (String name : RULE_CLAIMS) {
            token.stringClaim(name).ifPresent(v -> claims.add(name + "=" + Text.escape(v, 200)));
        }
        log.log(Level.INFO, () -> "GitHub Actions OIDC token: iss=" + Text.escape(token.issuer().orElse("?"), 200)
                + ", sub=" + Text.escape(token.subject().orElse("?"), 200) + ", aud=" + Text.escape(
                        token.audience().toString(), 200) + ". A narrow federation rule pins subject_prefix to that "
                + "sub and audience to " + audience + "; claims it can pin: " + claims + ".");
    }

    @Override
    public String toString() {
        // The URL's path holds run ids, not secrets; the request token is never shown.
        return "ActionsTokenClient[" + url.getScheme() + "://" + url.getAuthority() + ", audience=" + audience + "]";
    }
}
