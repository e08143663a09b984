package dev.wif4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every emulator has the one {@link Emulator} shape: faults, recorded requests, environment and close alike. */
class EmulatorTest {

    /** An emulator, and the path of the main endpoint that {@link Emulator#enqueue} feeds. */
    static Stream<Arguments> emulators() {
        return Stream.of(
                emulator("OidcIssuer", OidcIssuer::start, e -> "/jwks"),
                emulator("AnthropicEmulator", AnthropicEmulator::start, e -> "/v1/oauth/token"),
                emulator("GcpMetadataEmulator", GcpMetadataEmulator::start, e -> "/computeMetadata/v1/"),
                emulator("AzureManagedIdentityEmulator", AzureManagedIdentityEmulator::start,
                        e -> AzureManagedIdentityEmulator.IMDS_PATH),
                emulator("EntraEmulator", () -> EntraEmulator.builder().port(0).start(),
                        e -> "/" + ((EntraEmulator) e).tenantId() + "/oauth2/v2.0/token"),
                emulator("GitHubActionsEmulator", GitHubActionsEmulator::start,
                        e -> URI.create(((GitHubActionsEmulator) e).requestUrl()).getPath()),
                emulator("AuthentikEmulator", AuthentikEmulator::start, e -> "/application/o/token/"),
                emulator("AwsStsEmulator", AwsStsEmulator::start, e -> "/"));
    }

    private static Arguments emulator(String name, Supplier<Emulator> start, Function<Emulator, String> path) {
        return Arguments.of(name, start, path);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("emulators")
    void aQueuedFaultAnswersTheNextRequestWhichIsRecorded(String name, Supplier<Emulator> start,
            Function<Emulator, String> path) throws Exception {
        try (Emulator emulator = start.get()) {
            emulator.enqueue(Fault.status(503, "{\"fault\":true}"));

            HttpResponse<String> response = get(emulator, path.apply(emulator));

            assertEquals(503, response.statusCode(), name);
            assertEquals("{\"fault\":true}", response.body());
            List<RecordedRequest> requests = emulator.requests();
            assertEquals(1, requests.size(), name + ": " + requests);
            assertEquals("GET", requests.get(0).method());
            assertTrue(requests.get(0).path().startsWith(path.apply(emulator)), requests.get(0).path());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("emulators")
    void listensOnLoopbackAndPointsTheEnvironmentAtItself(String name, Supplier<Emulator> start,
            Function<Emulator, String> path) throws Exception {
        Emulator emulator = start.get();
        String port = emulator.baseUrl().substring(emulator.baseUrl().lastIndexOf(':') + 1);
        try (emulator) {
            assertTrue(emulator.baseUrl().matches("https?://127\\.0\\.0\\.1:\\d+"), emulator.baseUrl());
            assertTrue(emulator.toString().startsWith(name + "["), emulator.toString());
            if (!(emulator instanceof OidcIssuer)) {
                assertTrue(emulator.environment().values().stream().anyMatch(v -> v.contains(":" + port)),
                        name + " environment " + emulator.environment().keySet() + " does not name port " + port);
            }
        }
        assertThrows(IOException.class, () -> get(emulator, path.apply(emulator)), name + " still answers after close");
    }

    private static HttpResponse<String> get(Emulator emulator, String path) throws Exception {
        HttpClient.Builder client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofSeconds(5));
        if (emulator instanceof EntraEmulator entra) {
            SSLContext tls = entra.clientSslContext();
            client.sslContext(tls);
        }
        return client.build().send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
