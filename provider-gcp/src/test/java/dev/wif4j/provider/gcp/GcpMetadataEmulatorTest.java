package dev.wif4j.provider.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.spi.IdentityToken;
import dev.wif4j.testkit.Fault;
import dev.wif4j.testkit.GcpMetadataEmulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The testkit's metadata-server emulator behaves as the real one does where the provider depends on it. */
class GcpMetadataEmulatorTest {
    @AutoClose
    static final GcpMetadataEmulator gcp = GcpMetadataEmulator.start();
    static final HttpClient HTTP = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
    static final String IDENTITY = "/computeMetadata/v1/instance/service-accounts/default/identity";

    private static HttpResponse<String> get(String pathAndQuery, boolean flavor) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gcp.baseUrl() + pathAndQuery));
        if (flavor) {
            request.header("Metadata-Flavor", "Google");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("a request without Metadata-Flavor: Google is refused with 403, as the real server does")
    void requiresTheHeader() throws Exception {
        HttpResponse<String> response = get(IDENTITY + "?audience=x", false);
        assertEquals(403, response.statusCode());
        assertEquals(Optional.of("Google"), response.headers().firstValue("Metadata-Flavor"));
    }

    @Test
    @DisplayName("format=standard has no email; format=full adds email and google.compute_engine")
    void formats() throws Exception {
        HttpResponse<String> standard = get(IDENTITY + "?audience=https%3A%2F%2Fapi.anthropic.com", true);
        assertEquals(200, standard.statusCode());
        IdentityToken token = IdentityToken.parse(standard.body());
        assertEquals(GcpMetadataEmulator.GOOGLE_ISSUER, token.issuer().orElseThrow());
        assertTrue(token.subject().orElseThrow().matches("[0-9]+"), token.subject().orElseThrow());
        assertEquals(token.subject(), token.stringClaim("azp"));
        assertFalse(token.claims().containsKey("email"));
        assertFalse(token.claims().containsKey("google"));

        IdentityToken full = IdentityToken.parse(get(IDENTITY + "?audience=a&format=full", true).body());
        assertEquals(Optional.of(gcp.serviceAccountEmail()), full.stringClaim("email"));
        assertEquals(Boolean.TRUE, full.claims().get("email_verified"));
        assertTrue(full.claims().get("google").toString().contains("project_id=acme-prod"), full.claims().toString());

        assertEquals(400, get(IDENTITY, true).statusCode(), "an audience is required");
    }

    @Test
    @DisplayName("queued faults carry the header; the switch leaves it out everywhere")
    void faultsAndTheSwitch() throws Exception {
        gcp.enqueue(Fault.response(404, "text/html", "Not Found"));
        HttpResponse<String> notFound = get(IDENTITY + "?audience=a", true);
        assertEquals(404, notFound.statusCode());
        assertEquals(Optional.of("Google"), notFound.headers().firstValue("Metadata-Flavor"));

        gcp.answerWithoutMetadataFlavor(true);
        try {
            HttpResponse<String> root = get("/computeMetadata/v1/", true);
            assertEquals(200, root.statusCode());
            assertEquals(Optional.empty(), root.headers().firstValue("Metadata-Flavor"));
        } finally {
            gcp.answerWithoutMetadataFlavor(false);
        }
    }

    @Test
    @DisplayName("the paths the Google libraries also ask answer: email, recursive account, project id")
    void otherPaths() throws Exception {
        assertEquals(gcp.serviceAccountEmail(),
                get("/computeMetadata/v1/instance/service-accounts/default/email", true).body());
        assertTrue(get("/computeMetadata/v1/instance/service-accounts/default/?recursive=true", true).body()
                .contains("\"email\":\"" + gcp.serviceAccountEmail() + "\""));
        assertEquals("acme-prod", get("/computeMetadata/v1/project/project-id", true).body());
    }
}
