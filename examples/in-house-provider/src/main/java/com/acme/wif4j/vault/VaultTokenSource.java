package com.acme.wif4j.vault;

import dev.wif4j.spi.DetectionContext;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.BoundedHttp;
import dev.wif4j.spi.support.FirstTokenLog;
import dev.wif4j.spi.support.JsonAnswer;
import dev.wif4j.spi.support.JsonAnswerException;
import dev.wif4j.spi.support.Text;
import dev.wif4j.spi.support.UpstreamHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * One fetch is one {@code GET /v1/identity/oidc/token/<role>}: Vault signs a new token on every call, so nothing is
 * cached, and nothing is retried here: a transient failure is thrown retryable for wif4j's exchange to try again.
 */
final class VaultTokenSource implements IdentityTokenSource {
    private static final int MAX_ANSWER_BYTES = 64 * 1024; // one JWT, a few KiB: more is not Vault

    private final VaultSettings settings;
    private final HttpClient client;
    private final URI endpoint;
    private final String upstream;
    private final FirstTokenLog described;

    VaultTokenSource(VaultSettings settings, DetectionContext context) {
        this.settings = settings;
        this.client = UpstreamHttp.client(settings.timeout); // through the JDK's proxy settings, as Vault may need
        this.endpoint = URI.create(settings.address.toString().replaceFirst("/$", "") + "/v1/identity/oidc/token/"
                + settings.role);
        this.upstream = "Vault at " + settings.address;
        this.described = FirstTokenLog.of(context, VaultIdentityProvider.class, "Vault identity token",
                List.of("namespace"), token -> "Its sub is the Vault entity's id: a narrow federation rule pins it.");
    }

    @Override
    public IdentityToken fetch() {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(settings.timeout)
                .header("Accept", "application/json").header("X-Vault-Token", settings.vaultToken()).GET();
        if (settings.namespace != null) {
            request.header("X-Vault-Namespace", settings.namespace);
        }
        HttpResponse<byte[]> response = BoundedHttp.send(client, request.build(), MAX_ANSWER_BYTES, settings.timeout,
                upstream);
        if (response.statusCode() != 200) {
            throw failure(response.statusCode(), response.body());
        }
        IdentityToken token = IdentityToken.parse(JsonAnswer.parse(response.body(), upstream).requireString("data", "token"));
        if (!token.audience().contains(settings.audience)) {
            throw new IdentityTokenException("Vault's role '" + settings.role + "' issues tokens for "
                    + Text.escape(token.audience().toString()) + ", but wif4j expects the audience "
                    + Text.quote(settings.audience) + ": a Vault role's aud is its client_id, so create the role with "
                    + "client_id=" + settings.audience + " (and list that client_id in its key's allowed_client_ids), "
                    + "or set WIF4J_ACME_VAULT_AUDIENCE to the audience your federation rule names.");
        }
        return described.once(token);
    }

    private IdentityTokenException failure(int status, byte[] body) {
        String said = errorsOf(body);
        String prefix = upstream + " answered " + status + (said.isEmpty() ? "" : " (" + said + ")") + " to GET "
                + endpoint.getPath() + (settings.namespace == null ? "" : " in namespace " + settings.namespace);
        return switch (status) {
            case 403 -> new IdentityTokenException(prefix + ": the Vault token from " + settings.tokenOrigin
                    + " has expired or been revoked, or its policy lacks read on identity/oidc/token/" + settings.role + ".");
            case 400, 404 -> new IdentityTokenException(prefix + ": is '" + settings.role + "' (from " + settings.roleSource
                    + ") an identity token role here? Create it with vault write identity/oidc/role/" + settings.role
                    + " key=KEY client_id=" + settings.audience + ".");
            // 412: Vault Enterprise has not yet replicated what the request needs; 503: sealed or in standby.
            default -> new IdentityTokenException(prefix + ".", null, BoundedHttp.isTransient(status) || status == 412);
        };
    }

    /** Vault's own words, {@code {"errors": ["permission denied"]}}: at most three, scrubbed and escaped. */
    private String errorsOf(byte[] body) {
        try {
            return String.join("; ", JsonAnswer.parse(body, upstream).strings("errors").stream().limit(3)
                    .map(Text::scrub).toList());
        } catch (JsonAnswerException e) {
            return ""; // not JSON (a proxy's HTML page): the status says enough
        }
    }

    @Override
    public String toString() {
        return "VaultTokenSource[" + endpoint + ", token from " + settings.tokenOrigin + "]";
    }
}
