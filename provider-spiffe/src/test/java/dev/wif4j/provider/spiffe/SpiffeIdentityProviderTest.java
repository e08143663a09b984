package dev.wif4j.provider.spiffe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.wif4j.DetectionReport;
import dev.wif4j.WorkloadIdentity;
import dev.wif4j.spi.Detection;
import dev.wif4j.spi.IdentityToken;
import dev.wif4j.spi.IdentityTokenException;
import dev.wif4j.spi.IdentityTokenSource;
import dev.wif4j.spi.support.SettingException;
import dev.wif4j.testkit.FakeDetectionContext;
import dev.wif4j.testkit.OidcIssuer;
import dev.wif4j.testkit.WorkloadApiEmulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What a user of {@code spiffe} sees: detection's sentences, and each way a fetch succeeds or fails. */
class SpiffeIdentityProviderTest {
    private static final String BILLING = "spiffe://example.org/ns/prod/sa/billing";
    private static final String REPORTS = "spiffe://example.org/ns/prod/sa/reports";
    private static final String SOCKET = SpiffeIdentityProviderContractTest.SOCKET;

    private static Path directory;
    private static OidcIssuer issuer;
    private static WorkloadApiEmulator unix;
    private static WorkloadApiEmulator tcp;
    private final SpiffeIdentityProvider provider = new SpiffeIdentityProvider();

    @BeforeAll
    static void start() throws IOException {
        directory = Files.createTempDirectory("spiffe-test");
        issuer = OidcIssuer.start();
        unix = WorkloadApiEmulator.builder(issuer).unixSocket(directory.resolve("agent.sock"))
                .identity(BILLING).identity(REPORTS).start();
        tcp = WorkloadApiEmulator.builder(issuer).tcp().start();
    }

    @AfterAll
    static void stop() throws IOException {
        unix.close();
        tcp.close();
        issuer.close();
        Files.deleteIfExists(directory);
    }

    @BeforeEach
    void reset() {
        unix.recover();
        tcp.recover();
    }

    /** SPIFFE_ENDPOINT_SOCKET names the socket, which the agent's socket stands behind. */
    private static FakeDetectionContext unixWorld(FakeDetectionContext.Builder builder) {
        FakeDetectionContext context = builder.env("SPIFFE_ENDPOINT_SOCKET", "unix://" + SOCKET).build();
        SpiffeIdentityProviderContractTest.link(context, unix);
        return context;
    }

    /** The spiffe entry of wif4j's detection report in this world, as a user sees it. */
    private static DetectionReport.Entry detectedByWif4j(FakeDetectionContext context) {
        return WorkloadIdentity.builder().context(context).detect().entries().stream()
                .filter(e -> e.id().equals("spiffe")).findFirst().orElseThrow();
    }

    private static FakeDetectionContext unixWorld() {
        return unixWorld(FakeDetectionContext.builder().networkForbidden());
    }

    private static IdentityToken fetch(FakeDetectionContext context) {
        try (IdentityTokenSource source = new SpiffeIdentityProvider().open(context)) {
            return source.fetch();
        }
    }

    @Test
    @DisplayName("without SPIFFE_ENDPOINT_SOCKET it is unavailable and says what to set")
    void unsetIsUnavailable() {
        try (FakeDetectionContext context = FakeDetectionContext.builder().networkForbidden().build()) {
            Detection d = provider.detect(context);
            assertFalse(d.isAvailable());
            assertTrue(d.message().contains("(or SPIFFE_ENDPOINT_SOCKET) is not set"), d.message());
            assertTrue(d.message().contains("unix:///run/spire/agent-sockets/agent.sock"), d.message());
        }
    }

    @Test
    @DisplayName("with SPIFFE_ENDPOINT_SOCKET naming a socket that is there, it is available without connecting")
    void socketPresentIsAvailable() {
        int before = unix.requests().size();
        try (FakeDetectionContext context = unixWorld()) {
            Detection d = provider.detect(context);
            assertTrue(d.isAvailable(), d.message());
            assertEquals("SPIFFE_ENDPOINT_SOCKET is unix://" + SOCKET + " (a socket is there, through a symbolic link; "
                    + "not contacted while detecting)", d.message());
        }
        assertEquals(before, unix.requests().size(), "detection called the Workload API");
    }

