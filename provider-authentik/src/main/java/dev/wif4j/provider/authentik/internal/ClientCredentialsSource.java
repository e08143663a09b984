package dev.wif4j.provider.authentik.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks the token endpoint for a new token on every fetch with the client_credentials grant, and checks
 * it against what Anthropic will check, so a misconfiguration is named here rather than as an opaque 401.
 */
public final class ClientCredentialsSource implements IdentityTokenSource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_BODY = 256 * 1024;
    private static final int MAX_FILE = 64 * 1024;

    private final ClientSettings settings;
    private final DetectionContext context;
    private final System.Logger log;
    private final HttpClient http;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /**
     * @param settings the complete settings
     * @param context where files are read and the log goes
     */
    public ClientCredentialsSource(ClientSettings settings, DetectionContext context) {
        this.settings = settings;
        this.context = context;
        this.log = context.logger("dev.wif4j.provider.authentik");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public IdentityToken fetch() {
        String secret = settings.secretFile() != null ? readFile(settings.secretFile(), "client secret")
                : settings.secret();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", settings.clientId());
        if (secret != null) {
            form.put("client_secret", secret);
        } else {
            form.put("client_assertion_type", ASSERTION_TYPE);
            form.put("client_assertion", readFile(settings.assertionFile(), "client assertion"));
        }
        if (!settings.scope().isEmpty()) {
            form.put("scope", settings.scope());
        }
        StringJoiner body = new StringJoiner("&");
        form.forEach((k, v) -> body.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest request = HttpRequest.newBuilder(settings.tokenUrl())
                .timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        int status;
        byte[] answer;
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            try (InputStream in = response.body()) {
                answer = in.readNBytes(MAX_BODY + 1);
            }
        } catch (IOException e) {
            throw new IdentityTokenException("Could not reach the token endpoint " + settings.tokenUrl() + ": "
                    + e.getClass().getSimpleName() + ".", e, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IdentityTokenException("Interrupted while asking " + settings.tokenUrl() + " for a token.", e);
        }
        JsonNode json = parse(answer);
        if (status != 200) {
            throw refused(status, json, secret);
        }
        if (answer.length > MAX_BODY) {
            throw new IdentityTokenException("The token endpoint " + settings.tokenUrl() + " answered with more than "
                    + MAX_BODY + " bytes.");
        }
        if (json == null || !json.isObject()) {
            throw new IdentityTokenException("The token endpoint " + settings.tokenUrl() + " answered HTTP 200, but "
                    + "not with a JSON object.");
        }
        JsonNode field = json.get(settings.tokenField());
        if (field == null || !field.isTextual() || field.asText().isBlank()) {
            throw new IdentityTokenException(missingField(json));
        }
        IdentityToken token;
        try {
            token = IdentityToken.parse(field.asText().strip());
        } catch (IdentityTokenException e) {
            throw new IdentityTokenException("The " + settings.tokenField() + " from " + settings.tokenUrl()
                    + " is not a JWT: " + e.getMessage());
        }
        check(token);
        return token;
    }

    private String missingField(JsonNode json) {
        String message = "The token response from " + settings.tokenUrl() + " has no " + settings.tokenField() + ".";
        if (settings.tokenField().equals("id_token")) {
            message += " An OIDC server returns one only for the scope openid (the scope asked for was '"
                    + settings.scope() + "'; set " + ClientSettings.variable("scope") + ")";
            if (json.hasNonNull("access_token")) {
                message += "; if its access_token is the JWT (Okta custom authorization servers), set "
                        + ClientSettings.variable("token-field") + "=access_token";
            }
            message += ".";
        }
        return message;
    }

    private IdentityTokenException refused(int status, JsonNode json, String secret) {
        String error = json != null && json.hasNonNull("error") ? json.get("error").asText() : null;
        String description = json != null && json.hasNonNull("error_description")
                ? json.get("error_description").asText() : null;
        String said = error == null ? "" : " " + error + (description == null ? "" : ": " + description);
        if (secret != null && !secret.isEmpty()) {
            said = said.replace(secret, "****"); // a server may echo what it was sent
        }
        if (said.length() > 300) {
            said = said.substring(0, 300) + "...";
        }
        String message = "The token endpoint " + settings.tokenUrl() + " answered HTTP " + status + said + ".";
        if ("invalid_client".equals(error) || status == 401) {
            return new IdentityTokenException(message + " It did not accept client " + settings.clientId() + " with "
                    + settings.credentialDescription() + ": check the client id and its "
                    + (secret != null ? "secret" : "assertion") + ", and that the provider allows the client "
                    + "credentials grant.");
        }
        return new IdentityTokenException(message, null, status == 429 || status >= 500);
    }

    /** Anthropic will refuse these; say so before it does. */
    private void check(IdentityToken token) {
        Instant iat = token.issuedAt().orElse(null);
        Instant exp = token.expiresAt().orElse(null);
        if (iat != null && exp != null) {
            long lifetime = Duration.between(iat, exp).toSeconds();
            if (lifetime > settings.maxLifetimeSeconds()) {
                throw new IdentityTokenException("The " + settings.tokenField() + " from " + settings.tokenUrl()
                        + " lives " + lifetime + " s (exp - iat), more than the " + settings.maxLifetimeSeconds()
                        + " s the issuer accepts (" + ClientSettings.variable("max-lifetime-seconds")
                        + ", the issuer's maximum identity token lifetime in Anthropic): lower the provider's Access "
                        + "Token Validity, or raise the issuer's maximum.");
            }
        }
        String iss = token.issuer().orElse("");
        if (!iss.endsWith("/")) {
            warnOnce("iss " + iss + " does not end with '/': Anthropic compares it byte for byte with the issuer URL, "
                    + "and authentik's issuer URLs end with a slash (https://<host>/application/o/<slug>/)");
        } else if (settings.slug() != null && !iss.endsWith("/application/o/" + settings.slug() + "/")) {
            warnOnce("iss " + iss + " is not the issuer of the application " + settings.slug()
                    + " (expected .../application/o/" + settings.slug() + "/)");
        }
        if (!token.audience().contains(settings.clientId())) {
            warnOnce("aud " + token.audience() + " does not contain the client id " + settings.clientId()
                    + "; the federation rule's audience must match aud");
        }
    }

    private void warnOnce(String problem) {
        if (warned.add(problem)) {
            log.log(Level.WARNING, () -> "authentik token from " + settings.tokenUrl() + ": " + problem + ".");
        }
    }

    private String readFile(String shown, String what) {
        Path path;
        try {
            path = context.path(shown);
        } catch (InvalidPathException e) {
            throw new IdentityTokenException("The " + what + " file setting is not a valid path.");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(MAX_FILE + 1);
        } catch (NoSuchFileException e) {
            throw new IdentityTokenException("The " + what + " file " + shown + " does not exist.");
        } catch (IOException e) {
            throw new IdentityTokenException("The " + what + " file " + shown + " could not be read ("
                    + e.getClass().getSimpleName() + ").");
        }
        if (bytes.length > MAX_FILE) {
            throw new IdentityTokenException("The " + what + " file " + shown + " is larger than " + MAX_FILE + " bytes.");
        }
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            throw new IdentityTokenException("The " + what + " file " + shown + " is empty.");
        }
        return text;
    }

    private static JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? null : JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "ClientCredentialsSource[" + settings.tokenUrl() + ", client " + settings.clientId() + "]";
    }
}
