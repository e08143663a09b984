package dev.wif4j.testkit.inhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wif4j.testkit.Fault;
import dev.wif4j.testkit.LoopbackEmulator;
import dev.wif4j.testkit.RecordedRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An emulator written outside testkit's package, as an in-house author writes one: only the public and protected
 * parts of {@link LoopbackEmulator}, no {@code com.sun.net.httpserver}.
 */
class InHouseEmulatorTest {

    /** A token service: {@code POST /v1/token} with a bearer answers a token, without one 401. */
    static final class TokenService extends LoopbackEmulator {
        TokenService() {
            super("token-service");
            endpoint("/v1/token", request -> {
                if (request.header("Authorization").isEmpty()) {
                    return Response.json(401, "{\"error\":\"no credentials\"}").withHeader("WWW-Authenticate", "Bearer");
                }
                return Response.json(200, "{\"token\":\"t-" + request.body() + "\"}");
            });
            endpoint("/broken", request -> {
                throw new IOException("disk on fire");
            });
            serve();
        }

        @Override
        public Map<String, String> environment() {
            return Map.of("TOKEN_SERVICE_URL", baseUrl());
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void answersWithTheHandlerAndRecordsEveryRequest() throws Exception {
        try (TokenService service = new TokenService()) {
            HttpResponse<String> ok = post(service, "/v1/token", "abc", true);
            assertEquals(200, ok.statusCode());
            assertEquals("{\"token\":\"t-abc\"}", ok.body());
            assertEquals("application/json", ok.headers().firstValue("Content-Type").orElseThrow());

            HttpResponse<String> refused = post(service, "/v1/token", "", false);
            assertEquals(401, refused.statusCode());
            assertEquals("Bearer", refused.headers().firstValue("WWW-Authenticate").orElseThrow());

            List<RecordedRequest> requests = service.requests();
            assertEquals(2, requests.size());
            assertEquals("POST", requests.get(0).method());
            assertEquals("/v1/token", requests.get(0).path());
            assertEquals("abc", requests.get(0).body());
            assertEquals("Bearer x", requests.get(0).header("authorization").orElseThrow());
            assertTrue(service.toString().startsWith("TokenService[http://127.0.0.1:"), service.toString());
        }
    }

    @Test
    void queuedFaultsAnswerFirstInOrderAndAreRecorded() throws Exception {
        try (TokenService service = new TokenService()) {
            service.enqueue(Fault.status(503, "{\"errors\":[\"sealed\"]}").withHeader("Retry-After", "1"));
            service.enqueue(Fault.disconnect());
            service.enqueue(Fault.delay(Duration.ofMillis(200)));

            HttpResponse<String> sealed = post(service, "/v1/token", "", true);
            assertEquals(503, sealed.statusCode());
            assertEquals("{\"errors\":[\"sealed\"]}", sealed.body());
            assertEquals("1", sealed.headers().firstValue("Retry-After").orElseThrow());
            assertThrows(IOException.class, () -> post(service, "/v1/token", "", true));
            long start = System.nanoTime();
            HttpResponse<String> late = post(service, "/v1/token", "late", true);
            assertEquals(200, late.statusCode(), "after a delay, the handler answers");
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(200).toNanos());
            assertEquals(3, service.requests().size());
        }
    }

    @Test
    void aHandlerThatThrowsAnswers500NamingIt() throws Exception {
        try (TokenService service = new TokenService()) {
            HttpResponse<String> broken = post(service, "/broken", "", true);
            assertEquals(500, broken.statusCode());
            assertTrue(broken.body().contains("disk on fire"), broken.body());
            assertEquals(1, service.requests().size());
        }
    }

    private HttpResponse<String> post(TokenService service, String path, String body, boolean bearer)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
                .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer) {
            request.header("Authorization", "Bearer x");
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
