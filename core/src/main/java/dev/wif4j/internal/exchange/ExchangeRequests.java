package dev.wif4j.internal.exchange;

import dev.wif4j.FederationSettings;
import dev.wif4j.HttpTransport;
import dev.wif4j.spi.internal.Json;
import dev.wif4j.spi.IdentityToken;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the token exchange request (PROTOCOL.md §1–2): headers, and the JSON body that carries the assertion. */
final class ExchangeRequests {
    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    static final String BETA = "oauth-2025-04-20,oidc-federation-2026-04-01";

    private final FederationSettings settings;
    private final URI endpoint;
    private final Map<String, String> headers;

    /**
     * @param settings rule, organization, optional ids and the endpoint
     * @param userAgent the {@code User-Agent} header
     */
    ExchangeRequests(FederationSettings settings, String userAgent) {
        this.settings = settings;
        this.endpoint = settings.tokenEndpoint();
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("Accept", "application/json");
        h.put("anthropic-beta", BETA);
        h.put("anthropic-version", "2023-06-01");
        h.put("User-Agent", userAgent);
        this.headers = h;
    }

    /**
     * The request that trades this identity token.
     *
     * @param token the identity token, sent as the assertion
     * @param timeout the attempt's timeout
     * @return the request
     */
    HttpTransport.Request build(IdentityToken token, Duration timeout) {
        return new HttpTransport.Request(endpoint, headers, body(token), timeout,
                TokenExchanger.MAX_RESPONSE_BYTES);
    }

    private byte[] body(IdentityToken token) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("grant_type", GRANT_TYPE);
        body.put("assertion", token.serialized());
        body.put("federation_rule_id", settings.federationRuleId());
        body.put("organization_id", settings.organizationId());
        if (settings.serviceAccountId().isPresent()) {
            body.put("service_account_id", settings.serviceAccountId().get());
        }
        if (settings.workspaceId().isPresent()) {
            body.put("workspace_id", settings.workspaceId().get());
        }
        return Json.bytes(body);
    }
}
