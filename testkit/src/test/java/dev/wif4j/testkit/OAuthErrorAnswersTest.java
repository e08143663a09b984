package dev.wif4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OAuth error answers of the emulators, byte for byte (status, content type, body; Entra's random ids
 * masked): the real servers' shapes that clients and the providers' tests read.
 */
class OAuthErrorAnswersTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final String IDS = " Trace ID: <uuid> Correlation ID: <uuid> Timestamp: " + NOW;
    private static final ManualClock CLOCK = new ManualClock(NOW);

    private static OidcIssuer cluster;
    private static OidcIssuer stranger;
    private static EntraEmulator entra;
    private static HttpClient entraClient;

    @BeforeAll
    static void start() {
        cluster = OidcIssuer.builder().clock(CLOCK).start();
        stranger = OidcIssuer.builder().clock(CLOCK).start();
        entra = EntraEmulator.builder().port(0).clock(CLOCK).tenantId("contoso-tenant")
                .federatedCredential("app-1", "oid-1", cluster.issuerUrl(), "system:serviceaccount:prod:billing")
                .start().trust(cluster);
        entraClient = HttpClient.newBuilder().sslContext(entra.clientSslContext()).build();
    }

    @AfterAll
    static void stop() {
        entra.close();
        cluster.close();
        stranger.close();
    }

    @Test
    void entraAnswersItsErrorJsonWithAadstsCodes() throws Exception {
        assertEquals(entraError(400, "invalid_request", 90002, "Tenant 'nope' not found. Check to make sure you have"
                + " the correct tenant ID and are signing into the correct cloud."), entra("/nope/oauth2/v2.0/token", null));
        assertEquals(entraError(405, "invalid_request", 900561, "The endpoint only accepts POST requests."),
                entra(tokenPath(), null));
        assertEquals(entraError(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type."),
                entra(tokenPath(), "grant_type=password"));
        assertEquals(entraError(401, "invalid_client", 7000218, "The request body must contain the following"
                + " parameter: 'client_assertion' or 'client_secret'."), entra(tokenPath(), form("app-1", null)));
        assertEquals(entraError(400, "unauthorized_client", 700016, "Application with identifier 'app-2' was not"
                + " found in the directory '" + entra.tenantId() + "'."), entra(tokenPath(), form("app-2", good())));
    }

    @Test
    void entraRefusesEachBadAssertionWithItsCode() throws Exception {
        assertEquals(entraError(401, "invalid_client", 50027, "JWT token is invalid or malformed."),
                entra(tokenPath(), form("app-1", "not-a-jwt")));
        assertEquals(entraError(400, "invalid_request", 700211, "No matching federated identity record found for"
                + " presented assertion issuer '" + stranger.issuerUrl() + "'."),
                entra(tokenPath(), form("app-1", stranger.mint().subject("system:serviceaccount:prod:billing")
                        .audience(EntraEmulator.TOKEN_EXCHANGE_AUDIENCE).sign())));
        assertEquals(entraError(401, "invalid_client", 700027, "Client assertion failed signature validation."),
                entra(tokenPath(), form("app-1", cluster.mint().subject("system:serviceaccount:prod:billing")
                        .audience(EntraEmulator.TOKEN_EXCHANGE_AUDIENCE).signedWithUnpublishedKey().sign())));
        Instant past = NOW.minusSeconds(60);
        assertEquals(entraError(400, "invalid_client", 700024, "Client assertion is not within its valid time range."
                + " Current time: " + NOW + ", assertion valid to: " + Date.from(past) + "."),
                entra(tokenPath(), form("app-1", cluster.mint().subject("system:serviceaccount:prod:billing")
                        .audience(EntraEmulator.TOKEN_EXCHANGE_AUDIENCE).issuedAt(past.minusSeconds(600))
                        .expiresAt(past).sign())));
        assertEquals(entraError(400, "invalid_client", 700212, "No matching federated identity record found for"
                + " presented assertion audience '[https://api.anthropic.com]'."),
                entra(tokenPath(), form("app-1", cluster.mint().subject("system:serviceaccount:prod:billing")
                        .audience("https://api.anthropic.com").sign())));
        assertEquals(entraError(400, "invalid_request", 700213, "No matching federated identity record found for"
                + " presented assertion subject 'system:serviceaccount:prod:other'. Please note that the matching is"
                + " done using a case-sensitive comparison."),
                entra(tokenPath(), form("app-1", cluster.mint().subject("system:serviceaccount:prod:other")
                        .audience(EntraEmulator.TOKEN_EXCHANGE_AUDIENCE).sign())));
        assertEquals(200, status(tokenPath(), form("app-1", good()) + "&scope=api%3A%2F%2Fapp%2F.default"));
    }

    @Test
    void authentikAnswersOAuthErrors() throws Exception {
        try (AuthentikEmulator authentik = AuthentikEmulator.builder().clock(CLOCK).start()
                .client("m2m", "s3cret").clientWithAssertions("fed", cluster)) {
            String invalidClient = "400 application/json {\"error\":\"invalid_client\",\"error_description\":"
                    + "\"Client authentication failed (e.g., unknown client, no client authentication included, or"
                    + " unsupported authentication method)\"}";
            assertEquals("405 application/json {\"error\":\"invalid_request\",\"error_description\":\"Use POST\"}",
                    call(HttpClient.newHttpClient(), authentik.tokenUrl(), null));
            assertEquals("400 application/json {\"error\":\"unsupported_grant_type\",\"error_description\":"
                    + "\"Only client_credentials is enabled\"}",
                    call(HttpClient.newHttpClient(), authentik.tokenUrl(), "grant_type=password"));
            assertEquals(invalidClient, call(HttpClient.newHttpClient(), authentik.tokenUrl(),
                    "grant_type=client_credentials&client_id=m2m&client_secret=wrong"));
            assertEquals(invalidClient, call(HttpClient.newHttpClient(), authentik.tokenUrl(),
                    "grant_type=client_credentials&client_id=fed&client_assertion_type="
                            + EntraEmulator.JWT_BEARER + "&client_assertion=" + stranger.mint().sign()));
            // The shared assertion check: the iss must name the trusted issuer, as Entra's has always required.
            assertEquals(invalidClient, call(HttpClient.newHttpClient(), authentik.tokenUrl(),
                    "grant_type=client_credentials&client_id=fed&client_assertion_type=" + EntraEmulator.JWT_BEARER
                            + "&client_assertion=" + cluster.mint().issuer("https://elsewhere.example").sign()));
            assertEquals(200, Integer.parseInt(call(HttpClient.newHttpClient(), authentik.tokenUrl(),
                    "grant_type=client_credentials&client_id=fed&client_assertion_type=" + EntraEmulator.JWT_BEARER
                            + "&client_assertion=" + cluster.mint().sign()).substring(0, 3)));
        }
    }

    @Test
    void azureManagedIdentityAnswersOAuthErrors() throws Exception {
        try (AzureManagedIdentityEmulator imds = AzureManagedIdentityEmulator.builder().clock(CLOCK).start()) {
            assertEquals("400 application/json; charset=utf-8 {\"error\":\"invalid_request\",\"error_description\":"
                    + "\"Required metadata header not specified\"}", call(HttpClient.newHttpClient(),
                    imds.baseUrl() + AzureManagedIdentityEmulator.IMDS_PATH + "?api-version=2018-02-01", null));
        }
    }

    @Test
    void gcpTokenEndpointAnswersOAuthErrors() throws Exception {
        try (GcpMetadataEmulator gcp = GcpMetadataEmulator.builder().clock(CLOCK).start()) {
            assertEquals("400 application/json {\"error\":\"unsupported_grant_type\",\"error_description\":"
                    + "\"Invalid grant_type\"}", call(HttpClient.newHttpClient(), gcp.baseUrl() + "/token",
                    "grant_type=password"));
        }
    }

    private static String good() {
        return cluster.mint().subject("system:serviceaccount:prod:billing")
                .audience(EntraEmulator.TOKEN_EXCHANGE_AUDIENCE).sign();
    }

    private static String tokenPath() {
        return "/" + entra.tenantId() + "/oauth2/v2.0/token";
    }

    private static String form(String clientId, String assertion) {
        return "grant_type=client_credentials&client_id=" + clientId + (assertion == null ? ""
                : "&client_assertion_type=" + EntraEmulator.JWT_BEARER + "&client_assertion=" + assertion);
    }

    private static String entraError(int status, String error, int code, String description) {
        return status + " application/json; charset=utf-8 {\"error\":\"" + error + "\",\"error_description\":\"AADSTS"
                + code + ": " + description + IDS + "\",\"error_codes\":[" + code + "],"
                + "\"timestamp\":\"" + NOW + "\",\"trace_id\":\"<uuid>\",\"correlation_id\":\"<uuid>\","
                + "\"error_uri\":\"https://login.microsoftonline.com/error?code=" + code + "\"}";
    }

    private static String entra(String path, String body) throws Exception {
        return call(entraClient, "https://localhost:" + entra.port() + path, body)
                .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>");
    }

    private static int status(String path, String body) throws Exception {
        return Integer.parseInt(entra(path, body).substring(0, 3));
    }

    private static String call(HttpClient client, String url, String form) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (form != null) {
            request.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form));
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.headers().firstValue("Content-Type").orElse("") + " "
                + response.body();
    }
}
