package dev.wif4j.internal.exchange;

import dev.wif4j.FederationSettings;
import dev.wif4j.HttpTransport;
import dev.wif4j.spi.IdentityToken;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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

    /**
     * Six string fields at most, written as JSON text here rather than through Jackson's generator: a cold JVM's
     * first request then goes out without linking the generator's classes first (an application that writes JSON
     * with Jackson links them later, off that path). {@code ExchangeRequestsTest} reads every body back with
     * {@link dev.wif4j.spi.internal.Json#parse}.
     */
    byte[] body(IdentityToken token) {
        String assertion = token.serialized();
        StringBuilder json = new StringBuilder(160 + assertion.length());
        field(json.append('{'), "grant_type", GRANT_TYPE);
        field(json.append(','), "assertion", assertion);
        field(json.append(','), "federation_rule_id", settings.federationRuleId());
        field(json.append(','), "organization_id", settings.organizationId());
        if (settings.serviceAccountId().isPresent()) {
            field(json.append(','), "service_account_id", settings.serviceAccountId().get());
        }
        if (settings.workspaceId().isPresent()) {
            field(json.append(','), "workspace_id", settings.workspaceId().get());
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void field(StringBuilder json, String name, String value) {
        quoted(json, name);
        quoted(json.append(':'), value);
    }

    /** RFC 8259 §7: the quote, the backslash and the control characters escaped; the rest as it is. */
    static void quoted(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                json.append(c);
            }
        }
        json.append('"');
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();
}
