package dev.wif4j.provider.authentik;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.spi.Detection;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.SettingException;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.OidcIssuer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Advice that fits the server: authentik's wording (trailing-slash issuers, "the provider") only for authentik,
 * "the OIDC server" for Keycloak, Okta and the like; client_secret_basic; what a server echoes is masked.
 */
class OidcServerAdviceTest {
    static final String CLIENT = "claude-workload";
    static final String SECRET = "CANARY s3cr/t+key=7&ü";

    private static FakeDetectionContext.Builder configured(String tokenUrl) {
        return FakeDetectionContext.builder()
                .env("WIF4J_AUTHENTIK_TOKEN_URL", tokenUrl)
                .env("WIF4J_AUTHENTIK_CLIENT_ID", CLIENT)
                .env("WIF4J_AUTHENTIK_CLIENT_SECRET", SECRET);
    }

    private static List<String> warnings(FakeDetectionContext context) {
        return context.logLines().stream().filter(l -> l.startsWith("WARNING")).collect(Collectors.toList());
    }

    private static IdentityTokenException fetchError(FakeDetectionContext context) {
        try (context; IdentityTokenSource source = new AuthentikIdentityProvider().open(context)) {
            return assertThrows(IdentityTokenException.class, source::fetch);
        }
    }

    @Test
    @DisplayName("a Keycloak-style issuer without a trailing slash, aud set by a mapper: no authentik warning at all")
    void keycloakIssuerDrawsNoAuthentikAdvice() throws Exception {
        try (OidcTokenEndpoint keycloak = OidcTokenEndpoint.keycloakLike();
                FakeDetectionContext context = configured(keycloak.tokenUrl()).build();
                IdentityTokenSource source = new AuthentikIdentityProvider().open(context)) {
            String iss = source.fetch().issuer().orElseThrow();
            assertTrue(iss.endsWith("/realms/acme"), iss);
            assertEquals(List.of(), warnings(context), "aud is https://api.anthropic.com, not the client id: fine");
            String all = String.join("\n", context.logLines());
            assertFalse(all.contains("authentik"), all);
        }
    }

    @Test
    @DisplayName("a token without aud from another OIDC server is warned about in the OIDC server's terms")
    void missingAudienceOffAuthentik() throws Exception {
        try (OidcTokenEndpoint keycloak = OidcTokenEndpoint.keycloakLike()) {
            keycloak.answerAlways(r -> OidcTokenEndpoint.ok("{\"id_token\":\""
                    + keycloak.issuer().mint().without("aud").sign() + "\"}"));
            try (FakeDetectionContext context = configured(keycloak.tokenUrl()).build();
                    IdentityTokenSource source = new AuthentikIdentityProvider().open(context)) {
                source.fetch();
                source.fetch();
                assertEquals(List.of("WARNING dev.wif4j.provider.authentik: Token from the OIDC server " + keycloak.tokenUrl() + ": it has no aud; "
                        + "the federation rule's audience must match aud (in Keycloak, add an Audience mapper to the "
                        + "client)."), warnings(context));
            }
        }
    }

    @Test
    @DisplayName("authentik keeps its own wording: an issuer without the trailing slash is warned about")
    void authentikKeepsItsWording() throws Exception {
        try (OidcTokenEndpoint authentik = OidcTokenEndpoint.authentikLike("/application/o/claude");
                FakeDetectionContext context = configured(authentik.tokenUrl()).build();
                IdentityTokenSource source = new AuthentikIdentityProvider().open(context)) {
            source.fetch();
            List<String> warnings = warnings(context);
            assertEquals(2, warnings.size(), warnings.toString());
            assertEquals("WARNING dev.wif4j.provider.authentik: authentik token from " + authentik.tokenUrl() + ": iss " + authentik.issuer().issuerUrl()
                    + " does not end with '/': Anthropic compares it byte for byte with the issuer URL, and authentik's "
                    + "issuer URLs end with a slash (https://<host>/application/o/<slug>/).", warnings.get(0));
            assertTrue(warnings.get(1).contains("does not contain the client id " + CLIENT), warnings.get(1));
        }
    }

