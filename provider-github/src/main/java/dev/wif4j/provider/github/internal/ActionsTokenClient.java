package dev.wif4j.provider.github.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fetches a new OIDC token from the Actions token service for every call: GET the request URL with
 * {@code audience} added to its query, {@code Authorization: Bearer <request token>}, the JWT in the JSON
 * field {@code value}. 502, 503, 504 and network errors are retried twice with a short backoff.
 */
public final class ActionsTokenClient implements IdentityTokenSource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ATTEMPTS = 3;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_BODY = 64 * 1024;
    private static final List<String> RULE_CLAIMS =
            List.of("repository", "repository_owner", "ref", "job_workflow_ref", "environment");

    private final URI url;
    private final String requestToken;
    private final String audience;
    private final System.Logger log;
    private final HttpClient http;
    private final AtomicBoolean described = new AtomicBoolean();

    /**
     * @param requestUrl {@code ACTIONS_ID_TOKEN_REQUEST_URL}
     * @param requestToken {@code ACTIONS_ID_TOKEN_REQUEST_TOKEN}
     * @param audience the audience to ask for
     * @param log where the first token's rule-relevant claims are described
     */
    public ActionsTokenClient(URI requestUrl, String requestToken, String audience, System.Logger log) {
        this.url = withAudience(requestUrl, audience);
        this.requestToken = requestToken;
        this.audience = audience;
        this.log = log;
        // The runner's own proxy settings apply (self-hosted runners often need one); never follow a redirect
        // with the request token.
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
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

    /**
     * Checks a request URL: https, or http on a loopback address (an emulator).
     *
     * @param value the variable's value
     * @return what is wrong with it, or {@code null}
     */
    public static String checkUrl(String value) {
        URI uri;
        try {
            uri = URI.create(value.strip());
        } catch (IllegalArgumentException e) {
            return "is not a URL";
        }
        if (uri.getHost() == null || uri.getScheme() == null) {
            return "is not an absolute URL";
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if ("https".equals(scheme) || "http".equals(scheme) && isLoopback(uri.getHost())) {
            return null;
        }
        return "is not an https URL (" + scheme + "://" + uri.getHost() + "); the request token is never sent in clear";
    }

    private static boolean isLoopback(String host) {
        if ("localhost".equalsIgnoreCase(host)) {
            return true;
        }
        String literal = host.replace("[", "").replace("]", "");
        if (!literal.matches("[0-9.]+") && !literal.contains(":")) {
            return false; // a name: never resolved here
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public IdentityToken fetch() {
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            try {
                IdentityToken token = attempt();
                describeOnce(token);
                return token;
            } catch (Transient e) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw new IdentityTokenException("The GitHub Actions token service at " + url.getHost() + " "
                            + e.getMessage() + " (" + MAX_ATTEMPTS + " attempts).", e.getCause(), true);
                }
                log.log(Level.DEBUG, () -> "GitHub Actions token service " + e.getMessage() + "; retrying");
                sleep(backoff);
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    private IdentityToken attempt() throws Transient {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + requestToken)
                .header("Accept", "application/json")
                .GET()
                .build();
        int status;
        byte[] body;
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_BODY + 1);
            }
        } catch (IOException e) {
            throw new Transient("could not be reached: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IdentityTokenException("Interrupted while asking the GitHub Actions token service.", e);
        }
        if (status == 502 || status == 503 || status == 504) {
            throw new Transient("answered HTTP " + status, null);
        }
        if (status == 401 || status == 403) {
            throw new IdentityTokenException("The GitHub Actions token service refused ACTIONS_ID_TOKEN_REQUEST_TOKEN "
                    + "(HTTP " + status + "). The request token is valid only in the job that received it, for as "
                    + "long as the job runs.");
        }
        if (status != 200) {
            throw new IdentityTokenException("The GitHub Actions token service answered HTTP " + status + ".");
        }
        if (body.length > MAX_BODY) {
            throw new IdentityTokenException("The GitHub Actions token service answered with more than " + MAX_BODY
                    + " bytes; a token response is a few kilobytes.");
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
        try {
            return IdentityToken.parse(value.asText().strip());
        } catch (IdentityTokenException e) {
            throw new IdentityTokenException("The GitHub Actions token service's \"value\" is not a JWT: "
                    + e.getMessage());
        }
    }

    /** Says once which claims a federation rule can pin, so users can write a narrow one. */
    private void describeOnce(IdentityToken token) {
        if (!described.compareAndSet(false, true)) {
            return;
        }
        StringJoiner claims = new StringJoiner(", ");
        for (String name : RULE_CLAIMS) {
            token.stringClaim(name).ifPresent(v -> claims.add(name + "=" + v));
        }
        log.log(Level.INFO, () -> "GitHub Actions OIDC token: iss=" + token.issuer().orElse("?") + ", sub="
                + token.subject().orElse("?") + ", aud=" + token.audience() + ". A narrow federation rule pins "
                + "subject_prefix to that sub and audience to " + audience + "; claims it can pin: " + claims + ".");
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IdentityTokenException("Interrupted while waiting to retry the GitHub Actions token service.", e);
        }
    }

    @Override
    public String toString() {
        // The URL's path holds run ids, not secrets; the request token is never shown.
        return "ActionsTokenClient[" + url.getScheme() + "://" + url.getAuthority() + ", audience=" + audience + "]";
    }

    /** A failure worth another attempt. */
    private static final class Transient extends Exception {
        private static final long serialVersionUID = 1L;

        Transient(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }
}
