package dev.wif4j.testkit.internal;

import dev.wif4j.testkit.OidcIssuer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** What the Azure emulators share: Entra's access-token claims, and form/query parsing. */
public final class EntraTokens {

    private EntraTokens() {
    }

    /**
     * The {@code iss} of a v2.0 Entra access token.
     *
     * @param tenantId the tenant
     * @return {@code https://login.microsoftonline.com/<tid>/v2.0}
     */
    public static String issuerV2(String tenantId) {
        return "https://login.microsoftonline.com/" + tenantId + "/v2.0";
    }

    /**
     * The {@code iss} of a v1.0 Entra access token.
     *
     * @param tenantId the tenant
     * @return {@code https://sts.windows.net/<tid>/}
     */
    public static String issuerV1(String tenantId) {
        return "https://sts.windows.net/" + tenantId + "/";
    }

    /**
     * The application id a resource names: {@code api://<id>}, {@code api://<id>/.default} or a bare id.
     *
     * @param resourceOrScope a resource or a {@code /.default} scope
     * @return the resource without {@code /.default}
     */
    public static String resourceOf(String resourceOrScope) {
        String r = resourceOrScope.strip();
        return r.endsWith("/.default") ? r.substring(0, r.length() - "/.default".length()) : r;
    }

    /**
     * Mints an Entra access token as a v2.0 (or v1.0) app registration gets it for a managed identity or a
     * service principal.
     *
     * @param issuer the signing issuer
     * @param version 1 or 2
     * @param tenantId {@code tid}
     * @param objectId {@code oid} and {@code sub}
     * @param clientId {@code azp} (v2) or {@code appid} (v1)
     * @param resource the resource asked for; a v2 token's {@code aud} is its app id
     * @param lifetime {@code exp - iat}
     * @return the signed JWT
     */
    public static String mint(OidcIssuer issuer, int version, String tenantId, String objectId, String clientId,
            String resource, Duration lifetime) {
        String audience = version == 2 && resource.startsWith("api://") ? resource.substring("api://".length())
                : resource;
        OidcIssuer.TokenBuilder token = issuer.mint()
                .issuer(version == 2 ? issuerV2(tenantId) : issuerV1(tenantId))
                .audience(audience)
                .subject(objectId)
                .claim("oid", objectId)
                .claim("tid", tenantId)
                .claim("idtyp", "app")
                .claim("uti", UUID.randomUUID().toString().replace("-", ""))
                .claim("ver", version == 2 ? "2.0" : "1.0")
                // Entra access tokens carry uti, not jti.
                .without("jti")
                .lifetime(lifetime);
        if (version == 2) {
            token.claim("azp", clientId).claim("azpacr", "2");
        } else {
            token.claim("appid", clientId).claim("appidacr", "2");
        }
        return token.sign();
    }

    /**
     * Parses {@code a=b&c=d}, first value wins.
     *
     * @param raw the encoded text, may be {@code null}
     * @return the parameters
     */
    public static Map<String, String> form(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(key, value);
        }
        return params;
    }
}