    @Test
    @DisplayName("a refused client: the OIDC server's advice (Keycloak's switches, client_secret_basic), not authentik's")
    void refusedClientOffAuthentik() throws Exception {
        try (OidcTokenEndpoint keycloak = OidcTokenEndpoint.keycloakLike()) {
            keycloak.answerAlways(r -> OidcTokenEndpoint.status(401, "{\"error\":\"unauthorized_client\","
                    + "\"error_description\":\"Invalid client or Invalid client credentials\"}"));
            IdentityTokenException e = fetchError(configured(keycloak.tokenUrl()).build());
            assertEquals("The token endpoint " + keycloak.tokenUrl() + " answered HTTP 401 unauthorized_client: Invalid "
                    + "client or Invalid client credentials. It did not accept client " + CLIENT + " with a client "
                    + "secret from WIF4J_AUTHENTIK_CLIENT_SECRET: check the client id and its secret, and that the OIDC "
                    + "server lets this client use the client credentials grant (in Keycloak: Client authentication "
                    + "and Service account roles on); if the server takes the secret only in an Authorization header, "
                    + "set WIF4J_AUTHENTIK_CLIENT_AUTH=client_secret_basic.", e.getMessage());
            assertFalse(e.isRetryable());
        }
    }

    @Test
    @DisplayName("a token living too long: the OIDC server's lifetime, not authentik's Access Token Validity")
    void lifetimeAdviceOffAuthentik() throws Exception {
        try (OidcTokenEndpoint keycloak = OidcTokenEndpoint.keycloakLike()) {
            keycloak.answerAlways(r -> OidcTokenEndpoint.ok("{\"id_token\":\""
                    + keycloak.issuer().mint().lifetime(Duration.ofHours(2)).sign() + "\"}"));
            assertTrue(fetchError(configured(keycloak.tokenUrl()).build()).getMessage().endsWith("lives 7200 s "
                    + "(exp - iat), more than the 3600 s the issuer accepts (WIF4J_AUTHENTIK_MAX_LIFETIME_SECONDS, the "
                    + "issuer's maximum identity token lifetime in Anthropic): lower the token lifetime the OIDC server "
                    + "gives this client (in Keycloak: Access Token Lifespan), or raise the issuer's maximum."));
        }
    }

