package dev.wif4j.provider.authentik.internal;

import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.BoundedHttp;
import dev.wif4j.spi.support.JsonAnswer;
import dev.wif4j.spi.support.JsonAnswerException;
import dev.wif4j.spi.support.Setting;
import dev.wif4j.spi.support.Text;
import dev.wif4j.spi.support.TokenFile;
import dev.wif4j.spi.support.UpstreamHttp;
import java.lang.System.Logger.Level;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Asks the token endpoint for a new token on every fetch with the client_credentials grant, and checks
 * it against what Anthropic will check, so a misconfiguration is named here rather than as an opaque 401.
 *
 * <p>A fetch is one token request and nothing else (no discovery: the token URL is configured), bounded as a
 * whole by the context's fetch timeout. A network error, 408, 429 or 5xx is thrown retryable, and wif4j's
 * exchange tries again with a new fetch; a refused client is not retried.
 */
public final class ClientCredentialsSource implements IdentityTokenSource {

    private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final int MAX_BODY = 256 * 1024;
    private static final int MAX_FILE = 64 * 1024;
    /** A JWT or the start of one: a base64url JSON object ({@code eyJ}), with or without its other parts. */
    private static final Pattern JWT_LIKE = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}(\\.[A-Za-z0-9_-]*){0,2}");

    private final ClientSettings settings;
    private final DetectionContext context;
    private final System.Logger log;
    private final HttpClient http;
    private final Duration timeout;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /**
     * @param settings the complete settings
     * @param context where files are read and the log goes
     */
    public ClientCredentialsSource(ClientSettings settings, DetectionContext context) {
        this.settings = settings;
        this.context = context;
        this.log = context.logger("dev.wif4j.provider.authentik");
        this.timeout = context.fetchTimeout();
        this.http = UpstreamHttp.client(timeout); // the JDK's proxy settings; no redirect is followed
    }

    @Override
    public IdentityToken fetch() {
        String secret = settings.secretFile() != null ? readFile(settings.secretFile(), "client secret")
                : settings.secret() != null ? settings.secret().value().orElseThrow() : null;
        String assertion = secret == null ? readFile(settings.assertionFile(), "client assertion") : null;
        String basic = secret != null && settings.basicAuth()
                ? "Basic " + Base64.getEncoder().encodeToString((formEncode(settings.clientId()) + ":"
                        + formEncode(secret)).getBytes(StandardCharsets.UTF_8))
                : null;
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        if (basic == null) {
            form.put("client_id", settings.clientId());
        }
        if (secret != null && basic == null) {
            form.put("client_secret", secret);
        } else if (assertion != null) {
            form.put("client_assertion_type", ASSERTION_TYPE);
            form.put("client_assertion", assertion);
        }
        if (!settings.scope().isEmpty()) {
            form.put("scope", settings.scope());
        }
        StringJoiner body = new StringJoiner("&");
        form.forEach((k, v) -> body.add(formEncode(k) + "=" + formEncode(v)));
        HttpRequest.Builder builder = HttpRequest.newBuilder(settings.tokenUrl())
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (basic != null) {
            builder.header("Authorization", basic); // Base64 of form-encoded text: always a valid header value
        }
        HttpRequest request = builder.build();
        HttpResponse<byte[]> response = BoundedHttp.send(http, request, MAX_BODY, timeout,
                "the token endpoint " + settings.shownTokenUrl());
        int status = response.statusCode();
        JsonAnswer json = parse(response.body(), status == 200);
        if (status != 200) {
            throw refused(status, json, secret != null ? secret : assertion, basic);
        }
        if (json == null) {
            throw new IdentityTokenException("The token endpoint " + settings.shownTokenUrl() + " answered HTTP 200, "
                    + "but not with a JSON object.");
        }
        String field = json.string(settings.tokenField()).orElseThrow(() -> new IdentityTokenException(
                missingField(json)));
        IdentityToken token;
        try {
            token = IdentityToken.parse(field.strip());
        } catch (IdentityTokenException e) {
            throw new IdentityTokenException("The " + settings.tokenField() + " from " + settings.shownTokenUrl()
                    + " is not a JWT: " + e.getMessage());
        }
        check(token);
        return token;
    }

    private String missingField(JsonAnswer json) {
        String message = "The token response from " + settings.shownTokenUrl() + " has no " + settings.tokenField()
                + ".";
        if (settings.tokenField().equals("id_token")) {
            message += " An OIDC server returns one only for the scope openid (the scope asked for was "
                    + Text.quote(settings.scope()) + "; set " + ClientSettings.variable("scope") + ")";
            if (json.has("access_token")) {
                message += "; if its access_token is the JWT (Okta custom authorization servers), set "
                        + ClientSettings.variable("token.field") + "=access_token";
            }
            message += ".";
        }
        return message;
    }

    private IdentityTokenException refused(int status, JsonAnswer json, String credential, String basic) {
        String error = json == null ? null : json.string("error").orElse(null);
        String description = json == null ? null : json.string("error_description").orElse(null);
        String said = error == null ? "" : " " + error + (description == null ? "" : ": " + description);
        said = Text.escape(mask(said, credential, basic), 300);
        String message = "The token endpoint " + settings.shownTokenUrl() + " answered HTTP " + status + said + ".";
        boolean secret = settings.usesSecret();
        if ("invalid_client".equals(error) || "unauthorized_client".equals(error) || status == 401) {
            String check = " It did not accept client " + client() + " with " + settings.credentialDescription()
                    + ": check the client id and its " + (secret ? "secret" : "assertion");
            if (settings.authentik()) {
                check += ", and that the provider allows the client credentials grant.";
            } else {
                check += ", and that the OIDC server lets this client use the client credentials grant (in Keycloak: "
                        + "Client authentication and Service account roles on)"
                        + (secret && !settings.basicAuth() ? "; if the server takes the secret only in an "
                                + "Authorization header, set " + ClientSettings.variable("client.auth")
                                + "=client_secret_basic." : ".");
            }
            return new IdentityTokenException(message + check);
        }
        return new IdentityTokenException(message, null, BoundedHttp.isTransient(status));
    }

    /**
     * What a server echoed, with the credential masked in every form it was sent in (as is, form-encoded with
     * {@code +} or percent-encoded with {@code %20} for a space, in either case of hex digits, and the Basic
     * credentials), and anything shaped like a JWT masked too: a client assertion is never quoted, not even cut.
     */
    static String mask(String text, String credential, String basic) {
        String masked = text;
        if (credential != null && !credential.isEmpty()) {
            String formEncoded = formEncode(credential);
            for (String form : List.of(credential, formEncoded, formEncoded.replace("+", "%20"))) {
                masked = Pattern.compile(Pattern.quote(form), form.equals(credential) ? 0 : Pattern.CASE_INSENSITIVE)
                        .matcher(masked).replaceAll("****");
            }
        }
        if (basic != null) {
            masked = masked.replace(basic.substring("Basic ".length()), "****");
        }
        return JWT_LIKE.matcher(masked).replaceAll("****");
    }

    private static String formEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Anthropic will refuse these; say so before it does. */
    private void check(IdentityToken token) {
        Instant iat = token.issuedAt().orElse(null);
        Instant exp = token.expiresAt().orElse(null);
        if (iat != null && exp != null) {
            long lifetime = Duration.between(iat, exp).toSeconds();
            if (lifetime > settings.maxLifetimeSeconds()) {
                throw new IdentityTokenException("The " + settings.tokenField() + " from " + settings.shownTokenUrl()
                        + " lives " + lifetime + " s (exp - iat), more than the " + settings.maxLifetimeSeconds()
                        + " s the issuer accepts (" + ClientSettings.variable("max.lifetime.seconds")
                        + ", the issuer's maximum identity token lifetime in Anthropic): "
                        + (authentik(token.issuer().orElse(null)) ? "lower the provider's Access Token Validity"
                                : "lower the token lifetime the OIDC server gives this client (in Keycloak: Access "
                                + "Token Lifespan)") + ", or raise the issuer's maximum.");
            }
        }
        String iss = token.issuer().orElse("");
        String shownIss = Text.escape(iss);
        boolean authentik = authentik(iss);
        if (!authentik) {
            // Keycloak, Okta, Auth0, Entra: issuers without a trailing slash, aud set by the server's own
            // mappers. Anthropic compares iss and aud with the Console's values; only an aud-less token is odd.
            if (token.audience().isEmpty()) {
                warnOnce("it has no aud; the federation rule's audience must match aud (in Keycloak, add an Audience "
                        + "mapper to the client)", false);
            }
            return;
        }
        if (!iss.endsWith("/")) {
            warnOnce("iss " + shownIss + " does not end with '/': Anthropic compares it byte for byte with the "
                    + "issuer URL, and authentik's issuer URLs end with a slash (https://<host>/application/o/<slug>/)",
                    true);
        } else if (settings.slug() != null && !iss.endsWith("/application/o/" + settings.slug() + "/")) {
            String slug = Text.escape(settings.slug(), 100);
            warnOnce("iss " + shownIss + " is not the issuer of the application " + slug
                    + " (expected .../application/o/" + slug + "/)", true);
        }
        if (!token.audience().contains(settings.clientId())) {
            warnOnce("aud " + Text.escape(token.audience().toString()) + " does not contain the client id "
                    + client() + "; the federation rule's audience must match aud", true);
        }
    }

    /** authentik's advice only for authentik: its token URL, a slug, or an issuer below {@code /application/o/}. */
    private boolean authentik(String iss) {
        return settings.authentik() || ClientSettings.isAuthentikUrl(iss);
    }

    private void warnOnce(String problem, boolean authentik) {
        if (warned.add(problem)) {
            String from = authentik ? "authentik token from " : "Token from the OIDC server ";
            log.log(Level.WARNING, () -> from + settings.shownTokenUrl() + ": " + problem + ".");
        }
    }

    private String client() {
        return Text.escape(settings.clientId());
    }

    /**
     * A secret or assertion file, re-read on every fetch (a rotated one is picked up); only a regular file is opened
     * (a FIFO would hang).
     */
    private static String readFile(Setting file, String what) {
        return TokenFile.of(file.asPath().orElseThrow(), "The " + what + " file " + Text.escape(file.value()
                .orElseThrow())).maxBytes(MAX_FILE, "a client " + (what.endsWith("secret") ? "secret" : "assertion")
                        + " is far smaller").read();
    }

    /**
     * The answer as JSON, or {@code null} for an empty body or one that is not a JSON object (an error page): an
     * error status is then reported by its code alone. A token answer that repeats a key is refused as such.
     */
    private JsonAnswer parse(byte[] body, boolean tokenAnswer) {
        if (body.length == 0) {
            return null;
        }
        try {
            return JsonAnswer.parse(body, "The token endpoint " + settings.shownTokenUrl());
        } catch (JsonAnswerException e) {
            if (tokenAnswer && e.kind() == JsonAnswerException.Kind.REPEATED_KEY) {
                throw e;
            }
            return null;
        }
    }

    @Override
    public String toString() {
        return "ClientCredentialsSource[" + settings.shownTokenUrl() + ", client " + client() + "]";
    }
}
