package com.acme.wif4j.vault;

import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.BoundedHttp;
import dev.wif4j.spi.support.SmallFiles;
import dev.wif4j.spi.support.Text;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One fetch is one {@code GET /v1/identity/oidc/token/<role>}: Vault signs a new token on every call, so
 * nothing is cached here, and nothing is retried either: a transient failure is thrown retryable and wif4j's
 * exchange decides whether to try again, within its own bounds.
 */
final class VaultTokenSource implements IdentityTokenSource {
    /** A Vault response holds one JWT; a few KiB. More is not Vault. */
    private static final int MAX_RESPONSE_BYTES = 64 * 1024;
    /** Vault tokens are under 200 characters; a bigger "token file" is the wrong file. */
    private static final int MAX_TOKEN_FILE_BYTES = 8 * 1024;

    private final VaultSettings settings;
    private final HttpClient client;
    private final URI endpoint;
    private final String upstream;
    private final System.Logger log;

    VaultTokenSource(VaultSettings settings, DetectionContext context) {
        this.settings = settings;
        this.client = context.httpClient();
        String base = settings.address().toString();
        this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + "/v1/identity/oidc/token/" + settings.role());
        this.upstream = "Vault at " + settings.address();
        this.log = context.logger(VaultIdentityProvider.class.getName());
    }

    @Override
    public IdentityToken fetch() {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(settings.timeout())
                .header("Accept", "application/json")
                .header("X-Vault-Token", vaultToken())
                .GET();
        settings.namespace().ifPresent(ns -> request.header("X-Vault-Namespace", ns));
        HttpResponse<byte[]> response = BoundedHttp.send(client, request.build(), MAX_RESPONSE_BYTES,
                settings.timeout(), upstream);
        int status = response.statusCode();
        String body = new String(response.body(), StandardCharsets.UTF_8);
        if (status != 200) {
            throw failure(status, body);
        }
        IdentityToken token = IdentityToken.parse(jwtOf(body));
        if (!token.audience().contains(settings.audience())) {
            throw new IdentityTokenException("Vault's role '" + settings.role() + "' issues tokens for "
                    + Text.escape(token.audience().toString(), 200) + ", but wif4j expects the audience "
                    + Text.quote(settings.audience())
                    + ": a Vault role's aud is its client_id, so create the role with client_id="
                    + settings.audience() + " (and list that client_id in its key's allowed_client_ids), or set "
                    + "WIF4J_ACME_VAULT_AUDIENCE to the audience your federation rule names.");
        }
        log.log(System.Logger.Level.DEBUG, () -> "Vault issued " + token + " for role " + settings.role());
        return token;
    }

    /** The Vault token: the configured value, or the token file read afresh (Vault agent rewrites it on renewal). */
    private String vaultToken() {
        if (settings.tokenValue().isPresent()) {
            return settings.tokenValue().get();
        }
        Path file = settings.tokenFile().orElseThrow();
        String content;
        try {
            // SmallFiles opens regular files only: a FIFO or a device at the sink's path cannot hang the fetch.
            content = new String(SmallFiles.read(file, MAX_TOKEN_FILE_BYTES), StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            // Vault agent writes its sink once it has authenticated: soon, maybe, so worth another attempt.
            throw new IdentityTokenException("The Vault token file " + settings.tokenFileOrigin() + " does not exist (yet): "
                    + "is Vault agent running and its file sink pointed there?", e, true);
        } catch (SmallFiles.TooLargeException e) {
            throw new IdentityTokenException("The Vault token file " + settings.tokenFileOrigin() + " holds more than "
                    + MAX_TOKEN_FILE_BYTES + " bytes: it is not a Vault token.", e);
        } catch (IOException e) {
            String why = e instanceof SmallFiles.NotRegularFileException ? "it is not a regular file"
                    : e.getClass().getSimpleName();
            throw new IdentityTokenException("Cannot read the Vault token file " + settings.tokenFileOrigin() + ": " + why
                    + ".", e);
        }
        if (content.isEmpty()) {
            throw new IdentityTokenException("The Vault token file " + settings.tokenFileOrigin() + " is empty: Vault "
                    + "agent may be rewriting it.", null, true);
        }
        return settings.checkFileToken(content);
    }

    private String jwtOf(String body) {
        Object data;
        try {
            data = Json.parse(body) instanceof Map<?, ?> root ? root.get("data") : null;
        } catch (IllegalArgumentException e) {
            throw new IdentityTokenException(upstream + " answered 200 with a body that is not JSON (" + e.getMessage()
                    + ").");
        }
        Object jwt = data instanceof Map<?, ?> fields ? fields.get("token") : null;
        if (!(jwt instanceof String s) || s.isBlank()) {
            throw new IdentityTokenException(upstream + " answered 200 without data.token: is " + endpoint.getPath()
                    + " Vault's identity token endpoint?");
        }
        return s.strip();
    }

    private IdentityTokenException failure(int status, String body) {
        String said = errorsOf(body);
        String call = "GET " + endpoint.getPath() + settings.namespace().map(ns -> " in namespace " + ns).orElse("");
        String prefix = upstream + " answered " + status + (said.isEmpty() ? "" : " (" + said + ")") + " to " + call;
        if (status == 403) {
            return new IdentityTokenException(prefix + ": the Vault token from " + settings.tokenOrigin()
                    + " has expired or been revoked, or its policy lacks read on identity/oidc/token/"
                    + settings.role() + ".");
        }
        if (status == 400 || status == 404) {
            return new IdentityTokenException(prefix + ": is '" + settings.role() + "' (from " + settings.roleSource()
                    + ") an identity token role here? Create it with vault write identity/oidc/role/" + settings.role()
                    + " key=KEY client_id=" + settings.audience() + ".");
        }
        // 412: Vault Enterprise has not yet replicated what the request needs; 503: sealed or in standby.
        boolean transientStatus = BoundedHttp.isTransient(status) || status == 412;
        return new IdentityTokenException(prefix + ".", null, transientStatus);
    }

    /** Vault's own words: {@code {"errors": ["permission denied"]}}, escaped, at most three of them. */
    private static String errorsOf(String body) {
        try {
            if (Json.parse(body) instanceof Map<?, ?> root && root.get("errors") instanceof List<?> errors) {
                List<String> said = new ArrayList<>();
                for (Object e : errors.subList(0, Math.min(3, errors.size()))) {
                    said.add(Text.escape(String.valueOf(e), 200));
                }
                return String.join("; ", said);
            }
        } catch (IllegalArgumentException e) {
            // Not JSON (a proxy's HTML page): the status says enough.
        }
        return "";
    }

    @Override
    public String toString() {
        return "VaultTokenSource[" + endpoint + ", token from " + settings.tokenOrigin() + "]";
    }
}