    @Test
    @DisplayName("client_secret_basic: the secret goes form-encoded in an Authorization: Basic header, not in the form")
    void clientSecretBasic() throws Exception {
        try (OidcTokenEndpoint keycloak = OidcTokenEndpoint.keycloakLike();
                FakeDetectionContext context = configured(keycloak.tokenUrl())
                        .env("WIF4J_AUTHENTIK_CLIENT_AUTH", "client_secret_basic").build();
                IdentityTokenSource source = new AuthentikIdentityProvider().open(context)) {
            Detection detection = new AuthentikIdentityProvider().detect(context);
            assertTrue(detection.message().contains("with a client secret from WIF4J_AUTHENTIK_CLIENT_SECRET "
                    + "(client_secret_basic)"), detection.message());
            source.fetch();
            OidcTokenEndpoint.Request request = keycloak.requests().get(0);
            String expected = Base64.getEncoder().encodeToString((CLIENT + ":"
                    + URLEncoder.encode(SECRET, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
            assertEquals("Basic " + expected, request.authorization());
            assertEquals("grant_type=client_credentials&scope=openid", request.body());
        }
        try (OidcTokenEndpoint keycloak = OidcTokenEndpoint.keycloakLike();
                FakeDetectionContext context = configured(keycloak.tokenUrl()).build();
                IdentityTokenSource source = new AuthentikIdentityProvider().open(context)) {
            source.fetch();
            assertNull(keycloak.requests().get(0).authorization(), "client_secret_post stays the default");
            assertTrue(keycloak.requests().get(0).body().contains("client_secret="));
        }
    }

    @Test
    @DisplayName("client_secret_basic with a client assertion, or an unknown method, is refused at detection")
    void clientAuthSettingIsChecked() {
        try (FakeDetectionContext context = FakeDetectionContext.builder()
                .env("WIF4J_AUTHENTIK_TOKEN_URL", "https://keycloak.company/realms/acme/protocol/openid-connect/token")
                .env("WIF4J_AUTHENTIK_CLIENT_ID", CLIENT)
                .env("WIF4J_AUTHENTIK_CLIENT_ASSERTION_FILE", "/var/run/secrets/tokens/kc")
                .env("WIF4J_AUTHENTIK_CLIENT_AUTH", "client_secret_basic").build()) {
            assertEquals("WIF4J_AUTHENTIK_CLIENT_AUTH is 'client_secret_basic', but the client authenticates with a "
                    + "client assertion (WIF4J_AUTHENTIK_CLIENT_ASSERTION_FILE), which is always sent in the form: "
                    + "unset it.", assertThrows(SettingException.class,
                            () -> new AuthentikIdentityProvider().detect(context)).getMessage());
        }
        try (FakeDetectionContext context = configured("https://keycloak.company/token")
                .env("WIF4J_AUTHENTIK_CLIENT_AUTH", "basic").build()) {
            assertEquals("WIF4J_AUTHENTIK_CLIENT_AUTH is 'basic', but it must be client_secret_post or "
                    + "client_secret_basic.", assertThrows(SettingException.class,
                            () -> new AuthentikIdentityProvider().detect(context)).getMessage());
        }
    }

    @Test
    @DisplayName("a server echoing the form body: the secret is masked as sent, form-encoded and percent-encoded")
    void echoedFormBodyIsMasked() throws Exception {
        String formEncoded = URLEncoder.encode(SECRET, StandardCharsets.UTF_8);
        String percent = formEncoded.replace("+", "%20");
        try (OidcTokenEndpoint keycloak = OidcTokenEndpoint.keycloakLike()) {
            for (String echo : List.of(formEncoded, percent, percent.toLowerCase(Locale.ROOT), SECRET)) {
                keycloak.answerNext(r -> OidcTokenEndpoint.status(400, "{\"error\":\"invalid_request\","
                        + "\"error_description\":\"cannot parse " + r.body().replace(formEncoded, echo) + "\"}"));
                IdentityTokenException e = fetchError(configured(keycloak.tokenUrl()).build());
                String message = e.getMessage();
                assertTrue(message.contains("client_secret=****&scope=openid"), message);
                for (String form : List.of(SECRET, formEncoded, percent, "s3cr", "key%3D7")) {
                    assertFalse(message.toLowerCase(Locale.ROOT).contains(form.toLowerCase(Locale.ROOT)), message);
                }
            }
            keycloak.answerNext(r -> OidcTokenEndpoint.status(401, "{\"error\":\"invalid_client\","
                    + "\"error_description\":\"bad credentials " + r.authorization() + "\"}"));
            String message = fetchError(configured(keycloak.tokenUrl())
                    .env("WIF4J_AUTHENTIK_CLIENT_AUTH", "client_secret_basic").build()).getMessage();
            assertTrue(message.contains("bad credentials Basic ****."), message);
        }
    }

    @Test
    @DisplayName("a server echoing the client assertion, whole, cut short or in the form body: never quoted")
    void echoedAssertionIsNeverQuoted() throws Exception {
        try (OidcTokenEndpoint keycloak = OidcTokenEndpoint.keycloakLike(); OidcIssuer cluster = OidcIssuer.start()) {
            String assertion = cluster.mint().subject("system:serviceaccount:prod:claude").audience(CLIENT).sign();
            List<Function<OidcTokenEndpoint.Request, String[]>> echoes = List.of(
                    r -> OidcTokenEndpoint.status(401, "{\"error\":\"invalid_client\",\"error_description\":"
                            + "\"bad assertion " + assertion + "\"}"),
                    r -> OidcTokenEndpoint.status(401, "{\"error\":\"invalid_client\",\"error_description\":"
                            + "\"bad assertion " + assertion.substring(0, 60) + "...\"}"),
                    r -> OidcTokenEndpoint.status(400, "{\"error\":\"invalid_request\",\"error_description\":"
                            + "\"cannot parse " + r.body() + "\"}"));
            for (Function<OidcTokenEndpoint.Request, String[]> echo : echoes) {
                keycloak.answerNext(echo);
                String message = fetchError(FakeDetectionContext.builder()
                        .env("WIF4J_AUTHENTIK_TOKEN_URL", keycloak.tokenUrl())
                        .env("WIF4J_AUTHENTIK_CLIENT_ID", CLIENT)
                        .env("WIF4J_AUTHENTIK_CLIENT_ASSERTION_FILE", "/var/run/secrets/tokens/kc")
                        .file("/var/run/secrets/tokens/kc", assertion).build()).getMessage();
                assertTrue(message.contains("****"), message);
                assertFalse(message.contains(assertion.substring(0, 20)), message);
                assertFalse(message.contains(assertion.substring(assertion.lastIndexOf('.') + 1)), message);
            }
        }
    }
}