    @Test
    @DisplayName("with the socket missing it is unavailable and says why; pinned, it is available and waits for it")
    void socketMissing() {
        try (FakeDetectionContext context = FakeDetectionContext.builder()
                .env("SPIFFE_ENDPOINT_SOCKET", "unix://" + SOCKET).build()) {
            Detection d = provider.detect(context);
            assertFalse(d.isAvailable());
            assertTrue(d.message().contains("but no socket is there: is the SPIRE agent running"), d.message());
        }
        try (FakeDetectionContext context = FakeDetectionContext.builder().pinned(true)
                .env("SPIFFE_ENDPOINT_SOCKET", "unix://" + SOCKET).build()) {
            Detection d = provider.detect(context);
            assertTrue(d.isAvailable(), d.message());
            assertTrue(d.message().contains("the socket does not exist yet"), d.message());
        }
    }

    @Test
    @DisplayName("a regular file where the socket belongs is not a socket")
    void regularFileIsNotASocket() {
        try (FakeDetectionContext context = FakeDetectionContext.builder().file(SOCKET, "not a socket")
                .env("SPIFFE_ENDPOINT_SOCKET", "unix://" + SOCKET).build()) {
            Detection d = provider.detect(context);
            assertFalse(d.isAvailable());
            assertTrue(d.message().contains("that is a file, not a socket"), d.message());
        }
    }

    @Test
    @DisplayName("a tcp:// address on loopback is available without connecting; another host or scheme is refused")
    void tcpAddresses() {
        int before = tcp.requests().size();
        try (FakeDetectionContext context = FakeDetectionContext.builder()
                .env("SPIFFE_ENDPOINT_SOCKET", tcp.address()).build()) {
            Detection d = provider.detect(context);
            assertTrue(d.isAvailable(), d.message());
            assertEquals("SPIFFE_ENDPOINT_SOCKET is " + tcp.address()
                    + " (a Workload API on loopback TCP; not contacted while detecting)", d.message());
        }
        assertEquals(before, tcp.requests().size(), "detection called the Workload API");
        for (String[] bad : List.of(
                new String[] {"tcp://10.0.0.7:8081", "talks to it on this host only"},
                new String[] {"tcp://localhost:8081", "an IP address and a port"},
                new String[] {"tcp://127.0.0.1", "an IP address and a port"},
                new String[] {"tcp://127.0.0.1:99999", "the port 99999 is out of range: a tcp address is an IP address "
                        + "and a port from 1 to 65535"},
                new String[] {"tcp://127.0.0.1:0", "the port 0 is out of range"},
                new String[] {"tcp://[::1]", "it has no port: a tcp address is an IP address and a port"},
                new String[] {"unix://run/agent.sock", "three slashes"},
                new String[] {"/run/spire/agent.sock", "starts with unix:// or tcp://"},
                new String[] {"unix:///run/agent.sock?x=1", "no query"})) {
            try (FakeDetectionContext context = FakeDetectionContext.builder().env("SPIFFE_ENDPOINT_SOCKET", bad[0]).build()) {
                // detect lets the bad setting through; wif4j's detection reports it unavailable with its sentence.
                String message = assertThrows(SettingException.class, () -> provider.detect(context)).getMessage();
                assertTrue(message.startsWith("SPIFFE_ENDPOINT_SOCKET is '" + bad[0] + "', but"), message);
                assertTrue(message.contains(bad[1]), message);
                DetectionReport.Entry entry = detectedByWif4j(context);
                assertEquals(DetectionReport.Status.UNAVAILABLE, entry.status(), bad[0]);
                assertEquals(message, entry.message());
                // Opened anyway (pinned, or by hand), it fails at once with the same sentence: no call is made.
                SettingException e = assertThrows(SettingException.class, () -> provider.open(context));
                assertEquals(message, e.getMessage());
            }
        }
    }

    @Test
    @DisplayName("tcp://[::1]:PORT is a working address: the fetch reaches the Workload API over IPv6 loopback")
    void ipv6Loopback() throws Exception {
        // In a JVM of its own: the tests' JVM prefers IPv4 and cannot reach [::1].
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), "child.Ipv6Fetch").redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), output);
        assumeFalse(output.startsWith("no-ipv6"), output);
        List<String> lines = List.of(output.split("\\R"));
        assertTrue(lines.contains("detection=true"), output);
        assertTrue(lines.contains("subject=" + WorkloadApiEmulator.DEFAULT_SPIFFE_ID), output);
        assertTrue(lines.contains("requests=1"), output);
    }

    @Test
    @DisplayName("over a Unix socket the provider sends localhost as the HTTP/2 authority, which a strict server "
            + "(h2, nghttp2, and so the emulator) accepts; the socket's path it would refuse")
    void unixSocketAuthorityIsLocalhost() {
        try (FakeDetectionContext context = unixWorld()) {
            int before = unix.requests().size();
            IdentityToken token = fetch(context);
            assertEquals(BILLING, token.subject().orElseThrow());
            assertEquals(List.of(), unix.refusedAuthorities());
            assertEquals(before + 1, unix.requests().size());
        }
    }

    @Test
    @DisplayName("a fetch asks for the configured audience, with the security header, and returns a new JWT-SVID")
    void fetchWithAudience() {
        try (FakeDetectionContext context = unixWorld(FakeDetectionContext.builder()
                .env("WIF4J_SPIFFE_AUDIENCE", "https://api.anthropic.com/org-123"))) {
            int before = unix.requests().size();
            IdentityToken token = fetch(context);
            assertEquals(List.of("https://api.anthropic.com/org-123"), token.audience());
            assertEquals(BILLING, token.subject().orElseThrow(), "without spiffe.id, the Workload API's first");
            assertEquals(issuer.issuerUrl(), token.issuer().orElseThrow());
            List<WorkloadApiEmulator.Request> requests = unix.requests();
            assertEquals(before + 1, requests.size(), "one Workload API call per fetch");
            WorkloadApiEmulator.Request request = requests.get(requests.size() - 1);
            assertEquals(List.of("https://api.anthropic.com/org-123"), request.audience());
            assertEquals("", request.spiffeId());
            assertTrue(request.securityHeader(), "java-spiffe sends workload.spiffe.io: true");
        }
    }

    @Test
    @DisplayName("over tcp:// a fetch works the same, with the default audience")
    void fetchOverTcp() {
        try (FakeDetectionContext context = FakeDetectionContext.builder()
                .env("SPIFFE_ENDPOINT_SOCKET", tcp.address()).build()) {
            IdentityToken token = fetch(context);
            assertEquals(List.of(OidcIssuer.DEFAULT_AUDIENCE), token.audience());
            assertEquals(WorkloadApiEmulator.DEFAULT_SPIFFE_ID, token.subject().orElseThrow());
        }
    }

    @Test
    @DisplayName("spiffe.id picks one of the workload's SPIFFE IDs, and asks the Workload API for that one only")
    void chosenSpiffeId() {
        try (FakeDetectionContext context = unixWorld(FakeDetectionContext.builder()
                .env("WIF4J_SPIFFE_SPIFFE_ID", REPORTS))) {
            assertTrue(provider.detect(context).message().contains(", SPIFFE ID " + REPORTS));
            IdentityToken token = fetch(context);
            assertEquals(REPORTS, token.subject().orElseThrow());
            List<WorkloadApiEmulator.Request> requests = unix.requests();
            assertEquals(REPORTS, requests.get(requests.size() - 1).spiffeId());
        }
    }

    @Test
    @DisplayName("a SPIFFE ID the workload is not entitled to: PERMISSION_DENIED, not retried, and what to check")
    void unentitledSpiffeId() {
        try (FakeDetectionContext context = unixWorld(FakeDetectionContext.builder()
                .setting("spiffe.spiffe.id", "spiffe://example.org/ns/prod/sa/admin"))) {
            IdentityTokenException e = assertThrows(IdentityTokenException.class, () -> fetch(context));
            assertFalse(e.isRetryable());
            assertTrue(e.getMessage().contains("answered PERMISSION_DENIED: no identity issued"), e.getMessage());
            assertTrue(e.getMessage().contains("spiffe://example.org/ns/prod/sa/admin (the setting spiffe.spiffe.id"),
                    e.getMessage());
        }
    }

    @Test
    @DisplayName("a malformed spiffe.id is refused naming its source")
    void malformedSpiffeId() {
        try (FakeDetectionContext context = unixWorld(FakeDetectionContext.builder()
                .env("WIF4J_SPIFFE_SPIFFE_ID", "https://example.org/billing"))) {
            DetectionReport.Entry entry = detectedByWif4j(context);
            assertEquals(DetectionReport.Status.UNAVAILABLE, entry.status());
            assertTrue(entry.message().startsWith("WIF4J_SPIFFE_SPIFFE_ID is 'https://example.org/billing', but it is "
                    + "not a SPIFFE ID"), entry.message());
            assertEquals(entry.message(), assertThrows(SettingException.class, () -> provider.detect(context))
                    .getMessage());
        }
    }

    @Test
    @DisplayName("a Workload API that never answers: the fetch ends by the fetch timeout, retryable")
    void silentAgentIsBoundedByFetchTimeout() {
        unix.neverAnswer();
        try (FakeDetectionContext context = unixWorld(FakeDetectionContext.builder()
                .fetchTimeout(Duration.ofMillis(800)))) {
            long start = System.nanoTime();
            IdentityTokenException e = assertThrows(IdentityTokenException.class, () -> fetch(context));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(e.isRetryable(), e.getMessage());
            assertTrue(e.getMessage().contains("did not answer within 800 ms"), e.getMessage());
            assertTrue(took.compareTo(Duration.ofMillis(700)) > 0, "ended before the deadline: " + took);
            assertTrue(took.compareTo(Duration.ofMillis(2500)) < 0, "not bounded by the fetch timeout: " + took);
        }
    }

    @Test
    @DisplayName("the timeout setting shortens one call below the fetch timeout")
    void timeoutSetting() {
        unix.neverAnswer();
        try (FakeDetectionContext context = unixWorld(FakeDetectionContext.builder()
                .env("WIF4J_SPIFFE_TIMEOUT", "300ms"))) {
            long start = System.nanoTime();
            IdentityTokenException e = assertThrows(IdentityTokenException.class, () -> fetch(context));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(e.getMessage().contains("did not answer within 300 ms"), e.getMessage());
            assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "took " + took);
        }
    }

    @Test
    @DisplayName("UNAVAILABLE from the agent, or no agent behind the socket, is retryable and says what to check")
    void unavailableIsRetryable() {
        unix.failEveryRequest("UNAVAILABLE");
        try (FakeDetectionContext context = unixWorld()) {
            IdentityTokenException e = assertThrows(IdentityTokenException.class, () -> fetch(context));
            assertTrue(e.isRetryable());
            assertTrue(e.getMessage().contains("answered UNAVAILABLE"), e.getMessage());
            assertTrue(e.getMessage().contains("is the SPIRE agent running"), e.getMessage());
        }
        try (FakeDetectionContext context = FakeDetectionContext.builder().pinned(true)
                .env("SPIFFE_ENDPOINT_SOCKET", "unix://" + SOCKET).build()) {
            IdentityTokenException e = assertThrows(IdentityTokenException.class, () -> fetch(context));
            assertTrue(e.isRetryable());
            assertTrue(e.getMessage().contains("answered UNAVAILABLE"), e.getMessage());
            assertTrue(e.getMessage().contains("with its socket at " + context.path(SOCKET)), e.getMessage());
        }
    }
}
